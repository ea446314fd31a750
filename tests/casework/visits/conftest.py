import datetime as dt

import pytest
from django.utils import timezone

from casework.models import FollowUpAction, HomeVisit, RecordStatus
from classroom import rules
from classroom.factories import (
    ConsentFactory,
    GuardianFactory,
    HouseholdContactFactory,
    HouseholdFactory,
    StudentFactory,
    UserFactory,
)
from classroom.models import HouseholdContact


@pytest.fixture
def household(db):
    household = HouseholdFactory()
    GuardianFactory(household=household, family_name="鈴木", given_name="由紀")
    return household


@pytest.fixture
def student(site, household):
    return StudentFactory(site=site, household=household, family_name="鈴木", given_name="陽翔",
                          family_name_kana="スズキ", given_name_kana="ハルト")


@pytest.fixture
def caseworker(household):
    return HouseholdContactFactory(household=household, kind=HouseholdContact.Kind.CASEWORKER, name="守田 和夫")


@pytest.fixture
def consent(student):
    return ConsentFactory(student=student, partners="深谷市 福祉事務所、在籍校")


@pytest.fixture
def other_staff(other_site):
    return UserFactory(username="other-staff", roles=[rules.STAFF], sites=[other_site])


@pytest.fixture
def colleague(site):
    return UserFactory(username="colleague", last_name="中村", first_name="花子", roles=[rules.STAFF], sites=[site])


@pytest.fixture
def make_visit(staff):
    def _make(student, *, status=RecordStatus.DONE, by=None, **kwargs):
        kwargs.setdefault("visited_at", timezone.now() - dt.timedelta(days=1))
        kwargs.setdefault("family_met", True)
        visit = HomeVisit.objects.create(student=student, status=status, created_by=by or staff, **kwargs)
        visit.staff.set([by or staff])
        return visit

    return _make


@pytest.fixture
def make_follow_up(staff):
    def _make(visit, *, due_on=None, **kwargs):
        return FollowUpAction.objects.create(
            student=visit.student, visit=visit, description=kwargs.pop("description", "学校と面談する"),
            owner=kwargs.pop("owner", staff), due_on=due_on or timezone.localdate() + dt.timedelta(days=7), **kwargs,
        )

    return _make


@pytest.fixture(autouse=True)
def _beside_neighbours(neighbours):
    """Every test here runs beside another site's children, days, volunteers, notes and visits
    (tests/neighbours.py): they must stay untouched and unseen."""
    return neighbours
