"""Attendance on a class day: one-tap writes, "mark all present", closing the day, and the roster's reads.

Every write carries the target state, so a retried or doubled request changes nothing, and
each is a single upsert, so two staff tapping the same row at once never see an error: the
later write wins.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.contrib.auth.base_user import AbstractBaseUser as User
from django.db import transaction
from django.db.models import (
    Exists,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from classroom import extensions, rules
from classroom.exceptions import DomainError
from classroom.models import (
    Attendance,
    AttendanceStatus,
    ClassDay,
    ClassDayStatus,
    Student,
    StudentStatus,
    TutoringRecord,
)
from classroom.models.attendance import ATTENDED, UNMARKED

# Columns a tap overwrites; ``note`` joins them only when the caller passes a note.
_TAP_FIELDS = ["status", "arrived_at", "left_at", "recorded_by", "recorded_at"]


def _now_minute() -> dt.time:
    return timezone.localtime().time().replace(second=0, microsecond=0)


def _check_writable(class_day: ClassDay, status: str | None) -> None:
    """Before the day, only an absence told in advance is written (``rules.class_day_closed``)."""
    closed = rules.class_day_closed(class_day, from_the_day=status != AttendanceStatus.ABSENT_NOTICE)
    if closed == rules.DAY_CANCELLED:
        raise DomainError(_("This class day was cancelled: attendance cannot be recorded."))
    if closed == rules.DAY_NOT_YET:
        raise DomainError(_("Before the day, only an absence told in advance (absent with notice) can be recorded."))


def _check_student(class_day: ClassDay, student: Student) -> None:
    if student.site_id != class_day.site_id:
        raise DomainError(_("This child does not belong to the class day's site."))


def attendance_set(
    *,
    class_day: ClassDay,
    student: Student,
    status: str,
    by: User,
    arrived_at: dt.time | None = None,
    left_at: dt.time | None = None,
    note: str | None = None,
) -> Attendance:
    """Record ``student``'s attendance on ``class_day`` as ``status``: one atomic upsert.

    The row is created or overwritten in a single ``INSERT ... ON CONFLICT DO UPDATE``, so a
    retry or a double tap leaves the same single row, and of two staff writing at once the
    later wins without an error. Late fills ``arrived_at`` and left early fills ``left_at``
    with the current local time unless given (callers that keep a time pass it back); the
    time that does not fit the status is cleared. ``note=None`` keeps the stored note.

    Raises ``DomainError`` on a cancelled class day, for anything but "absent with notice"
    on a future class day, and for a student of another site.
    """
    if status not in AttendanceStatus.values:
        raise DomainError(_("Choose an attendance status."))
    _check_writable(class_day, status)
    _check_student(class_day, student)
    arrived_at = (arrived_at or _now_minute()) if status == AttendanceStatus.LATE else None
    left_at = (left_at or _now_minute()) if status == AttendanceStatus.LEFT_EARLY else None
    row = Attendance(
        class_day=class_day, student=student, status=status, arrived_at=arrived_at, left_at=left_at,
        note=note or "", recorded_by=by, recorded_at=timezone.now(),
    )
    update_fields = _TAP_FIELDS + (["note"] if note is not None else [])
    (saved,) = Attendance.objects.bulk_create(
        [row], update_conflicts=True, unique_fields=["class_day", "student"], update_fields=update_fields
    )
    if saved.pk is None:  # a backend that cannot return ids from an upsert
        saved = Attendance.objects.get(class_day=class_day, student=student)
    elif note is None:
        saved.refresh_from_db(fields=["note"])
    return saved


def attendance_clear(*, class_day: ClassDay, student: Student, by: User) -> None:
    """Take ``student`` back to unmarked on ``class_day`` (the undo of a first tap). Idempotent."""
    _check_writable(class_day, AttendanceStatus.ABSENT_NOTICE)
    _check_student(class_day, student)
    Attendance.objects.filter(class_day=class_day, student=student).delete()


def unmarked_expected_students(class_day: ClassDay) -> QuerySet[Student]:
    """The children expected on the day who have no attendance yet: "close" marks them absent."""
    return Student.objects.expected_on(class_day).exclude(attendances__class_day=class_day)


def _insert_unmarked(class_day: ClassDay, status: str, by: User, at: dt.datetime | None = None) -> list[Student]:
    """Insert ``status`` for every unmarked expected child, all stamped ``recorded_by=by, recorded_at=at``.

    Returns the children whose row this insert made (the stamp is what an undo finds them by).
    """
    students = list(unmarked_expected_students(class_day).in_kana_order())
    now = at or timezone.now()
    # ignore_conflicts: a child marked by someone else meanwhile is no longer unmarked, so
    # their status stands.
    Attendance.objects.bulk_create(
        [Attendance(class_day=class_day, student=s, status=status, recorded_by=by, recorded_at=now) for s in students],
        ignore_conflicts=True,
    )
    made = set(_made_by(class_day, status, by, now).values_list("student_id", flat=True))
    return [s for s in students if s.pk in made]


def _made_by(class_day: ClassDay, status: str, by: User, at: dt.datetime) -> QuerySet[Attendance]:
    """The rows one bulk write made on ``class_day`` and nobody has changed since (same status and stamp)."""
    return Attendance.objects.filter(class_day=class_day, status=status, recorded_by=by, recorded_at=at)


def _check_day_has_come(class_day: ClassDay) -> None:
    closed = rules.class_day_closed(class_day, from_the_day=True)
    if closed == rules.DAY_CANCELLED:
        raise DomainError(_("This class day was cancelled: attendance cannot be recorded."))
    if closed == rules.DAY_NOT_YET:
        raise DomainError(_("This class day has not come yet."))


@transaction.atomic
def roster_mark_all_present(*, class_day: ClassDay, by: User, at: dt.datetime | None = None) -> list[Student]:
    """Mark every unmarked child expected on ``class_day`` present, in one bulk insert.

    Children already marked keep their status. Returns the children marked. Every row made is
    stamped ``recorded_at=at`` (now unless given): ``roster_mark_all_undo`` with that stamp
    takes the whole action back.
    """
    return _mark_all_present(class_day, by, at)


def _mark_all_present(class_day: ClassDay, by: User, at: dt.datetime | None) -> list[Student]:
    _check_day_has_come(class_day)
    return _insert_unmarked(class_day, AttendanceStatus.PRESENT, by, at)


@transaction.atomic
def roster_save(*, class_day: ClassDay, students: list[Student], targets: Mapping[int, str | None],
                by: User) -> tuple[int, dict[int, str]]:
    """The whole roster at once (the page without JavaScript): each child's target status.

    ``students`` come annotated by ``with_stored_attendance``; a target of ``None`` or the stored
    status leaves the child alone, ``UNMARKED`` clears, and a set keeps the stored note. A
    child the rules refuse keeps their status and gets the message. Returns how many children
    changed, and the messages by student id.
    """
    errors: dict[int, str] = {}
    changed = 0
    for student in students:
        target = targets.get(student.pk)
        if target is None or target == (student.stored_status or UNMARKED):
            continue
        try:
            if target == UNMARKED:
                attendance_clear(class_day=class_day, student=student, by=by)
            else:
                attendance_set(class_day=class_day, student=student, status=target, by=by,
                               note=student.stored_note or "")
            changed += 1
        except DomainError as error:
            errors[student.pk] = str(error)
    return changed, errors


def _warned(class_day: ClassDay, student_ids) -> dict[int, Student]:
    """The children among ``student_ids`` with a warning that marking them present may clear
    (``extensions.ROSTER_WARNINGS``: casework's early warnings that attendance decides)."""
    student_ids = list(student_ids)
    warned: dict[int, Student] = {}
    for check in extensions.entries(extensions.ROSTER_WARNINGS):
        warned.update(check(class_day, student_ids))
    return warned


@dataclass
class MarkAllResult:
    """What one "mark all present" did: the children marked, and those whose early warning it cleared."""

    marked: list[Student]
    cleared: list[Student]


@transaction.atomic
def roster_mark_all(*, class_day: ClassDay, by: User, at: dt.datetime | None = None) -> MarkAllResult:
    """The roster's "mark all present": ``roster_mark_all_present``, and the children whose early
    warning it cleared, which the answer names (marking all is quick, so it must not hide that a
    child flagged for absences was just recorded as present). Raises ``DomainError`` as
    ``roster_mark_all_present`` does.
    """
    warned = _warned(class_day, unmarked_expected_students(class_day).values_list("pk", flat=True))
    marked = _mark_all_present(class_day, by, at)
    marked_ids = {s.pk for s in marked}
    still = _warned(class_day, [pk for pk in warned if pk in marked_ids])
    cleared = [student for pk, student in warned.items() if pk not in still and pk in marked_ids]
    return MarkAllResult(marked=marked, cleared=cleared)


def roster_mark_all_undoable(*, class_day: ClassDay, by: User, marked_at: dt.datetime) -> int:
    """How many children ``roster_mark_all_undo`` with this stamp would unmark again (0: no undo to offer)."""
    return _made_by(class_day, AttendanceStatus.PRESENT, by, marked_at).count()


@transaction.atomic
def roster_mark_all_undo(*, class_day: ClassDay, by: User, marked_at: dt.datetime) -> int:
    """Take one "mark all present" back: each child it marked is unmarked again, as before it.

    Only the rows that action made and nobody changed since (present, recorded by ``by`` at
    ``marked_at`` on this class day) go: a child tapped since keeps the newer status, and
    every other row, day and site is left alone. The early warnings, computed from attendance,
    come back with the rows. Idempotent. Returns how many children went back to unmarked.
    """
    _check_day_has_come(class_day)
    deleted, _by_model = _made_by(class_day, AttendanceStatus.PRESENT, by, marked_at).delete()
    return deleted


@transaction.atomic
def class_day_close(*, class_day: ClassDay, by: User) -> list[Student]:
    """Close a class day: every unmarked expected child becomes absent without notice, and the day held.

    Children already marked keep their status. Returns the children marked absent.
    """
    _check_day_has_come(class_day)
    students = _insert_unmarked(class_day, AttendanceStatus.ABSENT, by)
    ClassDay.objects.filter(pk=class_day.pk).update(status=ClassDayStatus.HELD)
    class_day.status = ClassDayStatus.HELD
    return students


# --- Reading the roster -------------------------------------------------------------------
# How many children a search of the roster answers at most: a name narrows it, a list does not help.
ROSTER_SEARCH_LIMIT = 10


def roster_students(class_day: ClassDay, *, also: Iterable[int] = ()) -> QuerySet[Student]:
    """The day's class: the children expected on ``class_day`` and anyone marked that day, in kana order.

    ``also``: ids of children added to the roster by a search; only the site's active children
    among them are taken (an id of another site's child, or of a child who left, is ignored).
    The rows grow with the day's class, not with the site: a child neither expected nor marked
    nor added is not read.
    """
    marked = Attendance.objects.filter(class_day=class_day).values("student_id")
    students = Student.objects.expected_on(class_day) | Student.objects.filter(site_id=class_day.site_id, pk__in=marked)
    also = [pk for pk in also if isinstance(pk, int)]
    if also:
        students |= Student.objects.active().filter(site_id=class_day.site_id, pk__in=also)
    return students.in_kana_order()


def roster_search(*, class_day: ClassDay, text: str, by: User, shown: Iterable[int] = (),
                  limit: int = ROSTER_SEARCH_LIMIT) -> tuple[list[Student], bool]:
    """The site's active children not on the day's roster whose name, kana or nickname match ``text``.

    Children ``by`` may not see, the children already on the roster (expected or marked) and
    those ``shown`` (added to the page already) are left out. Returns at most ``limit``
    children in kana order, and whether there were more.
    """
    if not text.strip():
        return [], False
    on_roster = roster_students(class_day).values("pk")
    found = list(
        Student.objects.visible_to(by).filter(site_id=class_day.site_id, status=StudentStatus.ACTIVE)
        .search(text).exclude(pk__in=on_roster).exclude(pk__in=[pk for pk in shown if isinstance(pk, int)])
        .in_kana_order()[:limit + 1]
    )
    return found[:limit], len(found) > limit


class _SubqueryCount(Subquery):
    template = "(SELECT COUNT(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()


COUNT_FIELDS = {status: f"count_{status}" for status in AttendanceStatus.values}


def _count_annotations(expected: QuerySet[Student], marked_expected: QuerySet[Attendance]) -> dict:
    per_status = {
        name: _SubqueryCount(Attendance.objects.filter(class_day=OuterRef("pk"), status=status).values("pk"))
        for status, name in COUNT_FIELDS.items()
    }
    return {
        "count_expected": _SubqueryCount(expected.order_by().values("pk")),
        "count_marked_expected": _SubqueryCount(marked_expected.values("pk")),
        **per_status,
    }


def with_roster_counts(class_days: QuerySet[ClassDay]) -> QuerySet[ClassDay]:
    """Annotate each class day with its attendance per status and its unmarked expected children.

    One query for any number of class days, counted over each day's rows: its attendance rows
    (by the class day's index) and its expected children (unmarked = expected less the expected
    ones with a row), never an anti-join over the whole site. For one class day the roster and
    a tap use ``RosterCounts.of``, which names the weekday in the query instead of computing it
    for every child.
    """
    expected = Student.objects.expected(site=OuterRef("site"), weekday=OuterRef("weekday_digit"))
    # The rows of the expected children: the rule of ``StudentQuerySet.expected``, read from the row's child.
    marked_expected = Attendance.objects.filter(
        class_day=OuterRef("pk"), student__site=OuterRef("site"), student__status=StudentStatus.ACTIVE,
        student__usual_weekdays__contains=OuterRef("weekday_digit"),
    )
    return class_days.with_weekday().annotate(**_count_annotations(expected, marked_expected))


@dataclass
class RosterCounts:
    """The live counts in the roster's header."""

    by_status: dict[str, int] = field(default_factory=dict)
    unmarked: int = 0

    @classmethod
    def of(cls, class_day: ClassDay) -> RosterCounts:
        """Read from a class day annotated by ``with_roster_counts``, or else counted now in one query
        over the day's rows: its attendance (by the class day's index) and its expected children,
        the weekday written into the query (a weekday computed per child costs a function call
        each, which grows with the site)."""
        if not hasattr(class_day, "count_expected"):
            expected = Student.objects.expected_on(class_day)
            marked_expected = Attendance.objects.filter(class_day=class_day, student__in=expected.values("pk"))
            class_day = ClassDay.objects.filter(pk=class_day.pk).annotate(
                **_count_annotations(expected, marked_expected)).get()
        return cls(
            by_status={status: getattr(class_day, name) for status, name in COUNT_FIELDS.items()},
            unmarked=class_day.count_expected - class_day.count_marked_expected,
        )

    @classmethod
    def of_roster(cls, students: Iterable[Student], class_day: ClassDay) -> RosterCounts:
        """Counted from the roster's rows already read (``roster_students`` annotated by
        ``with_stored_attendance``): no query."""
        counts = cls(by_status=dict.fromkeys(COUNT_FIELDS, 0))
        for student in students:
            if student.stored_status:
                counts.by_status[student.stored_status] += 1
            elif student.is_expected_on(class_day):
                counts.unmarked += 1
        return counts

    @property
    def attended(self) -> int:
        return sum(self.by_status[s] for s in ATTENDED)


# --- One tap ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class StoredAttendance:
    """One child's attendance on a class day as the roster shows it; ``UNMARKED``: no row."""

    status: str = UNMARKED
    arrived_at: dt.time | None = None
    left_at: dt.time | None = None
    note: str = ""

    @classmethod
    def of(cls, row: Attendance | None) -> StoredAttendance:
        if row is None:
            return cls()
        return cls(row.status, row.arrived_at, row.left_at, row.note or "")

    @classmethod
    def stored(cls, student: Student) -> StoredAttendance:
        """Read from a student annotated by ``with_stored_attendance``."""
        return cls(student.stored_status or UNMARKED, student.stored_arrived_at, student.stored_left_at,
                   student.stored_note or "")


def with_stored_attendance(students: QuerySet[Student], class_day: ClassDay) -> QuerySet[Student]:
    """Students annotated with their stored attendance and whether their tutoring record of the day is written."""
    row = Attendance.objects.filter(class_day=class_day, student=OuterRef("pk"))
    return students.annotate(
        stored_status=Subquery(row.values("status")),
        stored_arrived_at=Subquery(row.values("arrived_at")),
        stored_left_at=Subquery(row.values("left_at")),
        stored_note=Subquery(row.values("note")),
        # Only a written record earns the ✓: a planned pair is an empty record until the tutor writes it.
        has_written_record=Exists(TutoringRecord.objects.written().filter(class_day=class_day, student=OuterRef("pk"))),
    )


@dataclass
class TapResult:
    """What one tap leaves: the child, their attendance before and after, the day's new counts, and
    the error shown in the row when nothing was written."""

    student: Student
    before: StoredAttendance
    after: StoredAttendance
    counts: RosterCounts
    error: str = ""

    @property
    def changed(self) -> bool:
        return self.after != self.before


def attendance_tap(
    *,
    class_day: ClassDay,
    student_id: int,
    by: User,
    status: str,
    arrived_at: dt.time | None = None,
    left_at: dt.time | None = None,
    note: str | None = None,
    refused: str = "",
) -> TapResult:
    """One tap on the roster: set ``student_id``'s attendance on ``class_day`` to ``status``
    (``UNMARKED`` clears it), and answer what the row and the counts show after it.

    The new counts are read after the write in one query over the day's rows
    (``RosterCounts.of``), so a tap costs the same however many children the site has. ``note=None`` keeps the stored note. A write the rules refuse (``DomainError``),
    or a tap the form already ``refused`` (its message), writes nothing and comes back with
    the error and the stored state. Raises ``Student.DoesNotExist`` for a child not of the
    class day's site.
    """
    student = with_stored_attendance(Student.objects.filter(site_id=class_day.site_id), class_day).get(pk=student_id)
    before = StoredAttendance.stored(student)
    after, error = before, refused
    if not refused:
        try:
            if status == UNMARKED:
                attendance_clear(class_day=class_day, student=student, by=by)
                after = StoredAttendance()
            else:
                after = StoredAttendance.of(attendance_set(
                    class_day=class_day, student=student, status=status, by=by, arrived_at=arrived_at,
                    left_at=left_at, note=before.note if note is None else note,
                ))
        except DomainError as exc:
            error = str(exc)
    return TapResult(student=student, before=before, after=after, counts=RosterCounts.of(_unannotated(class_day)),
                     error=error)


def _unannotated(class_day: ClassDay) -> ClassDay:
    """``class_day`` without the counts it may carry from before a write (``RosterCounts.of`` counts again)."""
    if hasattr(class_day, "count_expected"):
        class_day = ClassDay(**{f.attname: getattr(class_day, f.attname) for f in ClassDay._meta.concrete_fields})
    return class_day
