"""Managing volunteers (staff and coordinators), volunteer attendance and hours."""

from django.urls import path

from volunteers.views import attendance, hours, manage

urlpatterns = [
    path("volunteers/", manage.volunteer_list, name="volunteer_list"),
    path("volunteers/new/", manage.volunteer_create, name="volunteer_create"),
    path("volunteers/<int:pk>/", manage.volunteer_detail, name="volunteer_detail"),
    path("volunteers/<int:pk>/edit/", manage.volunteer_edit, name="volunteer_edit"),
    path("volunteers/<int:pk>/active/", manage.volunteer_set_active, name="volunteer_set_active"),
    path("volunteers/<int:pk>/exceptions/", manage.availability_exception_add, name="availability_exception_add"),
    path("volunteers/<int:pk>/exceptions/<int:exception_pk>/remove/", manage.availability_exception_remove,
         name="availability_exception_remove"),
    path("volunteers/<int:pk>/preferences/", manage.pairing_preference_add, name="pairing_preference_add"),
    path("volunteers/<int:pk>/preferences/<int:preference_pk>/remove/", manage.pairing_preference_remove,
         name="pairing_preference_remove"),
    path("volunteers/class-days/<int:pk>/attendance/", attendance.volunteer_attendance, name="volunteer_attendance"),
    path("volunteers/class-days/<int:pk>/attendance/add/", attendance.volunteer_attendance_add,
         name="volunteer_attendance_add"),
    path("volunteers/class-days/<int:pk>/attendance/<int:volunteer_pk>/", attendance.volunteer_attendance_set_view,
         name="volunteer_attendance_set"),
    path("volunteers/hours/", hours.volunteer_hours, name="volunteer_hours"),
    path("volunteers/hours/export/", hours.volunteer_hours_export, name="volunteer_hours_export"),
    path("volunteer/hours/", hours.my_hours, name="my_hours"),
]
