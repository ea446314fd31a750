"""Activity list and calendar, activity page, create, edit, duplicate, status changes, cancel."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from activities.filters import ActivityFilter
from activities.forms.activities import ActivityForm, CancelForm, HelperForm, StatusForm
from activities.models import Activity, ActivityStatus, Answer, HelperStatus, ParticipantRole
from activities.services import activities as services
from activities.tables import ActivityTable
from classroom import rules
from classroom.calendars import MonthCalendar
from classroom.exceptions import DomainError
from classroom.services.edit_guards import AlreadySubmitted, EditConflict, create_once
from classroom.views.edit_guards import earlier_submission, submitted_response
from lib import plausible
from lib.htmx import HtmxHttpRequest, render_fragment
from lib.listing import prepare_table

MANAGERS = (rules.STAFF, rules.COORDINATOR)
PER_PAGE = 25


def managed_activity(request, pk: int) -> Activity:
    """An activity the user plans (staff and coordinators); 404 for anyone else."""
    rules.require_role(request, *MANAGERS)
    return get_object_or_404(Activity.objects.visible_to(request.user).select_related("partner", "site", "lead"),
                             pk=pk)


# --- List and calendar ---------------------------------------------------------------------
@rules.role_required(*MANAGERS)
def activity_list(request: HtmxHttpRequest):
    queryset = services.with_counts(Activity.objects.visible_to(request.user).select_related("partner"))
    filterset = ActivityFilter(request.GET, queryset=queryset, request=request)
    table = prepare_table(request, ActivityTable(filterset.qs), per_page=PER_PAGE)
    context = {"filter": filterset, "table": table, "sort": request.GET.get(table.prefixed_order_by_field, "")}
    return render_fragment(request, "activities/list.html", context, partial="table", target="activity-table")


@rules.role_required(*MANAGERS)
def activity_calendar(request: HtmxHttpRequest):
    cal = MonthCalendar.of(request.GET.get("month"), today=timezone.localdate(), url=reverse("activities:activity_calendar"))
    activities = (Activity.objects.visible_to(request.user).select_related("partner")
                  .filter(date__range=(cal.first, cal.last)).order_by("date", "start_time", "pk"))
    by_date = defaultdict(list)
    for activity in activities:
        by_date[activity.date].append(activity)
    cells = cal.cells(by_date, "activities")
    context = {"cal": cal, "weeks": cells, "month_days": cal.days_with_events(cells, "activities")}
    return render_fragment(request, "activities/calendar.html", context, partial="calendar", target="calendar")


# --- Activity page -------------------------------------------------------------------------
def _counts(activity: Activity) -> dict:
    """Going by role, waitlisted, invited, declined: one query."""
    rows = activity.participants.values("answer", "role").annotate(n=Count("pk")).order_by()
    by_answer = defaultdict(int)
    going_by_role = dict.fromkeys(ParticipantRole.values, 0)
    for row in rows:
        by_answer[row["answer"]] += row["n"]
        if row["answer"] == Answer.GOING:
            going_by_role[row["role"]] += row["n"]
    labels = dict(ParticipantRole.choices)
    return {
        "going": by_answer[Answer.GOING], "waitlisted": by_answer[Answer.WAITLISTED],
        "invited": by_answer[Answer.INVITED], "declined": by_answer[Answer.DECLINED],
        "going_by_role": [(labels[role], n) for role, n in going_by_role.items()],
    }


def _helpers_context(activity: Activity, *, form: HelperForm | None = None) -> dict:
    helpers = list(activity.helpers.select_related("volunteer__user", "staff").order_by("status", "created_at", "pk"))
    return {"helpers": helpers, "helper_form": form or HelperForm(activity=activity),
            "offered": [h for h in helpers if h.status == HelperStatus.OFFERED]}


def _status_actions(activity: Activity) -> list[tuple[str, str]]:
    labels = {
        ActivityStatus.OPEN: _("Open sign-up") if activity.status == ActivityStatus.PLANNING else _("Reopen sign-up"),
        ActivityStatus.CLOSED: _("Close sign-up"),
        ActivityStatus.DONE: _("Mark as done"),
        ActivityStatus.PLANNING: _("Back to planning"),
    }
    return [(status, labels[status]) for status, sources in services.STATUS_STEPS.items()
            if activity.status in sources]


# The participants side (another module) names its pages; linked only where they exist.
PARTICIPANT_PAGES = (
    ("activities:activity_participants", gettext_lazy("Participants")),
    ("activities:activity_invite", gettext_lazy("Invite")),
    ("activities:activity_day_of", gettext_lazy("Day-of attendance")),
    ("activities:activity_print_participants", gettext_lazy("Print the list")),
    ("activities:activity_print_invitation", gettext_lazy("Print the invitation")),
    ("activities:activity_report", gettext_lazy("Report")),
)


def participant_links(activity: Activity) -> list[tuple[str, str]]:
    links = []
    for name, label in PARTICIPANT_PAGES:
        try:
            links.append((reverse(name, args=[activity.pk]), label))
        except NoReverseMatch:
            continue
    return links


@rules.role_required(*MANAGERS)
def activity_detail(request, pk: int):
    activity = managed_activity(request, pk)
    context = {"activity": activity, "counts": _counts(activity), "status_actions": _status_actions(activity),
               "participant_links": participant_links(activity), **_helpers_context(activity)}
    return render(request, "activities/detail.html", context)


# --- Create, edit, duplicate ---------------------------------------------------------------
def _form_page(request: HtmxHttpRequest, form, *, activity=None, source=None):
    return render_fragment(request, "activities/form.html", {
        "form": form, "activity": activity, "source": source, "action": request.get_full_path(),
        "discard_url": request.path,
    }, partial="form")


@rules.role_required(*MANAGERS)
def activity_create(request):
    form = ActivityForm(request.POST or None, user=request.user,
                        initial={"date": plausible.date_param(request.GET.get("date")), "capacity": 10, "lead": request.user.pk})
    if earlier := earlier_submission(request, form, url_name="activities:activity_detail", fallback="activities:activity_list"):
        return earlier
    if request.method == "POST" and form.is_valid():
        try:
            activity = create_once(user=request.user, token=form.create_token,
                                   create=lambda: services.activity_save(activity=form.save(commit=False),
                                                                         by=request.user))
        except AlreadySubmitted as done:
            return submitted_response(request, done.target, url_name="activities:activity_detail", fallback="activities:activity_list")
        messages.success(request, _("The activity was created."))
        return _redirect(request, activity)
    return _form_page(request, form)


@rules.role_required(*MANAGERS)
def activity_edit(request, pk: int):
    activity = managed_activity(request, pk)
    form = ActivityForm(request.POST or None, instance=activity, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_save(activity=form.save(commit=False), by=request.user, version=form.expected_version)
        except EditConflict as conflict:
            form.show_conflict(conflict)
        else:
            messages.success(request, _("The activity was saved."))
            return _redirect(request, activity)
    return _form_page(request, form, activity=activity)


@rules.role_required(*MANAGERS)
def activity_duplicate(request, pk: int):
    """A yearly repeat: the same fields, a year later, in planning; no participants or helpers."""
    source = managed_activity(request, pk)
    form = ActivityForm(request.POST or None, user=request.user, initial=services.duplicate_initial(source))
    if earlier := earlier_submission(request, form, url_name="activities:activity_detail", fallback="activities:activity_list"):
        return earlier
    if request.method == "POST" and form.is_valid():
        activity = form.save(commit=False)
        activity.status = ActivityStatus.PLANNING
        try:
            activity = create_once(user=request.user, token=form.create_token,
                                   create=lambda: services.activity_save(activity=activity, by=request.user))
        except AlreadySubmitted as done:
            return submitted_response(request, done.target, url_name="activities:activity_detail", fallback="activities:activity_list")
        messages.success(request, _("The copy was created. It is in planning until you open sign-up."))
        return _redirect(request, activity)
    return _form_page(request, form, source=source)


def _redirect(request: HtmxHttpRequest, activity):
    url = reverse("activities:activity_detail", args=[activity.pk])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


# --- Status and cancel ---------------------------------------------------------------------
@rules.role_required(*MANAGERS)
@require_POST
def activity_status(request, pk: int):
    activity = managed_activity(request, pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This status change is not possible."))
        return redirect("activities:activity_detail", activity.pk)
    try:
        services.activity_status_set(activity=activity, status=form.cleaned_data["status"], by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The status was changed."))
    return redirect("activities:activity_detail", activity.pk)


@rules.role_required(*MANAGERS)
def activity_cancel(request: HtmxHttpRequest, pk: int):
    activity = managed_activity(request, pk)
    if activity.is_cancelled:
        raise Http404
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_cancel(activity=activity, reason=form.cleaned_data["reason"], by=request.user)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _(  # the mail is queued: it may not have reached anyone yet
                "The activity was cancelled. Its helpers are sent an email; if the mail server cannot be reached, "
                "it is retried and shown to the staff on the outbox page."))
            return _redirect(request, activity)
    helper_count = activity.helpers.count()
    return render_fragment(request, "activities/cancel.html", {
        "activity": activity, "form": form, "helper_count": helper_count,
    }, partial="form")


