"""Pinned pairing rankings: the order the solver must keep between tutors, whatever the weights become.

Each case is small enough to check by hand; the tables hold the boundaries (one continuity session
against a preferred tutor, two against it; capacity used up by a kept pair or not).
"""

import pytest
from django.utils import translation

from volunteers import pairing
from volunteers.pairing import HIGH_SCHOOL, JUNIOR_HIGH, Child, Tutor, is_allowed, propose, score

MATHS_JH = frozenset({("maths", JUNIOR_HIGH)})
ENGLISH_JH = frozenset({("english", JUNIOR_HIGH)})
ENGLISH_HS = frozenset({("english", HIGH_SCHOOL)})
MATHS_HS = frozenset({("maths", HIGH_SCHOOL)})


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def pairs_of(proposal):
    return {p.child_id: p.tutor_id for p in proposal.pairs}


# --- Subject fit: more of the child's subjects ranks higher -------------------------------------
@pytest.mark.parametrize("order", [0, 1])
def test_a_tutor_fitting_two_of_two_subjects_beats_one_of_two(order):
    child = Child(1, JUNIOR_HIGH, needs=("maths", "english"))
    one, both = Tutor(10, MATHS_JH), Tutor(20, MATHS_JH | ENGLISH_JH)
    assert score(child, both)[0] > score(child, one)[0]
    tutors = [one, both] if order == 0 else [both, one]
    assert pairs_of(propose([child], tutors)) == {1: 20}


def test_subject_fit_is_the_share_of_the_childs_subjects():
    child = Child(1, JUNIOR_HIGH, needs=("maths", "english"))
    assert score(child, Tutor(10, MATHS_JH))[0] == pairing.BASE + pairing.SUBJECT_FIT / 2
    assert score(child, Tutor(20, MATHS_JH | ENGLISH_JH))[0] == pairing.BASE + pairing.SUBJECT_FIT
    assert pairing.fitting_subjects(child, Tutor(20, MATHS_JH | ENGLISH_JH)) == ["maths", "english"]


def test_two_children_each_get_the_tutor_who_fits_them():
    maths, english = Child(1, JUNIOR_HIGH, needs=("maths",)), Child(2, JUNIOR_HIGH, needs=("english",))
    tutors = [Tutor(10, ENGLISH_JH), Tutor(20, MATHS_JH)]
    assert pairs_of(propose([maths, english], tutors)) == {1: 20, 2: 10}


# --- Capacity ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("capacity", "second_paired"), [(1, False), (2, True), (3, True)])
def test_a_kept_pair_uses_one_place_and_the_rest_are_offered(capacity, second_paired):
    kept, newcomer = Child(1, JUNIOR_HIGH, needs=("maths",)), Child(2, JUNIOR_HIGH, needs=("maths",))
    proposal = propose([kept, newcomer], [Tutor(10, MATHS_JH, capacity=capacity)], keep={1: 10})
    assert proposal.pairs[0].kept and proposal.pairs[0].child_id == 1
    assert (proposal.tutor_of(2) == 10) is second_paired
    assert (not proposal.unpaired) is second_paired


def test_capacity_two_takes_two_new_children_and_no_third():
    children = [Child(n, JUNIOR_HIGH, needs=("maths",)) for n in (1, 2, 3)]
    proposal = propose(children, [Tutor(10, MATHS_JH, capacity=2)])
    assert len(proposal.pairs) == 2 and len(proposal.unpaired) == 1
    assert "as many children as they take" in proposal.unpaired[0].reason


# --- Children of no known level ----------------------------------------------------------------
@pytest.mark.parametrize(("teaches", "allowed"), [
    (MATHS_JH, False),     # none of the child's subjects
    (MATHS_HS, False),
    (ENGLISH_JH, True),    # the child's subject, at any level
    (ENGLISH_HS, True),
])
def test_a_child_with_no_level_never_gets_a_tutor_teaching_none_of_their_subjects(teaches, allowed):
    child = Child(1, None, needs=("english",))
    tutor = Tutor(10, teaches)
    assert is_allowed(child, tutor) is allowed
    assert (score(child, tutor)[0] == pairing.FORBIDDEN) is not allowed
    proposal = propose([child], [tutor])
    assert (proposal.tutor_of(1) == 10) is allowed
    if not allowed:
        assert proposal.unpaired[0].reason.startswith("No confirmed volunteer teaches English at")


def test_a_child_with_no_level_and_no_subjects_takes_any_tutor():
    assert pairs_of(propose([Child(1, None)], [Tutor(10, MATHS_HS)])) == {1: 10}


@pytest.mark.parametrize(("teaches", "allowed"), [(MATHS_JH, True), (MATHS_HS, False), (frozenset(), False)])
def test_a_child_with_no_subjects_gets_a_tutor_of_their_level(teaches, allowed):
    assert is_allowed(Child(1, JUNIOR_HIGH), Tutor(10, teaches)) is allowed


def test_do_not_pair_is_never_proposed_even_as_the_only_tutor():
    child = Child(1, JUNIOR_HIGH, needs=("maths",), avoid=frozenset({10}))
    proposal = propose([child], [Tutor(10, MATHS_JH)])
    assert proposal.pairs == [] and "marked not to be paired" in proposal.unpaired[0].reason


# --- A preferred tutor against continuity ------------------------------------------------------
@pytest.mark.parametrize(("recent", "winner"), [
    ((), 20),              # nothing to continue: the preferred tutor
    ((10,), 20),           # one session with the usual tutor: preferred (15) beats continuity (10)
    ((10, 10), 10),        # two sessions: continuity (20) beats preferred (15)
    ((10, 30, 30), 20),    # only the latest three sessions count, and only the usual tutor's
    ((30, 30, 30, 10, 10), 20),
])
def test_a_preferred_tutor_against_continuity(recent, winner):
    child = Child(1, JUNIOR_HIGH, needs=("maths",), recent_tutors=recent, preferred=frozenset({20}))
    tutors = [Tutor(10, MATHS_JH), Tutor(20, MATHS_JH)]
    assert pairs_of(propose([child], tutors)) == {1: winner}


def test_the_continuity_reason_counts_the_sessions():
    child = Child(1, JUNIOR_HIGH, needs=("maths",), recent_tutors=(10, 30, 10, 10))
    value, reasons = score(child, Tutor(10, MATHS_JH))
    assert value == pairing.BASE + 2 * pairing.CONTINUITY + pairing.SUBJECT_FIT
    assert "same tutor as 2 of the last 3 sessions" in reasons


def test_the_solver_pairs_as_many_children_as_it_can_before_the_score():
    """Two children, two tutors: the best single pair would leave a child out; both are paired instead."""
    fits_both = Child(1, JUNIOR_HIGH, needs=("maths",), preferred=frozenset({10}))
    only_one = Child(2, JUNIOR_HIGH, needs=("maths",), avoid=frozenset({20}))
    assert pairs_of(propose([fits_both, only_one], [Tutor(10, MATHS_JH), Tutor(20, MATHS_JH)])) == {1: 20, 2: 10}
