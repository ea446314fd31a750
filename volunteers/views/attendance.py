"""Volunteer attendance of a class day: who came, with times. The class-day roster loads it
as a fragment; it is also a page of its own that works without JavaScript.

Staff record; coordinators read; anyone else gets 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from classroom import rules
from classroom.exceptions import DomainError
from classroom.models import ClassDay
from lib.htmx import HtmxHttpRequest, render_fragment
from lib.names import person_name
from volunteers import hours
from volunteers.forms.manage import AttendanceTimesForm
from volunteers.models import SignUpAnswer, Volunteer
from volunteers.services.manage import volunteer_attendance_set, volunteer_attendance_tap, with_day_attendance

TEMPLATE = "volunteers/attendance/class_day.html"


def _class_day(request: HttpRequest, pk: int) -> ClassDay:
    return get_object_or_404(ClassDay.objects.visible_to(request.user).select_related("site"), pk=pk)


def _listed(class_day: ClassDay):
    """Who signed up "can come" (confirmed first) and who was recorded as having come."""
    ids = Volunteer.objects.filter(
        Q(sign_ups__class_day=class_day, sign_ups__answer=SignUpAnswer.CAN_COME) | Q(attendances__class_day=class_day)
    ).values("pk")
    return with_day_attendance(Volunteer.objects.filter(pk__in=ids), class_day).annotate(
        rank=Case(When(confirmed=True, then=Value(0)), When(signed_up=True, then=Value(1)), default=Value(2),
                  output_field=IntegerField()),
    ).order_by("rank", "user__last_name", "user__first_name", "pk")


def _writable(user, class_day: ClassDay) -> bool:
    return rules.access(user, class_day, known_readable=True, what=rules.VOLUNTEER_ATTENDANCE).change


def _row(volunteer: Volunteer, class_day: ClassDay, *, error: str = "", form=None) -> dict:
    came = volunteer.arrived_at is not None
    return {
        "volunteer": volunteer,
        "dom_id": f"vattendance-row-{volunteer.pk}",
        "name": person_name(volunteer.user),
        "kana": volunteer.name_kana,
        "kind": volunteer.get_kind_display(),
        "signed_up": volunteer.signed_up,
        "confirmed": volunteer.confirmed,
        "came": came,
        "arrived_at": volunteer.arrived_at,
        "left_at": volunteer.left_at,
        "hours": hours.format_hours(volunteer.minutes) if came else "",
        "url": reverse("volunteers:volunteer_attendance_set", args=[class_day.pk, volunteer.pk]),
        "error": error,
        "form": form or AttendanceTimesForm(initial={"arrived_at": volunteer.arrived_at or class_day.start_time,
                                                      "left_at": volunteer.left_at or class_day.end_time}),
    }


def _context(request: HttpRequest, class_day: ClassDay, *, errors: dict | None = None) -> dict:
    errors = errors or {}
    volunteers = list(_listed(class_day))
    listed = [v.pk for v in volunteers]
    writable = _writable(request.user, class_day)
    addable = []
    if writable:
        addable = list(Volunteer.objects.active().filter(sites=class_day.site_id).exclude(pk__in=listed)
                       .select_related("user").order_by("user__last_name", "user__first_name", "pk"))
    rows = [_row(v, class_day, error=errors.get(v.pk, "")) for v in volunteers]
    return {
        "class_day": class_day,
        "rows": rows,
        "came_count": sum(1 for r in rows if r["came"]),
        "addable": [{"pk": v.pk, "name": person_name(v.user)} for v in addable],
        "editable": writable,
        "is_future": class_day.date > timezone.localdate(),
        "add_url": reverse("volunteers:volunteer_attendance_add", args=[class_day.pk]),
        "add_error": errors.get("add", ""),
    }


@rules.role_required(rules.STAFF, rules.COORDINATOR)
def volunteer_attendance(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    class_day = _class_day(request, pk)
    return render_fragment(request, TEMPLATE, _context(request, class_day), partial="section")


def _form_error(form: AttendanceTimesForm) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


@rules.role_required(rules.STAFF)
@require_POST
def volunteer_attendance_set_view(request: HtmxHttpRequest, pk: int, volunteer_pk: int) -> HttpResponse:
    """One tap: "came" (the day's times unless given) or "not came" (``came=0``). Answers the row."""
    class_day = _class_day(request, pk)
    came = request.POST.get("came") != "0"
    form = AttendanceTimesForm(request.POST)
    valid = not came or form.is_valid()
    try:
        tap = volunteer_attendance_tap(
            class_day=class_day, volunteer_id=volunteer_pk, by=request.user, came=came,
            arrived_at=form.cleaned_data["arrived_at"] if came and valid else None,
            left_at=form.cleaned_data["left_at"] if came and valid else None,
            refused="" if valid else _form_error(form),
        )
    except Volunteer.DoesNotExist:
        raise Http404 from None
    if not request.htmx:
        return _respond_without_js(request, class_day, volunteer_pk, tap.error)
    context = {"row": _row(tap.volunteer, class_day, error=tap.error), "class_day": class_day,
               "editable": _writable(request.user, class_day), "saved": not tap.error}
    return render(request, TEMPLATE + "#row", context)


def _respond_without_js(request: HttpRequest, class_day: ClassDay, volunteer_pk: int, error: str, *,
                        key: int | str | None = None) -> HttpResponse:
    if error:
        return render(request, TEMPLATE, _context(request, class_day, errors={key or volunteer_pk: error}))
    messages.success(request, _("Volunteer attendance was saved."))
    return redirect(reverse("volunteers:volunteer_attendance", args=[class_day.pk]) + f"#vattendance-row-{volunteer_pk}")


@rules.role_required(rules.STAFF)
@require_POST
def volunteer_attendance_add(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Another active volunteer of the site came: record them with the day's times. Answers the section."""
    class_day = _class_day(request, pk)
    try:
        volunteer_pk = int(request.POST.get("volunteer", ""))
    except ValueError:
        volunteer_pk = 0
    volunteer = Volunteer.objects.active().filter(sites=class_day.site_id, pk=volunteer_pk).first()
    if volunteer is None:
        error = _("Choose a volunteer of this site.")
        if request.htmx:
            return render(request, TEMPLATE + "#section", _context(request, class_day, errors={"add": error}))
        return render(request, TEMPLATE, _context(request, class_day, errors={"add": error}))
    error = ""
    try:
        volunteer_attendance_set(class_day=class_day, volunteer=volunteer, by=request.user)
    except DomainError as exc:
        error = str(exc)
    if not request.htmx:
        return _respond_without_js(request, class_day, volunteer.pk, error, key="add")
    context = _context(request, class_day, errors={"add": error} if error else None)
    context["added_name"] = "" if error else person_name(volunteer.user)  # read once by the live region
    return render(request, TEMPLATE + "#section", context)

