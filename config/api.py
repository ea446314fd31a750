"""The API root: each app mounts its own Router here."""

from django.contrib.auth.decorators import login_required
from ninja import NinjaAPI
from ninja.security import django_auth

from activities.api import router as activities_router
from casework.api import router as casework_router
from classroom.api import router as classroom_router
from classroom.api_auth import ApiTokenAuth
from config import api_errors
from reporting.api import router as reporting_router
from volunteers.api import router as volunteers_router

api = NinjaAPI(
    title="Yorisoi API",
    version="1",
    # A personal token (Authorization: Bearer), else the session; neither: 401. Every router inherits this.
    auth=[ApiTokenAuth(), django_auth],
    urls_namespace="api",
    docs_decorator=login_required,
    description=("Yorisoi's API. Every endpoint goes through the same access rules as the screens. Authenticate "
                 "with a personal token from your profile page (Authorization: Bearer <key>) or a signed-in session."),
)
api_errors.install(api)
api.add_router("/classroom/", classroom_router)
api.add_router("/casework/", casework_router)
api.add_router("/volunteers/", volunteers_router)
api.add_router("/activities/", activities_router)
api.add_router("/reporting/", reporting_router)
