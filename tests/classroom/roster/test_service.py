"""attendance_set, attendance_clear, roster_mark_all_present, class_day_close and the counts."""

import datetime as dt

import pytest
from django.utils import timezone

from classroom.exceptions import DomainError
from classroom.factories import AttendanceFactory, StudentFactory
from classroom.models import Attendance, AttendanceStatus, ClassDay, ClassDayStatus, StudentStatus
from classroom.services.attendance import (
    RosterCounts,
    attendance_clear,
    attendance_set,
    class_day_close,
    roster_mark_all_present,
    with_roster_counts,
)
from tests.neighbours import ours

from .conftest import other_weekday

PRESENT, LATE, LEFT_EARLY = AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.LEFT_EARLY
ABSENT_NOTICE, ABSENT = AttendanceStatus.ABSENT_NOTICE, AttendanceStatus.ABSENT


def test_set_creates_one_row(class_day, student, staff):
    saved = attendance_set(class_day=class_day, student=student, status=PRESENT, by=staff)
    row = ours(Attendance).get()
    assert saved.pk == row.pk
    assert (row.status, row.recorded_by, row.class_day, row.student) == (PRESENT, staff, class_day, student)


def test_retry_changes_nothing_and_never_adds_a_row(class_day, student, staff):
    first = attendance_set(class_day=class_day, student=student, status=ABSENT, by=staff, note="連絡なし")
    again = attendance_set(class_day=class_day, student=student, status=ABSENT, by=staff, note="連絡なし")
    assert ours(Attendance).count() == 1
    assert first.pk == again.pk
    assert ours(Attendance).get().status == ABSENT


def test_later_write_wins(class_day, student, staff, coordinator):
    attendance_set(class_day=class_day, student=student, status=PRESENT, by=staff)
    attendance_set(class_day=class_day, student=student, status=LATE, by=coordinator, arrived_at=dt.time(17, 20))
    row = ours(Attendance).get()
    assert (row.status, row.arrived_at, row.recorded_by) == (LATE, dt.time(17, 20), coordinator)


def test_late_fills_the_arrival_time_with_now(class_day, student, staff):
    before = timezone.localtime().time().replace(second=0, microsecond=0)
    saved = attendance_set(class_day=class_day, student=student, status=LATE, by=staff)
    row = ours(Attendance).get()
    assert row.arrived_at == saved.arrived_at
    assert row.arrived_at >= before or before.hour == 23  # around midnight the clock wraps
    assert row.left_at is None


def test_a_given_arrival_time_is_kept_and_editable(class_day, student, staff):
    attendance_set(class_day=class_day, student=student, status=LATE, by=staff, arrived_at=dt.time(17, 25))
    attendance_set(class_day=class_day, student=student, status=LATE, by=staff, arrived_at=dt.time(17, 40))
    assert ours(Attendance).get().arrived_at == dt.time(17, 40)


def test_left_early_fills_the_leaving_time_and_other_statuses_clear_times(class_day, student, staff):
    attendance_set(class_day=class_day, student=student, status=LEFT_EARLY, by=staff)
    assert ours(Attendance).get().left_at is not None
    attendance_set(class_day=class_day, student=student, status=PRESENT, by=staff)
    row = ours(Attendance).get()
    assert (row.arrived_at, row.left_at) == (None, None)


def test_note_none_keeps_the_stored_note(class_day, student, staff):
    attendance_set(class_day=class_day, student=student, status=ABSENT_NOTICE, by=staff, note="通院")
    saved = attendance_set(class_day=class_day, student=student, status=ABSENT, by=staff)
    assert saved.note == "通院"
    assert ours(Attendance).get().note == "通院"


def test_future_day_takes_only_absent_with_notice(future_day, student, staff):
    with pytest.raises(DomainError):
        attendance_set(class_day=future_day, student=student, status=PRESENT, by=staff)
    attendance_set(class_day=future_day, student=student, status=ABSENT_NOTICE, by=staff, note="家の用事")
    assert ours(Attendance).get().status == ABSENT_NOTICE


def test_cancelled_day_refuses(cancelled_day, student, staff):
    with pytest.raises(DomainError):
        attendance_set(class_day=cancelled_day, student=student, status=PRESENT, by=staff)
    with pytest.raises(DomainError):
        attendance_clear(class_day=cancelled_day, student=student, by=staff)
    assert not ours(Attendance).exists()


def test_student_of_another_site_refused(class_day, other_site, staff):
    stranger = StudentFactory(site=other_site)
    with pytest.raises(DomainError):
        attendance_set(class_day=class_day, student=stranger, status=PRESENT, by=staff)


def test_unknown_status_refused(class_day, student, staff):
    with pytest.raises(DomainError):
        attendance_set(class_day=class_day, student=student, status="sleeping", by=staff)


def test_clear_goes_back_to_unmarked_and_is_idempotent(class_day, student, staff):
    attendance_set(class_day=class_day, student=student, status=PRESENT, by=staff)
    attendance_clear(class_day=class_day, student=student, by=staff)
    attendance_clear(class_day=class_day, student=student, by=staff)
    assert not ours(Attendance).exists()


def test_mark_all_present_marks_only_unmarked_expected_children(class_day, make_students, staff):
    expected = make_students(4)
    not_today = make_students(1, usual_weekdays=other_weekday())[0]
    paused = make_students(1, status=StudentStatus.PAUSED)[0]
    attendance_set(class_day=class_day, student=expected[0], status=ABSENT_NOTICE, by=staff)
    marked = roster_mark_all_present(class_day=class_day, by=staff)
    assert {s.pk for s in marked} == {s.pk for s in expected[1:]}
    statuses = dict(ours(Attendance).values_list("student_id", "status"))
    assert statuses == {expected[0].pk: ABSENT_NOTICE, **{s.pk: PRESENT for s in expected[1:]}}
    assert not_today.pk not in statuses and paused.pk not in statuses


def test_mark_all_present_refused_before_the_day(future_day, make_students, staff):
    make_students(2)
    with pytest.raises(DomainError):
        roster_mark_all_present(class_day=future_day, by=staff)


def test_close_marks_unmarked_absent_and_holds_the_day(class_day, make_students, staff):
    children = make_students(3)
    attendance_set(class_day=class_day, student=children[0], status=PRESENT, by=staff)
    marked = class_day_close(class_day=class_day, by=staff)
    assert {s.pk for s in marked} == {children[1].pk, children[2].pk}
    assert dict(ours(Attendance).values_list("student_id", "status")) == {
        children[0].pk: PRESENT, children[1].pk: ABSENT, children[2].pk: ABSENT,
    }
    class_day.refresh_from_db()
    assert class_day.status == ClassDayStatus.HELD


def test_close_refused_on_cancelled_and_future_days(cancelled_day, future_day, staff):
    for day in (cancelled_day, future_day):
        with pytest.raises(DomainError):
            class_day_close(class_day=day, by=staff)


def test_counts(class_day, make_students, staff):
    children = make_students(5)
    make_students(2, usual_weekdays=other_weekday())  # not expected: never unmarked
    AttendanceFactory(class_day=class_day, student=children[0], status=PRESENT)
    AttendanceFactory(class_day=class_day, student=children[1], status=LATE, arrived_at=dt.time(17, 30))
    AttendanceFactory(class_day=class_day, student=children[2], status=ABSENT)
    counts = RosterCounts.of(with_roster_counts(ClassDay.objects.all()).get(pk=class_day.pk))
    assert counts.by_status == {PRESENT: 1, LATE: 1, LEFT_EARLY: 0, ABSENT_NOTICE: 0, ABSENT: 1}
    assert counts.unmarked == 2
    # Counted for one day (the roster and a tap): the same, the weekday written into the query.
    assert RosterCounts.of(ClassDay.objects.get(pk=class_day.pk)) == counts
    # A child marked though not expected counts in their status, not in the unmarked.
    visitor = make_students(1, usual_weekdays=other_weekday())[0]
    AttendanceFactory(class_day=class_day, student=visitor, status=PRESENT)
    one_day = RosterCounts.of(ClassDay.objects.get(pk=class_day.pk))
    assert one_day.by_status[PRESENT] == 2 and one_day.unmarked == 2
    assert one_day == RosterCounts.of(with_roster_counts(ClassDay.objects.all()).get(pk=class_day.pk))
