"""The month calendar shared by the class-day and activity calendars."""

import datetime as dt

from classroom.calendars import MonthCalendar, month_of, shift_month

TODAY = dt.date(2026, 11, 27)


def test_month_of_reads_year_month_and_falls_back_to_this_month():
    assert month_of("2027-04", TODAY) == dt.date(2027, 4, 1)
    for bad in (None, "", "2027-13", "2027-4-1", "abc", "0001-01"):
        assert month_of(bad, TODAY) == dt.date(2026, 11, 1)


def test_shift_month_crosses_years():
    assert shift_month(dt.date(2026, 12, 1), 1) == dt.date(2027, 1, 1)
    assert shift_month(dt.date(2027, 1, 1), -1) == dt.date(2026, 12, 1)
    assert shift_month(dt.date(2026, 3, 1), 13) == dt.date(2027, 4, 1)


def test_weeks_start_on_sunday_and_cover_the_month():
    cal = MonthCalendar.of("2026-11", today=TODAY, url="/x/")
    assert cal.first == dt.date(2026, 11, 1) and cal.first.weekday() == 6  # 1 Nov 2026 is a Sunday
    assert cal.last == dt.date(2026, 12, 5) and cal.last.weekday() == 5
    assert all(len(week) == 7 for week in cal.weeks)


def test_links_keep_the_other_parameters_and_this_month_only_elsewhere():
    cal = MonthCalendar.of("2026-11", today=TODAY, url="/class-days/calendar/", site=3)
    assert cal.previous_url == "/class-days/calendar/?month=2026-10&site=3"
    assert cal.next_url == "/class-days/calendar/?month=2026-12&site=3"
    assert cal.this_month_url is None
    other = MonthCalendar.of("2027-02", today=TODAY, url="/activities/calendar/", site=None)
    assert other.this_month_url == "/activities/calendar/" and other.next_url == "/activities/calendar/?month=2027-03"


def test_cells_and_agenda():
    cal = MonthCalendar.of("2026-11", today=TODAY, url="/x/")
    event = object()
    cells = cal.cells({TODAY: [event], dt.date(2026, 12, 1): [event]}, "events")
    today_cell = next(c for week in cells for c in week if c["date"] == TODAY)
    assert today_cell["is_today"] and today_cell["in_month"] and today_cell["events"] == [event]
    assert [c["date"] for c in cal.days_with_events(cells, "events")] == [TODAY]  # December's day is outside
