"""Writes of the volunteer management screens: accounts and profiles, availability exceptions,
pairing preferences and volunteer attendance. Views and the API call these; each raises
``DomainError`` with a translated message when a rule refuses the write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from classroom import extensions, rules
from classroom.exceptions import DomainError
from classroom.models import ClassDay, Site, Student, TutoringRecord
from classroom.services.coordinator_notices import coordinators_notify
from classroom.services.edit_guards import version_claim, version_touch
from lib.names import person_name
from volunteers import hours
from volunteers.models import (
    AvailabilityException,
    PairingPreference,
    SignUp,
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
    version: int | None = None,
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
    if volunteer.pk is not None:
        version_claim(volunteer, expected=version)  # the account is part of the record: one version for both
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
    if not creating:
        # Deactivated, or a pledge or insurance date that no longer covers some coming days.
        volunteer_release_future(volunteer=volunteer)
    return volunteer


@transaction.atomic
def volunteer_set_active(*, volunteer: Volunteer, active: bool) -> Released:
    """Deactivate (or reactivate) a volunteer: kept with their history, no longer offered for pairing.

    Deactivating removes their future pairs and sign-ups and tells the coordinators
    (``volunteer_release_future``); what they did before stays. Returns what was removed.
    """
    if volunteer.is_active != active:
        volunteer.is_active = active
        version_touch(volunteer)  # an edit form opened before this notices the change
        volunteer.save(update_fields=["is_active", "version"])
    return volunteer_release_future(volunteer=volunteer)


@dataclass
class Released:
    """What ``volunteer_release_future`` removed."""

    pairs: int = 0
    sign_ups: int = 0
    elsewhere: int = 0  # sign-ups of other apps (help at activities)

    @property
    def total(self) -> int:
        return self.pairs + self.sign_ups + self.elsewhere


@transaction.atomic
def volunteer_release_future(*, volunteer: Volunteer, today: dt.date | None = None) -> Released:
    """Remove the volunteer's pairs and sign-ups on the days from today on that they may not tutor.

    A day they may not tutor is any day once deactivated, else a day before their pledge or after
    their insurance (``Volunteer.access_ended_on``). A pair is a tutoring record nobody wrote yet:
    a written record, and everything before today, is never touched. The coordinators of each site
    concerned are told which class days to plan again (queued mail). Idempotent.
    """
    today = today or timezone.localdate()
    pairs = [r for r in TutoringRecord.objects.filter(tutor_id=volunteer.user_id, written_at__isnull=True,
                                                      class_day__date__gte=today).select_related("class_day__site")
             if not volunteer.is_eligible_on(r.class_day.date)]
    sign_ups = [s for s in SignUp.objects.filter(volunteer=volunteer, class_day__date__gte=today)
                .select_related("class_day__site") if not volunteer.is_eligible_on(s.class_day.date)]
    released = Released(pairs=len(pairs), sign_ups=len(sign_ups))
    TutoringRecord.objects.filter(pk__in=[r.pk for r in pairs]).delete()
    SignUp.objects.filter(pk__in=[s.pk for s in sign_ups]).delete()
    # Other apps release what the volunteer signed up for there (``extensions.VOLUNTEER_RELEASES``).
    released.elsewhere = sum(release(volunteer=volunteer, today=today)
                             for release in extensions.entries(extensions.VOLUNTEER_RELEASES))

    # Only what the plan counted on is news to the coordinators: pairs and "I can come" answers.
    by_site: dict[int, set[ClassDay]] = {}
    for day in [r.class_day for r in pairs] + [s.class_day for s in sign_ups if s.answer == SignUpAnswer.CAN_COME]:
        by_site.setdefault(day.site_id, set()).add(day)
    name = person_name(volunteer.user)
    for site_id, days in sorted(by_site.items()):
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("[Yorisoi] %(name)s can no longer tutor: class days to plan again") % {"name": name}
        coordinators_notify(site_id=site_id, subject=subject, template="volunteers/email/released.txt", context={
            "volunteer_name": name,
            "class_days": sorted(days, key=lambda d: (d.date, d.start_time, d.pk)),
            "pairs": sum(1 for r in pairs if r.class_day.site_id == site_id),
        })
    return released


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
    if not rules.works_at(volunteer, student.site_id):
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
    """The rule of ``rules.access(..., what=VOLUNTEER_ATTENDANCE)``, in the words of this screen."""
    closed = rules.class_day_closed(class_day, from_the_day=True)
    if closed == rules.DAY_CANCELLED:
        raise DomainError(_("This class day was cancelled: attendance cannot be recorded."))
    if closed == rules.DAY_NOT_YET:
        raise DomainError(_("Volunteer attendance can be recorded from the day itself."))


def _check_volunteer_of_day(class_day: ClassDay, volunteer: Volunteer) -> None:
    belongs = rules.works_at(volunteer, class_day.site_id)
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


def with_day_attendance(volunteers: QuerySet[Volunteer], class_day: ClassDay) -> QuerySet[Volunteer]:
    """Volunteers with their sign-up and attendance of ``class_day``, in the same query: ``signed_up``,
    ``confirmed``, ``arrived_at``, ``left_at`` and ``minutes`` (None for one who did not come)."""
    sign_up = SignUp.objects.filter(class_day=class_day, volunteer=OuterRef("pk"))
    came = VolunteerAttendance.objects.filter(class_day=class_day, volunteer=OuterRef("pk"))
    return volunteers.select_related("user").annotate(
        signed_up=Exists(sign_up.filter(answer=SignUpAnswer.CAN_COME)),
        confirmed=Exists(sign_up.filter(answer=SignUpAnswer.CAN_COME, confirmed_at__isnull=False)),
        arrived_at=Subquery(came.values("arrived_at")),
        left_at=Subquery(came.values("left_at")),
        minutes=Subquery(hours.with_minutes(came).values("minutes")),
    )


@dataclass
class VolunteerAttendanceTap:
    """What one tap on a volunteer's row leaves: the volunteer annotated as ``with_day_attendance``
    (after the write), and the error shown in the row when nothing was written."""

    volunteer: Volunteer
    error: str = ""


def volunteer_attendance_tap(
    *,
    class_day: ClassDay,
    volunteer_id: int,
    by: User,
    came: bool = True,
    arrived_at: dt.time | None = None,
    left_at: dt.time | None = None,
    refused: str = "",
) -> VolunteerAttendanceTap:
    """One tap on the day's volunteer attendance: "came" (``volunteer_attendance_set``) or "did not
    come" (``volunteer_attendance_clear``), and the row's state after it.

    The volunteer is read once, with the day's state; the write changes only the times, which it
    returns. A write the rules refuse (``DomainError``), or a tap the form already ``refused``
    (its message), writes nothing and comes back with the error and the stored state. Raises
    ``Volunteer.DoesNotExist`` for a volunteer neither of the day's site nor signed up for it.
    """
    of_day = Volunteer.objects.filter(
        Q(sites=class_day.site_id) | Q(sign_ups__class_day=class_day, sign_ups__answer=SignUpAnswer.CAN_COME)
    ).distinct()
    volunteer = with_day_attendance(of_day, class_day).get(pk=volunteer_id)
    error = refused
    if not refused:
        try:
            if came:
                row = volunteer_attendance_set(class_day=class_day, volunteer=volunteer, by=by,
                                               arrived_at=arrived_at, left_at=left_at)
                volunteer.arrived_at, volunteer.left_at = row.arrived_at, row.left_at
                volunteer.minutes = hours.minutes_between(row.arrived_at, row.left_at)
            else:
                volunteer_attendance_clear(class_day=class_day, volunteer=volunteer, by=by)
                volunteer.arrived_at = volunteer.left_at = volunteer.minutes = None
        except DomainError as exc:
            error = str(exc)
    return VolunteerAttendanceTap(volunteer=volunteer, error=error)
