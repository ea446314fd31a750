"""Outcomes (進路): record, edit and delete one (staff), and the children whose outcome is still to record."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from classroom import rules
from classroom.access_log import CREATE, DELETE, UPDATE, VIEW, log_access
from classroom.exceptions import DomainError
from classroom.forms.outcomes import STAGE_BY_GRADE, OutcomeDeleteForm, OutcomeForm, fiscal_year_choices
from classroom.grades import Grade, fiscal_year_of
from classroom.models import Outcome, OutcomeStage, Student
from classroom.models.outcomes import STAGE_DUE_BY_GRADE, due_from, to_record
from classroom.services import outcomes as services
from classroom.services.edit_guards import AlreadySubmitted, EditConflict, create_once
from classroom.views.edit_guards import earlier_submission, submitted_response
from lib.htmx import HtmxHttpRequest, render_fragment, wants_fragment

PER_PAGE = 50
GRADE_BY_STAGE = {str(stage): Grade(grade).label for grade, stage in STAGE_DUE_BY_GRADE.items()}
# After a save (or a repeated create), the child's page.
STUDENT_PAGE = {"url_name": "classroom:student_detail", "fallback": "classroom:student_list",
                "pk_of": lambda outcome: outcome.student_id}
staff_only = rules.role_required(rules.STAFF)


def _outcomes(user):
    return Outcome.objects.visible_to(user).select_related("student", "student__site")


def _fiscal_year(request, today) -> int:
    """The fiscal year of the query string, if it is one of those offered; else the current one."""
    value = request.GET.get("fiscal_year", "")
    offered = {year for year, _label in fiscal_year_choices(today)}
    return int(value) if value.isascii() and value.isdigit() and int(value) in offered else fiscal_year_of(today)


def _to_student_page(student_pk: int):
    return redirect(reverse("classroom:student_detail", args=[student_pk]) + "#outcomes")


@staff_only
@require_http_methods(["GET", "POST"])
def outcome_create(request, student_pk: int):
    student = get_object_or_404(Student.objects.visible_to(request.user).select_related("site"), pk=student_pk)
    today, stage = timezone.localdate(), request.GET.get("stage", "")
    if stage not in OutcomeStage.values:
        stage = STAGE_BY_GRADE.get(student.grade_on(today), "")
    initial = {"fiscal_year": _fiscal_year(request, today), "stage": stage,
               "school": student.school if stage == OutcomeStage.HIGH_SCHOOL else ""}
    return _outcome_form(request, Outcome(student=student), initial=initial)


@staff_only
@require_http_methods(["GET", "POST"])
def outcome_edit(request, pk: int):
    return _outcome_form(request, get_object_or_404(_outcomes(request.user), pk=pk))


def _outcome_form(request: HtmxHttpRequest, outcome: Outcome, *, initial: dict | None = None):
    student, creating = outcome.student, outcome.pk is None
    options = {"instance": outcome, "today": timezone.localdate(), "choice_url": request.path}
    if wants_fragment(request, "outcome-choice"):  # the stage (or the result) changed: that stage's results
        values = {name: request.GET.get(name, "") for name in ("stage", "result", "reason")}
        form = OutcomeForm(initial=values, limited=True, **options)
        return render(request, "classroom/outcomes/form.html#choice", {"form": form})
    form = OutcomeForm(request.POST if request.method == "POST" else None, initial=initial, **options)
    if creating and (earlier := earlier_submission(request, form, **STUDENT_PAGE)):
        return earlier
    if form.is_valid():
        def save():
            return services.outcome_save(outcome=form.save(commit=False), by=request.user,
                                         version=form.expected_version)

        try:
            create_once(user=request.user, token=form.create_token, create=save) if creating else save()
        except AlreadySubmitted as done:
            return submitted_response(request, done.target, **STUDENT_PAGE)
        except EditConflict as conflict:
            form.show_conflict(conflict)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            log_access(request, student, CREATE if creating else UPDATE)
            messages.success(request, _("The outcome of %(name)s was saved.") % {"name": student.full_name})
            return _to_student_page(student.pk)
    if not creating:
        log_access(request, student, VIEW)  # the saved outcome is shown, its reason and note with it
    return render(request, "classroom/outcomes/form.html", {
        "form": form, "outcome": outcome, "student": student, "creating": creating,
        "discard_url": "" if creating else request.path,
    })


@staff_only
@require_http_methods(["GET", "POST"])
def outcome_delete(request, pk: int):
    outcome = get_object_or_404(_outcomes(request.user), pk=pk)
    form, error = OutcomeDeleteForm(request.POST or None, version=outcome.version), ""
    if request.method == "POST" and form.is_valid():
        try:
            services.outcome_delete(outcome=outcome, by=request.user, version=form.expected_version)
        except EditConflict:
            outcome = get_object_or_404(_outcomes(request.user), pk=pk)
            form = OutcomeDeleteForm(version=outcome.version)
            error = _("Someone changed this outcome after you opened this page. It is shown as saved now: "
                      "delete it only if it is still a mistake.")
        except DomainError as exc:
            error = str(exc)
        else:
            log_access(request, outcome.student, DELETE)
            messages.success(request, _("The outcome was deleted."))
            return _to_student_page(outcome.student_id)
    log_access(request, outcome.student, VIEW)  # the page shows the outcome to delete
    return render(request, "classroom/outcomes/delete.html", {"outcome": outcome, "form": form, "error": error})


@rules.role_required(rules.STAFF, rules.COORDINATOR)
def outcome_todo(request: HtmxHttpRequest):
    """Every 中3 and 高3 of a fiscal year at the user's sites whose outcome is not recorded; due from March 1."""
    today = timezone.localdate()
    fiscal_year = _fiscal_year(request, today)
    rows = (to_record(Student.objects.visible_to(request.user), fiscal_year).select_related("site")
            .order_by("stage_due", "family_name_kana", "given_name_kana", "pk"))
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    for student in page:
        student.grade_then, student.stage_label = GRADE_BY_STAGE[student.stage_due], OutcomeStage(student.stage_due).label
    return render_fragment(request, "classroom/outcomes/todo.html", {
        "page": page, "fiscal_year": fiscal_year, "query": f"fiscal_year={fiscal_year}",
        "years": fiscal_year_choices(today), "due": today >= due_from(fiscal_year), "due_from": due_from(fiscal_year),
        "can_record": rules.is_staff(request.user),
    }, partial="results", target="outcome-todo")
