from django.urls import include, path

from volunteers.views import schedule

urlpatterns = [
    path("volunteer/", schedule.home_volunteer, name="home_volunteer"),
    # One routing module per area, each owned with its views.
    path("", include("volunteers.urls_me")),
    path("", include("volunteers.urls_manage")),
    path("", include("volunteers.urls_planning")),
]
