"""The volunteers' API: the same filters and ``visible_to`` as the volunteer list.

Mount with ``api.add_router("/volunteers/", router)`` in ``config/api.py``.
"""

from django.core.paginator import Paginator
from ninja import Router
from ninja.errors import HttpError
from ninja.security import django_auth

from volunteers.filters import VolunteerFilter
from volunteers.models import Volunteer
from volunteers.schemas import VolunteerPageOut

router = Router(tags=["volunteers"], auth=django_auth)
PER_PAGE = 25


@router.get("/", response=VolunteerPageOut, url_name="volunteer_list")
def volunteers(
    request,
    q: str | None = None,
    kind: str | None = None,
    subject: str | None = None,
    level: str | None = None,
    site: int | None = None,
    active: str | None = None,
    paperwork: str | None = None,
    page: int = 1,
):
    """Staff and coordinators: the volunteers of their sites, with the list's filters. A volunteer: only themself."""
    queryset = (Volunteer.objects.visible_to(request.user).select_related("user")
                .prefetch_related("teaching", "sites").order_by("user__last_name", "user__first_name", "pk"))
    filterset = VolunteerFilter(request.GET, queryset=queryset, request=request)
    if not filterset.is_valid():
        raise HttpError(422, "; ".join(f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items()))
    current = Paginator(filterset.qs, PER_PAGE).get_page(page)
    return {"count": current.paginator.count, "page": current.number, "pages": current.paginator.num_pages,
            "items": list(current.object_list)}
