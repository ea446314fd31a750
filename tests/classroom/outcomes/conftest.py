import pytest
from django.test import Client
from django.utils import timezone

from classroom import rules
from classroom.factories import StudentFactory, UserFactory
from classroom.grades import Grade, fiscal_year_of


@pytest.fixture
def this_year():
    return fiscal_year_of(timezone.localdate())


@pytest.fixture
def student(site):
    """In 中3 today: the stage defaults to the high-school entry."""
    return StudentFactory(site=site, family_name="小林", given_name="蓮", family_name_kana="コバヤシ",
                          given_name_kana="レン", school_grade=Grade.J3, school="深谷市立南中学校")


@pytest.fixture
def colleague_client(site):
    client = Client()
    client.force_login(UserFactory(username="colleague", last_name="中村", first_name="花子", roles=[rules.STAFF],
                                   sites=[site]))
    return client


@pytest.fixture(autouse=True)
def _beside_neighbours(neighbours):
    """Another site's children and records: never shown, never touched (tests/neighbours.py)."""
    return neighbours
