"""The activities API: the same filters, ``visible_to`` and services as the screens.

Mount with ``api.add_router("/activities/", router)`` in ``config/api.py``.
"""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.errors import HttpError

from activities.filters import ActivityFilter
from activities.models import Activity
from activities.schemas import ActivityOut, ActivityPageOut, CancelIn
from activities.services import activities as services
from classroom import rules
from classroom.exceptions import DomainError
from lib.schema_types import FilterText

router = Router(tags=["activities"])
PER_PAGE = 25


def _managed(request):
    if not rules.can_manage_classroom(request.user):
        raise HttpError(404, "Not found")
    return services.with_counts(Activity.objects.visible_to(request.user).select_related("partner"))


@router.get("/", response=ActivityPageOut, url_name="activity_list")
def activities(request, when: FilterText | None = None, kind: FilterText | None = None, partner: int | None = None,
               status: FilterText | None = None, page: int = 1):
    """Staff and coordinators: activities with the list's filters (upcoming by default)."""
    filterset = ActivityFilter(request.GET, queryset=_managed(request), request=request)
    if not filterset.is_valid():
        raise HttpError(422, "; ".join(f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items()))
    current = Paginator(filterset.qs, PER_PAGE).get_page(page)
    return {"count": current.paginator.count, "page": current.number, "pages": current.paginator.num_pages,
            "items": list(current.object_list)}


@router.get("/{int:pk}", response=ActivityOut, url_name="activity_detail")
def activity(request, pk: int):
    return get_object_or_404(_managed(request), pk=pk)


@router.post("/{int:pk}/cancel", response=ActivityOut, url_name="activity_cancel")
def activity_cancel(request, pk: int, payload: CancelIn):
    """Cancel with a reason; the helpers are told by email."""
    item = get_object_or_404(_managed(request), pk=pk)
    try:
        services.activity_cancel(activity=item, reason=payload.reason, by=request.user)
    except DomainError as error:
        raise HttpError(422, str(error)) from error
    return get_object_or_404(_managed(request), pk=pk)
