from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.errors import HttpError

from classroom import rules
from classroom.access_log import log_contacts_read
from classroom.filters import StudentFilter
from classroom.models import ClassDay, ClassDayKind, ClassDayStatus, Consent, Site, Student
from classroom.schemas import (
    ClassDayOut,
    ClassDayPageOut,
    MeOut,
    SiteOut,
    StudentOut,
    StudentPageOut,
    StudentStaffDetailOut,
    StudentStaffOut,
    StudentStaffPageOut,
)
from lib.names import person_name
from lib.plausible import PlausibleDate
from lib.schema_types import FilterText

router = Router(tags=["classroom"])
STUDENTS_PER_PAGE = 25
CLASS_DAYS_PER_PAGE = 50


@router.get("/me", response=MeOut)
def me(request):
    user = request.user
    return {
        "username": user.get_username(),
        "name": person_name(user),
        "roles": sorted(rules.roles_of(user)),
    }


@router.get("/sites", response=list[SiteOut])
def sites(request):
    return Site.objects.visible_to(request.user)


def _respond(request, data: dict):
    """Send data already serialised through the schema of the user's role.

    A response union would validate a coordinator's student against the staff schema again
    (the model has every attribute): serialising by role once, here, keeps the fields out.
    """
    return JsonResponse(data)


@router.get("/students", response=StudentStaffPageOut | StudentPageOut)
def students(
    request,
    q: FilterText | None = None,
    site: int | None = None,
    grade: FilterText | None = None,
    status: FilterText | None = None,
    reason: FilterText | None = None,
    page: int = 1,
):
    """The students the user may see, with the student list's filters, in kana order, 25 a page.

    ``reason`` is a staff-only filter: for anyone else it is ignored, as the field itself is absent.
    """
    sensitive = rules.can_see_sensitive(request.user)
    queryset = Student.objects.visible_to(request.user).select_related("site", "staff_in_charge").in_kana_order()
    if sensitive:
        queryset = queryset.prefetch_related("reasons")
    filterset = StudentFilter(request.GET, queryset=queryset, request=request)
    if not filterset.is_valid():
        raise HttpError(422, "; ".join(f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items()))
    current = Paginator(filterset.qs, STUDENTS_PER_PAGE).get_page(page)
    schema = StudentStaffOut if sensitive else StudentOut
    if sensitive:  # the staff's items carry the health and allergy notes
        log_contacts_read(request, [s.pk for s in current.object_list])
    return _respond(request, {
        "count": current.paginator.count,
        "page": current.number,
        "pages": current.paginator.num_pages,
        "items": [schema.model_validate(s).model_dump(mode="json") for s in current.object_list],
    })


@router.get("/students/{student_id}", response=StudentStaffDetailOut | StudentOut)
def student(request, student_id: int):
    sensitive = rules.can_see_sensitive(request.user)
    queryset = Student.objects.visible_to(request.user).select_related("site", "staff_in_charge")
    if not sensitive:
        return _respond(request, StudentOut.model_validate(get_object_or_404(queryset, pk=student_id)).model_dump(mode="json"))
    obj = get_object_or_404(
        queryset.select_related("household").prefetch_related(
            "reasons", "household__guardians", "household__contacts",
            Prefetch("consents", queryset=Consent.objects.order_by("-given_on", "-pk")),
        ),
        pk=student_id,
    )
    obj.sibling_ids = list(
        Student.objects.visible_to(request.user).filter(household_id=obj.household_id).exclude(pk=obj.pk)
        .values_list("pk", flat=True)
    ) if obj.household_id else []
    log_contacts_read(request, [obj.pk])  # guardians' contacts and the health notes
    return _respond(request, StudentStaffDetailOut.model_validate(obj).model_dump(mode="json"))


@router.get("/class-days", response=ClassDayPageOut, url_name="class_day_list")
def class_days(
    request,
    site: int | None = None,
    date_from: PlausibleDate | None = None,
    date_to: PlausibleDate | None = None,
    kind: ClassDayKind | None = None,
    status: ClassDayStatus | None = None,
    page: int = 1,
):
    """The class days of the user's sites (staff and coordinators), by date, 50 a page; ``kind`` is how
    each is held (group classroom, home-visit tutoring, online). Filters: site, first and last date, kind, status."""
    queryset = ClassDay.objects.visible_to(request.user).select_related("site").order_by("date", "start_time", "site__name")
    if site is not None:
        queryset = queryset.filter(site_id=site)
    if date_from is not None:
        queryset = queryset.filter(date__gte=date_from)
    if date_to is not None:
        queryset = queryset.filter(date__lte=date_to)
    if kind is not None:
        queryset = queryset.filter(kind=kind)
    if status is not None:
        queryset = queryset.filter(status=status)
    current = Paginator(queryset, CLASS_DAYS_PER_PAGE).get_page(page)
    return {"count": current.paginator.count, "page": current.number, "pages": current.paginator.num_pages,
            "items": list(current.object_list)}


@router.get("/class-days/{pk}", response=ClassDayOut, url_name="class_day_detail")
def class_day(request, pk: int):
    return get_object_or_404(ClassDay.objects.visible_to(request.user).select_related("site"), pk=pk)
