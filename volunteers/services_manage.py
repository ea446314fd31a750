"""Writes of the volunteer management screens: accounts and profiles, availability exceptions,
pairing preferences and volunteer attendance. Views and the API call these; each raises
``DomainError`` with a translated message when a rule refuses the write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from classroom import rules
from classroom.exceptions import DomainError
from classroom.models import ClassDay, Site, Student
from volunteers.models import (
    AvailabilityException,
    PairingPreference,
    SignUpAnswer,
    TeachingSubject,
    Volunteer,
    VolunteerAttendance,
)

User = get_user_model()


# --- Accounts and profiles ---------------------------------------------------------------
@transaction.atomic
def volunteer_save(
    *,
    volunteer: Volunteer,
    user: User,
    teaching: Iterable[tuple[str, str]],
    sites: Iterable[Site],
    keep_sites: Iterable[Site] = (),
    password: str | None = None,
) -> Volunteer:
    """Create or update a volunteer's account and profile together.

    A new user gets the volunteer role; ``password`` sets their first password, and ``None``
    or an empty string leaves the account without a usable password (nobody can sign in until
    one is set in the administration). ``teaching`` replaces the subjects and levels taught;
    the volunteer's sites become ``sites`` plus ``keep_sites`` (the sites the editor cannot
    see, which an edit must not take away).
    """
    creating = user.pk is None
    sites = list({s.pk: s for s in [*sites, *keep_sites]}.values())
    if not sites:
        raise DomainError(_("Choose at least one site."))
    if creating:
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
    user.save()
    if creating:
        user.groups.add(Group.objects.get_or_create(name=rules.VOLUNTEER)[0])
    volunteer.user = user
    volunteer.save()
    volunteer.sites.set(sites)
    wanted = set(teaching)
    volunteer.teaching.exclude(
        pk__in=[t.pk for t in volunteer.teaching.all() if (t.subject, t.level) in wanted]
    ).delete()
    existing = set(volunteer.teaching.values_list("subject", "level"))
    TeachingSubject.objects.bulk_create(
        [TeachingSubject(volunteer=volunteer, subject=s, level=lv) for s, lv in sorted(wanted - existing)]
    )
    return volunteer


def volunteer_set_active(*, volunteer: Volunteer, active: bool) -> Volunteer:
    """Deactivate (or reactivate) a volunteer: kept with their history, no longer offered for pairing."""
    if volunteer.is_active != active:
        volunteer.is_active = active
        volunteer.save(update_fields=["is_active"])
    return volunteer


# --- Availability exceptions ---------------------------------------------------------------
def availability_exception_set(*, volunteer: Volunteer, date: dt.date, available: bool, note: str = "") -> AvailabilityException:
    """Record that the usual pattern does not hold on ``date``: one row per date, the last answer wins."""
    exception, _created = AvailabilityException.objects.update_or_create(
        volunteer=volunteer, date=date, defaults={"available": available, "note": note}
    )
    return exception


def availability_exception_remove(*, volunteer: Volunteer, pk: int) -> None:
    """Idempotent: removing what is already gone changes nothing."""
    AvailabilityException.objects.filter(volunteer=volunteer, pk=pk).delete()


# --- Pairing preferences -----------------------------------------------------------------------
def pairing_preference_set(
    *, volunteer: Volunteer, student: Student, kind: str, note: str = "", by: User
) -> PairingPreference:
    """Keep a child's preferred tutor or a pair not to match; one per child and volunteer, the last wins."""
    if kind not in PairingPreference.Kind.values:
        raise DomainError(_("Choose the kind of preference."))
    if not volunteer.sites.filter(pk=student.site_id).exists():
        raise DomainError(_("This child does not belong to any of the volunteer's sites."))
    preference, _created = PairingPreference.objects.update_or_create(
        volunteer=volunteer, student=student,
        defaults={"kind": kind, "note": note, "created_by": by, "created_at": timezone.now()},
    )
    return preference


def pairing_preference_remove(*, volunteer: Volunteer, pk: int) -> None:
    PairingPreference.objects.filter(volunteer=volunteer, pk=pk).delete()


# --- Volunteer attendance ------------------------------------------------------------------
def _check_attendance_writable(class_day: ClassDay) -> None:
    if class_day.is_cancelled:
        raise DomainError(_("This class day was cancelled: attendance cannot be recorded."))
    if class_day.date > timezone.localdate():
        raise DomainError(_("Volunteer attendance can be recorded from the day itself."))


def _check_volunteer_of_day(class_day: ClassDay, volunteer: Volunteer) -> None:
    belongs = volunteer.sites.filter(pk=class_day.site_id).exists()
    if not belongs and not volunteer.sign_ups.filter(class_day=class_day, answer=SignUpAnswer.CAN_COME).exists():
        raise DomainError(_("This volunteer neither belongs to the site nor signed up for this class day."))


def volunteer_attendance_set(
    *,
    class_day: ClassDay,
    volunteer: Volunteer,
    by: User,
    arrived_at: dt.time | None = None,
    left_at: dt.time | None = None,
) -> VolunteerAttendance:
    """Record that ``volunteer`` came on ``class_day``: one atomic upsert, so a retry changes nothing.

    Without times, a first tap records the class day's start and end, and a repeated tap keeps
    the times already stored; with times, they overwrite the stored ones. Raises ``DomainError``
    on a cancelled or future class day, for times that do not end after they start, and for a
    volunteer who neither belongs to the site nor signed up.
    """
    _check_attendance_writable(class_day)
    _check_volunteer_of_day(class_day, volunteer)
    given = arrived_at is not None or left_at is not None
    arrived_at = arrived_at or class_day.start_time
    left_at = left_at or class_day.end_time
    if left_at <= arrived_at:
        raise DomainError(_("The leaving time must be after the arrival time."))
    row = VolunteerAttendance(class_day=class_day, volunteer=volunteer, arrived_at=arrived_at, left_at=left_at,
                              recorded_by=by, recorded_at=timezone.now())
    if given:
        VolunteerAttendance.objects.bulk_create(
            [row], update_conflicts=True, unique_fields=["volunteer", "class_day"],
            update_fields=["arrived_at", "left_at", "recorded_by", "recorded_at"],
        )
    else:
        VolunteerAttendance.objects.bulk_create([row], ignore_conflicts=True)
    return VolunteerAttendance.objects.get(class_day=class_day, volunteer=volunteer)


def volunteer_attendance_clear(*, class_day: ClassDay, volunteer: Volunteer, by: User) -> None:
    """"Did not come": remove the attendance row. Idempotent."""
    _check_attendance_writable(class_day)
    VolunteerAttendance.objects.filter(class_day=class_day, volunteer=volunteer).delete()
