"""Class days and children for the roster's tests."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from classroom.factories import ClassDayFactory, StudentFactory
from classroom.models import ClassDayStatus


def today_weekday() -> str:
    return str(timezone.localdate().weekday())


def other_weekday() -> str:
    return str((timezone.localdate().weekday() + 1) % 7)


def ja(message: str) -> str:
    """``message`` as a Japanese user reads it (the catalog's translation, when compiled)."""
    with translation.override("ja"):
        return str(translation.gettext(message))


@pytest.fixture
def class_day(site):
    return ClassDayFactory(site=site, date=timezone.localdate())


@pytest.fixture
def future_day(site):
    return ClassDayFactory(site=site, date=timezone.localdate() + dt.timedelta(days=7))


@pytest.fixture
def cancelled_day(site):
    return ClassDayFactory(site=site, date=timezone.localdate(), start_time=dt.time(13, 0), end_time=dt.time(15, 0),
                           status=ClassDayStatus.CANCELLED, cancel_reason="台風接近のため休室")


@pytest.fixture
def other_day(other_site):
    return ClassDayFactory(site=other_site, date=timezone.localdate())


@pytest.fixture
def make_students(site):
    """``make_students(n)``: n active children of the site who usually come on today's weekday."""

    def _make(n: int, **kwargs):
        kwargs.setdefault("site", site)
        kwargs.setdefault("usual_weekdays", today_weekday())
        return StudentFactory.create_batch(n, **kwargs)

    return _make


@pytest.fixture
def student(make_students):
    return make_students(1, family=("山田", "ヤマダ"), given=("花子", "ハナコ"), nickname="はなちゃん")[0]


@pytest.fixture(autouse=True)
def _beside_neighbours(neighbours):
    """Every test here runs beside another site's children, days, volunteers, notes and visits
    (tests/neighbours.py): they must stay untouched and unseen."""
    return neighbours
