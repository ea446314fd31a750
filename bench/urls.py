"""The application's URLs plus the bench's bare views (served only under bench.settings)."""

from django.urls import include, path

from bench import views

urlpatterns = [
    path("bench/bare/roster/<int:pk>/<int:site>/<int:weekday>/", views.bare_roster, name="bench_bare_roster"),
    path("bench/bare/tap/<int:pk>/<int:student_pk>/", views.bare_upsert, name="bench_bare_upsert"),
    path("", include("config.urls")),
]
