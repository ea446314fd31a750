"""A class day next week, children expected on it, and volunteers who signed up."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from classroom.factories import ClassDayFactory, StudentFactory
from classroom.grades import Grade
from volunteers.factories import VolunteerFactory
from volunteers.models import SignUp, SignUpAnswer


@pytest.fixture(autouse=True)
def english(settings):
    """Pages and messages in English, so that tests read the msgids."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def day(site):
    return ClassDayFactory(site=site, date=timezone.localdate() + dt.timedelta(days=7))


@pytest.fixture
def other_day(other_site):
    return ClassDayFactory(site=other_site, date=timezone.localdate() + dt.timedelta(days=7))


@pytest.fixture
def make_children(site, day):
    """``make_children(n)``: junior-high children needing maths, expected on ``day``."""

    def _make(n: int, **kwargs):
        kwargs.setdefault("site", site)
        kwargs.setdefault("usual_weekdays", str(day.date.weekday()))
        kwargs.setdefault("school_grade", Grade.J2)
        kwargs.setdefault("focus_subjects", "maths")
        return StudentFactory.create_batch(n, **kwargs)

    return _make


@pytest.fixture
def make_volunteer(site, day):
    """``make_volunteer(answer="can", confirmed=True, **factory_kwargs)``: a volunteer signed up for ``day``."""

    def _make(answer=SignUpAnswer.CAN_COME, confirmed=True, **kwargs):
        kwargs.setdefault("sites", [site])
        kwargs.setdefault("teaching", [("maths", "junior_high")])
        volunteer = VolunteerFactory(**kwargs)
        if answer:
            SignUp.objects.create(volunteer=volunteer, class_day=day, answer=answer,
                                  confirmed_at=timezone.now() if confirmed and answer == SignUpAnswer.CAN_COME else None)
        return volunteer

    return _make


@pytest.fixture(autouse=True)
def _beside_neighbours(neighbours):
    """Every test here runs beside another site's children, days, volunteers, notes and visits
    (tests/neighbours.py): they must stay untouched and unseen."""
    return neighbours
