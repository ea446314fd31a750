"""Class days: list, month calendar, page, create one or a series, edit, cancel, restore."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from classroom import extensions, rules
from classroom.calendars import MonthCalendar
from classroom.exceptions import DomainError
from classroom.forms.classdays import ClassDayCancelForm, ClassDayFilterForm, ClassDayForm, ClassDaySeriesForm
from classroom.models import AttendanceStatus, ClassDay, ClassDayKind, Site
from classroom.models.attendance import ATTENDED
from classroom.services import classdays as services
from classroom.services.edit_guards import AlreadySubmitted, EditConflict, create_once
from classroom.views.edit_guards import earlier_submission, submitted_response
from lib import plausible
from lib.htmx import HtmxHttpRequest, render_fragment

PER_PAGE = 25
TEMPLATES = "classroom/classdays/"
READERS = (rules.STAFF, rules.COORDINATOR)


def _with_counts(qs):
    """Attendance recorded and children who came, counted by the database (no query per row)."""
    return qs.annotate(
        recorded=Count("attendances", distinct=True),
        came=Count("attendances", filter=Q(attendances__status__in=ATTENDED), distinct=True),
    )


def _visible(request, pk: int) -> ClassDay:
    return get_object_or_404(ClassDay.objects.visible_to(request.user).select_related("site"), pk=pk)


def _go(request: HtmxHttpRequest, url: str):
    """After a write: a full redirect, or a client-side one when htmx posted the form."""
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _detail_url(class_day: ClassDay) -> str:
    return reverse("classroom:class_day_detail", args=[class_day.pk])


@rules.role_required(*READERS)
def class_day_list(request: HtmxHttpRequest):
    filters = ClassDayFilterForm(request.GET, user=request.user)
    filters.is_valid()
    when = filters.cleaned_data.get("when") or "upcoming"
    site = filters.cleaned_data.get("site")
    status = filters.cleaned_data.get("status")
    today = timezone.localdate()
    days = _with_counts(ClassDay.objects.visible_to(request.user).select_related("site"))
    if when == "past":
        days = days.filter(date__lt=today).order_by("-date", "-start_time", "site__name")
    else:
        days = days.filter(date__gte=today).order_by("date", "start_time", "site__name")
    if site:
        days = days.filter(site=site)
    if status:
        days = days.filter(status=status)
    page = Paginator(days, PER_PAGE).get_page(request.GET.get("page"))
    return render_fragment(request, TEMPLATES + "list.html", {
        "filters": filters, "page": page, "when": when, "today": today,
    }, partial="results")


@rules.role_required(*READERS)
def class_day_calendar(request: HtmxHttpRequest):
    sites = list(Site.objects.visible_to(request.user))
    site = None
    if request.GET.get("site"):
        site = next((s for s in sites if str(s.pk) == request.GET["site"]), None)
        if site is None:
            raise Http404
    cal = MonthCalendar.of(request.GET.get("month"), today=timezone.localdate(), url=reverse("classroom:class_day_calendar"),
                           site=site.pk if site else None)
    days = ClassDay.objects.visible_to(request.user).select_related("site").filter(
        date__range=(cal.first, cal.last)
    ).order_by("date", "start_time", "site__name")
    if site:
        days = days.filter(site=site)
    # Each site keeps one colour in the calendar, named in a legend above it.
    tones = {s.pk: index % 4 for index, s in enumerate(sites)}
    by_date = defaultdict(list)
    for day in days:
        day.tone = tones.get(day.site_id, 0)
        by_date[day.date].append(day)
    cells = cal.cells(by_date, "class_days")
    return render_fragment(request, TEMPLATES + "calendar.html", {
        "cal": cal, "weeks": cells, "month_days": cal.days_with_events(cells, "class_days"), "sites": sites,
        "site": site, "show_site": site is None and len(sites) > 1, "legend": [(s, tones[s.pk]) for s in sites],
    }, partial="calendar")


@rules.role_required(*READERS)
def class_day_detail(request: HtmxHttpRequest, pk: int):
    class_day = get_object_or_404(
        ClassDay.objects.visible_to(request.user).select_related("site").annotate(
            recorded=Count("attendances", distinct=True),
            **{
                f"count_{status}": Count("attendances", filter=Q(attendances__status=status), distinct=True)
                for status in AttendanceStatus.values
            },
        ),
        pk=pk,
    )
    counts = [(label, getattr(class_day, f"count_{value}")) for value, label in AttendanceStatus.choices]
    return render_fragment(request, TEMPLATES + "detail.html", {
        "class_day": class_day, "counts": counts, "can_edit": rules.can_edit_class_days(request.user),
        "class_day_links": extensions.links(extensions.CLASS_DAY_PAGE, class_day),
    }, partial="summary")


@rules.role_required(rules.STAFF)
def class_day_create(request: HtmxHttpRequest):
    initial = {"start_time": dt.time(17, 0), "end_time": dt.time(19, 0)}
    if plausible.date_param(request.GET.get("date")):  # a calendar's "+": an impossible date is ignored
        initial["date"] = plausible.date_param(request.GET.get("date"))
    sites = Site.objects.visible_to(request.user)
    requested = request.GET.get("site", "")
    initial["site"] = (sites.filter(pk=requested).first() if requested.isascii() and requested.isdigit() else None) or sites.first()
    form = ClassDayForm(request.POST or None, user=request.user, initial=initial)
    if earlier := earlier_submission(request, form, url_name="classroom:class_day_detail", fallback="classroom:class_day_calendar"):
        return earlier
    if request.method == "POST" and form.is_valid():
        try:
            class_day = create_once(user=request.user, token=form.create_token, create=lambda: services.class_day_create(
                **form.entered_values(), by=request.user))
        except AlreadySubmitted as done:
            return submitted_response(request, done.target, url_name="classroom:class_day_detail", fallback="classroom:class_day_calendar")
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The class day was added."))
            return _go(request, _detail_url(class_day))
    return render_fragment(request, TEMPLATES + "form.html", {
        "form": form, "class_day": None, "action": reverse("classroom:class_day_create"), "discard_url": "",
    }, partial="form")


@rules.role_required(rules.STAFF)
def class_day_edit(request: HtmxHttpRequest, pk: int):
    class_day = _visible(request, pk)
    form = ClassDayForm(request.POST or None, user=request.user, with_site=False, version=class_day.version, initial={
        "date": class_day.date, "start_time": class_day.start_time, "end_time": class_day.end_time,
        "kind": class_day.kind, "note": class_day.note,
    })
    if request.method == "POST" and form.is_valid():
        try:
            services.class_day_update(class_day=class_day, **form.entered_values(), by=request.user,
                                      version=form.expected_version)
        except EditConflict as conflict:
            form.show_conflict(conflict)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The class day was saved."))
            return _go(request, _detail_url(class_day))
    return render_fragment(request, TEMPLATES + "form.html", {
        "form": form, "class_day": class_day, "action": reverse("classroom:class_day_edit", args=[class_day.pk]),
        "discard_url": reverse("classroom:class_day_edit", args=[class_day.pk]),
    }, partial="form")


@rules.role_required(rules.STAFF)
def class_day_cancel(request: HtmxHttpRequest, pk: int):
    class_day = _visible(request, pk)
    form = ClassDayCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.class_day_cancel(class_day=class_day, reason=form.cleaned_data["reason"], by=request.user)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The class day was cancelled."))
            return _go(request, _detail_url(class_day))
    return render_fragment(request, TEMPLATES + "cancel.html", {"form": form, "class_day": class_day}, partial="form")


@rules.role_required(rules.STAFF)
@require_POST
def class_day_restore(request, pk: int):
    class_day = _visible(request, pk)
    try:
        services.class_day_restore(class_day=class_day, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The class day is scheduled again."))
    return _go(request, _detail_url(class_day))


@rules.role_required(rules.STAFF)
def class_day_series(request: HtmxHttpRequest):
    first_site = Site.objects.visible_to(request.user).first()
    form = ClassDaySeriesForm(request.POST or None, user=request.user, initial={"site": first_site})
    plan = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        args = {
            "site": data["site"], "weekdays": data["weekdays"], "start_date": data["start_date"],
            "end_date": data["end_date"], "start_time": data["start_time"], "skip_dates": data["holidays"],
        }
        try:
            if "confirm" in request.POST:
                created = services.class_day_series_create(**args, end_time=data["end_time"], kind=data["kind"],
                                                           by=request.user)
                messages.success(request, _("Class days created: %(count)s.") % {"count": len(created)})
                month = created[0].date if created else data["start_date"]
                return _go(request, reverse("classroom:class_day_calendar") + f"?month={month:%Y-%m}&site={data['site'].pk}")
            plan = services.class_day_series_dates(**args)
        except DomainError as error:
            form.add_error(None, str(error))
    plan_kind = ClassDayKind(form.cleaned_data.get("kind") or ClassDayKind.GROUP) if plan else None
    return render_fragment(request, TEMPLATES + "series.html", {
        "form": form, "plan": plan, "plan_kind_label": plan_kind.label if plan_kind else "",
    }, partial="series")

