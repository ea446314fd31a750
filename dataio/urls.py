from django.urls import path

from dataio.views import retention

app_name = "dataio"

urlpatterns = [
    path("students/<int:student_pk>/legal-hold/", retention.student_legal_hold, name="student_legal_hold"),
]
