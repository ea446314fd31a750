"""Student list and export, student page, create and edit, archive, delete, consent."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from classroom import extensions, rules, stats
from classroom.access_log import CONTACTS, EXPORT, VIEW, log_access, log_list_access
from classroom.exceptions import DomainError
from classroom.filters import StudentFilter
from classroom.forms.edit_guards import formset_conflict_row
from classroom.forms.students import (
    ConsentForm,
    ConsentWithdrawForm,
    GuardianFormSet,
    HouseholdContactFormSet,
    HouseholdForm,
    HouseholdModeForm,
    StudentArchiveForm,
    StudentForm,
)
from classroom.models import Attendance, Consent, Household, Outcome, Student, TutoringRecord
from classroom.services import students as services
from classroom.services.edit_guards import AlreadySubmitted, EditConflict, create_once
from classroom.tables import SENSITIVE_COLUMNS, StudentTable, with_grade_rank
from classroom.views.edit_guards import earlier_submission, submitted_response
from lib import charts, exports
from lib.htmx import HtmxHttpRequest, render_fragment, wants_fragment
from lib.listing import prepare_table
from lib.names import person_name

PER_PAGE = 25


def student_from_query(request, name: str = "student") -> Student | None:
    """The student named in the query string (``?student=``), among the user's own; 404 for anyone
    else's, and for a value that is not plain digits ("²".isdigit() is true, but int("²") fails)."""
    value = request.GET.get(name, "")
    if not value:
        return None
    if not (value.isascii() and value.isdigit()):
        raise Http404
    return get_object_or_404(Student.objects.visible_to(request.user).select_related("site"), pk=int(value))
HISTORY_PER_PAGE = 10
EXPORT_FORMATS = ("csv", "xlsx")
# The sections of the student page that page on their own through htmx, by element id.
HISTORY_PARTIALS = {"attendance": "attendance", "tutoring": "tutoring", "drop-ins": "dropins"}


# --- List and export -----------------------------------------------------------------------
def student_table(request, *, paginate: bool = True) -> tuple[StudentFilter, StudentTable]:
    """The filtered, sorted table the list shows and the export writes, with the user's columns."""
    sensitive = rules.can_see_sensitive(request.user)
    queryset = Student.objects.visible_to(request.user).select_related("site", "staff_in_charge")
    if sensitive:
        queryset = queryset.prefetch_related("reasons")
    queryset = with_grade_rank(queryset, timezone.localdate())
    filterset = StudentFilter(request.GET, queryset=queryset, request=request)
    table = StudentTable(filterset.qs, exclude=() if sensitive else SENSITIVE_COLUMNS)
    return filterset, prepare_table(request, table, per_page=PER_PAGE, paginate=paginate)


@rules.role_required(rules.STAFF, rules.COORDINATOR)
def student_list(request: HtmxHttpRequest):
    filterset, table = student_table(request)
    export_query = request.GET.copy()
    export_query.pop(table.prefixed_page_field, None)
    export_query.pop("format", None)
    context = {
        "filter": filterset,
        "table": table,
        "sort": request.GET.get(table.prefixed_order_by_field, ""),
        "can_export": rules.can_see_sensitive(request.user),
        "export_query": export_query.urlencode(),
        "list_links": extensions.links(extensions.STUDENT_LIST_PAGE, request.user),
    }
    return render_fragment(request, "classroom/students/list.html", context, partial="table", target="student-table")


@rules.role_required(rules.STAFF)
def student_export(request):
    export_format = request.GET.get("format", "csv")
    if export_format not in EXPORT_FORMATS:
        raise Http404
    _filterset, table = student_table(request, paginate=False)
    log_list_access(request, [row.record for row in table.rows], EXPORT)  # one entry per child in the file
    filename = f"students-{timezone.localdate():%Y%m%d}"
    return exports.table_response(table, export_format=export_format, filename=filename, title=_("Students"))


# --- Student page ----------------------------------------------------------------------------
def _history_page(request, queryset, param: str):
    return Paginator(queryset, HISTORY_PER_PAGE).get_page(request.GET.get(param))


def _consents_context(student: Student, *, form: ConsentForm | None = None, withdraw_errors=None) -> dict:
    return {
        "consents": list(student.consents.select_related("guardian").order_by("withdrawn_on", "-given_on", "-pk")),
        "consent_form": form or ConsentForm(student=student),
        "withdraw_errors": withdraw_errors or {},
        "today": timezone.localdate(),
    }


@rules.role_required(rules.STAFF, rules.COORDINATOR)
def student_detail(request: HtmxHttpRequest, pk: int):
    user = request.user
    sensitive = rules.can_see_sensitive(user)
    queryset = Student.objects.visible_to(user).select_related("site", "staff_in_charge")
    if sensitive:
        queryset = queryset.select_related("household").prefetch_related(
            "reasons", "household__guardians", "household__contacts"
        )
    student = get_object_or_404(queryset, pk=pk)
    today = timezone.localdate()
    # The rates of the last 4 weeks and of the fiscal year, and of each of the last 12 months for the
    # trend: one aggregate query for all of them.
    months = stats.monthly_periods(today)
    rates = stats.attendance_rates_by_period([student.pk], {**stats.standard_periods(today), **months})[student.pk]
    attendance = (
        Attendance.objects.filter(student=student).select_related("class_day")
        .order_by("-class_day__date", "-class_day__start_time", "-pk")
    )
    tutoring = (
        TutoringRecord.objects.filter(student=student).select_related("class_day", "tutor__volunteer")
        .order_by("-class_day__date", "-class_day__start_time", "-pk")
    )  # the tutor's volunteer profile: the reading of their name (``{% person_name %}``)
    tutoring_page = _history_page(request, tutoring, "tutoring_page")
    for record in tutoring_page:
        record.tutor_name = person_name(record.tutor)
    context = {
        "student": student,
        "staff_in_charge_name": person_name(student.staff_in_charge),
        "sensitive": sensitive,
        "rates": rates,
        "trend": _attendance_trend(rates, months),
        "attendance_page": _history_page(request, attendance, "attendance_page"),
        "tutoring_page": tutoring_page,
        "dropin_page": _history_page(request, student.drop_ins.order_by("-date", "-checked_in_at", "-pk"), "dropin_page"),
        "can_delete": False,
        "outcomes": list(Outcome.objects.filter(student=student)),
        "can_record_outcomes": rules.is_staff(user),  # the child is theirs: it was read through visible_to
    }
    if sensitive:
        context["can_delete"] = not services.student_has_history(student)
        context["siblings"] = (
            list(Student.objects.visible_to(user).filter(household_id=student.household_id).exclude(pk=student.pk))
            if student.household_id else []
        )
        context.update(_consents_context(student))
        context["sections"] = [section(request, student)
                               for section in extensions.entries(extensions.STUDENT_PAGE_SECTIONS)]
    if not any(wants_fragment(request, target) for target in HISTORY_PARTIALS):
        # Every opening of a child's page is traced; for staff it shows guardians' contacts and health notes.
        log_access(request, student, CONTACTS if sensitive else VIEW)
    return render_fragment(request, "classroom/students/detail.html", context, partial=HISTORY_PARTIALS)


def _attendance_trend(rates: dict, months: dict) -> charts.Chart:
    """The sparkline of the monthly attendance rates, with its text alternative and table rows."""
    return charts.sparkline(
        title=_("Attendance rate per month, last 12 months"),
        labels=[date_format(first, "YEAR_MONTH_FORMAT") for first, _last in months.values()],
        values=[rates[name].percent for name in months],
        unit="%", maximum=100, label_heading=_("Month"), chart_id="attendance-trend",
    )


# --- Create and edit -----------------------------------------------------------------------------
@rules.role_required(rules.STAFF)
@require_http_methods(["GET", "POST"])
def student_create(request):
    return _student_form(request, Student())


@rules.role_required(rules.STAFF)
@require_http_methods(["GET", "POST"])
def student_edit(request, pk: int):
    student = get_object_or_404(Student.objects.visible_to(request.user).select_related("household"), pk=pk)
    if request.method == "GET" and rules.can_see_sensitive(request.user):
        log_access(request, student, CONTACTS)  # the form shows guardians' contacts and the health notes
    return _student_form(request, student)


def _student_form(request, student: Student):
    data = request.POST if request.method == "POST" else None
    creating = student.pk is None
    household = student.household if student.household_id else Household()
    form = StudentForm(data, instance=student, user=request.user)
    if creating and (earlier := earlier_submission(request, form, url_name="classroom:student_detail", fallback="classroom:student_list")):
        return earlier
    mode_form = HouseholdModeForm(data, user=request.user, student=student)
    household_form = HouseholdForm(data, instance=household, prefix="address")
    guardians = GuardianFormSet(data, instance=household, prefix="guardians")
    contacts = HouseholdContactFormSet(data, instance=household, prefix="contacts")
    if data is not None:
        valid = form.is_valid() & mode_form.is_valid()
        edits_household = mode_form.is_valid() and mode_form.edits_household
        if edits_household:
            valid = household_form.is_valid() & guardians.is_valid() & contacts.is_valid() & valid
        if valid:
            saved, removed = [], []
            edited = household_form.has_changed() or guardians.has_changed() or contacts.has_changed()
            if not edits_household:
                target = mode_form.cleaned_data["existing"]
            elif household.pk is None and not edited:
                target = None  # nothing entered about a new household: none yet
            else:
                target = household_form.save(commit=False)
                saved = [*guardians.save(commit=False), *contacts.save(commit=False)]
                removed = [*guardians.deleted_objects, *contacts.deleted_objects]

            def save():
                return services.student_save(
                    student=form.save(commit=False), reasons=form.cleaned_data["reasons"], household=target,
                    household_saved=saved, household_removed=removed, household_edited=edits_household and edited,
                    version=form.expected_version, household_version=household_form.expected_version,
                )

            try:
                student = create_once(user=request.user, token=form.create_token, create=save) if creating else save()
            except AlreadySubmitted as done:
                return submitted_response(request, done.target, url_name="classroom:student_detail", fallback="classroom:student_list")
            except EditConflict as conflict:
                if isinstance(conflict.current, Household):
                    household_form.show_conflict(conflict, extra_rows=household_conflict_rows(
                        guardians, contacts, conflict.current))
                else:
                    form.show_conflict(conflict)
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                if creating:
                    messages.success(request, _("%(name)s was registered.") % {"name": student.full_name})
                else:
                    messages.success(request, _("%(name)s was updated.") % {"name": student.full_name})
                return redirect("classroom:student_detail", pk=student.pk)
    return render(request, "classroom/students/form.html", {
        "student": student,
        "creating": creating,
        "form": form,
        "mode_form": mode_form,
        "household_form": household_form,
        "guardians": guardians,
        "contacts": contacts,
        "discard_url": request.path,
    })


def household_conflict_rows(guardians, contacts, household: Household) -> list[dict]:
    """The guardians and contacts typed against those saved now, one row each when they differ."""
    def guardian(value):
        parts = [f"{value('family_name')} {value('given_name')}", value("relationship"), value("phone"), value("email")]
        return " / ".join(str(p) for p in parts if p)

    def contact(value):
        parts = [value("name"), value("organisation"), value("phone"), value("email")]
        return " / ".join(str(p) for p in parts if p)

    return [
        *formset_conflict_row(_("Guardians"), guardians, household.guardians.all(), guardian),
        *formset_conflict_row(_("Contacts in charge"), contacts, household.contacts.all(), contact),
    ]


# --- Archive and delete ----------------------------------------------------------------------------
@rules.role_required(rules.STAFF)
@require_http_methods(["GET", "POST"])
def student_archive(request, pk: int):
    student = get_object_or_404(Student.objects.visible_to(request.user), pk=pk)
    form = StudentArchiveForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.student_archive(
                student=student, left_on=form.cleaned_data["left_on"], outcome=form.cleaned_data["leaving_outcome"]
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(name)s was archived as having left.") % {"name": student.full_name})
            return redirect("classroom:student_detail", pk=student.pk)
    return render(request, "classroom/students/archive.html", {"student": student, "form": form})


@rules.role_required(rules.STAFF)
@require_http_methods(["GET", "POST"])
def student_delete(request, pk: int):
    student = get_object_or_404(Student.objects.visible_to(request.user), pk=pk)
    error = None
    if request.method == "POST":
        name = student.full_name
        try:
            services.student_delete(student=student)
        except DomainError as exc:
            error = str(exc)
        else:
            messages.success(request, _("%(name)s was deleted.") % {"name": name})
            return redirect("classroom:student_list")
    return render(request, "classroom/students/delete.html", {
        "student": student,
        "has_history": services.student_has_history(student),
        "has_history_message": services.HAS_HISTORY_MESSAGE,
        "error": error,
    })


# --- Consent ---------------------------------------------------------------------------------------
def _consents_response(request, student: Student, *, announce: str = "", **kwargs):
    """The consent section; ``announce`` (what was saved) is read once by the live region (swap-focus.js)."""
    context = {"student": student, "sensitive": True, "announce": announce, **_consents_context(student, **kwargs)}
    return render(request, "classroom/students/detail.html#consents", context)


def _student_for_consent(request, pk: int) -> Student:
    return get_object_or_404(Student.objects.visible_to(request.user), pk=pk)


@rules.role_required(rules.STAFF)
@require_http_methods(["GET", "POST"])
def consent_add(request: HtmxHttpRequest, pk: int):
    student = _student_for_consent(request, pk)
    form = ConsentForm(request.POST if request.method == "POST" else None, student=student)
    if earlier := earlier_submission(request, form, url_name="classroom:student_detail", fallback="classroom:student_list",
                                     pk_of=lambda consent: consent.student_id):
        return earlier
    if form.is_valid():
        try:
            consent = create_once(user=request.user, token=form.create_token,
                                  create=lambda: services.consent_add(consent=form.save(commit=False)))
        except AlreadySubmitted as done:
            return submitted_response(request, done.target, url_name="classroom:student_detail", fallback="classroom:student_list",
                                      pk_of=lambda consent: consent.student_id)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            if wants_fragment(request, "consents"):
                return _consents_response(request, student, announce=_("Saved: consent, %(purpose)s")
                                          % {"purpose": consent.get_purpose_display()})
            messages.success(request, _("The consent was recorded."))
            return redirect("classroom:student_detail", pk=student.pk)
    if wants_fragment(request, "consents"):
        return _consents_response(request, student, form=form)
    return render(request, "classroom/students/consent_form.html", {"student": student, "form": form})


@rules.role_required(rules.STAFF)
@require_http_methods(["GET", "POST"])
def consent_withdraw(request: HtmxHttpRequest, pk: int, consent_pk: int):
    student = _student_for_consent(request, pk)
    consent = get_object_or_404(Consent.objects.select_related("guardian"), pk=consent_pk, student=student)
    form = ConsentWithdrawForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.consent_withdraw(consent=consent, on=form.cleaned_data["withdrawn_on"])
        except DomainError as error:
            form.add_error("withdrawn_on", str(error))
        else:
            if wants_fragment(request, "consents"):
                return _consents_response(request, student, announce=_("Saved: consent withdrawn, %(purpose)s")
                                          % {"purpose": consent.get_purpose_display()})
            messages.success(request, _("The consent was marked as withdrawn. The record is kept."))
            return redirect("classroom:student_detail", pk=student.pk)
    if wants_fragment(request, "consents"):
        return _consents_response(request, student, withdraw_errors={consent.pk: form.errors.get("withdrawn_on")})
    return render(request, "classroom/students/consent_withdraw.html", {
        "student": student, "consent": consent, "form": form,
    })
