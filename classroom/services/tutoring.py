"""Tutoring records: what a child studied with a tutor on a class day."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser as User
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from classroom import rules
from classroom.exceptions import DomainError
from classroom.models import ClassDay, Site, Student, Subject, TutoringRecord
from classroom.services.edit_guards import EditConflict, version_claim


def tutors_of(site: Site, *, keep: int | None = None) -> QuerySet:
    """Who may tutor on a class day of ``site``: its staff and the volunteers who work there, by name.

    ``keep`` (a user id) stays a choice, so that a record's tutor who has since moved is not lost
    on the next save. Nobody of another site is offered: their names are not this site's to see.
    """
    return (
        get_user_model().objects.filter(is_active=True)
        .filter(rules.tutors_at(site) | Q(pk=keep))
        .distinct().order_by("last_name", "first_name", "username")
    )


def _claim_record(*, class_day: ClassDay, student: Student, version: int) -> None:
    """The record is still as the form saw it (``version``; 0: not written yet), or ``EditConflict``."""
    existing = TutoringRecord.objects.filter(class_day=class_day, student=student).first()
    if existing is not None:
        version_claim(existing, expected=version)
        return
    try:
        with transaction.atomic():  # two first saves at once: the second finds the first's record
            TutoringRecord.objects.create(class_day=class_day, student=student)
    except IntegrityError:
        raise EditConflict(TutoringRecord.objects.get(class_day=class_day, student=student)) from None


@transaction.atomic
def tutoring_record_save(
    *,
    class_day: ClassDay,
    student: Student,
    by: User,
    tutor: User | None,
    subjects: list[str],
    studied: str = "",
    understanding: int | None = None,
    homework: str = "",
    handover_note: str = "",
    version: int | None = None,
) -> TutoringRecord:
    """Create or update the one tutoring record of ``student`` on ``class_day``.

    ``version`` is the record's version when the form was opened, 0 when there was no record yet:
    a record saved by someone else since then raises ``EditConflict`` and nothing is saved.

    The record counts as written (``written_at``) once it says anything beyond the tutor and
    the subjects; a record with only those is a planned pairing. Raises ``DomainError`` for a
    cancelled class day, a student of another site, a tutor who is neither a volunteer nor
    staff of the class day's site (the record's current tutor excepted), or an unknown subject.
    """
    if class_day.is_cancelled:
        raise DomainError(_("This class day was cancelled: no tutoring record can be written."))
    if student.site_id != class_day.site_id:
        raise DomainError(_("This child does not belong to the class day's site."))
    if tutor is not None and not rules.has_role(tutor, rules.VOLUNTEER, rules.STAFF):
        raise DomainError(_("The tutor must be a volunteer or a member of staff."))
    current = TutoringRecord.objects.filter(class_day=class_day, student=student).values_list("tutor_id", flat=True)
    if tutor is not None and not tutors_of(class_day.site, keep=current.first()).filter(pk=tutor.pk).exists():
        raise DomainError(_("The tutor must work at this site."))
    unknown = set(subjects) - set(Subject.values)
    if unknown:
        raise DomainError(_("Unknown subject: %(subjects)s") % {"subjects": ", ".join(sorted(unknown))})
    if version is not None:
        _claim_record(class_day=class_day, student=student, version=version)
    written = bool(studied.strip() or understanding or homework.strip() or handover_note.strip())
    record, _created = TutoringRecord.objects.update_or_create(
        class_day=class_day,
        student=student,
        defaults={
            "tutor": tutor,
            "subjects": ",".join(s for s in Subject.values if s in subjects),
            "studied": studied.strip(),
            "understanding": understanding,
            "homework": homework.strip(),
            "handover_note": handover_note.strip(),
            "written_at": timezone.now() if written else None,
        },
    )
    return record
