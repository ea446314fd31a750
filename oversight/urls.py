from django.urls import path  # noqa: F401  (the helpers' screens add their paths here)

app_name = "oversight"

urlpatterns = []
