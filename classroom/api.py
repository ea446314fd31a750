from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import HttpError

from classroom import rules
from classroom.access_log import CREATE, UPDATE, VIEW, log_access, log_contacts_read
from classroom.exceptions import DomainError
from classroom.filters import StudentFilter
from classroom.forms.edit_guards import VERSION_FIELD as EDIT_VERSION
from classroom.forms.outcomes import OutcomeForm
from classroom.forms.students import StudentForm
from classroom.forms.tutoring import TutoringRecordForm
from classroom.models import (
    ClassDay,
    ClassDayKind,
    ClassDayStatus,
    Consent,
    Outcome,
    Site,
    Student,
    TutoringRecord,
)
from classroom.models.attendance import UNMARKED
from classroom.schemas import (
    AttendanceBulkIn,
    AttendanceBulkOut,
    ClassDayOut,
    ClassDayPageOut,
    ConflictOut,
    FieldErrorsOut,
    MeOut,
    MessageOut,
    OutcomeIn,
    OutcomeOut,
    OutcomeStaffOut,
    OutcomeUpdateIn,
    RowErrorsOut,
    SiteOut,
    StudentIn,
    StudentOut,
    StudentPageOut,
    StudentStaffDetailOut,
    StudentStaffOut,
    StudentStaffPageOut,
    StudentUpdateIn,
    TutoringRecordIn,
    TutoringRecordOut,
)
from classroom.services import outcomes as services_outcomes
from classroom.services import students as services_students
from classroom.services.attendance import roster_save, roster_students, with_stored_attendance
from classroom.services.edit_guards import EditConflict
from classroom.services.tutoring import tutoring_record_save
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
        student = get_object_or_404(queryset, pk=student_id)
        log_access(request, student, VIEW)  # every API read of a child's record is traced, as on the screens
        return _respond(request, StudentOut.model_validate(student).model_dump(mode="json"))
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


# --- Writes: API v1 for other systems ------------------------------------------------------------
# Each runs the screen's own form and service as the signed-in user (or the token's user), so it is
# refused exactly where the screen would refuse it; anyone the screen does not let write gets 404.
ERRORS = {401: MessageOut, 403: MessageOut, 404: MessageOut, 422: FieldErrorsOut}
API_NAMES = {"site": "site_id", "staff_in_charge": "staff_in_charge_id", "tutor": "tutor_id",
             EDIT_VERSION: "version", "__all__": None}


def _form_data(values: dict) -> QueryDict:
    """A validated payload as the screen's form would receive it from the browser."""
    data = QueryDict(mutable=True)
    for name, value in values.items():
        if value is None or value is False:
            continue
        if isinstance(value, list):
            data.setlist(name, [str(v) for v in value])
        else:
            data[name] = "on" if value is True else value.isoformat() if hasattr(value, "isoformat") else str(value)
    return data


def _form_errors(form) -> Status:
    detail = []
    for name, messages in form.errors.items():
        field = API_NAMES.get(name, name)
        loc = ["body", "payload"] + ([field] if field else [])
        detail += [{"loc": loc, "type": "invalid", "msg": str(message)} for message in messages]
    return Status(422, {"detail": detail})


def _refused(error: DomainError) -> Status:
    if isinstance(error, EditConflict):
        return Status(409, {"detail": str(error), "current_version": error.current.version})
    return Status(422, {"detail": [{"loc": ["body", "payload"], "type": "refused", "msg": str(error)}]})


def _staff_class_day(request, pk: int) -> ClassDay:
    """A class day whose children's records the user writes (the roster's staff); 404 for anyone else."""
    class_day = get_object_or_404(ClassDay.objects.visible_to(request.user).select_related("site"), pk=pk)
    if not rules.is_staff(request.user):
        raise Http404
    return class_day


@router.put("/class-days/{pk}/attendance", response={200: AttendanceBulkOut, **ERRORS, 422: RowErrorsOut | FieldErrorsOut},
            url_name="class_day_attendance")
def class_day_attendance(request, pk: int, payload: AttendanceBulkIn):
    """Staff: several children's attendance on one class day, all or nothing, through the roster's own save.

    Each row is a child of the day's roster (expected, already marked, or any active child of the
    site) and the status to leave them in (``unmarked`` clears). Idempotent: a repeat changes
    nothing. If any row is refused, nothing is written and the answer (422) lists each row's error.
    """
    class_day = _staff_class_day(request, pk)
    ids = [row.student_id for row in payload.rows]
    students = {s.pk: s for s in with_stored_attendance(roster_students(class_day, also=ids), class_day)}
    errors, seen = [], set()
    for index, row in enumerate(payload.rows):
        if row.student_id in seen:
            errors.append({"index": index, "student_id": row.student_id, "msg": _("This child is listed twice.")})
        elif row.student_id not in students:
            errors.append({"index": index, "student_id": row.student_id,
                           "msg": _("No such child on this class day's roster.")})
        seen.add(row.student_id)
    targets = {row.student_id: UNMARKED if row.status == "unmarked" else row.status for row in payload.rows}
    changed = 0
    if not errors:
        with transaction.atomic():
            changed, refused = roster_save(class_day=class_day, students=[students[pk] for pk in targets],
                                           targets=targets, by=request.user)
            errors = [{"index": index, "student_id": row.student_id, "msg": refused[row.student_id]}
                      for index, row in enumerate(payload.rows) if row.student_id in refused]
            transaction.set_rollback(bool(errors))
    if errors:
        return Status(422, {"detail": _("Nothing was saved: correct the rows below and send them again."),
                            "errors": errors})
    return {"changed": changed,
            "rows": [{"student_id": pk, "status": status or "unmarked"} for pk, status in targets.items()]}


def _record(class_day: ClassDay, student_id: int) -> TutoringRecord | None:
    return TutoringRecord.objects.filter(class_day=class_day, student_id=student_id).select_related("tutor").first()


@router.get("/class-days/{pk}/tutoring-records/{student_id}", response={200: TutoringRecordOut, **ERRORS},
            url_name="tutoring_record")
def tutoring_record(request, pk: int, student_id: int):
    """A child's tutoring record of a class day (staff and coordinators), with the version to write it back."""
    class_day = get_object_or_404(ClassDay.objects.visible_to(request.user), pk=pk)
    record = _record(class_day, student_id)
    if record is None:
        raise Http404
    return record


@router.put("/class-days/{pk}/tutoring-records/{student_id}", response={200: TutoringRecordOut, 409: ConflictOut, **ERRORS},
            url_name="tutoring_record_put")
def tutoring_record_put(request, pk: int, student_id: int, payload: TutoringRecordIn):
    """Staff: write a child's tutoring record of a class day, through the record screen's form and service.

    ``version`` is the record's as read (0 when there was none): a record saved since answers 409.
    """
    class_day = _staff_class_day(request, pk)
    student = get_object_or_404(Student.objects.filter(site_id=class_day.site_id), pk=student_id)
    record = _record(class_day, student.pk)
    values = payload.dict()
    form = TutoringRecordForm(_form_data({**values, "tutor": values.pop("tutor_id"), EDIT_VERSION: values.pop("version")}),
                              site=class_day.site, record=record)
    if not form.is_valid():
        return _form_errors(form)
    try:
        tutoring_record_save(class_day=class_day, student=student, by=request.user, **form.entered_values(),
                             version=form.expected_version)
    except DomainError as error:
        return _refused(error)
    return _record(class_day, student.pk)


def _outcome_out(request, outcomes: list[Outcome]) -> list[dict]:
    schema = OutcomeStaffOut if rules.can_see_sensitive(request.user) else OutcomeOut
    return [schema.model_validate(o).model_dump(mode="json") for o in outcomes]


@router.get("/students/{student_id}/outcomes", response=list[OutcomeStaffOut] | list[OutcomeOut],
            url_name="student_outcomes")
def student_outcomes(request, student_id: int):
    """A child's outcomes (進路) by fiscal year; the reason and the note for staff only, as on the student page."""
    student = get_object_or_404(Student.objects.visible_to(request.user), pk=student_id)
    log_access(request, student, VIEW)  # every read of a child's outcomes is traced, as on the student page
    return JsonResponse(_outcome_out(request, list(Outcome.objects.filter(student=student))), safe=False)


def _outcome_write(request, outcome: Outcome, values: dict):
    if not rules.can_record_outcome(request.user, outcome.student):
        raise Http404
    form = OutcomeForm(_form_data(values), instance=outcome, today=timezone.localdate())
    if not form.is_valid():
        return _form_errors(form)
    try:
        saved = services_outcomes.outcome_save(outcome=form.save(commit=False), by=request.user,
                                               version=form.expected_version)
    except DomainError as error:
        return _refused(error)
    creating = values.get(EDIT_VERSION) is None
    log_access(request, outcome.student, CREATE if creating else UPDATE)  # the answer carries the reason and note
    return Status(201 if creating else 200, saved)


@router.post("/students/{student_id}/outcomes", response={201: OutcomeStaffOut, **ERRORS},
             url_name="student_outcome_create")
def student_outcome_create(request, student_id: int, payload: OutcomeIn):
    """Staff of the child's site: record an outcome, through the outcome form and service (one per fiscal year and stage)."""
    student = get_object_or_404(Student.objects.visible_to(request.user), pk=student_id)
    return _outcome_write(request, Outcome(student=student), payload.dict())


@router.put("/outcomes/{pk}", response={200: OutcomeStaffOut, 409: ConflictOut, **ERRORS}, url_name="outcome_put")
def outcome_put(request, pk: int, payload: OutcomeUpdateIn):
    """Staff of the child's site: change an outcome read at ``version`` (409 if saved since)."""
    outcome = get_object_or_404(Outcome.objects.visible_to(request.user).select_related("student"), pk=pk)
    values = payload.dict()
    return _outcome_write(request, outcome, {**values, EDIT_VERSION: values.pop("version")})


def _student_write(request, student: Student, values: dict):
    """The student form, as on the screen, without the household (which it leaves as it is)."""
    if not rules.is_staff(request.user):
        raise Http404
    values = {**values, "site": values.pop("site_id"), "staff_in_charge": values.pop("staff_in_charge_id")}
    if "version" in values:
        values[EDIT_VERSION] = values.pop("version")
    form = StudentForm(_form_data(values), instance=student, user=request.user)
    if not form.is_valid():
        return _form_errors(form)
    try:
        saved = services_students.student_save(
            student=form.save(commit=False), reasons=form.cleaned_data["reasons"], household=student.household,
            household_edited=False, version=form.expected_version)
    except DomainError as error:
        return _refused(error)
    log_contacts_read(request, [saved.pk])  # the answer carries the health notes
    saved = Student.objects.select_related("site", "staff_in_charge").prefetch_related("reasons").get(pk=saved.pk)
    return Status(201 if EDIT_VERSION not in values else 200, saved)


@router.post("/students", response={201: StudentStaffOut, **ERRORS}, url_name="student_create")
def student_create(request, payload: StudentIn):
    """Staff: register a child with the student form's own validation (a same-name child needs ``different_child``)."""
    return _student_write(request, Student(), payload.dict())


@router.put("/students/{student_id}", response={200: StudentStaffOut, 409: ConflictOut, **ERRORS},
            url_name="student_put")
def student_put(request, student_id: int, payload: StudentUpdateIn):
    """Staff: change a child read at ``version`` (409 if saved since); the household stays as it is."""
    student = get_object_or_404(Student.objects.visible_to(request.user).select_related("household"), pk=student_id)
    return _student_write(request, student, payload.dict())
