"""Each attendance write touches exactly its own rows: one child on one class day, or the day's own children.

Every test here also runs beside the neighbours (another site whose children are expected every
weekday, with days and attendance of their own; see tests/neighbours.py), which must end untouched.
"""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from classroom.exceptions import DomainError
from classroom.models import Attendance, AttendanceStatus, Student
from classroom.services.attendance import (
    attendance_clear,
    attendance_set,
    class_day_close,
    roster_mark_all_present,
    unmarked_expected_students,
)
from tests.neighbours import ours

PRESENT, ABSENT = AttendanceStatus.PRESENT, AttendanceStatus.ABSENT


def test_undo_of_a_tap_keeps_the_childs_other_days(class_day, student, staff, neighbours):
    last_week = neighbours.history_of(student, days_ago=7)
    attendance_set(class_day=class_day, student=student, status=PRESENT, by=staff)
    attendance_clear(class_day=class_day, student=student, by=staff)
    assert list(ours(Attendance).filter(student=student)) == [last_week]
    neighbours.assert_untouched()


def test_undo_of_a_tap_keeps_the_other_children_of_the_day(class_day, make_students, staff, neighbours):
    first, second = make_students(2)
    for child in (first, second):
        attendance_set(class_day=class_day, student=child, status=PRESENT, by=staff)
    attendance_clear(class_day=class_day, student=first, by=staff)
    assert list(ours(Attendance).values_list("student_id", flat=True)) == [second.pk]


def test_the_expected_children_are_the_sites_own(class_day, make_students, neighbours):
    mine = make_students(2)
    assert {s.pk for s in Student.objects.expected_on(class_day)} == {s.pk for s in mine}
    assert {s.pk for s in unmarked_expected_students(class_day)} == {s.pk for s in mine}
    far = {s.pk for s in neighbours.far_children}
    assert far <= {s.pk for s in Student.objects.expected_on(neighbours.far_today)}  # expected on their own site's day


@pytest.mark.parametrize("write", [roster_mark_all_present, class_day_close])
def test_mark_all_and_close_write_only_the_days_own_children_and_who_did_it(class_day, make_students, staff,
                                                                            neighbours, write):
    children = make_students(3)
    before = timezone.now()
    marked = write(class_day=class_day, by=staff)
    assert {s.pk for s in marked} == {s.pk for s in children}
    rows = list(ours(Attendance).filter(class_day=class_day))
    assert {r.student_id for r in rows} == {s.pk for s in children}
    assert all(r.recorded_by == staff and r.recorded_at >= before for r in rows)
    assert not ours(Attendance).exclude(class_day=class_day).exists()
    neighbours.assert_untouched()


def test_closing_leaves_another_sites_children_unmarked(class_day, make_students, staff, neighbours):
    make_students(1)
    class_day_close(class_day=class_day, by=staff)
    far = [s.pk for s in neighbours.far_children]
    assert not Attendance.objects.filter(class_day=class_day, student__in=far).exists()
    neighbours.assert_untouched()


def test_the_roster_page_never_shows_the_neighbours(staff_client, class_day, make_students, neighbours):
    make_students(2)
    response = staff_client.get(reverse("classroom:roster", args=[class_day.pk]))
    assert response.status_code == 200
    neighbours.assert_unseen(response)
    assert staff_client.get(reverse("classroom:roster", args=[neighbours.far_today.pk])).status_code == 404


@pytest.mark.parametrize("write", [roster_mark_all_present, class_day_close])
def test_mark_all_and_close_say_why_they_refuse(cancelled_day, future_day, make_students, staff, write):
    make_students(2)
    with translation.override("en"):
        with pytest.raises(DomainError, match="^This class day was cancelled: attendance cannot be recorded.$"):
            write(class_day=cancelled_day, by=staff)
        with pytest.raises(DomainError, match="^This class day has not come yet.$"):
            write(class_day=future_day, by=staff)
    assert not ours(Attendance).exists()
