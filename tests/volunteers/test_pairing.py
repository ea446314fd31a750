"""The pairing solver on small cases checked by hand."""

import pytest
from django.utils import translation

from volunteers.pairing import HIGH_SCHOOL, JUNIOR_HIGH, Child, Tutor, propose, score

MATHS_JH = frozenset({("maths", JUNIOR_HIGH)})
MATHS_BOTH = frozenset({("maths", JUNIOR_HIGH), ("maths", HIGH_SCHOOL)})
ENGLISH_JH = frozenset({("english", JUNIOR_HIGH)})


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def pairs_of(proposal):
    return {p.child_id: p.tutor_id for p in proposal.pairs}


def test_continuity_wins_over_a_better_subject_fit():
    child = Child(1, JUNIOR_HIGH, needs=("maths", "english"), recent_tutors=(10, 10, 10))
    usual = Tutor(10, MATHS_JH)
    covers_both = Tutor(20, MATHS_JH | ENGLISH_JH)
    proposal = propose([child], [covers_both, usual])
    assert pairs_of(proposal) == {1: 10}
    assert "same tutor as 3 of the last 3 sessions" in proposal.pairs[0].explanation
    assert "Maths at junior high level fits" in proposal.pairs[0].explanation


def test_continuity_outweighs_a_preferred_tutor():
    child = Child(1, JUNIOR_HIGH, needs=("maths",), recent_tutors=(10, 10), preferred=frozenset({20}))
    assert pairs_of(propose([child], [Tutor(10, MATHS_JH), Tutor(20, MATHS_JH)])) == {1: 10}
    newcomer = Child(2, JUNIOR_HIGH, needs=("maths",), preferred=frozenset({20}))
    proposal = propose([newcomer], [Tutor(10, MATHS_JH), Tutor(20, MATHS_JH)])
    assert pairs_of(proposal) == {2: 20}
    assert "the child's preferred tutor" in proposal.pairs[0].explanation


def test_a_junior_high_only_tutor_is_never_proposed_for_high_school_maths():
    senior = Child(1, HIGH_SCHOOL, needs=("maths",), recent_tutors=(10, 10, 10))
    proposal = propose([senior], [Tutor(10, MATHS_JH, capacity=3)])
    assert proposal.pairs == []
    assert proposal.unpaired[0].reason == "No confirmed volunteer teaches Maths at high school level."
    assert score(senior, Tutor(10, MATHS_JH))[0] < 0


def test_level_fit_is_per_subject():
    senior = Child(1, HIGH_SCHOOL, needs=("english",))
    tutor = Tutor(10, frozenset({("maths", HIGH_SCHOOL), ("english", JUNIOR_HIGH)}))
    assert pairs_of(propose([senior], [tutor])) == {}


def test_capacity_is_respected_and_the_solver_pairs_as_many_children_as_it_can():
    children = [Child(i, JUNIOR_HIGH, needs=("maths",), recent_tutors=(10,)) for i in range(1, 5)]
    tutors = [Tutor(10, MATHS_JH, capacity=2), Tutor(20, MATHS_BOTH, capacity=1)]
    proposal = propose(children, tutors)
    assigned = list(pairs_of(proposal).values())
    assert assigned.count(10) == 2 and assigned.count(20) == 1
    assert len(proposal.unpaired) == 1
    assert proposal.unpaired[0].reason == "Every volunteer who fits already has as many children as they take."


def test_maximum_pairs_first_then_score():
    # Child 1 would score higher with tutor 10, but only tutor 10 can teach child 2.
    child1 = Child(1, JUNIOR_HIGH, needs=("maths",), recent_tutors=(10,))
    child2 = Child(2, HIGH_SCHOOL, needs=("maths",))
    tutors = [Tutor(10, MATHS_BOTH), Tutor(20, MATHS_JH)]
    assert pairs_of(propose([child1, child2], tutors)) == {1: 20, 2: 10}


def test_pairs_not_to_match_are_never_proposed():
    child = Child(1, JUNIOR_HIGH, needs=("maths",), recent_tutors=(10, 10, 10), avoid=frozenset({10}))
    proposal = propose([child], [Tutor(10, MATHS_JH)])
    assert proposal.pairs == []
    assert proposal.unpaired[0].reason == "Every confirmed volunteer is marked not to be paired with this child."


def test_no_volunteers_confirmed():
    proposal = propose([Child(1, JUNIOR_HIGH, needs=("maths",))], [])
    assert proposal.unpaired[0].reason == "No volunteer is confirmed for this class day."


def test_kept_pairs_stay_and_use_up_capacity():
    children = [Child(1, JUNIOR_HIGH, needs=("maths",)), Child(2, JUNIOR_HIGH, needs=("maths",), recent_tutors=(10,))]
    proposal = propose(children, [Tutor(10, MATHS_JH, capacity=1), Tutor(20, MATHS_JH)], keep={1: 10})
    assert pairs_of(proposal) == {1: 10, 2: 20}
    assert proposal.pairs[0].kept and "confirmed earlier" in proposal.pairs[0].explanation


def test_a_child_without_known_needs_is_paired_by_level():
    child = Child(1, HIGH_SCHOOL)
    proposal = propose([child], [Tutor(10, MATHS_JH), Tutor(20, frozenset({("science", HIGH_SCHOOL)}))])
    assert pairs_of(proposal) == {1: 20}
    assert "teaches at high school level" in proposal.pairs[0].explanation
