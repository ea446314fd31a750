from django.urls import path

from classroom.views import outbox, timeline, warnings

urlpatterns = [
    path("warnings/", warnings.warning_list, name="warning_list"),
    path("warnings/settings/", warnings.warning_settings, name="warning_settings"),
    path("students/<int:pk>/timeline/", timeline.student_timeline, name="student_timeline"),
    path("outbox/", outbox.outbox, name="outbox"),
    path("outbox/<int:pk>/retry/", outbox.outbox_retry, name="outbox_retry"),
]
