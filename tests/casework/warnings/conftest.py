"""Hand-built attendance histories for the early-warning rules."""

import datetime as dt

import pytest
from django.utils import timezone

from casework.models import Contact, FollowUpAction, HomeVisit, RecordStatus
from classroom.factories import AttendanceFactory, ClassDayFactory, StudentFactory
from classroom.models import ClassDayStatus

TODAY = dt.date(2026, 11, 27)  # a Friday


def at(day: dt.date, hour: int = 18) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def today():
    return TODAY


@pytest.fixture
def child(site, staff):
    """Enrolled long ago, in the staff persona's charge."""
    return StudentFactory(site=site, family_name="森", given_name="大地", family_name_kana="モリ",
                          given_name_kana="ダイチ", enrolled_on=TODAY - dt.timedelta(days=400), staff_in_charge=staff)


@pytest.fixture
def history(site):
    """``history(student, [(days_ago, status), ...], cancelled=())``: attendance on class days of the site."""

    def build(student, entries, *, cancelled=()):
        for days_ago, status in entries:
            day = ClassDayFactory(site=site, date=TODAY - dt.timedelta(days=days_ago),
                                  status=ClassDayStatus.CANCELLED if days_ago in cancelled else ClassDayStatus.HELD)
            AttendanceFactory(class_day=day, student=student, status=status)

    return build


def make_visit(student, day, *, status=RecordStatus.DONE, next_visit_due=None, by=None):
    visit = HomeVisit.objects.create(student=student, visited_at=at(day), status=status, next_visit_due=next_visit_due,
                                     purpose="regular", created_by=by)
    if by:
        visit.staff.add(by)
    return visit


def make_contact(student, day, *, status=RecordStatus.DONE, by=None, kind="phone"):
    return Contact.objects.create(student=student, kind=kind, contacted_at=at(day, 10), status=status, staff=by,
                                  notes="母親と電話で話した")


def make_follow_up(student, due_on, *, done_on=None, owner=None, description="学校へ連絡する"):
    contact = make_contact(student, due_on - dt.timedelta(days=10), by=owner)
    return FollowUpAction.objects.create(student=student, contact=contact, description=description, owner=owner,
                                         due_on=due_on, done_on=done_on)



@pytest.fixture(autouse=True)
def _beside_neighbours(neighbours):
    """Every test here runs beside another site's children, days, volunteers, notes and visits
    (tests/neighbours.py): they must stay untouched and unseen."""
    return neighbours
