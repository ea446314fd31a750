"""The coordinator's pairing plan: the upcoming class days, and one class day's sign-ups and pairs."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from classroom import rules
from classroom.exceptions import DomainError
from classroom.models import ClassDay
from lib.htmx import HtmxHttpRequest, render_fragment
from lib.names import person_name
from volunteers.forms.planning import PlanForm
from volunteers.models import AvailabilityException, SignUp, SignUpAnswer, Volunteer
from volunteers.pairing import JUNIOR_HIGH, level_label
from volunteers.services.pairing import PairingPlan, pairing_plan
from volunteers.services.planning import (
    PLAN_WEEKS,
    ineligibility_reason,
    is_plannable,
    parse_choices,
    plan_rows,
    plan_save,
    planning_days,
    sign_up_confirm,
    sign_up_unconfirm,
)

INDEX = "volunteers/planning/index.html"
TEMPLATE = "volunteers/planning/plan.html"
CHOOSE = "volunteers/planning/choose.html"
MANAGERS = (rules.STAFF, rules.COORDINATOR)


def _class_day(request: HttpRequest, pk: int) -> ClassDay:
    return get_object_or_404(ClassDay.objects.visible_to(request.user).select_related("site"), pk=pk)


def _keep_confirmed(data) -> bool:
    return data.get("replan") != "all"


def _teaching(volunteer: Volunteer) -> str:
    """"junior high: Maths・English / high school: Maths", from the prefetched subjects."""
    by_level: dict[str, list[str]] = {}
    for taught in volunteer.teaching.all():
        by_level.setdefault(taught.level, []).append(str(taught.get_subject_display()))
    return " / ".join(_("%(level)s: %(subjects)s") % {"level": level_label(level), "subjects": "・".join(subjects)}
                      for level, subjects in sorted(by_level.items(), key=lambda item: item[0] != JUNIOR_HIGH))


def _sign_ups(class_day: ClassDay) -> dict:
    """The volunteers who answered, grouped, and the site's volunteers who have not: three queries."""
    day = class_day.date
    can, cannot = [], []
    for sign_up in (SignUp.objects.filter(class_day=class_day).select_related("volunteer__user")
                    .prefetch_related("volunteer__teaching")
                    .order_by("volunteer__user__last_name", "volunteer__user__first_name", "pk")):
        volunteer = sign_up.volunteer
        entry = {
            "sign_up": sign_up, "name": person_name(volunteer.user), "kana": volunteer.name_kana, "kind": volunteer.get_kind_display(),
            "teaching": _teaching(volunteer), "max_children": volunteer.max_children,
            "ineligible": ineligibility_reason(volunteer, day), "dom_id": f"sign-up-{sign_up.pk}",
        }
        (can if sign_up.answer == SignUpAnswer.CAN_COME else cannot).append(entry)
    weekday = str(day.weekday())
    waiting = []
    for volunteer in (Volunteer.objects.active().filter(sites=class_day.site_id)
                      .exclude(sign_ups__class_day=class_day).select_related("user")
                      .prefetch_related(Prefetch("exceptions", to_attr="on_day",
                                                 queryset=AvailabilityException.objects.filter(date=day)))):
        usual = weekday in volunteer.usual_weekdays
        exception = volunteer.on_day[0] if volunteer.on_day else None
        available = exception.available if exception else usual
        waiting.append({"name": person_name(volunteer.user), "kana": volunteer.name_kana, "kind": volunteer.get_kind_display(),
                        "available": available, "note": exception.note if exception else ""})
    return {"can_come": can, "cannot_come": cannot, "not_answered": waiting,
            "confirmed_count": sum(1 for e in can if e["sign_up"].is_confirmed)}


def _options(plan: PairingPlan) -> list[dict]:
    """The choice of tutor: the day's confirmed volunteers (never another site's: the plan holds only these)."""
    return [{"id": v.id, "name": person_name(v.user), "max": v.max_children} for v in plan.volunteers]


def _plan_context(plan: PairingPlan, choices=None, *, keep_confirmed: bool = True) -> dict:
    rows = plan_rows(plan, choices)
    open_rows = [r for r in rows if not r.is_written]
    return {
        "rows_paired": [r for r in rows if r.choice is not None or r.is_written],
        "rows_unpaired": [r for r in rows if r.choice is None and not r.is_written],
        "expected_count": len(rows),
        "paired_count": sum(1 for r in rows if r.choice is not None),
        "places": sum(t.capacity for t in plan.tutors),
        "has_errors": any(r.errors for r in open_rows),
        "options": _options(plan),
        "keep_confirmed": keep_confirmed,
        "row_open": False,  # rows show the chosen tutor and a "Change" link; the select is fetched per row
    }


def _page_context(request: HttpRequest, class_day: ClassDay, *, plan: PairingPlan | None = None,
                  choices=None, keep_confirmed: bool = True, error: str = "", notice: str = "") -> dict:
    plan = plan or pairing_plan(class_day=class_day, keep_confirmed=keep_confirmed)
    return {
        "class_day": class_day,
        "editable": is_plannable(class_day),
        "error": error,
        "notice": notice,
        **_sign_ups(class_day),
        **_plan_context(plan, choices, keep_confirmed=keep_confirmed),
    }


@rules.role_required(*MANAGERS)
@require_GET
def pairing_plan_index(request: HtmxHttpRequest) -> HttpResponse:
    """The class days of the next four weeks at the user's sites, with how far each is planned."""
    days = planning_days(user=request.user)
    return render_fragment(request, INDEX, {
        "days": days, "weeks": PLAN_WEEKS, "today": timezone.localdate(),
    }, partial="days")


@rules.role_required(*MANAGERS)
def pairing_plan_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """GET: the sign-ups and the proposed pairs. POST: save every row's choice at once."""
    class_day = _class_day(request, pk)
    if request.method != "POST":
        keep = _keep_confirmed(request.GET)
        return render_fragment(request, TEMPLATE, _page_context(request, class_day, keep_confirmed=keep),
                               partial="body")
    keep = _keep_confirmed(request.POST)
    plan = pairing_plan(class_day=class_day, keep_confirmed=keep)
    form = PlanForm(request.POST, plan=plan)
    if not form.is_valid():
        return render(request, TEMPLATE, _page_context(request, class_day, plan=plan, keep_confirmed=keep,
                                                       choices=parse_choices(request.POST, plan),
                                                       error=form.first_error()))
    try:
        saved = plan_save(plan=plan, choices=form.choices(), by=request.user)
    except DomainError as exc:
        return render(request, TEMPLATE, _page_context(request, class_day, plan=plan, keep_confirmed=keep,
                                                       choices=form.choices(), error=str(exc)))
    messages.success(request, ngettext(
        "Plan saved: %(count)d child paired.", "Plan saved: %(count)d children paired.", saved.paired,
    ) % {"count": saved.paired})
    return redirect("volunteers:pairing_plan", pk=class_day.pk)


@rules.role_required(*MANAGERS)
@require_GET
def pairing_plan_row(request: HtmxHttpRequest, pk: int, student_pk: int) -> HttpResponse:
    """One row with the select of the day's confirmed volunteers, fetched when a person opens the
    row ("Change") and again after its select changed: the reasons for the new pair and any warning. No write."""
    class_day = _class_day(request, pk)
    if not request.htmx:
        return redirect("volunteers:pairing_plan", pk=class_day.pk)
    keep = _keep_confirmed(request.GET)
    plan = pairing_plan(class_day=class_day, keep_confirmed=keep)
    rows = {r.student.pk: r for r in plan_rows(plan, parse_choices(request.GET, plan))}
    row = rows.get(student_pk)
    if row is None:
        raise Http404
    context = _plan_context(plan, keep_confirmed=keep)
    context.update({"class_day": class_day, "editable": is_plannable(class_day), "row": row, "row_open": True})
    return render(request, TEMPLATE + "#row", context)


@rules.role_required(*MANAGERS)
@require_GET
def pairing_plan_choose(request: HttpRequest, pk: int, student_pk: int) -> HttpResponse:
    """Without JavaScript, a row's "Change" link: the child, the pair proposed and why, and the select
    of the day's confirmed volunteers in a form that saves this one pair through the plan's POST."""
    class_day = _class_day(request, pk)
    keep = _keep_confirmed(request.GET)
    plan = pairing_plan(class_day=class_day, keep_confirmed=keep)
    row = next((r for r in plan_rows(plan, parse_choices(request.GET, plan)) if r.student.pk == student_pk), None)
    if row is None:
        raise Http404
    return render(request, CHOOSE, {
        "class_day": class_day, "editable": is_plannable(class_day) and not row.is_written, "row": row,
        "keep_confirmed": keep,
        "options": _options(plan),
    })


def _sign_up_write(request: HtmxHttpRequest, pk: int, sign_up_pk: int, confirm: bool) -> HttpResponse:
    class_day = _class_day(request, pk)
    sign_up = get_object_or_404(SignUp.objects.select_related("volunteer__user", "class_day"),
                                pk=sign_up_pk, class_day=class_day)
    name = person_name(sign_up.volunteer.user)
    error = notice = ""
    try:
        if confirm:
            sign_up_confirm(sign_up=sign_up, by=request.user)
            notice = _("%(name)s is confirmed.") % {"name": name}
        else:
            removed = sign_up_unconfirm(sign_up=sign_up, by=request.user)
            notice = _("%(name)s is no longer confirmed.") % {"name": name}
            if removed:
                notice += " " + ngettext("%(count)d planned pair was removed.", "%(count)d planned pairs were removed.",
                                         removed) % {"count": removed}
    except DomainError as exc:
        error = str(exc)
    if request.htmx:
        return render(request, TEMPLATE + "#body", _page_context(request, class_day, error=error, notice=notice))
    if error:
        messages.error(request, error)
    else:
        messages.success(request, notice)
    return redirect(reverse("volunteers:pairing_plan", args=[class_day.pk]) + f"#sign-up-{sign_up.pk}")


@rules.role_required(*MANAGERS)
@require_POST
def pairing_sign_up_confirm(request: HttpRequest, pk: int, sign_up_pk: int) -> HttpResponse:
    return _sign_up_write(request, pk, sign_up_pk, confirm=True)


@rules.role_required(*MANAGERS)
@require_POST
def pairing_sign_up_unconfirm(request: HttpRequest, pk: int, sign_up_pk: int) -> HttpResponse:
    return _sign_up_write(request, pk, sign_up_pk, confirm=False)
