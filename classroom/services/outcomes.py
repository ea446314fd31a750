"""Writes of the outcomes (進路): record or change one, delete one. Staff of the child's site only."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from classroom import rules
from classroom.exceptions import DomainError
from classroom.models import Outcome, Student
from classroom.services.edit_guards import version_claim
from lib.wareki import fiscal_year_label


def _check_writer(by, student: Student) -> None:
    if not rules.can_record_outcome(by, student):
        raise DomainError(_("Only staff of the child's site can record outcomes."))


@transaction.atomic
def outcome_save(*, outcome: Outcome, by, version: int | None = None) -> Outcome:
    """Record a new outcome or save an edited one, as ``by``.

    The result must be one of its stage's, leaving needs its date, and a reason is only for leaving
    (``Outcome.clean``). One record per child, fiscal year and stage: a second is refused, and an
    edit is saved only from the version the form was opened at (else ``EditConflict``). A create is
    made once per form through ``create_once``.
    """
    _check_writer(by, outcome.student)
    try:
        outcome.clean_fields(exclude=["student", "recorded_by"])
        outcome.clean()
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from None
    Student.objects.select_for_update().filter(pk=outcome.student_id).first()  # one writer per child at a time
    if not outcome._state.adding:
        version_claim(outcome, expected=version)
    taken = Outcome.objects.filter(student=outcome.student_id, fiscal_year=outcome.fiscal_year, stage=outcome.stage)
    already = DomainError(_("This child already has a record of “%(stage)s” for %(year)s: edit that one instead.")
                          % {"stage": outcome.get_stage_display(), "year": fiscal_year_label(outcome.fiscal_year)})
    if (taken.exclude(pk=outcome.pk) if outcome.pk else taken).exists():
        raise already
    outcome.recorded_by = by
    try:
        with transaction.atomic():
            outcome.save()
    except IntegrityError:  # recorded by someone else at the same moment (SQLite does not lock on reads)
        raise already from None
    return outcome


@transaction.atomic
def outcome_delete(*, outcome: Outcome, by, version: int | None = None) -> None:
    """Delete an outcome recorded by mistake, only as it was when the confirmation was opened."""
    _check_writer(by, outcome.student)
    version_claim(outcome, expected=version)
    outcome.delete()
