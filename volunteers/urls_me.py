from django.urls import path

from volunteers.views import feed, schedule

urlpatterns = [
    path("volunteer/class-days/<int:pk>/answer/", schedule.my_sign_up, name="my_sign_up"),
    path("volunteer/records/<int:pk>/", schedule.my_tutoring_record, name="my_tutoring_record"),
    path("volunteer/calendar/", feed.my_calendar, name="my_calendar"),
    path("volunteer/calendar/renew/", feed.my_calendar_renew, name="my_calendar_renew"),
    path("volunteer/calendar/stop/", feed.my_calendar_revoke, name="my_calendar_revoke"),
    path("calendar/<str:token>.ics", feed.calendar_feed, name="calendar_feed"),
]
