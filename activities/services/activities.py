"""Writes for planning experience activities: duplicate, status, cancel, helpers.

The participants side (inviting, answers, waitlist, attendance, report) lives in
``activities/services/participants.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser as User
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from activities.models import Activity, ActivityStatus, Answer, Helper, HelperStatus, Partner
from classroom import rules
from classroom.exceptions import DomainError
from classroom.models import MessageKind
from classroom.services.edit_guards import save_versioned
from classroom.services.outbox import message_enqueue
from lib.localtime import long_date
from volunteers.models import Volunteer


# --- Partners and activities from their forms ------------------------------------------------------
@transaction.atomic
def partner_save(*, partner: Partner, version: int | None = None) -> Partner:
    """Create a partner, or save an edit made from ``version`` (else ``EditConflict``: nothing is saved)."""
    return save_versioned(partner, expected=version)


@transaction.atomic
def activity_save(*, activity: Activity, by: User, version: int | None = None) -> Activity:
    """Create an activity, or save an edit made from ``version`` (else ``EditConflict``: nothing is saved).

    Only the staff may set or change the lead (``DomainError`` otherwise): the lead reads the
    guardians' phones and allergy notes, so a coordinator cannot make themself (or anyone) the lead.
    """
    stored_lead = (Activity.objects.filter(pk=activity.pk).values_list("lead_id", flat=True).first()
                   if activity.pk else None)
    if activity.lead_id != stored_lead and not rules.can_choose_activity_lead(by):
        raise DomainError(_("Only the staff can choose the lead of an activity: the lead sees guardians' phones "
                            "and allergy notes."))
    return save_versioned(activity, expected=version)


# The fields a yearly repeat copies; people (participants, helpers) and the outcome do not carry over.
COPIED_FIELDS = (
    "title", "kind", "partner", "site", "start_time", "end_time", "place", "meeting_point", "capacity", "fee",
    "what_to_bring", "description", "target_grades", "lead", "consent_required", "food_involved", "photo_policy",
)
# Which status each planning step may come from.
STATUS_STEPS = {
    ActivityStatus.OPEN: {ActivityStatus.PLANNING, ActivityStatus.CLOSED},
    ActivityStatus.CLOSED: {ActivityStatus.OPEN},
    ActivityStatus.DONE: {ActivityStatus.OPEN, ActivityStatus.CLOSED},
    ActivityStatus.PLANNING: {ActivityStatus.OPEN},
}


# --- Reading -------------------------------------------------------------------------------
def with_counts(queryset: QuerySet) -> QuerySet:
    """Going and waitlisted counts in the same query (no query per row)."""
    return queryset.annotate(
        going_count=Count("participants", filter=Q(participants__answer=Answer.GOING), distinct=True),
        waitlist_count=Count("participants", filter=Q(participants__answer=Answer.WAITLISTED), distinct=True),
    )


def one_year_later(day: dt.date) -> dt.date:
    """The same day next year; February 29 becomes February 28."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def duplicate_initial(activity: Activity) -> dict:
    """The create form's initial values for a yearly repeat of ``activity``."""
    initial = {name: getattr(activity, name) for name in COPIED_FIELDS}
    initial["partner"] = activity.partner_id
    initial["site"] = activity.site_id
    initial["lead"] = activity.lead_id
    initial["target_grades"] = activity.target_grade_list
    initial["date"] = one_year_later(activity.date)
    return initial


def volunteer_activities(user: User, *, today: dt.date | None = None) -> QuerySet:
    """The activities a volunteer helps at (offered or confirmed), from today on, for their schedule."""
    today = today or timezone.localdate()
    return (Activity.objects.filter(helpers__volunteer__user=user, date__gte=today)
            .select_related("partner").order_by("date", "start_time", "pk").distinct())


def offerable_activities(volunteer: Volunteer, *, today: dt.date | None = None) -> QuerySet:
    """Open upcoming activities of the volunteer's sites (or of no site), for offering to help."""
    today = today or timezone.localdate()
    return (Activity.objects.filter(status=ActivityStatus.OPEN, date__gte=today)
            .filter(Q(site__isnull=True) | rules.at_volunteer_sites(volunteer))
            .order_by("date", "start_time", "pk"))


def assignable_volunteers(activity: Activity) -> QuerySet:
    """Active volunteers, of the activity's site when it has one."""
    volunteers = Volunteer.objects.active().select_related("user")
    if activity.site_id:
        volunteers = volunteers.filter(sites=activity.site_id)
    return volunteers.order_by("user__last_name", "user__first_name", "pk")


def assignable_staff(activity: Activity) -> QuerySet:
    users = rules.role_holders(*rules.MANAGERS, sites=activity.site_id or None)
    return users.order_by("last_name", "first_name", "pk").distinct()


# --- Status --------------------------------------------------------------------------------
def _check_not_cancelled(activity: Activity) -> None:
    if activity.is_cancelled:
        raise DomainError(_("This activity is cancelled."))


@transaction.atomic
def activity_status_set(*, activity: Activity, status: str, by: User) -> Activity:
    """Open sign-up, close it, mark done, or back to planning. Idempotent: the same status changes nothing."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.status == status:
        return activity
    _check_not_cancelled(activity)
    allowed = STATUS_STEPS.get(status)
    if allowed is None or activity.status not in allowed:
        raise DomainError(_("This status change is not possible."))
    activity.status = status
    activity.save(update_fields=["status", "updated_at"])
    return activity


def _helper_emails(activity: Activity) -> list[str]:
    """The email address of every helper (volunteer or staff) who has one."""
    emails = []
    for helper in activity.helpers.select_related("volunteer__user", "staff").order_by("pk"):
        user = helper.volunteer.user if helper.volunteer_id else helper.staff
        if user and user.email and user.email not in emails:
            emails.append(user.email)
    return emails


@transaction.atomic
def activity_cancel(*, activity: Activity, reason: str, by: User) -> Activity:
    """Cancel with a reason and email every helper (no child data in the mail). Cancelling twice changes nothing."""
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Enter why the activity is called off."))
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.is_cancelled:
        return activity
    if activity.status == ActivityStatus.DONE:
        raise DomainError(_("A finished activity cannot be cancelled."))
    activity.status = ActivityStatus.CANCELLED
    activity.cancel_reason = reason
    activity.save(update_fields=["status", "cancel_reason", "updated_at"])
    _queue_cancel_mail(activity, _helper_emails(activity))
    return activity


def _queue_cancel_mail(activity: Activity, recipients: Iterable[str]) -> None:
    """One mail per helper (no helper sees another's address): title, date, place and reason only.

    Queued in the cancelling transaction and sent after it: a mail server that is down never
    turns the saved cancellation into an error page (the outbox retries it).
    """
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Cancelled: %(title)s (%(date)s)") % {"title": activity.title, "date": long_date(activity.date)}
        body = render_to_string("activities/email/cancelled.txt", {"activity": activity})
    for email in recipients:
        message_enqueue(to=[email], subject=subject, body=body, kind=MessageKind.ACTIVITY_CANCELLED,
                        site=activity.site_id)


# --- Helpers -------------------------------------------------------------------------------
@transaction.atomic
def helper_add(*, activity: Activity, by: User, volunteer: Volunteer | None = None, staff: User | None = None,
               role: str = "") -> Helper:
    """Assign a volunteer or a staff member (confirmed). Adding someone already offering confirms them."""
    _check_not_cancelled(activity)
    if (volunteer is None) == (staff is None):
        raise DomainError(_("Choose a volunteer or a staff member."))
    if volunteer is not None and not assignable_volunteers(activity).filter(pk=volunteer.pk).exists():
        raise DomainError(_("This volunteer cannot help at this activity."))
    lookup = {"volunteer": volunteer} if volunteer is not None else {"staff": staff}
    helper, created = Helper.objects.get_or_create(
        activity=activity, **lookup, defaults={"role": role.strip(), "status": HelperStatus.CONFIRMED})
    if not created:
        helper.status = HelperStatus.CONFIRMED
        if role.strip():
            helper.role = role.strip()
        helper.save(update_fields=["status", "role"])
    return helper


def helper_confirm(*, helper: Helper, by: User) -> Helper:
    """Confirm a volunteer's offer. Idempotent."""
    if helper.status != HelperStatus.CONFIRMED:
        helper.status = HelperStatus.CONFIRMED
        helper.save(update_fields=["status"])
    return helper


def helper_remove(*, helper: Helper, by: User) -> None:
    helper.delete()


def help_offer(*, activity: Activity, volunteer: Volunteer) -> Helper:
    """A volunteer offers to help an open upcoming activity. Offering twice changes nothing."""
    if not offerable_activities(volunteer).filter(pk=activity.pk).exists() or not volunteer.is_active:
        raise DomainError(_("This activity is not open for offers of help."))
    try:
        with transaction.atomic():
            helper, _created = Helper.objects.get_or_create(
                activity=activity, volunteer=volunteer, defaults={"status": HelperStatus.OFFERED})
    except IntegrityError:  # a double tap raced itself
        helper = Helper.objects.get(activity=activity, volunteer=volunteer)
    return helper


def help_withdraw(*, activity: Activity, volunteer: Volunteer) -> None:
    """Withdraw an offer not yet confirmed; a confirmed helper asks the staff instead."""
    helper = Helper.objects.filter(activity=activity, volunteer=volunteer).first()
    if helper is None:
        return
    if helper.status == HelperStatus.CONFIRMED:
        raise DomainError(_("You are confirmed as a helper: please tell the staff if you cannot come."))
    helper.delete()


def helper_visible_participants(activities) -> QuerySet:
    """Participants of ``activities`` with only what a volunteer helper may see loaded."""
    from activities.models import Participant

    return (Participant.objects.filter(activity__in=[a.pk for a in activities])
            .select_related("student").only("pk", "activity_id", "role", "answer", "answered_at", "student_id",
                                            "student__nickname"))
