"""Data shared by the volunteer management tests."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from classroom import rules
from classroom.factories import ClassDayFactory, UserFactory
from volunteers.factories import VolunteerFactory
from volunteers.models import VolunteerAttendance


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def tutor(site):
    """鈴木 一郎: a retired teacher of the persona site, maths at both levels."""
    user = UserFactory(username="suzuki", last_name="鈴木", first_name="一郎", roles=[rules.VOLUNTEER])
    return VolunteerFactory(user=user, kind="retired_teacher", sites=[site],
                            teaching=[("maths", "junior_high"), ("maths", "high_school")])


@pytest.fixture
def other_tutor(other_site):
    """A volunteer of the other site only."""
    user = UserFactory(username="yoso", last_name="余所", first_name="花子", roles=[rules.VOLUNTEER])
    return VolunteerFactory(user=user, sites=[other_site])


@pytest.fixture
def my_profile(volunteer, site):
    """The volunteer persona's own profile."""
    return VolunteerFactory(user=volunteer, sites=[site])


@pytest.fixture
def class_day(site, today):
    return ClassDayFactory(site=site, date=today, start_time=dt.time(17, 0), end_time=dt.time(19, 0))


def came(volunteer, day, start=dt.time(17, 0), end=dt.time(19, 0)):
    return VolunteerAttendance.objects.create(volunteer=volunteer, class_day=day, arrived_at=start, left_at=end)


def volunteers_at(site, count: int):
    return [VolunteerFactory(sites=[site]) for _ in range(count)]


def ensure_groups():
    for name in rules.ROLES:
        Group.objects.get_or_create(name=name)
