"""Writes of the home-visit screens: visits (drafts, autosave, finish), contacts, follow-ups, information shares."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from classroom import rules
from classroom.exceptions import DomainError
from classroom.models import (
    Consent,
    ConsentPurpose,
    Contact,
    FollowUpAction,
    HomeVisit,
    HouseholdContact,
    InformationShare,
    RecordStatus,
    ShareBasis,
    Student,
)

User = AbstractBaseUser


def _check_staff(student: Student, staff: Iterable[User]) -> None:
    for member in staff:
        if not (rules.is_staff(member) and member.sites.filter(pk=student.site_id).exists()):
            raise DomainError(_("Only staff of the student's site can be named on this record."))


def _save_follow_ups(*, student: Student, origin: HomeVisit | Contact, saved: Iterable[FollowUpAction],
                     removed: Iterable[FollowUpAction]) -> None:
    field = "visit" if isinstance(origin, HomeVisit) else "contact"
    for action in removed:
        if getattr(action, f"{field}_id") != origin.pk:
            raise DomainError(_("That follow-up action belongs to another record."))
        action.delete()
    for action in saved:
        if action.pk and getattr(action, f"{field}_id") != origin.pk:
            raise DomainError(_("That follow-up action belongs to another record."))
        setattr(action, field, origin)
        action.student = student
        action.save()


def visit_draft_for(*, student: Student, by: User) -> HomeVisit | None:
    """The draft ``by`` is already writing for ``student``: one draft per person and child, never a second."""
    return HomeVisit.objects.filter(student=student, created_by=by, status=RecordStatus.DRAFT).order_by("-pk").first()


def _missing_to_finish(visit: HomeVisit, staff: list[User]) -> list[str]:
    missing = []
    if not visit.visited_at:
        missing.append(_("the date and time"))
    if not staff:
        missing.append(_("the staff who went"))
    if not visit.purpose:
        missing.append(_("the purpose"))
    if visit.family_met is None:
        missing.append(_("whether the family was met"))
    if not visit.concern_level:
        missing.append(_("the concern level"))
    return missing


@transaction.atomic
def visit_save(
    *,
    visit: HomeVisit,
    staff: Iterable[User],
    by: User,
    finish: bool,
    follow_ups: Iterable[FollowUpAction] = (),
    removed_follow_ups: Iterable[FollowUpAction] = (),
) -> HomeVisit:
    """Save a visit with its staff and follow-up actions, as a draft or finished, all or nothing.

    Finishing needs the date, at least one member of staff, the purpose, whether the family was
    met and the concern level. A finished visit stays finished when it is edited later.
    """
    staff = list(staff)
    _check_staff(visit.student, staff)
    if finish or not visit.is_draft:
        missing = _missing_to_finish(visit, staff)
        if missing:
            raise DomainError(_("To finish the visit, enter %(missing)s.") % {"missing": "、".join(missing)})
    if visit.pk is None:
        visit.created_by = by
    if finish and visit.is_draft:
        visit.status = RecordStatus.DONE
        visit.finished_at = timezone.now()
    visit.save()
    visit.staff.set(staff)
    _save_follow_ups(student=visit.student, origin=visit, saved=follow_ups, removed=removed_follow_ups)
    return visit


@transaction.atomic
def visit_autosave(
    *, visit: HomeVisit | None, student: Student, values: dict, staff: Iterable[User] | None, by: User
) -> HomeVisit:
    """Keep what was typed so far in a draft, without asking for anything to be complete.

    Idempotent for a new visit: a retried request finds the draft the first one made (one
    draft per person and child), so a lost response never leaves a second draft behind.
    """
    if visit is None:
        Student.objects.select_for_update().filter(pk=student.pk).first()  # serialise concurrent first saves
        visit = visit_draft_for(student=student, by=by)
    created = visit is None
    if created:
        visit = HomeVisit(student=student, created_by=by, status=RecordStatus.DRAFT)
    if not visit.is_draft:
        raise DomainError(_("This visit is finished: save your changes with the button."))
    for name, value in values.items():
        setattr(visit, name, value)
    visit.save()
    if staff is not None:
        staff = list(staff)
        _check_staff(student, staff)
        visit.staff.set(staff)
    elif created:
        visit.staff.set([by])
    return visit


@transaction.atomic
def contact_save(
    *,
    contact: Contact,
    by: User,
    follow_ups: Iterable[FollowUpAction] = (),
    removed_follow_ups: Iterable[FollowUpAction] = (),
) -> Contact:
    """Save a phone call, message or meeting with its follow-up actions. The creator is its staff."""
    if contact.pk is None:
        contact.staff = by
    contact.status = RecordStatus.DONE
    contact.save()
    _save_follow_ups(student=contact.student, origin=contact, saved=follow_ups, removed=removed_follow_ups)
    return contact


@transaction.atomic
def follow_up_done(*, follow_up: FollowUpAction, on: dt.date) -> FollowUpAction:
    """Mark a follow-up action done. Idempotent: an action already done keeps its first date."""
    follow_up = FollowUpAction.objects.select_for_update().get(pk=follow_up.pk)
    if follow_up.done_on is None:
        follow_up.done_on = on
        follow_up.save(update_fields=["done_on"])
    return follow_up


@transaction.atomic
def follow_up_reopen(*, follow_up: FollowUpAction) -> FollowUpAction:
    """Undo "done": the action is open again."""
    follow_up.done_on = None
    follow_up.save(update_fields=["done_on"])
    return follow_up


def information_share_record(
    *,
    student: Student,
    what: str,
    shared_at: dt.datetime,
    basis: str,
    by: User,
    recipient: HouseholdContact | None = None,
    recipient_name: str = "",
    consent: Consent | None = None,
    exception_reason: str = "",
) -> InformationShare:
    """Record one provision of a child's information to a third party (APPI).

    Refused, with nothing saved, unless it rests on a consent to information sharing that is
    valid on the day of sharing (given, not expired, not withdrawn) or on the child-welfare
    exception with its reason stated.
    """
    day = timezone.localdate(shared_at)
    if recipient is not None:
        if recipient.household_id is None or recipient.household_id != student.household_id:
            raise DomainError(_("That recipient is not a contact of this child's household."))
        recipient_name = recipient_name.strip() or (
            f"{recipient.name}（{recipient.organisation}）" if recipient.organisation else recipient.name
        )
    recipient_name = recipient_name.strip()
    if not recipient_name:
        raise DomainError(_("Choose a contact of the household or enter another recipient."))
    if not what.strip():
        raise DomainError(_("Describe what was shared."))
    if basis == ShareBasis.CONSENT:
        if consent is None:
            raise DomainError(_(
                "Information cannot be shared without a valid consent. Choose the consent on file, "
                "or state the child-welfare exception and its reason."
            ))
        if consent.student_id != student.pk or consent.purpose != ConsentPurpose.INFO_SHARING:
            raise DomainError(_("That consent is not this child's consent to information sharing."))
        if consent.withdrawn_on is not None and consent.withdrawn_on <= day:
            raise DomainError(
                _("That consent was withdrawn on %(date)s. Information cannot be shared on its basis.")
                % {"date": f"{consent.withdrawn_on:%Y/%m/%d}"}
            )
        if not consent.is_valid_on(day):
            raise DomainError(
                _("That consent is not valid on %(date)s, the day of sharing. Information cannot be shared on its basis.")
                % {"date": f"{day:%Y/%m/%d}"}
            )
        exception_reason = ""
    elif basis == ShareBasis.CHILD_WELFARE:
        if not exception_reason.strip():
            raise DomainError(_("State the reason why the child's welfare required sharing without consent."))
        consent = None
    else:
        raise DomainError(_(
            "Information cannot be shared without a valid consent. Choose the consent on file, "
            "or state the child-welfare exception and its reason."
        ))
    return InformationShare.objects.create(
        student=student, recipient=recipient, recipient_kind=recipient.kind if recipient else "",
        recipient_name=recipient_name[:120], what=what.strip(), shared_at=shared_at, shared_by=by, basis=basis,
        consent=consent, exception_reason=exception_reason.strip(),
    )
