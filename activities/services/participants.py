"""Participants of an activity: inviting, answers with capacity and waitlist, consent, day-of attendance, report.

Capacity counts every participant who is going, whatever the role. Every answer that can
take or free a place runs in one transaction that first locks the activity row
(``SELECT ... FOR UPDATE`` on PostgreSQL; on SQLite the IMMEDIATE transaction already
serialises writers), then counts: two people answering "going" at once for the last place
never both get it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser as User
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from activities.models import Activity, ActivityPhoto, Answer, Participant, ParticipantRole
from classroom.exceptions import DomainError
from classroom.history import bulk_history
from classroom.models import AttendanceStatus, Guardian, MessageKind, Student
from classroom.models.attendance import ATTENDED
from classroom.services.edit_guards import save_versioned, version_claim
from classroom.services.outbox import message_enqueue
from lib.images import clean_image, thumbnail_jpeg

logger = logging.getLogger(__name__)
NAMED_ROLES = (ParticipantRole.OTHER_YOUTH, ParticipantRole.OTHER)


# --- Reading --------------------------------------------------------------------------------
def participants_of(activity: Activity):
    """The participants with everything the lists show (names, households, guardians' phones) in 3 queries."""
    return (
        activity.participants.select_related("student", "guardian", "household")
        .prefetch_related("student__household__guardians", "household__guardians")
        .order_by("answered_at", "pk")
    )


def going_count(activity: Activity) -> int:
    return activity.participants.filter(answer=Answer.GOING).count()


@dataclass
class CapacityState:
    going: int
    waitlisted: int
    capacity: int

    @property
    def free(self) -> int:
        return max(self.capacity - self.going, 0)

    @property
    def percent(self) -> int:
        return min(round(100 * self.going / self.capacity), 100) if self.capacity else 100

    @classmethod
    def of(cls, activity: Activity) -> CapacityState:
        counts = activity.participants.aggregate(
            going=Count("pk", filter=Q(answer=Answer.GOING)),
            waitlisted=Count("pk", filter=Q(answer=Answer.WAITLISTED)),
        )
        return cls(going=counts["going"], waitlisted=counts["waitlisted"], capacity=activity.capacity)


def emergency_phone(participant: Participant) -> str:
    """A guardian's phone for a child (student or sibling), the guardian's own, or the phone entered."""
    if participant.phone:
        return participant.phone
    if participant.guardian_id:
        return participant.guardian.phone
    household = participant.student.household if participant.student_id else participant.household
    if household is not None:
        for guardian in household.guardians.all():
            if guardian.phone:
                return guardian.phone
    return ""


def display_kana(participant: Participant) -> str:
    if participant.student_id:
        return participant.student.full_name_kana
    if participant.guardian_id:
        return f"{participant.guardian.family_name_kana} {participant.guardian.given_name_kana}"
    return participant.name_kana


# --- Inviting -------------------------------------------------------------------------------
def _check_open(activity: Activity) -> None:
    if activity.is_cancelled:
        raise DomainError(_("This activity was cancelled: its participants cannot change."))


@transaction.atomic
def participants_invite(
    *,
    activity: Activity,
    students: Iterable[Student],
    with_guardians: bool = False,
    with_siblings: bool = False,
    by: User,
) -> list[Participant]:
    """Invite ``students`` (role student) and, if asked, their household's guardians and sibling students.

    Everyone already on the list is left as they are, so inviting twice changes nothing.
    Returns the participants created.
    """
    _check_open(activity)
    students = list(students)
    chosen = {s.pk for s in students}
    have_students = set(activity.participants.filter(student__isnull=False).values_list("student_id", flat=True))
    have_guardians = set(activity.participants.filter(guardian__isnull=False).values_list("guardian_id", flat=True))
    now = timezone.now()
    created: list[Participant] = []

    def add(**fields) -> None:
        created.append(Participant(activity=activity, answer=Answer.INVITED, answered_at=now, **fields))

    for student in students:
        if student.pk not in have_students:
            add(role=ParticipantRole.STUDENT, student=student, household_id=student.household_id)
            have_students.add(student.pk)
    household_ids = {s.household_id for s in students if s.household_id}
    if with_guardians and household_ids:
        for guardian in Guardian.objects.filter(household_id__in=household_ids).order_by("household_id", "pk"):
            if guardian.pk not in have_guardians:
                add(role=ParticipantRole.GUARDIAN, guardian=guardian, household_id=guardian.household_id)
                have_guardians.add(guardian.pk)
    if with_siblings and household_ids:
        siblings = Student.objects.filter(household_id__in=household_ids).exclude(pk__in=chosen).active()
        for sibling in siblings.in_kana_order():
            if sibling.pk not in have_students:
                add(role=ParticipantRole.SIBLING, student=sibling, household_id=sibling.household_id)
                have_students.add(sibling.pk)
    try:
        with transaction.atomic():
            Participant.objects.bulk_create(created)
    except IntegrityError as error:  # someone invited the same person at the same moment
        raise DomainError(_("Someone else changed this list at the same time. Try again.")) from error
    return created


@transaction.atomic
def participants_invite_guardians(*, activity: Activity, by: User) -> list[Participant]:
    """One click: invite the guardians of every student already on the list."""
    students = Student.objects.filter(activity_participations__activity=activity,
                                      activity_participations__role=ParticipantRole.STUDENT)
    return [p for p in participants_invite(activity=activity, students=students, with_guardians=True, by=by)
            if p.role == ParticipantRole.GUARDIAN]


def participant_invite_named(
    *, activity: Activity, role: str, name: str, name_kana: str = "", phone: str = "", allergy_notes: str = "",
    note: str = "", by: User,
) -> Participant:
    """Invite someone not on the roster by name (a young person referred by another program, a helper's child...)."""
    _check_open(activity)
    if role not in NAMED_ROLES:
        raise DomainError(_("Someone not on the roster joins as other youth or other."))
    if not name.strip():
        raise DomainError(_("Enter the name."))
    return Participant.objects.create(
        activity=activity, role=role, name=name.strip(), name_kana=name_kana.strip(), phone=phone.strip(),
        allergy_notes=allergy_notes.strip(), note=note.strip(), answer=Answer.INVITED,
    )


# --- Answers, capacity and waitlist ------------------------------------------------------------
def _lock(activity: Activity) -> Activity:
    """The activity row, locked until the transaction ends: answers are counted one at a time."""
    return Activity.objects.select_for_update().get(pk=activity.pk)


def _needs_consent(activity: Activity, participant: Participant) -> bool:
    return activity.consent_required and participant.role == ParticipantRole.STUDENT and not participant.consent_ok


def _notify_lead(activity: Activity, promoted: Participant, declined: Participant, *, removed: bool = False) -> None:
    lead = activity.lead
    if lead is None or not lead.email:
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {"activity": activity, "promoted": promoted, "declined": declined, "removed": removed}
        subject = _("%(title)s: %(name)s moved up from the waitlist") % {
            "title": activity.title, "name": promoted.display_name}
        body = render_to_string("activities/participants/email_promoted.txt", context)
    message_enqueue(to=[lead.email], subject=subject, body=body, kind=MessageKind.WAITLIST_PROMOTED,
                    site=activity.site_id)


def _promote_first(activity: Activity, declined: Participant, *, removed: bool = False) -> Participant | None:
    """Move the first waitlisted person who may go up to going; tell the lead. Locked by the caller."""
    if going_count(activity) >= activity.capacity:
        return None
    waiting = activity.participants.filter(answer=Answer.WAITLISTED).select_related("student", "guardian")
    for candidate in waiting.order_by("answered_at", "pk"):
        if _needs_consent(activity, candidate):
            continue
        candidate.answer = Answer.GOING
        candidate.save(update_fields=["answer"])
        _notify_lead(activity, candidate, declined, removed=removed)  # queued now, sent after the commit
        return candidate
    return None


@transaction.atomic
def participant_answer(*, participant: Participant, answer: str, by: User, override_reason: str = "") -> Participant:
    """Record ``participant``'s answer. Idempotent: the request carries the target answer.

    "going" takes a free place, else joins the end of the waitlist (``answered_at`` is the
    order). A student of an activity that needs consent cannot go before consent is received,
    unless ``override_reason`` says why (stored on the participant). "declined" or "invited"
    frees the place of someone going: the first waitlisted person moves up and the lead staff
    is told by email.
    """
    if answer not in (Answer.GOING, Answer.DECLINED, Answer.INVITED):
        raise DomainError(_("Choose going, declined or invited."))
    activity = _lock(participant.activity)
    _check_open(activity)
    participant = Participant.objects.select_related("student", "guardian").get(pk=participant.pk)
    participant.activity = activity
    before = participant.answer
    if answer == Answer.GOING:
        if before in (Answer.GOING, Answer.WAITLISTED):
            return participant
        override_reason = override_reason.strip()
        if _needs_consent(activity, participant):
            if not override_reason:
                raise DomainError(_(
                    "Guardian consent has not been received for %(name)s. Record the consent form first, "
                    "or give a reason to proceed without it."
                ) % {"name": participant.display_name})
            participant.consent_override_reason = override_reason
        participant.answer = Answer.GOING if going_count(activity) < activity.capacity else Answer.WAITLISTED
        participant.answered_at = timezone.now()
        participant.save(update_fields=["answer", "answered_at", "consent_override_reason"])
        return participant
    if before == answer:
        return participant
    participant.answer = answer
    participant.answered_at = timezone.now()
    participant.save(update_fields=["answer", "answered_at"])
    if before == Answer.GOING:
        _promote_first(activity, participant)
    return participant


@transaction.atomic
def participant_remove(*, participant: Participant, by: User) -> Participant | None:
    """Take someone added by mistake off the list. Their place, if they were going, goes to the waitlist.

    Someone whose attendance was taken stays: the report counts them. Returns the person who
    moved up from the waitlist, if anyone did.
    """
    activity = _lock(participant.activity)
    _check_open(activity)
    participant = Participant.objects.select_related("student", "guardian").get(pk=participant.pk)
    if participant.attendance:
        raise DomainError(_(
            "Attendance was recorded for %(name)s: the report counts them, so they cannot be removed. "
            "Clear the attendance first."
        ) % {"name": participant.display_name})
    was_going = participant.answer == Answer.GOING
    participant.delete()
    return _promote_first(activity, participant, removed=True) if was_going else None


@transaction.atomic
def participant_consent_record(*, participant: Participant, received_on: dt.date | None, by: User) -> Participant:
    """Record the day the signed consent slip came back (``None`` clears it)."""
    if received_on and received_on > timezone.localdate():
        raise DomainError(_("The consent cannot be received in the future."))
    participant.consent_received_on = received_on
    participant.save(update_fields=["consent_received_on"])
    return participant


# --- Day of ---------------------------------------------------------------------------------
def participant_attendance_set(*, participant: Participant, status: str, by: User) -> Participant:
    """Set ``participant``'s attendance to ``status`` ("" clears it): one UPDATE, so a retry changes nothing."""
    if status and status not in AttendanceStatus.values:
        raise DomainError(_("Choose an attendance status."))
    activity = participant.activity
    if activity.is_cancelled:
        raise DomainError(_("This activity was cancelled: attendance cannot be recorded."))
    if participant.answer != Answer.GOING:
        raise DomainError(_("Only people who are going can be marked."))
    if status and activity.date > timezone.localdate():
        raise DomainError(_("Attendance is taken on the day of the activity."))
    recorded_at = timezone.now() if status else None
    Participant.objects.filter(pk=participant.pk).update(attendance=status, attendance_recorded_at=recorded_at)
    participant.attendance, participant.attendance_recorded_at = status, recorded_at
    bulk_history(Participant, [participant], update=True, by=by)  # the UPDATE sends no signal: its history row
    return participant


# --- Report ---------------------------------------------------------------------------------
@dataclass
class RoleCounts:
    students: int
    guardians: int
    siblings: int
    others: int
    attendance_taken: bool

    @property
    def total(self) -> int:
        return self.students + self.guardians + self.siblings + self.others


def report_counts(activity: Activity) -> RoleCounts:
    """Who took part, by role: those who attended, or those going when no attendance was taken. One query."""
    rows = activity.participants.aggregate(
        taken=Count("pk", filter=~Q(attendance="")),
        **{f"a_{role}": Count("pk", filter=Q(role=role, attendance__in=ATTENDED)) for role in ParticipantRole.values},
        **{f"g_{role}": Count("pk", filter=Q(role=role, answer=Answer.GOING)) for role in ParticipantRole.values},
    )
    prefix = "a_" if rows["taken"] else "g_"

    def n(role: str) -> int:
        return rows[prefix + role]

    return RoleCounts(
        students=n(ParticipantRole.STUDENT), guardians=n(ParticipantRole.GUARDIAN), siblings=n(ParticipantRole.SIBLING),
        others=n(ParticipantRole.OTHER_YOUTH) + n(ParticipantRole.OTHER), attendance_taken=bool(rows["taken"]),
    )


def activity_reflection_save(*, activity: Activity, reflection: str, by: User, version: int | None = None) -> Activity:
    """Save the reflection notes, only from the activity's version the form was opened at (else ``EditConflict``)."""
    with transaction.atomic():
        version_claim(activity, expected=version)
        activity.reflection = reflection.strip()
        activity.save(update_fields=["reflection", "updated_at", "version"])
    return activity


THUMBNAIL_SIZE = (640, 640)


def photo_thumbnail(photo: ActivityPhoto) -> None:
    """Give ``photo`` a small upright JPEG for the report page, without any metadata. Only a JPEG, PNG
    or WebP original is read (``lib.images``): never PostScript, never Ghostscript."""
    with photo.image.open("rb") as handle:
        data = thumbnail_jpeg(handle, THUMBNAIL_SIZE)
    stem = photo.image.name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    photo.thumbnail.save(f"{stem}.jpg", ContentFile(data), save=True)


def activity_photos_add(*, activity: Activity, images: Iterable, caption: str = "", by: User) -> list[ActivityPhoto]:
    """Store photos under MEDIA_ROOT, never under static, each with its thumbnail.

    Each file is read by its content as a JPEG, PNG or WebP picture and stored written again, upright
    and without EXIF (GPS position...), XMP or comments; the form has done it already, any other
    caller's files are cleaned here. Raises ``lib.images.ImageRefused`` for anything else,
    before storing any of them.
    """
    cleaned = [clean_image(image) for image in images]
    photos = []
    for image in cleaned:
        photo = ActivityPhoto.objects.create(activity=activity, image=image, caption=caption.strip(), uploaded_by=by)
        try:
            photo_thumbnail(photo)
        except (OSError, ValueError, SyntaxError):  # Pillow could check it but not shrink it: it shows itself
            logger.warning("No thumbnail for activity photo %s", photo.pk, exc_info=True)
        photos.append(photo)
    return photos


def activity_photo_delete(*, photo: ActivityPhoto, by: User) -> None:
    """Delete the photo, its file and its thumbnail."""
    files = [(field.storage, field.name) for field in (photo.image, photo.thumbnail) if field]
    photo.delete()
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])


@transaction.atomic
def participant_details_save(*, participant: Participant, version: int | None = None) -> Participant:
    """Save a participant's emergency phone, allergy notes and note, only from the version the form
    was opened at (else ``EditConflict``: an allergy note added meanwhile is never lost)."""
    return save_versioned(participant, expected=version)
