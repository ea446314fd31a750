"""Rebuilding the early warnings' maintained facts from scratch (``rebuild_warning_facts``).

The facts are kept up to date by every write (``lib.facts``); this recomputes them from the
records for whole sites, to repair a database written around the ORM (raw SQL, a restore) or
to check that nothing did: a fixed number of queries per site, however many children.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from casework.models import facts as case_facts
from casework.models.facts import CaseFacts
from classroom.models import Site, Student
from classroom.models import facts as presence_facts
from classroom.models.facts import PresenceFacts

# What a child without a row has: nothing recorded.
_EMPTY = {
    PresenceFacts: (None, 0, None, None, None),
    CaseFacts: (None, None, None, None, None),
}
_MODULES = {PresenceFacts: presence_facts, CaseFacts: case_facts}


@dataclass(frozen=True)
class FactsDifference:
    """One child's stored facts that differ from the rebuilt ones."""

    site_id: int
    student_id: int
    facts: str  # "presence" or "case"
    stored: dict
    rebuilt: dict

    def __str__(self) -> str:
        changed = {name: (self.stored[name], self.rebuilt[name]) for name in self.rebuilt
                   if self.stored[name] != self.rebuilt[name]}
        shown = ", ".join(f"{name}: {old!r} -> {new!r}" for name, (old, new) in changed.items())
        return f"site {self.site_id} student {self.student_id} {self.facts}: {shown}"


def _differences(site: Site, model, *, write: bool) -> list[FactsDifference]:
    module = _MODULES[model]
    students = Student.objects.filter(site=site)
    fresh = module.computed(students)
    stored = {row.student_id: row.values() for row in model.objects.filter(student__site=site)}
    found, rows = [], []
    for row in fresh:
        before = stored.get(row.student_id, _EMPTY[model])
        if before != row.values():
            rows.append(row)
            found.append(FactsDifference(site.pk, row.student_id, "presence" if model is PresenceFacts else "case",
                                         dict(zip(module.FIELDS, before, strict=True)),
                                         dict(zip(module.FIELDS, row.values(), strict=True))))
    if write and rows:
        module.write(model, rows)
    return found


def warning_facts_rebuild(*, sites: Iterable[Site], write: bool = True) -> list[FactsDifference]:
    """Recompute every child's ``PresenceFacts`` and ``CaseFacts`` at ``sites`` from their records.

    Returns the children whose stored facts differed (``write=False``: only reports them). One
    transaction; per site, the children's rows are locked (no write of theirs runs half-way
    through) and six queries read and write the facts, however many children and records.
    """
    found: list[FactsDifference] = []
    with transaction.atomic():
        for site in sites:
            list(Student.objects.select_for_update().filter(site=site).order_by("pk").values_list("pk", flat=True))
            for model in (PresenceFacts, CaseFacts):
                found += _differences(site, model, write=write)
    return found
