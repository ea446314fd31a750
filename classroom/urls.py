from django.urls import path

from classroom.views import home

urlpatterns = [
    path("", home.home, name="home"),
    path("staff/", home.home_staff, name="home_staff"),
    path("coordinator/", home.home_coordinator, name="home_coordinator"),
    path("volunteer/", home.home_volunteer, name="home_volunteer"),
]
