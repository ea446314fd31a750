"""What a volunteer may see: their own class days, and a child only while paired with them.

A volunteer is paired with a child from the moment the coordinator saves the plan (a
tutoring record of a class day with the volunteer as ``tutor``) until ``PAIRED_DAYS_AFTER``
days after that class day. Every volunteer view and the calendar feed ask this module;
anything outside it answers 404.

Access holds only while the volunteer may tutor today: active, a pledge on file and insurance
valid (``Volunteer.access_ended_on``). ``access_ended`` is registered in ``classroom.rules`` at
start-up, so every screen, feed and API endpoint that asks for the volunteer role asks it too, on
every request; the record querysets below also state the rule in their own query. A child who
is no longer active (paused or left) is on no volunteer's schedule.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from classroom import rules
from classroom.models import ClassDay, Student, StudentStatus, TutoringRecord
from volunteers.models import ACCESS_NO_PROFILE, SignUp, Volunteer

PAIRED_DAYS_AFTER = 7
SCHEDULE_WEEKS = 8


def access_ended(user) -> str:
    """Why the user, who holds the volunteer role, may not act as a volunteer today ("" while they may).

    Registered in ``classroom.rules.VOLUNTEER_ACCESS_CHECKS``: asked once per request.
    """
    volunteer = (Volunteer.objects.filter(user=user)
                 .only("is_active", "pledge_signed_on", "insurance_expires_on").first())
    if volunteer is None:
        return ACCESS_NO_PROFILE
    return volunteer.access_ended_on(timezone.localdate())


def volunteer_of(user) -> Volunteer | None:
    """The user's volunteer profile, if they hold the volunteer role and their access holds today."""
    if not rules.is_volunteer(user):
        return None
    return Volunteer.objects.filter(user=user).select_related("user").first()


def _may_tutor_on(today: dt.date) -> dict:
    """The access rule as query conditions on a tutoring record's tutor, for the record querysets."""
    return {"tutor__volunteer__is_active": True, "tutor__volunteer__pledge_signed_on__lte": today,
            "tutor__volunteer__insurance_expires_on__gte": today}


def paired_since(today: dt.date | None = None) -> dt.date:
    """The earliest class day whose pairs are still visible to their tutor."""
    return (today or timezone.localdate()) - dt.timedelta(days=PAIRED_DAYS_AFTER)


def is_paired_on(class_day_date: dt.date, today: dt.date | None = None) -> bool:
    return class_day_date >= paired_since(today)


def own_records(user, today: dt.date | None = None) -> QuerySet[TutoringRecord]:
    """Every tutoring record the user is the tutor of (their own writing, any date), while their access holds."""
    if not rules.is_volunteer(user):
        return TutoringRecord.objects.none()
    return TutoringRecord.objects.filter(tutor=user, **_may_tutor_on(today or timezone.localdate()))


def paired_records(user, today: dt.date | None = None) -> QuerySet[TutoringRecord]:
    """The user's pairs whose child they may still see: planned, or up to 7 days after the class day,
    and only while the child is active."""
    return own_records(user, today).filter(class_day__date__gte=paired_since(today),
                                           student__status=StudentStatus.ACTIVE)


def shows_child(record: TutoringRecord, today: dt.date | None = None) -> bool:
    """Whether the tutor of ``record`` may see its child now (the same rule as ``paired_records``)."""
    return is_paired_on(record.class_day.date, today) and record.student.status == StudentStatus.ACTIVE


def paired_students(user, today: dt.date | None = None) -> QuerySet[Student]:
    """The children the volunteer may see right now (only nickname, grade, subjects and handover)."""
    return Student.objects.filter(pk__in=paired_records(user, today).values("student_id"))


def with_previous_handover(records: QuerySet[TutoringRecord]) -> QuerySet[TutoringRecord]:
    """Annotate ``previous_handover``: the child's latest handover note before that class day (same query)."""
    earlier = (
        TutoringRecord.objects.filter(student=OuterRef("student"), class_day__date__lt=OuterRef("class_day__date"))
        .exclude(handover_note="")
        .order_by("-class_day__date", "-class_day__start_time")
    )
    return records.annotate(previous_handover=Subquery(earlier.values("handover_note")[:1]))


def site_class_days(volunteer: Volunteer) -> QuerySet[ClassDay]:
    """Class days of the volunteer's sites, annotated with their answer (``my_answer``, ``my_confirmed_at``).

    Past and cancelled ones are refused by the sign-up service, not hidden here.
    """
    mine = SignUp.objects.filter(volunteer=volunteer, class_day=OuterRef("pk"))
    return (
        ClassDay.objects.filter(site__in=volunteer.sites.all()).select_related("site")
        .annotate(my_answer=Subquery(mine.values("answer")[:1]),
                  my_confirmed_at=Subquery(mine.values("confirmed_at")[:1]))
        .order_by("date", "start_time", "pk")
    )


def schedule_class_days(volunteer: Volunteer, today: dt.date | None = None) -> QuerySet[ClassDay]:
    """The volunteer's class days from today for the next ``SCHEDULE_WEEKS`` weeks."""
    today = today or timezone.localdate()
    return site_class_days(volunteer).filter(date__gte=today, date__lt=today + dt.timedelta(weeks=SCHEDULE_WEEKS))


def record_window(record: TutoringRecord, today: dt.date | None = None) -> str:
    """Where today stands for writing the record: ``before``, ``open``, ``closed`` or ``cancelled``."""
    today = today or timezone.localdate()
    if record.class_day.is_cancelled:
        return "cancelled"
    if today < record.class_day.date:
        return "before"
    if today > record.class_day.date + dt.timedelta(days=PAIRED_DAYS_AFTER):
        return "closed"
    return "open"
