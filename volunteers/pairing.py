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

import numpy as np
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
    return {JUNIOR_HIGH: _("junior high"), HIGH_SCHOOL: _("high school")}.get(level or "", _("any level"))


def subjects_label(subjects: Iterable[str]) -> str:
    labels = dict(Subject.choices)
    return "、".join(str(labels.get(s, s)) for s in subjects)


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


def _unpaired_reason(child: Child, tutors: Sequence[Tutor], places_left: Mapping[int, int]) -> str:
    if not tutors:
        return _("No volunteer is confirmed for this class day.")
    allowed = [t for t in tutors if is_allowed(child, t)]
    if not allowed:
        if all(t.id in child.avoid for t in tutors):
            return _("Every confirmed volunteer is marked not to be paired with this child.")
        if child.needs:
            return _("No confirmed volunteer teaches %(subjects)s at %(level)s level.") % {
                "subjects": subjects_label(child.needs), "level": level_label(child.level)}
        return _("No confirmed volunteer teaches at %(level)s level.") % {"level": level_label(child.level)}
    if all(places_left.get(t.id, 0) <= 0 for t in allowed):
        return _("Every volunteer who fits already has as many children as they take.")
    return _("Other children fit the available volunteers better.")


def propose(children: Sequence[Child], tutors: Sequence[Tutor],
            keep: Mapping[int, int] | None = None) -> Proposal:
    """Pairs for ``children`` among ``tutors``; ``keep`` maps child id to an already confirmed tutor id."""
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
    open_tutors = [t for t in tutors if places[t.id] > 0]
    unpaired: list[Unpaired] = []
    if open_children and open_tutors:
        by_tutor = np.full((len(open_children), len(open_tutors)), FORBIDDEN)
        reasons: dict[tuple[int, int], list[str]] = {}
        for i, child in enumerate(open_children):
            for k, tutor in enumerate(open_tutors):
                by_tutor[i, k], reasons[(i, k)] = score(child, tutor)
        # One column per place: a tutor who takes two children appears twice.
        slot_tutor = np.repeat(np.arange(len(open_tutors)), [places[t.id] for t in open_tutors])
        matrix = by_tutor[:, slot_tutor]
        rows, cols = linear_sum_assignment(matrix, maximize=True)
        for i, j in zip(rows, cols, strict=True):
            if matrix[i, j] <= FORBIDDEN / 2:
                continue
            k = int(slot_tutor[j])
            tutor = open_tutors[k]
            places[tutor.id] -= 1
            pairs.append(Pair(open_children[i].id, tutor.id, float(matrix[i, j]), reasons[(i, k)]))
    paired = {p.child_id for p in pairs}
    for child in open_children:
        if child.id not in paired:
            unpaired.append(Unpaired(child.id, _unpaired_reason(child, tutors, places)))
    order = {c.id: n for n, c in enumerate(children)}
    pairs.sort(key=lambda p: order[p.child_id])
    return Proposal(pairs, unpaired)
