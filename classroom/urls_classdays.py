from django.urls import path

from classroom.views import classdays

urlpatterns = [
    path("class-days/", classdays.class_day_list, name="class_day_list"),
    path("class-days/calendar/", classdays.class_day_calendar, name="class_day_calendar"),
    path("class-days/new/", classdays.class_day_create, name="class_day_create"),
    path("class-days/series/", classdays.class_day_series, name="class_day_series"),
    path("class-days/<int:pk>/", classdays.class_day_detail, name="class_day_detail"),
    path("class-days/<int:pk>/edit/", classdays.class_day_edit, name="class_day_edit"),
    path("class-days/<int:pk>/cancel/", classdays.class_day_cancel, name="class_day_cancel"),
    path("class-days/<int:pk>/restore/", classdays.class_day_restore, name="class_day_restore"),
]
