"""Class day services: series (preview and create), one class day, cancel and restore."""

import datetime as dt

import pytest

from classroom.exceptions import DomainError
from classroom.factories import AttendanceFactory, ClassDayFactory
from classroom.models import AttendanceStatus, ClassDay, ClassDayStatus
from classroom.services.classdays import (
    class_day_cancel,
    class_day_create,
    class_day_restore,
    class_day_series_create,
    class_day_series_dates,
    class_day_update,
)

TUE, THU = 1, 3
APRIL_TO_JULY = {"start_date": dt.date(2027, 4, 1), "end_date": dt.date(2027, 7, 31)}


def series(site, staff, **overrides):
    args = {
        "site": site, "weekdays": [TUE, THU], **APRIL_TO_JULY,
        "start_time": dt.time(17, 0), "end_time": dt.time(19, 0), "skip_dates": [], "by": staff,
    }
    return {**args, **overrides}


def test_series_dates_lists_each_tuesday_and_thursday_and_creates_nothing(site, staff):
    args = series(site, staff)
    del args["end_time"], args["by"]
    plan = class_day_series_dates(**args)
    assert len(plan.to_create) == 35  # 17 Tuesdays and 18 Thursdays, April to July 2027
    assert {d.weekday() for d in plan.to_create} == {TUE, THU}
    assert plan.to_create[0] == dt.date(2027, 4, 1)  # a Thursday
    assert ClassDay.objects.count() == 0


def test_series_skips_holidays_and_does_not_duplicate_existing_slots(site, staff):
    ClassDayFactory(site=site, date=dt.date(2027, 4, 6), start_time=dt.time(17, 0))
    ClassDayFactory(site=site, date=dt.date(2027, 4, 8), start_time=dt.time(15, 0))  # another slot that day
    holiday = dt.date(2027, 4, 29)  # 昭和の日, a Thursday
    created = class_day_series_create(**series(site, staff, skip_dates=[holiday]))
    assert len(created) == 33
    assert holiday not in {c.date for c in created}
    assert ClassDay.objects.filter(site=site, date=dt.date(2027, 4, 6)).count() == 1
    assert ClassDay.objects.filter(site=site, date=dt.date(2027, 4, 8)).count() == 2
    assert all(c.status == ClassDayStatus.SCHEDULED and c.end_time == dt.time(19, 0) for c in created)


def test_series_is_idempotent(site, staff):
    assert len(class_day_series_create(**series(site, staff))) == 35
    assert class_day_series_create(**series(site, staff)) == []
    assert ClassDay.objects.count() == 35


def test_series_spans_at_most_one_year(site, staff):
    with pytest.raises(DomainError):
        class_day_series_create(**series(site, staff, start_date=dt.date(2027, 4, 1), end_date=dt.date(2028, 4, 1)))
    assert ClassDay.objects.count() == 0
    created = class_day_series_create(**series(site, staff, start_date=dt.date(2027, 4, 1),
                                               end_date=dt.date(2028, 3, 31)))
    assert created


@pytest.mark.parametrize("overrides", [
    {"end_time": dt.time(17, 0)},
    {"weekdays": []},
    {"start_date": dt.date(2027, 8, 1)},
])
def test_series_refuses_invalid_input_and_creates_nothing(site, staff, overrides):
    with pytest.raises(DomainError):
        class_day_series_create(**series(site, staff, **overrides))
    assert ClassDay.objects.count() == 0


def test_create_refuses_a_taken_slot(site, staff, other_site):
    day = dt.date(2027, 5, 11)
    class_day_create(site=site, date=day, start_time=dt.time(17, 0), end_time=dt.time(19, 0), by=staff)
    with pytest.raises(DomainError):
        class_day_create(site=site, date=day, start_time=dt.time(17, 0), end_time=dt.time(18, 0), by=staff)
    class_day_create(site=other_site, date=day, start_time=dt.time(17, 0), end_time=dt.time(19, 0), by=staff)
    class_day_create(site=site, date=day, start_time=dt.time(10, 0), end_time=dt.time(12, 0), by=staff)
    assert ClassDay.objects.count() == 3


def test_update_moves_a_class_day_but_not_onto_a_taken_slot(site, staff):
    first = ClassDayFactory(site=site, date=dt.date(2027, 5, 11))
    ClassDayFactory(site=site, date=dt.date(2027, 5, 13))
    with pytest.raises(DomainError):
        class_day_update(class_day=first, date=dt.date(2027, 5, 13), start_time=dt.time(17, 0),
                         end_time=dt.time(19, 0), by=staff)
    class_day_update(class_day=first, date=dt.date(2027, 5, 12), start_time=dt.time(16, 0),
                     end_time=dt.time(18, 0), note="会場変更", by=staff)
    first.refresh_from_db()
    assert (first.date, first.start_time, first.note) == (dt.date(2027, 5, 12), dt.time(16, 0), "会場変更")


def test_cancel_needs_a_reason_and_keeps_the_class_day(site, staff):
    day = ClassDayFactory(site=site, date=dt.date(2027, 5, 11))
    with pytest.raises(DomainError):
        class_day_cancel(class_day=day, reason="  ", by=staff)
    class_day_cancel(class_day=day, reason="台風接近のため", by=staff)
    day.refresh_from_db()
    assert day.status == ClassDayStatus.CANCELLED
    assert day.cancel_reason == "台風接近のため"
    with pytest.raises(DomainError):
        class_day_cancel(class_day=day, reason="もう一度", by=staff)


def test_a_held_class_day_with_attendance_cannot_be_cancelled(site, staff):
    day = ClassDayFactory(site=site, date=dt.date(2026, 10, 6), status=ClassDayStatus.HELD)
    AttendanceFactory(class_day=day, status=AttendanceStatus.ABSENT_NOTICE)
    with pytest.raises(DomainError):
        class_day_cancel(class_day=day, reason="誤登録", by=staff)
    day.refresh_from_db()
    assert day.status == ClassDayStatus.HELD


def test_a_scheduled_day_with_children_present_cannot_be_cancelled(site, staff):
    day = ClassDayFactory(site=site)
    AttendanceFactory(class_day=day, status=AttendanceStatus.PRESENT)
    with pytest.raises(DomainError):
        class_day_cancel(class_day=day, reason="誤登録", by=staff)


def test_a_scheduled_day_with_absences_told_in_advance_can_be_cancelled(site, staff):
    day = ClassDayFactory(site=site, date=dt.date(2027, 5, 11))
    AttendanceFactory(class_day=day, status=AttendanceStatus.ABSENT_NOTICE)
    assert class_day_cancel(class_day=day, reason="台風", by=staff).is_cancelled


def test_restore_schedules_a_cancelled_day_again(site, staff):
    day = ClassDayFactory(site=site, status=ClassDayStatus.CANCELLED, cancel_reason="台風")
    class_day_restore(class_day=day, by=staff)
    day.refresh_from_db()
    assert (day.status, day.cancel_reason) == (ClassDayStatus.SCHEDULED, "")
    with pytest.raises(DomainError):
        class_day_restore(class_day=day, by=staff)
