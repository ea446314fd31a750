"""Volunteer hours, computed in the database from ``VolunteerAttendance`` only (left_at - arrived_at).

Minutes are summed as integers (hour * 60 + minute of each time), which both SQLite and
PostgreSQL extract the same way; hours are shown from those exact minutes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth

from classroom.grades import fiscal_year_bounds, fiscal_year_of
from lib import durations
from volunteers.models import VolunteerAttendance

# April first: the fiscal year's months in order, as (calendar month) numbers.
FISCAL_MONTHS = [4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3]


def minutes_expression():
    """The minutes of one attendance row, as an SQL expression."""
    return durations.minutes_expression("arrived_at", "left_at")


def minutes_between(arrived_at: dt.time, left_at: dt.time) -> int:
    """The minutes of one attendance row in Python: the same as ``minutes_expression``."""
    return durations.minutes_between(arrived_at, left_at)


format_hours = durations.format_hours


def hours_value(minutes: int | None) -> float:
    """Minutes as a number of hours for spreadsheets (a column that sums; shown next to ``format_hours``)."""
    return round((minutes or 0) / 60, 2)


def month_dates(fiscal_year: int) -> list[dt.date]:
    """The first day of each month of the fiscal year, April to March."""
    return [dt.date(fiscal_year if m >= 4 else fiscal_year + 1, m, 1) for m in FISCAL_MONTHS]


def attendance_between(queryset: QuerySet[VolunteerAttendance], start: dt.date, end: dt.date):
    return queryset.filter(class_day__date__gte=start, class_day__date__lte=end)


def summary(queryset: QuerySet[VolunteerAttendance], today: dt.date) -> dict[str, int]:
    """Minutes this calendar month and this fiscal year, in one query."""
    start, end = fiscal_year_bounds(fiscal_year_of(today))
    month_start = today.replace(day=1)
    minutes = minutes_expression()
    result = attendance_between(queryset, start, end).aggregate(
        fiscal_year=Sum(minutes, output_field=IntegerField()),
        month=Sum(minutes, filter=Q(class_day__date__gte=month_start, class_day__date__lt=_next_month(month_start)),
                  output_field=IntegerField()),
    )
    return {"month": result["month"] or 0, "fiscal_year": result["fiscal_year"] or 0}


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + 1, 1, 1) if day.month == 12 else dt.date(day.year, day.month + 1, 1)


@dataclass
class HoursRow:
    """One line of the report: minutes per fiscal month (April first), total and days came."""

    months: list[int] = field(default_factory=lambda: [0] * 12)
    days: int = 0

    @property
    def total(self) -> int:
        return sum(self.months)

    def add(self, month: int, minutes: int, days: int) -> None:
        self.months[FISCAL_MONTHS.index(month)] += minutes
        self.days += days


def minutes_by_volunteer_month(queryset: QuerySet[VolunteerAttendance], fiscal_year: int) -> dict[int, HoursRow]:
    """Minutes and days came per volunteer and month of ``fiscal_year``: one grouped query."""
    start, end = fiscal_year_bounds(fiscal_year)
    grouped = (
        attendance_between(queryset, start, end)
        .annotate(month=ExtractMonth("class_day__date"))
        .values("volunteer_id", "month")
        .annotate(minutes=Sum(minutes_expression(), output_field=IntegerField()), days=Count("pk"))
        .order_by()
    )
    rows: dict[int, HoursRow] = defaultdict(HoursRow)
    for item in grouped:
        rows[item["volunteer_id"]].add(item["month"], item["minutes"] or 0, item["days"])
    return rows


def minutes_by_month(queryset: QuerySet[VolunteerAttendance], fiscal_year: int) -> HoursRow:
    """One volunteer's (or any set's) minutes per month of ``fiscal_year``: one grouped query."""
    start, end = fiscal_year_bounds(fiscal_year)
    grouped = (
        attendance_between(queryset, start, end)
        .annotate(month=ExtractMonth("class_day__date"))
        .values("month")
        .annotate(minutes=Sum(minutes_expression(), output_field=IntegerField()), days=Count("pk"))
        .order_by()
    )
    row = HoursRow()
    for item in grouped:
        row.add(item["month"], item["minutes"] or 0, item["days"])
    return row


def with_minutes(queryset: QuerySet[VolunteerAttendance]) -> QuerySet[VolunteerAttendance]:
    """Each attendance row annotated with its ``minutes``."""
    return queryset.annotate(minutes=minutes_expression())

