"""The place to be (居場所): check-ins, check-outs and the count of unregistered visitors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from classroom.exceptions import DomainError
from classroom.models import DropIn, DropInVisitorCount, Site, Student, StudentStatus


def _now_minute() -> dt.datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


def _open_visit(student: Student, day: dt.date) -> DropIn | None:
    return (
        DropIn.objects.filter(student=student, date=day, checked_out_at__isnull=True)
        .order_by("-checked_in_at", "-pk")
        .first()
    )


@transaction.atomic
def drop_in_check_in(*, student: Student, by, at: dt.datetime | None = None) -> DropIn:
    """Check a registered child in now, at the child's site.

    Idempotent: a child who is here (checked in today and not out) stays as they are and
    their open visit is returned. After checking out a child can come again: a new visit.
    """
    if student.status != StudentStatus.ACTIVE:
        raise DomainError(_("Only active students can be checked in."))
    now = timezone.localtime(at) if at else _now_minute()
    # Lock the child's row so that two taps at once cannot open two visits.
    Student.objects.select_for_update().filter(pk=student.pk).first()
    visit = _open_visit(student, now.date())
    if visit is not None:
        return visit
    return DropIn.objects.create(site=student.site, student=student, date=now.date(), checked_in_at=now.time())


@transaction.atomic
def drop_in_check_out(*, student: Student, by, at: dt.datetime | None = None) -> DropIn:
    """Check the child out of today's open visit.

    Idempotent: a child who has left already keeps their check-out time and their last
    visit is returned. A child who did not come today cannot be checked out.
    """
    now = timezone.localtime(at) if at else _now_minute()
    Student.objects.select_for_update().filter(pk=student.pk).first()
    visit = _open_visit(student, now.date())
    if visit is None:
        last = DropIn.objects.filter(student=student, date=now.date()).order_by("-checked_in_at", "-pk").first()
        if last is None:
            raise DomainError(_("This child has not checked in today."))
        return last
    visit.checked_out_at = max(now.time(), visit.checked_in_at)
    visit.save(update_fields=["checked_out_at"])
    return visit


@dataclass
class Presence:
    """A site's day on the board: who is here now, who came and left, and every visit (in order)."""

    here: list[DropIn]
    left: list[dict]
    visits: list[DropIn]

    @classmethod
    def on(cls, site: Site, day: dt.date) -> Presence:
        """Read in one query."""
        visits = list(
            DropIn.objects.filter(site=site, date=day).select_related("student").order_by("checked_in_at", "pk")
        )
        here = [v for v in visits if v.checked_out_at is None]
        here_ids = {v.student_id for v in here}
        left: dict[int, dict] = {}
        for visit in visits:
            if visit.checked_out_at is not None and visit.student_id not in here_ids:
                left.setdefault(visit.student_id, {"student": visit.student, "visits": []})["visits"].append(visit)
        return cls(here=here, left=list(left.values()), visits=visits)

    def of(self, student_id: int) -> list[DropIn]:
        return [v for v in self.visits if v.student_id == student_id]

    def as_context(self) -> dict:
        return {"here": self.here, "left": self.left, "visits": self.visits}


@dataclass
class DropInTap:
    """What one tap on the board leaves: the child, the day's presence after it, and the error
    shown in the child's row when the tap wrote nothing."""

    student: Student
    presence: Presence
    error: str = ""

    @property
    def visits(self) -> list[DropIn]:
        return self.presence.of(self.student.pk)


def drop_in_tap(*, student: Student, by, check_out: bool = False) -> DropInTap:
    """One tap on the board: check ``student`` in (or out), and answer the day's presence after it.

    A tap the rules refuse (``DomainError``) writes nothing and comes back with the message.
    """
    error = ""
    try:
        (drop_in_check_out if check_out else drop_in_check_in)(student=student, by=by)
    except DomainError as exc:
        error = str(exc)
    return DropInTap(student=student, presence=Presence.on(student.site, timezone.localdate()), error=error)


@transaction.atomic
def visitor_count_change(*, site: Site, delta: int, by, on: dt.date | None = None) -> int:
    """Add ``delta`` (+1 or -1) to the day's unregistered visitors; returns the new count.

    The row is created on first use. The update is done by the database (``F()``), so taps
    from two devices both count, and the count never goes below zero.
    """
    if delta not in (1, -1):
        raise DomainError(_("The visitor count changes by one at a time."))
    day = on or timezone.localdate()
    row, _created = DropInVisitorCount.objects.get_or_create(site=site, date=day)
    counts = DropInVisitorCount.objects.filter(pk=row.pk)
    if delta < 0:
        counts = counts.filter(count__gte=1)
    counts.update(count=F("count") + delta)
    return DropInVisitorCount.objects.values_list("count", flat=True).get(pk=row.pk)
