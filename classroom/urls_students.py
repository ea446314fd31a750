from django.urls import path

from classroom.views import students

urlpatterns = [
    path("students/", students.student_list, name="student_list"),
    path("students/export/", students.student_export, name="student_export"),
    path("students/new/", students.student_create, name="student_create"),
    path("students/<int:pk>/", students.student_detail, name="student_detail"),
    path("students/<int:pk>/edit/", students.student_edit, name="student_edit"),
    path("students/<int:pk>/archive/", students.student_archive, name="student_archive"),
    path("students/<int:pk>/delete/", students.student_delete, name="student_delete"),
    path("students/<int:pk>/consents/new/", students.consent_add, name="consent_add"),
    path("students/<int:pk>/consents/<int:consent_pk>/withdraw/", students.consent_withdraw, name="consent_withdraw"),
]
