"""The volunteers' API: the same filters and ``visible_to`` as the volunteer list.

Mount with ``api.add_router("/volunteers/", router)`` in ``config/api.py``.
"""

from django.core.paginator import Paginator
from ninja import Router
from ninja.errors import HttpError

from lib.schema_types import FilterText
from volunteers.filters import VolunteerFilter
from volunteers.models import Volunteer
from volunteers.schemas import VolunteerPageOut

router = Router(tags=["volunteers"])
PER_PAGE = 25


@router.get("/", response=VolunteerPageOut, url_name="volunteer_list")
def volunteers(
    request,
    q: FilterText | None = None,
    kind: FilterText | None = None,
    subject: FilterText | None = None,
    level: FilterText | None = None,
    site: int | None = None,
    active: FilterText | None = None,
    paperwork: FilterText | None = None,
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
