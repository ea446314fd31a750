from django.urls import include, path

from classroom.views import home, outbox, timeline

urlpatterns = [
    path("", home.home, name="home"),
    path("staff/", home.home_staff, name="home_staff"),
    path("coordinator/", home.home_coordinator, name="home_coordinator"),
    # One routing module per area, each owned with its views.
    path("", include("classroom.urls_students")),
    path("", include("classroom.urls_roster")),
    path("", include("classroom.urls_classdays")),
    path("", include("classroom.urls_dropins")),
    path("students/<int:pk>/timeline/", timeline.student_timeline, name="student_timeline"),
    path("outbox/", outbox.outbox, name="outbox"),
    path("outbox/<int:pk>/retry/", outbox.outbox_retry, name="outbox_retry"),
]
