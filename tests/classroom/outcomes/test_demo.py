"""The demo's outcomes: last fiscal year's and this one's so far, all valid, some still to record, and the
early warning's high-school student who stopped coming has none of this year."""

import factory.random
import pytest
from django.utils import timezone

from casework import warnings
from casework.demo import seed_warnings_demo
from classroom.demo import ClassroomDemo, seed_outcomes
from classroom.grades import fiscal_year_of
from classroom.models import Outcome, Student
from classroom.models.outcomes import to_record

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _beside_neighbours():
    """The demo fills an empty database: no neighbours here."""


def test_the_demo_records_two_fiscal_years_of_outcomes():
    factory.random.reseed_random(7)
    demo = ClassroomDemo()
    demo.seed(30)
    counts = seed_outcomes(demo)
    this_year = fiscal_year_of(timezone.localdate())
    outcomes = list(Outcome.objects.select_related("student"))
    assert counts == {"outcomes": len(outcomes)}
    for outcome in outcomes:
        outcome.full_clean()
    by_year = {(o.fiscal_year, o.stage) for o in outcomes}
    assert {(this_year - 1, "entry"), (this_year - 1, "high_school"), (this_year, "high_school")} <= by_year
    left = [o for o in outcomes if o.result == "left_school"]
    assert len(left) == 1 and left[0].reason and left[0].decided_on
    assert to_record(Student.objects.all(), this_year).exists()  # the list has work in it


def test_with_case_work_the_demo_shows_a_high_school_student_who_stopped_coming():
    factory.random.reseed_random(7)
    demo = ClassroomDemo()
    demo.seed(30)
    seed_outcomes(demo)
    seed_warnings_demo(demo)
    report = warnings.compute(demo.sites)
    assert report.of_kind(warnings.HS_STOPPED)
    assert {kind for kind, n in report.counts().items() if n} == set(warnings.KINDS)
