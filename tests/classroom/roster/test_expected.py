"""One definition of "the children expected on a class day", and every screen that counts them agrees with it.

Expected: the active children of the class day's site whose usual weekdays include its weekday.
The roster and "close" use it as it is; pairing plans for the expected children less those who
told in advance they would be absent.
"""

import datetime as dt

import pytest
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from classroom.factories import AttendanceFactory, ClassDayFactory, StudentFactory
from classroom.models import AttendanceStatus, ClassDay, Student, StudentStatus
from classroom.services.attendance import RosterCounts, unmarked_expected_students, with_roster_counts
from volunteers.services.pairing import expected_students as pairing_students
from volunteers.services.planning import planning_days


def _weekday(day: dt.date) -> str:
    return str(day.weekday())


@pytest.fixture
def day(site):
    return ClassDayFactory(site=site, date=timezone.localdate() + dt.timedelta(days=1))


@pytest.fixture
def children(day, site, other_site):
    """One child of each kind: who is expected and who is not."""
    today = _weekday(day.date)
    other = str((day.date.weekday() + 1) % 7)
    return {
        "expected": StudentFactory(site=site, usual_weekdays=today, status=StudentStatus.ACTIVE),
        "expected_of_two_days": StudentFactory(site=site, usual_weekdays="".join(sorted({today, other})),
                                               status=StudentStatus.ACTIVE),
        "told_absent": StudentFactory(site=site, usual_weekdays=today, status=StudentStatus.ACTIVE),
        "other_weekday": StudentFactory(site=site, usual_weekdays=other, status=StudentStatus.ACTIVE),
        "no_weekday": StudentFactory(site=site, usual_weekdays="", status=StudentStatus.ACTIVE),
        "paused": StudentFactory(site=site, usual_weekdays=today, status=StudentStatus.PAUSED),
        "left": StudentFactory(site=site, usual_weekdays=today, status=StudentStatus.LEFT),
        "other_site": StudentFactory(site=other_site, usual_weekdays=today, status=StudentStatus.ACTIVE),
    }


EXPECTED = {"expected", "expected_of_two_days", "told_absent"}


def _names(children, students) -> set[str]:
    by_pk = {child.pk: name for name, child in children.items()}
    return {by_pk[s.pk] for s in students if s.pk in by_pk}


def test_expected_on_is_the_active_children_of_the_site_on_their_weekday(day, children):
    assert _names(children, Student.objects.expected_on(day)) == EXPECTED


def test_is_expected_on_says_the_same_for_one_child(day, children):
    assert {name for name, child in children.items() if child.is_expected_on(day)} == EXPECTED


def test_a_child_of_another_site_is_not_expected_even_on_their_weekday(day, children):
    assert not children["other_site"].is_expected_on(day)


def test_the_weekday_digit_of_a_class_day_is_the_one_usual_weekdays_store(site):
    start = timezone.localdate()
    days = [ClassDayFactory(site=site, date=start + dt.timedelta(days=n)) for n in range(7)]
    digits = dict(ClassDay.objects.filter(pk__in=[d.pk for d in days]).with_weekday().values_list("pk", "weekday_digit"))
    assert digits == {d.pk: _weekday(d.date) for d in days}


def test_expected_per_class_day_in_one_query_matches_expected_on(site, other_site, children, day):
    days = [day, ClassDayFactory(site=site, date=day.date + dt.timedelta(days=1)),
            ClassDayFactory(site=other_site, date=day.date)]
    counted = Student.objects.expected(site=OuterRef("site"), weekday=OuterRef("weekday_digit"))
    annotated = ClassDay.objects.filter(pk__in=[d.pk for d in days]).with_weekday().annotate(n=Coalesce(Subquery(
        counted.order_by().values("site").annotate(c=Count("pk")).values("c"), output_field=IntegerField()), 0))
    assert {d.pk: d.n for d in annotated} == {d.pk: Student.objects.expected_on(d).count() for d in days}


def test_the_roster_close_and_counts_use_the_expected_children(day, children):
    AttendanceFactory(class_day=day, student=children["told_absent"], status=AttendanceStatus.ABSENT_NOTICE)
    assert _names(children, unmarked_expected_students(day)) == EXPECTED - {"told_absent"}
    counts = RosterCounts.of(with_roster_counts(ClassDay.objects.all()).get(pk=day.pk))
    assert counts.unmarked == len(EXPECTED - {"told_absent"})


def test_pairing_plans_for_the_expected_children_less_those_told_absent(day, children, coordinator):
    AttendanceFactory(class_day=day, student=children["told_absent"], status=AttendanceStatus.ABSENT_NOTICE)
    AttendanceFactory(class_day=day, student=children["expected"], status=AttendanceStatus.PRESENT)
    assert _names(children, pairing_students(day)) == EXPECTED - {"told_absent"}
    (planned,) = [d for d in planning_days(user=coordinator) if d.pk == day.pk]
    assert planned.expected == len(EXPECTED - {"told_absent"})


def test_a_cancelled_day_expects_nobody_in_planning(day, children, coordinator):
    ClassDay.objects.filter(pk=day.pk).update(status="cancelled")
    (planned,) = [d for d in planning_days(user=coordinator) if d.pk == day.pk]
    assert planned.expected == 0
