"""Helpers: staff assign volunteers and staff; volunteers offer to help and see where they help."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activities.forms.activities import HelperForm
from activities.models import Activity, Answer, Helper, HelperStatus, ParticipantRole
from activities.services import activities as services
from activities.views.activities import MANAGERS, _helpers_context, managed_activity, participant_links
from classroom import rules
from classroom.exceptions import DomainError
from lib.htmx import HtmxHttpRequest
from lib.names import person_name
from volunteers.models import Volunteer

DETAIL = "activities/detail.html"


def _helper_name(helper: Helper) -> str:
    return person_name(helper.volunteer.user if helper.volunteer_id else helper.staff)


def _helpers_response(request: HtmxHttpRequest, activity: Activity, *, form: HelperForm | None = None,
                      announce: str = ""):
    """The helpers' section; ``announce`` (what was saved) is read once by the live region (swap-focus.js)."""
    if request.htmx:
        return render(request, DETAIL + "#helpers", {"activity": activity, "announce": announce,
                                                     **_helpers_context(activity, form=form)})
    return redirect("activities:activity_detail", activity.pk)


# --- Staff and coordinators ------------------------------------------------------------------
@rules.role_required(*MANAGERS)
@require_POST
def helper_add(request: HtmxHttpRequest, pk: int):
    activity = managed_activity(request, pk)
    form = HelperForm(request.POST, activity=activity)
    announce = ""
    if form.is_valid():
        try:
            helper = services.helper_add(activity=activity, by=request.user, volunteer=form.cleaned_data["volunteer"],
                                         staff=form.cleaned_data["staff"], role=form.cleaned_data["role"])
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            form = None
            announce = _("Saved: %(name)s added as a helper") % {"name": _helper_name(helper)}
    if form is not None and not request.htmx:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return _helpers_response(request, activity, form=form, announce=announce)


@rules.role_required(*MANAGERS)
@require_POST
def helper_confirm(request, pk: int, helper_pk: int):
    activity = managed_activity(request, pk)
    helper = get_object_or_404(activity.helpers, pk=helper_pk)
    services.helper_confirm(helper=helper, by=request.user)
    return _helpers_response(request, activity,
                             announce=_("Saved: %(name)s confirmed as a helper") % {"name": _helper_name(helper)})


@rules.role_required(*MANAGERS)
@require_POST
def helper_remove(request, pk: int, helper_pk: int):
    activity = managed_activity(request, pk)
    helper = get_object_or_404(activity.helpers, pk=helper_pk)
    name = _helper_name(helper)
    services.helper_remove(helper=helper, by=request.user)
    return _helpers_response(request, activity, announce=_("Removed: %(name)s") % {"name": name})


# --- Volunteers ----------------------------------------------------------------------------
def _volunteer(request) -> Volunteer:
    rules.require_role(request, rules.VOLUNTEER)
    return get_object_or_404(Volunteer.objects.active(), user=request.user)


def _offer_rows(volunteer: Volunteer, activities) -> list[dict]:
    statuses = dict(Helper.objects.filter(volunteer=volunteer, activity__in=[a.pk for a in activities])
                    .values_list("activity_id", "status"))
    return [{"activity": a, "status": statuses.get(a.pk)} for a in activities]


@rules.role_required(rules.VOLUNTEER)
def activity_offer_help(request):
    """Open upcoming activities with date, place and description only: never participants."""
    volunteer = _volunteer(request)
    activities = list(services.offerable_activities(volunteer))
    return render(request, "activities/volunteer/offer.html", {"rows": _offer_rows(volunteer, activities)})


@rules.role_required(rules.VOLUNTEER)
@require_POST
def help_offer(request, pk: int):
    return _offer_toggle(request, pk, offer=True)


@rules.role_required(rules.VOLUNTEER)
@require_POST
def help_withdraw(request, pk: int):
    return _offer_toggle(request, pk, offer=False)


def _offer_toggle(request: HtmxHttpRequest, pk: int, *, offer: bool):
    volunteer = _volunteer(request)
    activity = get_object_or_404(services.offerable_activities(volunteer), pk=pk)
    error = ""
    try:
        if offer:
            services.help_offer(activity=activity, volunteer=volunteer)
        else:
            services.help_withdraw(activity=activity, volunteer=volunteer)
    except DomainError as exc:
        error = str(exc)
    if request.htmx:
        row = _offer_rows(volunteer, [activity])[0]
        return render(request, "activities/volunteer/offer.html#offer", {"row": row, "error": error, "saved": True})
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Thank you for offering to help. The staff will confirm.") if offer
                         else _("Your offer was withdrawn."))
    return redirect("activities:activity_offer_help")


@rules.role_required(rules.VOLUNTEER)
def my_activities(request):
    """The activities the volunteer helps at: nicknames and roles of those going, never contacts or allergies."""
    today = timezone.localdate()
    activities = list(services.volunteer_activities(request.user, today=today).select_related("lead"))
    helps = dict(Helper.objects.filter(volunteer__user=request.user, activity__in=[a.pk for a in activities])
                 .values_list("activity_id", "status"))
    nicknames: dict[int, list[str]] = {a.pk: [] for a in activities}
    others: dict[int, Counter] = {a.pk: Counter() for a in activities}
    # Only what is shown is read from the database: no phone, allergy or consent column.
    for participant in (services.helper_visible_participants(activities)
                        .filter(answer=Answer.GOING).order_by("answered_at", "pk")):
        if participant.role == ParticipantRole.STUDENT and participant.student_id and participant.student.nickname:
            nicknames[participant.activity_id].append(participant.student.nickname)
        else:
            others[participant.activity_id][participant.role] += 1
    labels = dict(ParticipantRole.choices)
    people = {pk: {"nicknames": nicknames[pk], "total": len(nicknames[pk]) + sum(others[pk].values()),
                   "others": [(labels[role], others[pk][role]) for role in ParticipantRole.values if others[pk][role]]}
              for pk in nicknames}
    rows = [{"activity": a, "status": helps.get(a.pk), "people": people[a.pk],
             "is_lead": a.lead_id == request.user.pk, "confirmed": helps.get(a.pk) == HelperStatus.CONFIRMED,
             "lead_links": participant_links(a) if a.lead_id == request.user.pk else []}
            for a in activities]
    return render(request, "activities/volunteer/mine.html", {"rows": rows})
