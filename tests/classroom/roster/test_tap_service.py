"""One tap is one service call: ``attendance_tap`` checks, writes and answers the row's state and the day's counts."""

import datetime as dt

import pytest

from classroom.factories import AttendanceFactory, StudentFactory
from classroom.models import Attendance, AttendanceStatus, ClassDay, Student
from classroom.models.attendance import UNMARKED
from classroom.services.attendance import (
    RosterCounts,
    StoredAttendance,
    attendance_tap,
    roster_mark_all,
    roster_save,
    roster_students,
    with_roster_counts,
    with_stored_attendance,
)

PRESENT, LATE, ABSENT = AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.ABSENT


def _day(class_day: ClassDay) -> ClassDay:
    return with_roster_counts(ClassDay.objects.all()).get(pk=class_day.pk)


def test_a_tap_answers_before_after_and_the_new_counts(class_day, make_students, staff):
    first, second = make_students(2)
    AttendanceFactory(class_day=class_day, student=second, status=ABSENT, note="連絡なし")
    tap = attendance_tap(class_day=_day(class_day), student_id=first.pk, by=staff, status=LATE,
                         arrived_at=dt.time(17, 20))
    assert tap.before == StoredAttendance()
    assert tap.after == StoredAttendance(LATE, dt.time(17, 20), None, "")
    assert tap.changed and not tap.error
    assert tap.counts.by_status[LATE] == 1 and tap.counts.unmarked == 0
    assert tap.counts == RosterCounts.of(_day(class_day))  # the counts moved by the tap are the stored ones


def test_a_tap_keeps_the_stored_note_and_clearing_goes_back_to_unmarked(class_day, student, staff):
    AttendanceFactory(class_day=class_day, student=student, status=ABSENT, note="連絡なし")
    tap = attendance_tap(class_day=_day(class_day), student_id=student.pk, by=staff, status=PRESENT)
    assert tap.after.note == "連絡なし" and tap.after.status == PRESENT
    tap = attendance_tap(class_day=_day(class_day), student_id=student.pk, by=staff, status=UNMARKED)
    assert tap.after == StoredAttendance() and tap.before.status == PRESENT
    assert not Attendance.objects.filter(class_day=class_day, student=student).exists()
    assert tap.counts.unmarked == 1


def test_a_retried_tap_changes_nothing(class_day, student, staff):
    attendance_tap(class_day=_day(class_day), student_id=student.pk, by=staff, status=PRESENT)
    tap = attendance_tap(class_day=_day(class_day), student_id=student.pk, by=staff, status=PRESENT)
    assert not tap.changed and tap.counts.by_status[PRESENT] == 1


def test_a_refused_tap_writes_nothing_and_answers_the_error(future_day, student, staff):
    tap = attendance_tap(class_day=_day(future_day), student_id=student.pk, by=staff, status=PRESENT)
    assert tap.error and not tap.changed and not Attendance.objects.filter(class_day=future_day).exists()
    tap = attendance_tap(class_day=_day(future_day), student_id=student.pk, by=staff, status=PRESENT,
                         refused="Choose a status.")
    assert tap.error == "Choose a status." and not Attendance.objects.filter(class_day=future_day).exists()


def test_a_child_of_another_site_is_not_found(class_day, other_site, staff):
    stranger = StudentFactory(site=other_site)
    with pytest.raises(Student.DoesNotExist):
        attendance_tap(class_day=_day(class_day), student_id=stranger.pk, by=staff, status=PRESENT)


def test_roster_save_writes_only_the_changed_rows(class_day, make_students, staff):
    first, second, third = make_students(3)
    AttendanceFactory(class_day=class_day, student=second, status=ABSENT, note="連絡なし")
    students = list(with_stored_attendance(roster_students(class_day), class_day))
    changed, errors = roster_save(class_day=class_day, students=students,
                                  targets={first.pk: PRESENT, second.pk: PRESENT, third.pk: None}, by=staff)
    assert (changed, errors) == (2, {})
    assert Attendance.objects.get(student=second).note == "連絡なし"
    assert not Attendance.objects.filter(student=third).exists()


def test_roster_mark_all_answers_the_children_marked(class_day, make_students, staff):
    children = make_students(3)
    AttendanceFactory(class_day=class_day, student=children[0], status=ABSENT)
    result = roster_mark_all(class_day=class_day, by=staff)
    assert {s.pk for s in result.marked} == {c.pk for c in children[1:]}
    assert {s.pk for s in result.cleared} <= {s.pk for s in result.marked}
