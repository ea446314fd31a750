from django.urls import path

from volunteers.views import attendance, feed, hours, manage, planning, schedule

app_name = "volunteers"

urlpatterns = [
    # The volunteer's own pages
    path("volunteer/", schedule.home_volunteer, name="home_volunteer"),
    path("volunteer/class-days/<int:pk>/answer/", schedule.my_sign_up, name="my_sign_up"),
    path("volunteer/records/<int:pk>/", schedule.my_tutoring_record, name="my_tutoring_record"),
    path("volunteer/calendar/", feed.my_calendar, name="my_calendar"),
    path("volunteer/calendar/renew/", feed.my_calendar_renew, name="my_calendar_renew"),
    path("volunteer/calendar/stop/", feed.my_calendar_revoke, name="my_calendar_revoke"),
    path("calendar/<str:token>.ics", feed.calendar_feed, name="calendar_feed"),
    # Managing volunteers (staff and coordinators), volunteer attendance and hours
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
    # The coordinator's pairing plan
    path("volunteers/plan/", planning.pairing_plan_index, name="pairing_plan_index"),
    path("volunteers/plan/<int:pk>/", planning.pairing_plan_view, name="pairing_plan"),
    path("volunteers/plan/<int:pk>/row/<int:student_pk>/", planning.pairing_plan_row, name="pairing_plan_row"),
    path("volunteers/plan/<int:pk>/choose/<int:student_pk>/", planning.pairing_plan_choose, name="pairing_plan_choose"),
    path("volunteers/plan/<int:pk>/sign-ups/<int:sign_up_pk>/confirm/", planning.pairing_sign_up_confirm,
         name="pairing_sign_up_confirm"),
    path("volunteers/plan/<int:pk>/sign-ups/<int:sign_up_pk>/unconfirm/", planning.pairing_sign_up_unconfirm,
         name="pairing_sign_up_unconfirm"),
]
