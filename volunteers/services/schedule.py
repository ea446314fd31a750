"""A volunteer's own schedule: their profile, their class days and answers; the writes they make from
their phone (sign-ups, tutoring records); and the reminders."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from classroom import rules
from classroom.exceptions import DomainError
from classroom.models import ClassDay, MessageKind, OutgoingMessage, TutoringRecord
from classroom.services.edit_guards import version_claim
from classroom.services.outbox import message_enqueue, message_send
from classroom.templatetags.yorisoi import short_date
from lib.names import person_name
from volunteers.models import SignUp, SignUpAnswer, Volunteer

logger = logging.getLogger(__name__)

SCHEDULE_WEEKS = 8


def volunteer_of(user) -> Volunteer | None:
    """The user's volunteer profile, if they hold the volunteer role and their access holds today."""
    if not rules.is_volunteer(user):
        return None
    return Volunteer.objects.filter(user=user).select_related("user").first()


def site_class_days(volunteer: Volunteer) -> QuerySet[ClassDay]:
    """Class days of the volunteer's sites, annotated with their answer (``my_answer``, ``my_confirmed_at``).

    Past and cancelled ones are refused by the sign-up service, not hidden here.
    """
    mine = SignUp.objects.filter(volunteer=volunteer, class_day=OuterRef("pk"))
    return (
        ClassDay.objects.filter(rules.at_volunteer_sites(volunteer)).select_related("site")
        .annotate(my_answer=Subquery(mine.values("answer")[:1]),
                  my_confirmed_at=Subquery(mine.values("confirmed_at")[:1]))
        .order_by("date", "start_time", "pk")
    )


def schedule_class_days(volunteer: Volunteer, today: dt.date | None = None) -> QuerySet[ClassDay]:
    """The volunteer's class days from today for the next ``SCHEDULE_WEEKS`` weeks."""
    today = today or timezone.localdate()
    return site_class_days(volunteer).filter(date__gte=today, date__lt=today + dt.timedelta(weeks=SCHEDULE_WEEKS))


def _queue(*, subject: str, template: str, context: dict, to: list[str], kind: str, site_id: int | None,
           after_commit: bool = True) -> OutgoingMessage | None:
    """Plain-text mail in the site's language, queued in the outbox (sent after the commit, retried if it fails)."""
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(template, context)
    return message_enqueue(to=to, subject=subject, body=body, kind=kind, site=site_id, after_commit=after_commit)


def site_coordinators(class_day: ClassDay):
    """The coordinators who run the class day's site and have an email address."""
    return (
        rules.role_holders(rules.COORDINATOR, sites=class_day.site_id)
        .exclude(email="").distinct().order_by("pk")
    )


def sign_up_answer(*, volunteer: Volunteer, class_day: ClassDay, answer: str, by) -> ClassDay:
    """Record the volunteer's answer for a class day: one sign-up per volunteer and day (upsert).

    Returns the class day with the answer as ``site_class_days`` annotates it (``my_answer``,
    ``my_confirmed_at``): what the schedule card shows.

    Idempotent: the same answer twice changes nothing. Past and cancelled class days are refused.
    "I can't come" on a confirmed day clears the confirmation, removes the volunteer's planned
    (unwritten) pairs of that day and emails the site's coordinators (no child data).
    """
    if answer not in SignUpAnswer.values:
        raise DomainError(_("Choose whether you can come."))
    if volunteer.access_ended_on(timezone.localdate()):
        raise DomainError(_("Your volunteer registration does not allow answering now: please contact the coordinator."))
    if class_day.is_cancelled:
        raise DomainError(_("This class day was cancelled: your answer was not changed."))
    if class_day.date < timezone.localdate():
        raise DomainError(_("This class day is over: your answer can no longer be changed."))
    if not rules.works_at(volunteer, class_day.site_id):
        raise DomainError(_("This class day is not at one of your sites."))

    with transaction.atomic():
        sign_up, created = SignUp.objects.select_for_update().get_or_create(
            volunteer=volunteer, class_day=class_day, defaults={"answer": answer})
        was_confirmed = not created and sign_up.is_confirmed
        if not created and sign_up.answer != answer:
            sign_up.answer = answer
            sign_up.answered_at = timezone.now()
            fields = ["answer", "answered_at"]
            if answer == SignUpAnswer.CANNOT_COME and sign_up.confirmed_at is not None:
                sign_up.confirmed_at = None
                sign_up.confirmed_by = None
                fields += ["confirmed_at", "confirmed_by"]
            sign_up.save(update_fields=fields)
        if answer == SignUpAnswer.CANNOT_COME:
            TutoringRecord.objects.filter(class_day=class_day, tutor_id=volunteer.user_id,
                                          written_at__isnull=True).delete()
        if was_confirmed and answer == SignUpAnswer.CANNOT_COME:
            _notify_cancellation(volunteer=volunteer, class_day=class_day)  # queued; sent after the commit
    class_day.my_answer, class_day.my_confirmed_at = sign_up.answer, sign_up.confirmed_at
    return class_day


def _notify_cancellation(*, volunteer: Volunteer, class_day: ClassDay) -> None:
    recipients = [u.email for u in site_coordinators(class_day)]
    if not recipients:
        logger.warning("No coordinator with an email for site %s", class_day.site_id)
        return
    name = person_name(volunteer.user)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[Yorisoi] %(name)s can no longer come on %(date)s") % {
            "name": name, "date": short_date(class_day.date)}
    _queue(subject=subject, template="volunteers/email/cancellation.txt",
           context={"volunteer_name": name, "class_day": class_day}, to=recipients,
           kind=MessageKind.VOLUNTEER_CANCELLATION, site_id=class_day.site_id)


@transaction.atomic
def tutoring_record_write(*, record: TutoringRecord, by, studied: str, understanding: int | None,
                          homework: str, handover_note: str, today: dt.date | None = None,
                          version: int | None = None) -> TutoringRecord:
    """The tutor writes their own record, from the class day until 7 days after it; sets ``written_at``.

    Saved only from the version the form was opened at (staff may have written it meanwhile),
    else ``EditConflict`` and nothing changes.
    """
    if not rules.access(by, record, as_tutor=True, today=today).change:
        # Why not, in the tutor's words: not theirs, their registration, or the record window.
        window = rules.record_window(record, today)
        if record.tutor_id == by.pk and rules.volunteer_access_ended(by):
            raise DomainError(_("Your volunteer registration does not allow writing records now: please contact the coordinator."))
        if record.tutor_id != by.pk or window == "open":
            raise DomainError(_("Only the child's tutor can write this record."))
        if window == "before":
            raise DomainError(_("This record can be written from the class day."))
        if window == "closed":
            raise DomainError(_("The time for writing this record is over (7 days after the class day)."))
        raise DomainError(_("This class day was cancelled: no tutoring record can be written."))
    if not (studied.strip() or understanding or homework.strip() or handover_note.strip()):
        # An empty record would count as written (✓ on the roster) with nothing in it.
        raise DomainError(_("Write what was studied."))
    record = TutoringRecord.objects.select_for_update().get(pk=record.pk)
    version_claim(record, expected=version)
    record.studied = studied
    record.understanding = understanding
    record.homework = homework
    record.handover_note = handover_note
    if record.written_at is None:
        record.written_at = timezone.now()
    record.save(update_fields=["studied", "understanding", "homework", "handover_note", "written_at", "updated_at",
                               "version"])
    return record


@dataclass
class ReminderResult:
    sent: int = 0
    skipped_no_email: int = 0
    failed: int = 0


def reminders_send(*, today: dt.date | None = None) -> ReminderResult:
    """Email each volunteer confirmed for tomorrow's class days; each sign-up is reminded once.

    A sign-up is claimed by a conditional update (``reminded_at IS NULL``) inside the same
    transaction that queues its reminder in the outbox: two runs at once, or a rerun, never
    queue it twice. The reminder is then tried at once; one that fails stays in the outbox,
    which retries it (``send_outbox``) and shows it to the staff.
    """
    today = today or timezone.localdate()
    target = today + dt.timedelta(days=1)
    result = ReminderResult()
    due = (
        SignUp.objects.filter(answer=SignUpAnswer.CAN_COME, confirmed_at__isnull=False, reminded_at__isnull=True,
                              class_day__date=target, volunteer__user__is_active=True,
                              # the reminder names the children: only for volunteers who may see them
                              volunteer__in=Volunteer.objects.eligible_on(target))
        .exclude(class_day__status="cancelled")
        .select_related("class_day__site", "volunteer__user")
        .order_by("class_day__start_time", "pk")
    )
    for sign_up in due:
        user = sign_up.volunteer.user
        if not user.email:
            result.skipped_no_email += 1
            continue
        nicknames = [
            r.student.nickname or r.student.given_name
            for r in TutoringRecord.objects.filter(class_day=sign_up.class_day, tutor=user).select_related("student")
        ]
        with transaction.atomic():
            claimed = SignUp.objects.filter(pk=sign_up.pk, reminded_at__isnull=True).update(reminded_at=timezone.now())
            if not claimed:
                continue
            with translation.override(settings.LANGUAGE_CODE):
                subject = _("[Yorisoi] Reminder: class day tomorrow, %(date)s") % {
                    "date": short_date(sign_up.class_day.date)}
            queued = _queue(subject=subject, template="volunteers/email/reminder.txt",
                            context={"volunteer_name": person_name(user), "class_day": sign_up.class_day,
                                     "nicknames": nicknames},
                            to=[user.email], kind=MessageKind.VOLUNTEER_REMINDER,
                            site_id=sign_up.class_day.site_id, after_commit=False)
        if queued is not None and message_send(message=queued):
            result.sent += 1
        else:
            result.failed += 1
    return result
