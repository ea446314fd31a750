from django.urls import path

from dataio.views import exports, imports, retention

app_name = "dataio"

urlpatterns = [
    # exports
    path("data/", exports.data_home, name="data_home"),
    path("data/export/", exports.export_download, name="export_download"),
    path("data/children/<int:pk>/export/", exports.subject_access_download, name="subject_access_download"),
    # imports
    path("imports/", imports.import_list, name="import_list"),
    path("imports/new/", imports.import_new, name="import_new"),
    path("imports/template/<str:kind>/", imports.import_template, name="import_template"),
    path("imports/<int:pk>/", imports.import_detail, name="import_detail"),
    path("imports/<int:pk>/columns/", imports.import_columns, name="import_columns"),
    path("imports/<int:pk>/confirm/", imports.import_confirm, name="import_confirm"),
    path("imports/<int:pk>/discard/", imports.import_discard, name="import_discard"),
    path("imports/<int:pk>/errors/", imports.import_errors, name="import_errors"),
    # retention
    path("students/<int:student_pk>/legal-hold/", retention.student_legal_hold, name="student_legal_hold"),
]
