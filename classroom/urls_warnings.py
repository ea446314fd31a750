from django.urls import path

from classroom.views import timeline, warnings

urlpatterns = [
    path("warnings/", warnings.warning_list, name="warning_list"),
    path("warnings/settings/", warnings.warning_settings, name="warning_settings"),
    path("students/<int:pk>/timeline/", timeline.student_timeline, name="student_timeline"),
]
