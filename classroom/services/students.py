"""Writes of the student screens: a student with reasons and household, archive, delete, consent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import models, transaction
from django.utils.translation import gettext as _

from classroom.exceptions import DomainError
from classroom.models import Consent, Guardian, Household, Student, StudentReason, StudentStatus


def _save_household(
    *, household: Household, saved: Iterable[models.Model], removed: Iterable[models.Model]
) -> Household:
    household.save()
    for obj in removed:
        if getattr(obj, "household_id", household.pk) != household.pk:
            raise DomainError(_("That entry does not belong to this household."))
        if isinstance(obj, Guardian) and obj.consents.exists():
            raise DomainError(
                _("%(name)s gave a consent recorded here and cannot be removed. Withdraw the consent instead.")
                % {"name": obj}
            )
        obj.delete()
    for obj in saved:
        obj.household = household
        obj.save()
    return household


def _set_reasons(student: Student, reasons: Iterable[str]) -> None:
    wanted = set(reasons)
    current = set(student.reasons.values_list("reason", flat=True))
    student.reasons.filter(reason__in=current - wanted).delete()
    StudentReason.objects.bulk_create([StudentReason(student=student, reason=r) for r in sorted(wanted - current)])


@transaction.atomic
def student_save(
    *,
    student: Student,
    reasons: Iterable[str],
    household: Household | None,
    household_saved: Iterable[models.Model] = (),
    household_removed: Iterable[models.Model] = (),
) -> Student:
    """Create or update a student with its enrollment reasons and household, all or nothing.

    ``household`` is the household to join (an existing one) or to save (new or edited);
    ``household_saved`` are its guardians and contacts to save, ``household_removed`` those to delete.
    A guardian who gave a recorded consent cannot be removed: the consent must stay traceable.
    """
    if household is not None:
        _save_household(household=household, saved=household_saved, removed=household_removed)
    student.household = household
    student.save()
    _set_reasons(student, reasons)
    return student


@transaction.atomic
def student_archive(*, student: Student, left_on: dt.date, outcome: str) -> Student:
    """The child left the classroom: status "left" with the date and the outcome. History stays."""
    if student.status == StudentStatus.LEFT:
        raise DomainError(_("This student has already left."))
    if left_on < student.enrolled_on:
        raise DomainError(_("The leaving date cannot be before the enrollment date."))
    student.status = StudentStatus.LEFT
    student.left_on = left_on
    student.leaving_outcome = outcome
    student.save(update_fields=["status", "left_on", "leaving_outcome", "updated_at"])
    return student


def student_has_history(student: Student) -> bool:
    return (
        student.attendances.exists() or student.tutoring_records.exists() or student.drop_ins.exists()
    )


@transaction.atomic
def student_delete(*, student: Student) -> None:
    """Delete a student entered by mistake. One with attendance, tutoring or drop-ins is archived instead.

    A household left without any student goes too: it was entered with the mistaken student.
    """
    if student_has_history(student):
        raise DomainError(
            _("This student has attendance, tutoring or drop-in records and cannot be deleted. Archive them instead.")
        )
    household = student.household
    student.delete()
    if household is not None and not household.students.exists():
        household.delete()


@transaction.atomic
def consent_add(*, consent: Consent) -> Consent:
    """Record a guardian's consent for a student. The guardian must belong to the student's household."""
    if consent.guardian.household_id is None or consent.guardian.household_id != consent.student.household_id:
        raise DomainError(_("The guardian must belong to the student's household."))
    consent.full_clean()
    consent.save()
    return consent


@transaction.atomic
def consent_withdraw(*, consent: Consent, on: dt.date) -> Consent:
    """Withdraw a consent from ``on``. The record is kept, with its withdrawal date."""
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_on is not None:
        raise DomainError(_("This consent was already withdrawn."))
    if on < consent.given_on:
        raise DomainError(_("Consent cannot be withdrawn before it was given."))
    consent.withdrawn_on = on
    consent.save(update_fields=["withdrawn_on"])
    return consent
