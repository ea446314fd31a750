from django.urls import path

from oversight.views import access_log, history, home, users

app_name = "oversight"

urlpatterns = [
    path("oversight/", home.home, name="home"),
    # users
    path("oversight/users/", users.user_list, name="user_list"),
    path("oversight/users/new/", users.user_create, name="user_create"),
    path("oversight/users/<int:pk>/", users.user_detail, name="user_detail"),
    path("oversight/users/<int:pk>/edit/", users.user_edit, name="user_edit"),
    path("oversight/users/<int:pk>/active/", users.user_active, name="user_active"),
    path("oversight/users/<int:pk>/two-factor-reset/", users.user_two_factor_reset, name="user_two_factor_reset"),
    # access log
    path("oversight/access-log/", access_log.access_log, name="access_log"),
    # The log's old address, in classroom until issue 14: a staff administrator is sent here for good.
    path("visits/access-log/", access_log.access_log_moved, name="access_log_moved"),
    # history
    path("oversight/history/", history.history, name="history"),
    path("oversight/history/<slug:kind>/<int:pk>/", history.history_record, name="history_record"),
]
