from django.urls import path

from classroom.views import roster, tutoring

urlpatterns = [
    path("class-days/<int:pk>/roster/", roster.roster, name="roster"),
    path("class-days/<int:pk>/roster/<int:student_pk>/", roster.attendance_set_view, name="attendance_set"),
    path("class-days/<int:pk>/roster/mark-all-present/", roster.mark_all_present, name="roster_mark_all_present"),
    path("class-days/<int:pk>/roster/mark-all-present/undo/", roster.mark_all_undo, name="roster_mark_all_undo"),
    path("class-days/<int:pk>/roster/close/", roster.close, name="roster_close"),
    path("class-days/<int:pk>/tutoring/<int:student_pk>/", tutoring.tutoring_record_edit, name="tutoring_record_edit"),
]
