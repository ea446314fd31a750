"""Attendance figures computed for many students in one query.

The rate is the share of a student's attendance records on class days that were not
cancelled in which the child came (present, late or left early). A period without any such
record has no rate: it shows as "—", never as 0 %.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import Count, Q

from classroom.grades import fiscal_year_bounds, fiscal_year_of
from classroom.models import Attendance, ClassDay, ClassDayStatus, StudentStatus
from classroom.models.attendance import ATTENDED

LAST_FOUR_WEEKS = "last_four_weeks"
FISCAL_YEAR = "fiscal_year"


@dataclass(frozen=True)
class AttendanceRate:
    attended: int = 0
    recorded: int = 0

    @property
    def rate(self) -> float | None:
        """Between 0 and 1, or None when nothing was recorded in the period."""
        return self.attended / self.recorded if self.recorded else None

    @property
    def percent(self) -> int | None:
        return None if self.rate is None else round(self.rate * 100)

    def __str__(self) -> str:
        return "—" if self.percent is None else f"{self.percent}%"


def last_four_weeks(today: dt.date) -> tuple[dt.date, dt.date]:
    """The 28 days ending today."""
    return today - dt.timedelta(days=27), today


def fiscal_year_to_date(today: dt.date) -> tuple[dt.date, dt.date]:
    """From April 1 of the current fiscal year (年度) to today."""
    return fiscal_year_bounds(fiscal_year_of(today))[0], today


def standard_periods(today: dt.date) -> dict[str, tuple[dt.date, dt.date]]:
    return {LAST_FOUR_WEEKS: last_four_weeks(today), FISCAL_YEAR: fiscal_year_to_date(today)}


def monthly_periods(today: dt.date, months: int = 12) -> dict[str, tuple[dt.date, dt.date]]:
    """The last ``months`` calendar months, this one included, oldest first: ``month_2026_04`` ->
    (April 1, April 30). Named so that they can ride along other periods in one query."""
    index = today.year * 12 + today.month - 1
    periods = {}
    for back in range(months - 1, -1, -1):
        year, month = divmod(index - back, 12)
        first = dt.date(year, month + 1, 1)
        last = dt.date(year, month + 1, calendar.monthrange(year, month + 1)[1])
        periods[f"month_{year}_{month + 1:02d}"] = (first, last)
    return periods


def _period_counts(periods: Mapping[str, tuple[dt.date, dt.date]]) -> tuple[dict, dt.date, dt.date]:
    """The counts of attendance records per period (``<name>__recorded``, ``<name>__attended``) to
    annotate rows of ``Attendance`` with, and the first and last day of all the periods."""
    aggregates = {}
    for name, (start, end) in periods.items():
        in_period = Q(class_day__date__gte=start, class_day__date__lte=end)
        aggregates[f"{name}__recorded"] = Count("pk", filter=in_period)
        aggregates[f"{name}__attended"] = Count("pk", filter=in_period & Q(status__in=ATTENDED))
    return aggregates, min(start for start, _ in periods.values()), max(end for _, end in periods.values())


def _rates_of(row: dict, periods) -> dict[str, AttendanceRate]:
    return {name: AttendanceRate(attended=row[f"{name}__attended"], recorded=row[f"{name}__recorded"])
            for name in periods}


def attendance_rates_by_period(
    student_ids: Iterable[int], periods: Mapping[str, tuple[dt.date, dt.date]]
) -> dict[int, dict[str, AttendanceRate]]:
    """Per student and per named period (first day, last day, both included): one query in all.

    Every requested student gets an entry for every period, an empty rate when nothing was recorded.
    """
    ids = list(student_ids)
    result = {pk: {name: AttendanceRate() for name in periods} for pk in ids}
    if not ids or not periods:
        return result
    aggregates, earliest, latest = _period_counts(periods)
    rows = (
        Attendance.objects.filter(
            student_id__in=ids, class_day__date__gte=earliest, class_day__date__lte=latest
        )
        .exclude(class_day__status=ClassDayStatus.CANCELLED)
        .order_by()
        .values("student_id")
        .annotate(**aggregates)
    )
    for row in rows:
        result[row["student_id"]] = _rates_of(row, periods)
    return result


def attendance_rates_at(
    sites: Iterable, periods: Mapping[str, tuple[dt.date, dt.date]], *, student_ids: Iterable[int] | None = None
) -> dict[int, tuple[int, dict[str, AttendanceRate]]]:
    """``(site id, {period: rate})`` of each active child of ``sites`` (or of ``student_ids`` among
    them) with a record in the periods: one query.

    What it reads is bounded by the periods and the sites, not by the history or the other sites: the
    sites' class days in the span (index on site and date), then their attendance (index on class day,
    student), joined to the child. A child with no record in the span is absent from the answer (an
    empty rate). Only the sites' own class days count: a child who moved from a site outside
    ``sites`` keeps the rate of their days here (reading every site's days cost three times as much
    at ten sites).
    """
    if not periods:
        return {}
    sites = list(sites)
    aggregates, earliest, latest = _period_counts(periods)
    days = ClassDay.objects.filter(site__in=sites, date__gte=earliest, date__lte=latest).exclude(
        status=ClassDayStatus.CANCELLED)
    rows = Attendance.objects.filter(class_day__in=days.order_by().values("pk"), student__site__in=sites,
                                     student__status=StudentStatus.ACTIVE)
    if student_ids is not None:
        rows = rows.filter(student_id__in=list(student_ids))
    rows = rows.order_by().values("student_id", "student__site_id").annotate(**aggregates)
    return {row["student_id"]: (row["student__site_id"], _rates_of(row, periods)) for row in rows}


def attendance_rates(student_ids: Iterable[int], start: dt.date, end: dt.date) -> dict[int, AttendanceRate]:
    """The rate of each student between ``start`` and ``end`` (both included), in one query."""
    by_period = attendance_rates_by_period(student_ids, {"period": (start, end)})
    return {pk: rates["period"] for pk, rates in by_period.items()}
