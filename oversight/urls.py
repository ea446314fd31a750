from django.urls import path  # noqa: F401  (the helpers' screens add their paths here)

from oversight.views import history

app_name = "oversight"

urlpatterns = [
    # history
    path("oversight/history/", history.history, name="history"),
    path("oversight/history/<slug:kind>/<int:pk>/", history.history_record, name="history_record"),
]
