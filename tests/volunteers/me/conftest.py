"""A volunteer with a profile, a paired child full of things the volunteer must never see."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from classroom.factories import (
    ClassDayFactory,
    GuardianFactory,
    HouseholdFactory,
    StudentFactory,
    TutoringRecordFactory,
    UserFactory,
)
from classroom.models import StudentReason
from classroom.models.students import EnrollmentReason
from volunteers.factories import VolunteerFactory
from volunteers.models import SignUp, SignUpAnswer


def ja(message: str) -> str:
    with translation.override("ja"):
        return str(translation.gettext(message))


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


@pytest.fixture
def me(volunteer, site):
    volunteer.email = "yumiko@example.jp"
    volunteer.save(update_fields=["email"])
    return VolunteerFactory(user=volunteer, sites=[site])


@pytest.fixture
def other_volunteer(site):
    return VolunteerFactory(user=UserFactory(username="other-volunteer", last_name="森", first_name="圭",
                                             roles=["volunteer"], email="kei@example.jp"), sites=[site])


@pytest.fixture
def upcoming_day(site):
    return ClassDayFactory(site=site, date=days(3))


@pytest.fixture
def child(site):
    household = HouseholdFactory(address="深谷市秘密町1-2-3", note="家庭の事情メモ")
    GuardianFactory(household=household, family_name="鈴木", given_name="花子", phone="090-1111-2222")
    student = StudentFactory(site=site, household=household, family_name="鈴木", given_name="健太",
                             family_name_kana="すずき", given_name_kana="けんた", nickname="ケンくん",
                             focus_subjects="maths,english", health_notes="卵アレルギーあり",
                             school="深谷市立秘密中学校")
    StudentReason.objects.create(student=student, reason=EnrollmentReason.PUBLIC_ASSISTANCE)
    return student


@pytest.fixture
def sibling(site, child):
    """Another child of the same household, never paired with ``me``."""
    return StudentFactory(site=site, household=child.household, family_name="鈴木", given_name="美咲",
                          nickname="ミサちゃん")


@pytest.fixture
def pair(me, child, upcoming_day):
    """``me`` confirmed for the upcoming day and paired with ``child`` (a planned record)."""
    SignUp.objects.create(volunteer=me, class_day=upcoming_day, answer=SignUpAnswer.CAN_COME,
                          confirmed_at=timezone.now())
    TutoringRecordFactory(class_day=ClassDayFactory(site=child.site, date=days(-14)), student=child,
                          tutor=UserFactory(roles=["volunteer"]), handover_note="一次関数の文章題で止まりがち。図を描くと進む。",
                          written_at=timezone.now())
    return TutoringRecordFactory(class_day=upcoming_day, student=child, tutor=me.user, subjects="maths")


@pytest.fixture(autouse=True)
def _beside_neighbours(neighbours):
    """Every test here runs beside another site's children, days, volunteers, notes and visits
    (tests/neighbours.py): they must stay untouched and unseen."""
    return neighbours
