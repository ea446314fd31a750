from django.urls import path

from classroom.views import dropins

urlpatterns = [
    path("drop-in/", dropins.dropin_board, name="dropin_board"),
    path("drop-in/check-in/", dropins.dropin_check_in, name="dropin_check_in"),
    path("drop-in/check-out/", dropins.dropin_check_out, name="dropin_check_out"),
    path("drop-in/visitors/", dropins.dropin_visitors, name="dropin_visitors"),
]
