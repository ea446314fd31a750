"""Writes of the student screens: a student with reasons and household, archive, delete, consent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.conf import settings
from django.db import models, transaction
from django.db.models import Exists, F, OuterRef, ProtectedError, RestrictedError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from classroom.exceptions import DomainError
from classroom.history import bulk_history
from classroom.models import (
    Consent,
    Guardian,
    Household,
    Student,
    StudentReason,
    StudentStatus,
    TutoringRecord,
)
from classroom.services.coordinator_notices import coordinators_notify
from classroom.services.edit_guards import EditConflict, save_versioned, version_claim, version_touch
from lib.kana import to_katakana


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
    household_edited: bool = True,
    version: int | None = None,
    household_version: int | None = None,
) -> Student:
    """Create or update a student with its enrollment reasons and household, all or nothing.

    ``household`` is the household to join (an existing one) or to save (new or edited);
    ``household_saved`` are its guardians and contacts to save, ``household_removed`` those to delete.
    A guardian who gave a recorded consent cannot be removed: the consent must stay traceable.

    ``version`` and ``household_version`` are the versions the form was opened at: if someone saved
    the student, or the household with its guardians and contacts, since then, ``EditConflict`` is
    raised and nothing is saved. An existing household the form left unchanged is not written at
    all (``household_edited=False``), so editing one sibling never conflicts with another's edit.
    """
    if household is not None and (household_edited or household.pk is None):
        if household.pk is not None:
            version_claim(household, expected=household_version)
        _save_household(household=household, saved=household_saved, removed=household_removed)
    student.household = household
    save_versioned(student, expected=version)
    _set_reasons(student, reasons)
    return student


@transaction.atomic
def student_create_many(*, entries: Iterable[tuple[Student, Iterable[str], Household | None, Iterable[Guardian]]]) -> None:
    """Create new students as ``student_save`` does, many at once (an import): each entry is a new
    student (validated), its reasons, its household (new or saved) and that household's new guardians.

    Four inserts in all, whatever the number of students: new households, guardians, students, reasons.
    """
    entries = list(entries)
    new_households = list({id(h): h for _s, _r, h, _g in entries if h is not None and h.pk is None}.values())
    Household.objects.bulk_create(new_households)
    guardians = []
    for student, _reasons, household, household_guardians in entries:
        student.household = household
        for guardian in household_guardians:
            guardian.household = household
            guardian.family_name_kana, guardian.given_name_kana = (
                to_katakana(guardian.family_name_kana), to_katakana(guardian.given_name_kana))
            guardians.append(guardian)
        student.family_name_kana, student.given_name_kana = (
            to_katakana(student.family_name_kana), to_katakana(student.given_name_kana))
    Guardian.objects.bulk_create(guardians)
    Student.objects.bulk_create([student for student, _r, _h, _g in entries])
    StudentReason.objects.bulk_create([StudentReason(student=student, reason=reason)
                                       for student, reasons, _h, _g in entries for reason in sorted(set(reasons))])
    # The change history, once the students link the households to their sites: one insert per model.
    bulk_history(Student, [student for student, _r, _h, _g in entries])
    bulk_history(Household, new_households)
    bulk_history(Guardian, guardians)


@transaction.atomic
def student_save_many(
    *, entries: Iterable[tuple[Student, Iterable[str], Household | None, Iterable[Guardian], bool]]
) -> None:
    """Save students as ``student_save`` does, many at once (an import): each entry is a student
    (validated; new, or a stored one with its changes), its reasons, its household (new, or existing
    to join), that household's guardians to save (new or changed), and whether the household itself
    is saved (a new one always is). The same object for a household shared by entries.

    A stored student or household is saved only from the version it carries (read with it): if
    someone saved it since, ``EditConflict`` is raised and nothing is saved. A fixed number of
    statements whatever the number of students (SQLite splits the long ones into batches).
    """
    entries = list(entries)
    now = timezone.now()
    households = list({id(h): h for _s, _r, h, _g, edited in entries
                       if h is not None and (edited or h.pk is None)}.values())
    stored_households = [h for h in households if h.pk is not None]
    Household.objects.bulk_create([h for h in households if h.pk is None])
    _update_versioned(Household, stored_households)
    guardians = {id(g): (g, h) for _s, _r, h, saved, _e in entries if h is not None for g in saved}.values()
    for guardian, household in guardians:
        guardian.household = household
        guardian.family_name_kana = to_katakana(guardian.family_name_kana)
        guardian.given_name_kana = to_katakana(guardian.given_name_kana)
    stored_guardians = [g for g, _h in guardians if g.pk is not None]
    Guardian.objects.bulk_create([g for g, _h in guardians if g.pk is None])
    _update(Guardian, stored_guardians)
    students = []
    for student, _reasons, household, _g, _e in entries:
        student.household = household
        student.family_name_kana = to_katakana(student.family_name_kana)
        student.given_name_kana = to_katakana(student.given_name_kana)
        students.append(student)
    stored = [s for s in students if s.pk is not None]
    for student in stored:
        student.updated_at = now
    Student.objects.bulk_create([s for s in students if s.pk is None])
    _update_versioned(Student, stored)
    wanted = {(student.pk, reason) for student, reasons, _h, _g, _e in entries for reason in set(reasons)}
    current = {(student_id, reason): pk for pk, student_id, reason in StudentReason.objects.filter(
        student__in=stored).values_list("pk", "student_id", "reason")}
    StudentReason.objects.filter(pk__in=[pk for key, pk in current.items() if key not in wanted]).delete()
    StudentReason.objects.bulk_create([StudentReason(student_id=student_id, reason=reason)
                                       for student_id, reason in sorted(wanted - set(current))])
    # The change history, once the students link the households to their sites: one insert per model
    # and kind of write (new, changed).
    stored_ids = {id(s) for s in stored} | {id(h) for h in stored_households} | {id(g) for g in stored_guardians}
    for model, objs in ((Student, students), (Household, households), (Guardian, [g for g, _h in guardians])):
        bulk_history(model, [o for o in objs if id(o) not in stored_ids])
        bulk_history(model, [o for o in objs if id(o) in stored_ids], update=True)


def _update(model, objs: list, batch_size: int = 500) -> None:
    """Write every column of stored records (``bulk_update``), the primary key and creation stamp aside."""
    fields = [f.name for f in model._meta.concrete_fields if not f.primary_key and not getattr(f, "auto_now_add", False)]
    if objs:
        model._base_manager.bulk_update(objs, fields, batch_size=batch_size)


def _update_versioned(model, objs: list) -> None:
    """``_update`` from the version each record carries (``version_claim`` for many: the versions move
    on by one in one statement, which locks the rows; one that was not where it was read is a conflict)."""
    if not objs:
        return
    pks = [obj.pk for obj in objs]
    model._base_manager.filter(pk__in=pks).update(version=F("version") + 1)
    versions = dict(model._base_manager.filter(pk__in=pks).values_list("pk", "version"))
    for obj in objs:
        if obj.pk not in versions:
            raise DomainError(_("This record was deleted by someone else while you were editing it."))
        if versions[obj.pk] != obj.version + 1:
            raise EditConflict(model._base_manager.get(pk=obj.pk))
    for obj in objs:
        obj.version = versions[obj.pk]
    _update(model, objs)


@transaction.atomic
def student_archive(*, student: Student, left_on: dt.date, outcome: str) -> Student:
    """The child left the classroom: status "left" with the date and the outcome. History stays.

    Their pairs from today on (tutoring records nobody wrote) are removed, so that no volunteer's
    schedule, feed or reminder shows the child any more, and the site's coordinators are told
    which class days to plan again. Past and written records stay.
    """
    if student.status == StudentStatus.LEFT:
        raise DomainError(_("This student has already left."))
    if left_on < student.enrolled_on:
        raise DomainError(_("The leaving date cannot be before the enrollment date."))
    student.status = StudentStatus.LEFT
    student.left_on = left_on
    student.leaving_outcome = outcome
    version_touch(student)  # an edit form opened before this notices the change
    student.save(update_fields=["status", "left_on", "leaving_outcome", "updated_at", "version"])
    student_release_future_pairs(student=student)
    return student


@transaction.atomic
def student_release_future_pairs(*, student: Student, today: dt.date | None = None) -> int:
    """Remove the child's unwritten tutoring records from today on; tell the coordinators. Returns how many."""
    today = today or timezone.localdate()
    pairs = list(TutoringRecord.objects.filter(student=student, written_at__isnull=True, class_day__date__gte=today)
                 .select_related("class_day__site").order_by("class_day__date", "class_day__start_time", "pk"))
    TutoringRecord.objects.filter(pk__in=[r.pk for r in pairs]).delete()
    if pairs:
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("[Yorisoi] A child left: class days to plan again")
        # No child's name in a mail: the coordinators find the child on the plan of each day.
        coordinators_notify(site_id=student.site_id, subject=subject, template="classroom/email/child_left.txt",
                            context={"class_days": [r.class_day for r in pairs]})
    return len(pairs)


# Records of the child's time here that a deletion would silently cascade away.
HISTORY_RELATIONS = ("attendances", "tutoring_records", "drop_ins")
HAS_HISTORY_MESSAGE = _lazy(
    "This student has records (attendance, tutoring, drop-ins, home visits, contacts, information sharing or "
    "activities) and cannot be deleted. Archive them instead."
)


def _history_subqueries():
    """One EXISTS per relation that keeps a student: the history above, and every relation that
    protects the student from deletion (visits, contacts, shares, activity participants...), found
    from the model so that a new protecting relation counts without editing this list."""
    relations = [rel for rel in Student._meta.related_objects
                 if rel.name in HISTORY_RELATIONS or getattr(rel, "on_delete", None) in (models.PROTECT, models.RESTRICT)]
    return [Exists(rel.related_model._base_manager.filter(**{rel.field.name: OuterRef("pk")})) for rel in relations]


def student_has_history(student: Student) -> bool:
    """Whether the student has any record that forbids deleting them (one query)."""
    return Student._base_manager.filter(pk=student.pk).filter(reduce(or_, _history_subqueries())).exists()


@transaction.atomic
def student_delete(*, student: Student) -> None:
    """Delete a student entered by mistake. One with any record (see ``student_has_history``) is archived instead.

    A household left without any student goes too: it was entered with the mistaken student.
    """
    if student_has_history(student):
        raise DomainError(str(HAS_HISTORY_MESSAGE))
    household = student.household
    try:
        student.delete()
    except (ProtectedError, RestrictedError) as error:  # a record written since the check above
        raise DomainError(str(HAS_HISTORY_MESSAGE)) from error
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
