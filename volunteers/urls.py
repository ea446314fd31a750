from django.urls import path

from volunteers.views import schedule

urlpatterns = [
    path("volunteer/", schedule.home_volunteer, name="home_volunteer"),
]
