"""Attendance rates for many students in one query."""

import datetime as dt

from classroom import stats
from classroom.factories import AttendanceFactory, ClassDayFactory, StudentFactory
from classroom.models import AttendanceStatus, ClassDayStatus

TODAY = dt.date(2026, 11, 27)


def record(student, day: dt.date, status, *, cancelled=False):
    class_day = ClassDayFactory(site=student.site, date=day,
                                status=ClassDayStatus.CANCELLED if cancelled else ClassDayStatus.HELD)
    AttendanceFactory(class_day=class_day, student=student, status=status)


def test_rates_for_many_students_in_one_query(site, count_queries):
    a, b, c = StudentFactory.create_batch(3, site=site)
    record(a, TODAY, AttendanceStatus.PRESENT)
    record(a, TODAY - dt.timedelta(days=7), AttendanceStatus.LATE)
    record(a, TODAY - dt.timedelta(days=14), AttendanceStatus.LEFT_EARLY)
    record(a, TODAY - dt.timedelta(days=21), AttendanceStatus.ABSENT_NOTICE)
    record(a, TODAY - dt.timedelta(days=60), AttendanceStatus.ABSENT)  # this fiscal year, not the last 4 weeks
    record(a, TODAY - dt.timedelta(days=3), AttendanceStatus.ABSENT, cancelled=True)  # cancelled: not counted
    record(b, TODAY - dt.timedelta(days=1), AttendanceStatus.ABSENT)
    record(b, dt.date(2026, 3, 31), AttendanceStatus.PRESENT)  # the previous fiscal year
    with count_queries() as queries:
        rates = stats.attendance_rates_by_period([a.pk, b.pk, c.pk], stats.standard_periods(TODAY))
    assert queries.count == 1, queries.sql
    assert rates[a.pk][stats.LAST_FOUR_WEEKS] == stats.AttendanceRate(attended=3, recorded=4)
    assert rates[a.pk][stats.FISCAL_YEAR] == stats.AttendanceRate(attended=3, recorded=5)
    assert str(rates[a.pk][stats.LAST_FOUR_WEEKS]) == "75%"
    assert rates[b.pk][stats.FISCAL_YEAR].percent == 0
    assert rates[c.pk][stats.LAST_FOUR_WEEKS].rate is None and str(rates[c.pk][stats.FISCAL_YEAR]) == "—"


def test_periods():
    assert stats.last_four_weeks(TODAY) == (dt.date(2026, 10, 31), TODAY)
    assert stats.fiscal_year_to_date(TODAY) == (dt.date(2026, 4, 1), TODAY)
    assert stats.fiscal_year_to_date(dt.date(2027, 2, 1)) == (dt.date(2026, 4, 1), dt.date(2027, 2, 1))


def test_single_period_helper_and_empty_input(site, count_queries):
    student = StudentFactory(site=site)
    record(student, TODAY, AttendanceStatus.PRESENT)
    assert stats.attendance_rates([student.pk], TODAY, TODAY)[student.pk].percent == 100
    with count_queries() as queries:
        assert stats.attendance_rates([], TODAY, TODAY) == {}
    assert queries.count == 0, queries.sql
