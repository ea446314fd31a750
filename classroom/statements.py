"""The school attendance statement (出席扱い): what a child did at the classroom in one month, for the
child's school.

A school may count a non-attending child's learning at the classroom as school attendance, on a
statement from the classroom: the days the child came (present, late or left early, on class days
that were not cancelled), the hours (the arrival and leaving times where they were recorded, else
the class day's own times), what was studied (the subjects and content of the tutoring records,
with the tutors' names only when staff choose so) and the totals. Two queries, whatever the month.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count
from django.db.models.functions import TruncMonth

from classroom.grades import Grade, month_bounds
from classroom.models import Attendance, ClassDayStatus, Student, TutoringRecord
from classroom.models.attendance import ATTENDED
from lib import durations
from lib.durations import format_hours
from lib.names import person_name


def minutes_between(start: dt.time, end: dt.time) -> int:
    """Whole minutes from ``start`` to ``end`` on one day; 0 when the end is not after the start."""
    return max(0, durations.minutes_between(start, end))


@dataclass
class StatementDay:
    """One day the child came: when, for how long, and what was studied."""

    date: dt.date
    status: str
    status_label: str
    start: dt.time
    end: dt.time
    times_recorded: bool  # the child's own arrival or leaving time, rather than the class day's
    minutes: int
    subjects: str = ""
    studied: str = ""
    tutor_name: str = ""

    @property
    def hours(self) -> str:
        return format_hours(self.minutes)


@dataclass
class AttendanceStatement:
    student: Student
    first: dt.date
    last: dt.date
    grade_label: str
    include_tutors: bool
    issued_on: dt.date
    days: list[StatementDay] = field(default_factory=list)

    @property
    def total_days(self) -> int:
        return len(self.days)

    @property
    def total_minutes(self) -> int:
        return sum(day.minutes for day in self.days)

    @property
    def total_hours(self) -> str:
        return format_hours(self.total_minutes)

    @property
    def site(self):
        return self.student.site


def attendance_statement(
    *, student: Student, month: dt.date, include_tutors: bool = False, issued_on: dt.date
) -> AttendanceStatement:
    """The statement of ``student`` for the month of ``month``: two queries (attendance with its class
    days, then the tutoring records of those days). Cancelled class days are never listed."""
    first, last = month_bounds(month)
    grade = student.grade_on(first)  # the grade in that month (it changes on April 1)
    statement = AttendanceStatement(
        student=student, first=first, last=last, grade_label=str(Grade(grade).label),
        include_tutors=include_tutors, issued_on=issued_on,
    )
    attendances = list(
        Attendance.objects.filter(student=student, status__in=ATTENDED, class_day__date__range=(first, last))
        .exclude(class_day__status=ClassDayStatus.CANCELLED)
        .select_related("class_day")
        .order_by("class_day__date", "class_day__start_time", "pk")
    )
    if not attendances:
        return statement
    records = TutoringRecord.objects.filter(student=student, class_day__in=[a.class_day_id for a in attendances])
    if include_tutors:
        records = records.select_related("tutor")
    by_day = {record.class_day_id: record for record in records.order_by()}
    for attendance in attendances:
        class_day = attendance.class_day
        start = attendance.arrived_at or class_day.start_time
        end = attendance.left_at or class_day.end_time
        record = by_day.get(class_day.pk)
        statement.days.append(StatementDay(
            date=class_day.date, status=attendance.status, status_label=str(attendance.get_status_display()),
            start=start, end=end, times_recorded=bool(attendance.arrived_at or attendance.left_at),
            minutes=minutes_between(start, end),
            subjects=record.get_subjects_display() if record else "",
            studied=record.studied.strip() if record else "",
            tutor_name=person_name(record.tutor) if record and include_tutors else "",
        ))
    return statement


def months_attended(student: Student, *, until: dt.date, months: int = 12) -> list[tuple[dt.date, int]]:
    """(first day of the month, days the child came) for the last ``months`` months up to ``until``,
    newest first, months without a day left out: one query."""
    index = until.year * 12 + until.month - 1 - (months - 1)
    since = dt.date(index // 12, index % 12 + 1, 1)
    rows = (
        Attendance.objects.filter(student=student, status__in=ATTENDED, class_day__date__range=(since, until))
        .exclude(class_day__status=ClassDayStatus.CANCELLED)
        .annotate(month=TruncMonth("class_day__date"))
        .order_by()
        .values("month")
        .annotate(days=Count("pk"))
    )
    counted = {_as_date(row["month"]): row["days"] for row in rows}
    return sorted(counted.items(), reverse=True)


def _as_date(value) -> dt.date:
    """TruncMonth of a date field: a date (a datetime on some backends)."""
    return value.date() if isinstance(value, dt.datetime) else value
