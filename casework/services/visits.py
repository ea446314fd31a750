"""Writes of the home-visit screens: visits (drafts, autosave, finish), contacts, follow-ups, information shares."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.models import (
    EXCEPTION_BASES,
    Contact,
    FollowUpAction,
    HomeVisit,
    InformationShare,
    RecordStatus,
    ShareBasis,
)
from classroom import rules
from classroom.exceptions import DomainError
from classroom.models import Consent, ConsentPurpose, HouseholdContact, RecipientKind, Student
from classroom.services.edit_guards import (
    EditConflict,
    create_once,
    submission_record,
    submission_target,
    version_claim,
)
from lib import facts

User = AbstractBaseUser


def _check_staff(student: Student, staff: Iterable[User]) -> None:
    named = {member.pk for member in staff}
    if not named:
        return
    allowed = set(rules.role_holders(rules.STAFF, sites=student.site_id).filter(pk__in=named).values_list("pk", flat=True))
    if named - allowed:
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


def _adopt_draft(visit: HomeVisit, *, by: User, token: str | None, version: int | None) -> HomeVisit | None:
    """A new visit's form meets the draft ``by`` already has for the child (one draft per person and child).

    The draft made by this very form (its first autosave, a retried request) is simply continued.
    One made elsewhere (another tab, another device) is never overwritten unseen: ``EditConflict``,
    unless the form carries the draft's version, i.e. the person saw it and chose to save over it.
    """
    Student.objects.select_for_update().filter(pk=visit.student_id).first()  # serialise concurrent first saves
    existing = visit_draft_for(student=visit.student, by=by)
    if existing is None:
        return None
    earlier = submission_target(user=by, token=token)
    made_here = earlier is not None and earlier.object_id == existing.pk and earlier.content_type.model == "homevisit"
    if version is None and not made_here:
        raise EditConflict(existing, _(
            "You already have a draft visit for this child, saved from another page. Nothing was overwritten: "
            "compare it with what you typed below, and save again to keep yours."
        ))
    version_claim(existing, expected=version if version is not None else 1)
    return existing


@transaction.atomic
def visit_save(
    *,
    visit: HomeVisit,
    staff: Iterable[User],
    by: User,
    finish: bool,
    follow_ups: Iterable[FollowUpAction] = (),
    removed_follow_ups: Iterable[FollowUpAction] = (),
    version: int | None = None,
    token: str | None = None,
) -> HomeVisit:
    """Save a visit with its staff and follow-up actions, as a draft or finished, all or nothing.

    Finishing needs the date, at least one member of staff, the purpose, whether the family was
    met and the concern level. A finished visit stays finished when it is edited later.

    An edit is saved only from the version the form was opened at (else ``EditConflict``). A new
    visit is made once per form (``token``): the form's own draft is continued, a repeat post of
    a finished one raises ``AlreadySubmitted``.
    """
    staff = list(staff)
    _check_staff(visit.student, staff)
    if visit.pk is None:
        existing = _adopt_draft(visit, by=by, token=token, version=version)
        if existing is not None:
            visit.pk, visit.created_at, visit.created_by = existing.pk, existing.created_at, existing.created_by
            visit.version, visit.status, visit._state.adding = existing.version, existing.status, False
    elif not visit._state.adding:
        version_claim(visit, expected=version)
    if finish or not visit.is_draft:
        missing = _missing_to_finish(visit, staff)
        if missing:
            raise DomainError(_("To finish the visit, enter %(missing)s.") % {"missing": "、".join(missing)})

    @facts.deferred()  # the visit and its follow-ups refresh the child's facts once, at the end
    def write() -> HomeVisit:
        if visit.pk is None:
            visit.created_by = by
        if finish and visit.is_draft:
            visit.status = RecordStatus.DONE
            visit.finished_at = timezone.now()
        visit.save()
        visit.staff.set(staff)
        _save_follow_ups(student=visit.student, origin=visit, saved=follow_ups, removed=removed_follow_ups)
        return visit

    return create_once(user=by, token=token, create=write) if visit.pk is None else write()


@transaction.atomic
def visit_autosave(
    *, visit: HomeVisit | None, student: Student, values: dict, staff: Iterable[User] | None, by: User,
    version: int | None = None, token: str | None = None,
) -> HomeVisit:
    """Keep what was typed so far in a draft, without asking for anything to be complete.

    Idempotent for a new visit: a retried request finds the draft the first one made (one
    draft per person and child), so a lost response never leaves a second draft behind. A
    draft saved since from elsewhere (another tab) is never overwritten: ``EditConflict``.
    """
    created = False
    if visit is None:
        visit = _adopt_draft(HomeVisit(student=student), by=by, token=token, version=version)
        created = visit is None
        if created:
            visit = HomeVisit(student=student, created_by=by, status=RecordStatus.DRAFT)
    elif visit.is_draft:
        version_claim(visit, expected=version)
    if not visit.is_draft:
        raise DomainError(_("This visit is finished: save your changes with the button."))
    for name, value in values.items():
        setattr(visit, name, value)
    visit.save()
    if created:
        submission_record(user=by, token=token, obj=visit)
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
    version: int | None = None,
) -> Contact:
    """Save a phone call, message or meeting with its follow-up actions. The creator is its staff.

    An edit is saved only from the version the form was opened at, else ``EditConflict``.
    """
    if contact.pk is None:
        contact.staff = by
    else:
        version_claim(contact, expected=version)
    contact.status = RecordStatus.DONE
    with facts.deferred():  # the contact and its follow-ups refresh the child's facts once
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
    recipient_kind: str = "",
    recipient_name: str = "",
    consent: Consent | None = None,
    exception_reason: str = "",
) -> InformationShare:
    """Record one provision of a child's information to a third party (APPI).

    Refused, with nothing saved, unless it rests on either
    - a consent to information sharing valid on the day of sharing (given, not expired, not
      withdrawn) whose recipient kinds include the kind of this recipient: a consent covering
      the welfare office and the school is no basis for telling a child guidance centre; or
    - one of the exceptions (required by law, protection of life, the child's welfare) with
      its reason stated. Only an exception allows a recipient outside the list of kinds.
    The record keeps the kind, and the consent or the exception it relied on.
    """
    day = timezone.localdate(shared_at)
    recipient_kind = (recipient_kind or "").strip()
    if recipient_kind and recipient_kind not in RecipientKind.values:
        raise DomainError(_("Choose the kind of recipient from the list."))
    if recipient is not None:
        if recipient.household_id is None or recipient.household_id != student.household_id:
            raise DomainError(_("That recipient is not a contact of this child's household."))
        if recipient_kind and recipient_kind != recipient.kind:
            raise DomainError(_("The kind of recipient chosen is not the kind of the household contact chosen."))
        recipient_kind = recipient.kind
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
        if not recipient_kind:
            raise DomainError(NO_KIND_ON_CONSENT)
        if not consent.covers(recipient_kind):
            raise DomainError(consent_scope_error(consent, recipient_kind))
        exception_reason = ""
    elif basis in EXCEPTION_BASES:
        if not exception_reason.strip():
            raise DomainError(EXCEPTION_REASON_MISSING[basis])
        consent = None
    else:
        raise DomainError(_(
            "Information cannot be shared without a valid consent. Choose the consent on file, "
            "or state the child-welfare exception and its reason."
        ))
    return InformationShare.objects.create(
        student=student, recipient=recipient, recipient_kind=recipient_kind,
        recipient_name=recipient_name[:120], what=what.strip(), shared_at=shared_at, shared_by=by, basis=basis,
        consent=consent, exception_reason=exception_reason.strip(),
    )


NO_KIND_ON_CONSENT = gettext_lazy(
    "Sharing on a consent needs the kind of recipient, from the list. A recipient outside the list can be "
    "shared with only under an exception, with its reason."
)
EXCEPTION_REASON_MISSING = {
    ShareBasis.LAW: gettext_lazy("State the law that requires the sharing and why it applies."),
    ShareBasis.LIFE: gettext_lazy("State whose life, body or property was at risk and why consent could not be asked."),
    ShareBasis.CHILD_WELFARE: gettext_lazy("State the reason why the child's welfare required sharing without consent."),
}


def consent_scope_error(consent: Consent, recipient_kind: str) -> str:
    """「この同意（…）の提供先は福祉事務所、学校です。児童相談所は含まれていません…」"""
    return _(
        "The consent given on %(date)s covers %(covered)s, not %(kind)s. Information cannot be shared with "
        "this recipient on its basis: record a consent that covers it, or an exception with its reason."
    ) % {
        "date": f"{consent.given_on:%Y/%m/%d}",
        "covered": consent.get_recipient_kinds_display() or _("no kind of recipient"),
        "kind": RecipientKind(recipient_kind).label,
    }
