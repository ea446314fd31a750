"""The volunteer's own pages (phone first): my schedule, one-tap sign-up, writing my records.

Everything a volunteer sees of a child goes through the rules (``classroom.rules``): nickname, grade,
subjects and the previous handover note, only while paired. Anything else answers 404.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from classroom import extensions, rules
from classroom.exceptions import DomainError
from classroom.models import ClassDay, TutoringRecord
from classroom.services.edit_guards import EditConflict
from lib.htmx import HtmxHttpRequest, render_fragment
from lib.names import person_name
from volunteers.forms.schedule import MyTutoringRecordForm, SignUpForm
from volunteers.models import ACCESS_NO_PROFILE, SignUpAnswer, Volunteer
from volunteers.services.schedule import (
    schedule_class_days,
    sign_up_answer,
    site_class_days,
    tutoring_record_write,
    volunteer_of,
)

TEMPLATE = "volunteers/schedule.html"
RECORD_TEMPLATE = "volunteers/me/record.html"


def _volunteer(request: HttpRequest) -> Volunteer:
    volunteer = volunteer_of(request.user)
    if volunteer is None:
        raise Http404
    return volunteer


def _child(record: TutoringRecord) -> dict:
    """The only facts about a child a volunteer is shown."""
    student = record.student
    return {
        "nickname": student.nickname or student.given_name,
        "kana": "" if student.nickname else student.given_name_kana,  # the given name's reading, for screen readers
        "grade": student.get_grade_display(),
        "subjects": student.get_focus_subjects_display() or record.get_subjects_display(),
        "handover": getattr(record, "previous_handover", None) or "",
    }


def _days(volunteer: Volunteer, class_days: Iterable[ClassDay], today: dt.date) -> list[dict]:
    """Schedule cards: the class days with the volunteer's answer and their pairs (two queries)."""
    days = list(class_days)
    records = (
        rules.paired_records(volunteer.user, today).filter(class_day_id__in=[d.pk for d in days]).with_previous_handover()
    ).select_related("student").order_by("pk")
    pairs: dict[int, list[dict]] = {}
    for record in records:
        pairs.setdefault(record.class_day_id, []).append({"record": record, **_child(record)})
    return [
        {
            "class_day": day,
            "dom_id": f"day-{day.pk}",
            "answer": day.my_answer or "",
            "confirmed": day.my_answer == SignUpAnswer.CAN_COME and day.my_confirmed_at is not None,
            "can_answer": not day.is_cancelled and day.date >= today,
            "is_today": day.date == today,
            "pairs": pairs.get(day.pk, []),
            "sign_up_url": reverse("volunteers:my_sign_up", args=[day.pk]),
        }
        for day in days
    ]


def _answers() -> list[dict]:
    return [{"value": SignUpAnswer.CAN_COME, "label": _("I can come")},
            {"value": SignUpAnswer.CANNOT_COME, "label": _("I can't come")}]


def _access_ended_page(request: HttpRequest, reason: str) -> HttpResponse:
    """Why the volunteer sees no children today, and whom to ask: never a child or a class day."""
    volunteer = Volunteer.objects.filter(user=request.user).first()
    sites = list(volunteer.sites.order_by("name")) if volunteer is not None else []
    coordinators = (rules.role_holders(rules.COORDINATOR, sites=sites)
                    .distinct().order_by("last_name", "first_name", "pk"))
    return render(request, "volunteers/me/access_ended.html", {
        "reason": reason,
        "volunteer": volunteer,
        "sites": sites,
        "coordinators": [person_name(user) for user in coordinators],
    })


@login_required
def home_volunteer(request: HttpRequest) -> HttpResponse:
    """My schedule; a volunteer whose access ended (or not set up yet) is told why, and whom to ask."""
    if not rules.has_role(request.user, rules.VOLUNTEER):
        raise Http404
    reason = rules.volunteer_access_ended(request.user)
    if reason == ACCESS_NO_PROFILE:
        return render(request, "volunteers/me/no_profile.html")
    if reason:
        return _access_ended_page(request, reason)
    volunteer = volunteer_of(request.user)
    today = timezone.localdate()
    recent = (
        rules.paired_records(request.user, today).filter(class_day__date__lte=today)
        .select_related("class_day__site", "student").order_by("-class_day__date", "-class_day__start_time", "pk")
    )
    recent_items = [{"record": r, "nickname": r.student.nickname or r.student.given_name,
                     "kana": "" if r.student.nickname else r.student.given_name_kana,
                     "window": rules.record_window(r, today)} for r in recent]
    return render(request, TEMPLATE, {
        "today": today,
        "days": _days(volunteer, schedule_class_days(volunteer, today), today),
        "answers": _answers(),
        "has_sites": volunteer.sites.exists(),
        "recent": recent_items,
        "to_write": [i for i in recent_items if not i["record"].is_written and i["window"] == "open"],
        "written": [i for i in recent_items if i["record"].is_written or i["window"] != "open"],
        "done_count": rules.own_records(request.user).filter(written_at__isnull=False).count(),
        "extra_sections": [section(request, today) for section in extensions.entries(extensions.SCHEDULE_SECTIONS)],
    })


@rules.role_required(rules.VOLUNTEER)
def my_sign_up(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """One tap: "I can come" / "I can't come"; the card comes back updated (or the page, without JS)."""
    volunteer = _volunteer(request)
    class_day = get_object_or_404(site_class_days(volunteer), pk=pk)
    if request.method != "POST":  # after the 404: another site's class day answers 404 to any method
        return HttpResponseNotAllowed(["POST"])
    form = SignUpForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            class_day = sign_up_answer(volunteer=volunteer, class_day=class_day, answer=form.cleaned_data["answer"],
                                       by=request.user)
        except DomainError as exc:
            error = str(exc)
    else:
        error = form.errors["answer"][0]
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("Your answer was saved."))
        return redirect(reverse("volunteers:home_volunteer") + f"#day-{pk}")
    today = timezone.localdate()
    [day] = _days(volunteer, [class_day], today)
    return render(request, TEMPLATE + "#day", {"day": {**day, "error": error, "saved": not error},
                                               "answers": _answers(), "today": today})


@rules.role_required(rules.VOLUNTEER)
def my_tutoring_record(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The tutor writes their own record from the class day until 7 days after; read-only afterwards."""
    today = timezone.localdate()
    record = get_object_or_404(
        rules.own_records(request.user).with_previous_handover().select_related("class_day__site", "student"),
        pk=pk,
    )
    window = rules.record_window(record, today)
    form = MyTutoringRecordForm(initial=MyTutoringRecordForm.initial_from(record), version=record.version)
    saved = False
    if request.method == "POST":
        form = MyTutoringRecordForm(request.POST)
        if form.is_valid():
            try:
                written = tutoring_record_write(record=record, by=request.user, today=today, **form.entered_values(),
                                                version=form.expected_version)
            except EditConflict as conflict:
                form.show_conflict(conflict)
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                written.previous_handover = record.previous_handover
                record = written
                saved = True
                # The page stays open (htmx): its form now stands on the version just saved.
                form = MyTutoringRecordForm(initial=MyTutoringRecordForm.initial_from(record), version=record.version)
                if not request.htmx:
                    messages.success(request, _("The tutoring record was saved. Thank you!"))
                    return redirect("volunteers:my_tutoring_record", pk=record.pk)
    return render_fragment(request, RECORD_TEMPLATE, {
        "record": record,
        "class_day": record.class_day,
        "child": _child(record) if rules.shows_child(record, today) else None,
        "window": window,
        "editable": rules.access(request.user, record, as_tutor=True, today=today).change,
        "form": form,
        "saved": saved,
        "last_day": record.class_day.date + dt.timedelta(days=rules.PAIRED_DAYS_AFTER),
    }, partial="record")
