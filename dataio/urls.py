from django.urls import path

from dataio.views import exports

app_name = "dataio"

urlpatterns = [
    # exports
    path("data/", exports.data_home, name="data_home"),
    path("data/export/", exports.export_download, name="export_download"),
    path("data/children/<int:pk>/export/", exports.subject_access_download, name="subject_access_download"),
]
