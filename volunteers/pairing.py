"""Proposing one-to-one pairs of children and volunteer tutors for a class day.

The proposal is an optimal assignment (scipy's ``linear_sum_assignment``) over a score:

* continuity weighs most: each of the child's last three sessions with the same tutor adds
  ``CONTINUITY``; trust is the point of this classroom;
* a preferred tutor kept by staff adds ``PREFERRED``;
* subject fit: the share of the child's current subjects the tutor teaches at the child's
  level adds up to ``SUBJECT_FIT``.

Some pairs are never proposed: a pair staff marked not to match, and a tutor who does not
teach any of the child's subjects at the child's level (a volunteer who teaches only junior
high is not matched to a 高2 for maths). A tutor who takes several children appears as several
columns, one per place. Forbidden cells carry a cost so large that the solver first pairs as
many children as it can and only then maximises the score.

This module is pure: the service in ``volunteers.services.pairing`` loads the data and saves the pairs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from scipy.optimize import linear_sum_assignment

from classroom.models import Subject

JUNIOR_HIGH = "junior_high"
HIGH_SCHOOL = "high_school"

CONTINUITY = 10.0
RECENT_SESSIONS = 3
PREFERRED = 15.0
SUBJECT_FIT = 8.0
BASE = 1.0
FORBIDDEN = -1e6


def level_label(level: str | None) -> str:
    if level == JUNIOR_HIGH:
        return _("junior high")
    if level == HIGH_SCHOOL:
        return _("high school")
    return _("any level")


@lru_cache(maxsize=8)
def _subject_labels(language: str | None) -> dict[str, str]:
    """The subjects' labels in ``language``, translated once: reasons name them for every pair proposed."""
    return {code: str(label) for code, label in Subject.choices}


def subjects_label(subjects: Iterable[str]) -> str:
    labels = _subject_labels(get_language())
    return "、".join(labels.get(s, s) for s in subjects)


@dataclass(frozen=True)
class Child:
    id: int
    level: str | None  # JUNIOR_HIGH, HIGH_SCHOOL, or None when any level will do
    needs: tuple[str, ...] = ()  # subject codes, most pressing first
    recent_tutors: tuple[int, ...] = ()  # tutor ids of the latest sessions, newest first
    preferred: frozenset[int] = frozenset()
    avoid: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Tutor:
    id: int
    teaches: frozenset[tuple[str, str]]  # (subject, level) pairs
    capacity: int = 1


@dataclass
class Pair:
    child_id: int
    tutor_id: int
    score: float
    reasons: list[str] = field(default_factory=list)
    kept: bool = False

    @property
    def explanation(self) -> str:
        return "、".join(self.reasons)


@dataclass
class Unpaired:
    child_id: int
    reason: str


@dataclass
class Proposal:
    pairs: list[Pair]
    unpaired: list[Unpaired]

    def tutor_of(self, child_id: int) -> int | None:
        return next((p.tutor_id for p in self.pairs if p.child_id == child_id), None)


def fitting_subjects(child: Child, tutor: Tutor) -> list[str]:
    """The child's subjects the tutor teaches at the child's level."""
    if child.level is None:
        taught = {subject for subject, _level in tutor.teaches}
        return [s for s in child.needs if s in taught]
    return [s for s in child.needs if (s, child.level) in tutor.teaches]


def teaches_level(child: Child, tutor: Tutor) -> bool:
    return child.level is None or any(level == child.level for _s, level in tutor.teaches)


def is_allowed(child: Child, tutor: Tutor) -> bool:
    if tutor.id in child.avoid:
        return False
    if child.needs:
        return bool(fitting_subjects(child, tutor))
    return teaches_level(child, tutor)


def score(child: Child, tutor: Tutor) -> tuple[float, list[str]]:
    """The score of a pair and the reasons a person reads; FORBIDDEN when it is never proposed."""
    if not is_allowed(child, tutor):
        return FORBIDDEN, []
    value, reasons = BASE, []
    recent = sum(1 for t in child.recent_tutors[:RECENT_SESSIONS] if t == tutor.id)
    if recent:
        value += CONTINUITY * recent
        reasons.append(_("same tutor as %(count)d of the last %(total)d sessions")
                       % {"count": recent, "total": min(len(child.recent_tutors), RECENT_SESSIONS)})
    if tutor.id in child.preferred:
        value += PREFERRED
        reasons.append(_("the child's preferred tutor"))
    fits = fitting_subjects(child, tutor)
    if child.needs:
        value += SUBJECT_FIT * len(fits) / len(child.needs)
        reasons.append(_("%(subjects)s at %(level)s level fits")
                       % {"subjects": subjects_label(fits), "level": level_label(child.level)})
    else:
        reasons.append(_("teaches at %(level)s level") % {"level": level_label(child.level)})
    return value, reasons


def score_matrix(children: Sequence[Child], tutors: Sequence[Tutor]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The scores of every child x tutor pair at once, without a Python object or string per pair.

    Returns ``(values, allowed, avoided)``, arrays of children x tutors: ``values[i, k]`` equals
    ``score(children[i], tutors[k])[0]`` bit for bit (the same additions in the same order),
    FORBIDDEN where ``allowed`` is false; ``avoided`` marks the pairs staff said not to match.
    ``score`` stays the readable definition; the tests hold the two equal.
    """
    n, m = len(children), len(tutors)
    column = {t.id: k for k, t in enumerate(tutors)}
    # What a child needs as (subject, level) keys; level None stands for "at any level".
    keys: dict[tuple[str, str | None], int] = {}
    need_rows, need_keys = [], []
    for i, child in enumerate(children):
        for subject in child.needs:
            need_rows.append(i)
            need_keys.append(keys.setdefault((subject, child.level), len(keys)))
    levels = {level: n for n, level in enumerate(sorted({c.level for c in children if c.level is not None}))}
    teaches = np.zeros((len(keys), m))
    teaches_level = np.zeros((len(levels), m), dtype=bool)
    for k, tutor in enumerate(tutors):
        for subject, level in tutor.teaches:
            for key in ((subject, level), (subject, None)):
                if key in keys:
                    teaches[keys[key], k] = 1.0
            if level in levels:
                teaches_level[levels[level], k] = True
    needs = np.zeros((n, len(keys)))
    np.add.at(needs, (np.array(need_rows, dtype=np.intp), np.array(need_keys, dtype=np.intp)), 1.0)
    fits = needs @ teaches  # how many of the child's subjects the tutor teaches at the child's level
    needs_count = np.array([len(c.needs) for c in children], dtype=float)[:, None]

    level_of = np.array([levels.get(c.level, -1) if c.level is not None else -1 for c in children], dtype=np.intp)
    level_ok = np.ones((n, m), dtype=bool)
    with_level = level_of >= 0
    if with_level.any():
        level_ok[with_level] = teaches_level[level_of[with_level]]

    recent = np.zeros((n, m))
    preferred = np.zeros((n, m))
    avoided = np.zeros((n, m), dtype=bool)
    for i, child in enumerate(children):
        for tutor_id in child.recent_tutors[:RECENT_SESSIONS]:
            if tutor_id in column:
                recent[i, column[tutor_id]] += 1.0
        for tutor_id in child.preferred:
            if tutor_id in column:
                preferred[i, column[tutor_id]] = 1.0
        for tutor_id in child.avoid:
            if tutor_id in column:
                avoided[i, column[tutor_id]] = True

    allowed = ~avoided & np.where(needs_count > 0, fits > 0, level_ok)
    values = BASE + CONTINUITY * recent
    values = values + PREFERRED * preferred
    fit = np.zeros((n, m))
    np.divide(SUBJECT_FIT * fits, needs_count, out=fit, where=np.broadcast_to(needs_count > 0, (n, m)))
    values = values + fit
    values[~allowed] = FORBIDDEN
    return values, allowed, avoided


def explain(child: Child, tutor: Tutor) -> str:
    """The reasons for one pair, as a person reads them: for the pairs proposed and the pairs a person looks at."""
    return "、".join(score(child, tutor)[1])


def _unpaired_reason(child: Child, tutors: Sequence[Tutor], places_left: np.ndarray,
                     allowed: np.ndarray, avoided: np.ndarray) -> str:
    """Why ``child`` is left unpaired; ``allowed`` and ``avoided`` are the child's rows of ``score_matrix``,
    ``places_left`` the places each tutor has left, in the order of ``tutors``."""
    if not tutors:
        return _("No volunteer is confirmed for this class day.")
    if not allowed.any():
        if avoided.all():
            return _("Every confirmed volunteer is marked not to be paired with this child.")
        if child.needs:
            return _("No confirmed volunteer teaches %(subjects)s at %(level)s level.") % {
                "subjects": subjects_label(child.needs), "level": level_label(child.level)}
        return _("No confirmed volunteer teaches at %(level)s level.") % {"level": level_label(child.level)}
    if (places_left[allowed] <= 0).all():
        return _("Every volunteer who fits already has as many children as they take.")
    return _("Other children fit the available volunteers better.")


def propose(children: Sequence[Child], tutors: Sequence[Tutor],
            keep: Mapping[int, int] | None = None) -> Proposal:
    """Pairs for ``children`` among ``tutors``; ``keep`` maps child id to an already confirmed tutor id.

    The scores come from ``score_matrix`` in bulk; reasons are written only for the pairs
    proposed and the children left unpaired.
    """
    keep = dict(keep or {})
    by_id = {t.id: t for t in tutors}
    places = {t.id: t.capacity for t in tutors}
    pairs: list[Pair] = []
    for child in children:
        tutor_id = keep.get(child.id)
        if tutor_id is not None:
            tutor = by_id.get(tutor_id)
            reasons = [_("confirmed earlier")]
            if tutor is not None:
                reasons += score(child, tutor)[1]
                places[tutor_id] -= 1
            pairs.append(Pair(child.id, tutor_id, 0.0, reasons, kept=True))
    open_children = [c for c in children if c.id not in keep]
    open_columns = [k for k, t in enumerate(tutors) if places[t.id] > 0]
    unpaired: list[Unpaired] = []
    if not open_children:
        return _sorted(Proposal(pairs, unpaired), children)
    if tutors:
        values, allowed, avoided = score_matrix(open_children, tutors)
    else:
        values = allowed = avoided = np.zeros((len(open_children), 0), dtype=bool)
    if open_columns:
        # One column per place: a tutor who takes two children appears twice.
        slot_tutor = np.repeat(np.array(open_columns, dtype=np.intp), [places[tutors[k].id] for k in open_columns])
        matrix = values[:, slot_tutor]
        rows, cols = linear_sum_assignment(matrix, maximize=True)
        for i, j in zip(rows, cols, strict=True):
            if matrix[i, j] <= FORBIDDEN / 2:
                continue
            child, tutor = open_children[i], tutors[int(slot_tutor[j])]
            places[tutor.id] -= 1
            pairs.append(Pair(child.id, tutor.id, float(matrix[i, j]), score(child, tutor)[1]))
    paired = {p.child_id for p in pairs}
    places_left = np.array([places[t.id] for t in tutors], dtype=np.intp)
    for i, child in enumerate(open_children):
        if child.id not in paired:
            unpaired.append(Unpaired(child.id, _unpaired_reason(child, tutors, places_left, allowed[i], avoided[i])))
    return _sorted(Proposal(pairs, unpaired), children)


def _sorted(proposal: Proposal, children: Sequence[Child]) -> Proposal:
    order = {c.id: n for n, c in enumerate(children)}
    proposal.pairs.sort(key=lambda p: order[p.child_id])
    return proposal
