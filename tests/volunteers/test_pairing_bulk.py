"""The bulk scores (``score_matrix``) against the readable per-pair ``score()``, and the proposal
against the solver as it was before the scores went bulk (kept here as the reference)."""

import math

import numpy as np
import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from volunteers import pairing
from volunteers.pairing import FORBIDDEN, HIGH_SCHOOL, JUNIOR_HIGH, Child, Pair, Proposal, Tutor, Unpaired

SUBJECTS = ["maths", "english", "japanese", "science"]
TUTOR_IDS = list(range(10, 18))
BOUNDED = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def reference_unpaired_reason(child, tutors, places_left):
    """The unpaired reason as it was computed pair by pair."""
    from django.utils.translation import gettext as _

    if not tutors:
        return _("No volunteer is confirmed for this class day.")
    allowed = [t for t in tutors if pairing.is_allowed(child, t)]
    if not allowed:
        if all(t.id in child.avoid for t in tutors):
            return _("Every confirmed volunteer is marked not to be paired with this child.")
        if child.needs:
            return _("No confirmed volunteer teaches %(subjects)s at %(level)s level.") % {
                "subjects": pairing.subjects_label(child.needs), "level": pairing.level_label(child.level)}
        return _("No confirmed volunteer teaches at %(level)s level.") % {"level": pairing.level_label(child.level)}
    if all(places_left.get(t.id, 0) <= 0 for t in allowed):
        return _("Every volunteer who fits already has as many children as they take.")
    return _("Other children fit the available volunteers better.")


def reference_propose(children, tutors, keep=None):
    """The solver before bulk scores: ``score()`` (value and reasons) for every child x tutor pair."""
    from django.utils.translation import gettext as _

    keep = dict(keep or {})
    by_id = {t.id: t for t in tutors}
    places = {t.id: t.capacity for t in tutors}
    pairs = []
    for child in children:
        tutor_id = keep.get(child.id)
        if tutor_id is not None:
            tutor = by_id.get(tutor_id)
            reasons = [_("confirmed earlier")]
            if tutor is not None:
                reasons += pairing.score(child, tutor)[1]
                places[tutor_id] -= 1
            pairs.append(Pair(child.id, tutor_id, 0.0, reasons, kept=True))
    open_children = [c for c in children if c.id not in keep]
    open_tutors = [t for t in tutors if places[t.id] > 0]
    unpaired = []
    total = 0.0
    if open_children and open_tutors:
        by_tutor = np.full((len(open_children), len(open_tutors)), FORBIDDEN)
        reasons = {}
        for i, child in enumerate(open_children):
            for k, tutor in enumerate(open_tutors):
                by_tutor[i, k], reasons[(i, k)] = pairing.score(child, tutor)
        slot_tutor = np.repeat(np.arange(len(open_tutors)), [places[t.id] for t in open_tutors])
        matrix = by_tutor[:, slot_tutor]
        rows, cols = linear_sum_assignment(matrix, maximize=True)
        chosen = matrix[rows, cols]
        total = math.fsum(chosen[chosen > FORBIDDEN / 2])
        for i, j in zip(rows, cols, strict=True):
            if matrix[i, j] <= FORBIDDEN / 2:
                continue
            k = int(slot_tutor[j])
            places[open_tutors[k].id] -= 1
            pairs.append(Pair(open_children[i].id, open_tutors[k].id, float(matrix[i, j]), reasons[(i, k)]))
    paired = {p.child_id for p in pairs}
    for child in open_children:
        if child.id not in paired:
            unpaired.append(Unpaired(child.id, reference_unpaired_reason(child, tutors, places)))
    order = {c.id: n for n, c in enumerate(children)}
    pairs.sort(key=lambda p: order[p.child_id])
    return Proposal(pairs, unpaired), total


levels = st.sampled_from([JUNIOR_HIGH, HIGH_SCHOOL, None])
tutor_ids = st.sampled_from([*TUTOR_IDS, 99])  # 99: a tutor of the history who is not confirmed today


@st.composite
def children(draw):
    n = draw(st.integers(min_value=0, max_value=8))
    return [Child(
        id=i, level=draw(levels),
        needs=tuple(draw(st.lists(st.sampled_from(SUBJECTS), max_size=3, unique=True))),
        recent_tutors=tuple(draw(st.lists(tutor_ids, max_size=5))),
        preferred=frozenset(draw(st.sets(tutor_ids, max_size=2))),
        avoid=frozenset(draw(st.sets(tutor_ids, max_size=2))),
    ) for i in range(1, n + 1)]


@st.composite
def tutors(draw):
    ids = draw(st.lists(st.sampled_from(TUTOR_IDS), max_size=6, unique=True))
    teaches = st.frozensets(st.tuples(st.sampled_from(SUBJECTS), st.sampled_from([JUNIOR_HIGH, HIGH_SCHOOL])),
                            max_size=4)
    return [Tutor(id=i, teaches=draw(teaches), capacity=draw(st.integers(min_value=0, max_value=3))) for i in ids]


@BOUNDED
@given(children(), tutors())
def test_bulk_scores_equal_the_per_pair_score(kids, people):
    values, allowed, avoided = pairing.score_matrix(kids, people)
    assert values.shape == allowed.shape == avoided.shape == (len(kids), len(people))
    for i, child in enumerate(kids):
        for k, tutor in enumerate(people):
            value, _reasons = pairing.score(child, tutor)
            assert values[i, k] == value  # exact: the same additions in the same order
            assert allowed[i, k] == pairing.is_allowed(child, tutor)
            assert avoided[i, k] == (tutor.id in child.avoid)


@BOUNDED
@given(children(), tutors(), st.data())
def test_the_proposal_is_the_reference_solvers(kids, people, data):
    keep = {}
    if kids and people:
        kept = data.draw(st.lists(st.sampled_from([c.id for c in kids]), unique=True, max_size=2))
        keep = {child_id: data.draw(st.sampled_from([t.id for t in people])) for child_id in kept}
    expected, expected_total = reference_propose(kids, people, keep)
    proposal = pairing.propose(kids, people, keep)
    assert proposal.pairs == expected.pairs  # who, with whom, the score and the reasons
    assert proposal.unpaired == expected.unpaired
    # The assignment's total score (the pairs the solver made, not the kept ones) is the reference's.
    assert math.fsum(p.score for p in proposal.pairs if not p.kept) == expected_total


def test_a_thousand_children_are_scored_without_a_reason_per_pair(monkeypatch):
    """Reasons are written for the proposed pairs only: ``score()`` runs once per pair proposed."""
    kids = [Child(i, JUNIOR_HIGH, needs=("maths",), recent_tutors=(10 + i % 50,)) for i in range(1000)]
    people = [Tutor(10 + k, frozenset({("maths", JUNIOR_HIGH)}), capacity=1) for k in range(500)]
    calls = []
    real_score = pairing.score
    monkeypatch.setattr(pairing, "score", lambda child, tutor: calls.append(1) or real_score(child, tutor))
    proposal = pairing.propose(kids, people)
    assert len(proposal.pairs) == 500 and len(proposal.unpaired) == 500
    assert len(calls) == 500
