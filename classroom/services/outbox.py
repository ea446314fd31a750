"""Queued mail: every notification Yorisoi sends goes through ``message_enqueue``.

The message is written in the same transaction as the change it reports, then sent after the
commit (``transaction.on_commit``) and, when that fails, by ``manage.py send_outbox`` from
cron, with a growing delay between tries and ``OutgoingMessage.MAX_ATTEMPTS`` tries at most.
Sending never raises into the request that made the change: a saved change is never turned into
an error page by a mail server, and a message that could not be sent is kept with its error,
for the staff to see on the outbox page and retry.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from classroom import rules
from classroom.exceptions import DomainError
from classroom.models import MessageKind, MessageStatus, OutgoingMessage, Site

logger = logging.getLogger(__name__)

# Every character a mail library treats as the end of a header line.
HEADER_BREAKS = re.compile(r"[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")
FIRST_DELAY = dt.timedelta(minutes=5)
LONGEST_DELAY = dt.timedelta(hours=6)
# A send that started this long ago and never finished (the process died) is tried again.
STALE_SENDING = dt.timedelta(minutes=15)


def header_clean(value) -> str:
    """One line fit for a mail header: line breaks become spaces, runs of spaces become one.

    Titles and names come from forms; a line break in one would make the header invalid
    (Django raises ``BadHeaderError``) or, worse, add a header of the user's choosing.
    """
    return " ".join(HEADER_BREAKS.sub(" ", str(value)).split())


# What a recorded error means, for the staff (the raw ``Class: text`` stays for IT staff). The
# first family whose class names include the recorded exception's class wins; checked in order.
ERROR_FAMILIES: list[tuple[tuple[str, ...], str]] = [
    (("SMTPRecipientsRefused",), _lazy("The mail server refused the recipient's address: please check the address.")),
    (("SMTPSenderRefused",), _lazy("The mail server refused Yorisoi's sender address: please tell the IT staff.")),
    (("SMTPAuthenticationError",), _lazy("Yorisoi could not sign in to the mail server: please tell the IT staff.")),
    (("TimeoutError", "timeout", "SMTPTimeoutError"), _lazy("The mail server took too long to answer.")),
    (("SSLError", "SSLCertVerificationError", "SMTPNotSupportedError"),
     _lazy("A secure connection to the mail server could not be made: please tell the IT staff.")),
    (("ConnectionRefusedError", "ConnectionResetError", "ConnectionAbortedError", "ConnectionError",
      "SMTPConnectError", "SMTPServerDisconnected", "gaierror", "herror", "OSError"),
     _lazy("Yorisoi could not connect to the mail server.")),
    (("SMTPDataError", "SMTPResponseException", "SMTPHeloError", "SMTPException"),
     _lazy("The mail server did not accept the message.")),
]


def error_explain(last_error: str) -> str:
    """A recorded error (``ConnectionRefusedError: [Errno 111] ...``) in the user's language: what
    went wrong in words a member of the staff can act on. Empty for no error."""
    if not last_error:
        return ""
    name = last_error.split(":", 1)[0].strip().rsplit(".", 1)[-1]
    for names, explanation in ERROR_FAMILIES:
        if name in names:
            return str(explanation)
    return _("The message could not be sent (another error): the details below are for the IT staff.")


def retry_delay(attempts: int) -> dt.timedelta:
    """5 minutes after the first failure, then 15, 45 minutes... at most 6 hours."""
    return min(FIRST_DELAY * 3 ** max(attempts - 1, 0), LONGEST_DELAY)


def message_enqueue(*, to: Iterable[str], subject: str, body: str, kind: str = MessageKind.OTHER,
                    site: Site | int | None = None, after_commit: bool = True) -> OutgoingMessage | None:
    """Queue one email to ``to`` (all of them see each other's address) and try it after the commit.

    Call it inside the transaction of the change it reports: if that change is rolled back, the
    message is too. Returns None, queuing nothing, when no recipient has an address. A batch
    job that sends the message itself right after its own commit passes ``after_commit=False``.
    """
    recipients: list[str] = []
    for address in to:
        address = header_clean(address or "")
        if address and address not in recipients:
            recipients.append(address)
    if not recipients:
        return None
    site_id = site if isinstance(site, int) or site is None else site.pk
    message = OutgoingMessage.objects.create(
        kind=kind, site_id=site_id, recipients=recipients, subject=header_clean(subject)[:255], body=body,
        next_attempt_at=timezone.now(),
    )
    if after_commit:
        transaction.on_commit(partial(_send_after_commit, message.pk))
    return message


def _send_after_commit(pk: int) -> None:
    """The first try, right after the commit. Whatever happens stays here: the request carries on."""
    try:
        message = OutgoingMessage.objects.filter(pk=pk).first()
        if message is not None:
            message_send(message=message)
    except Exception as error:  # noqa: BLE001 - never let mail break the response of a saved change
        logger.warning("Sending queued message %s after commit failed: %s", pk, error)


def message_send(*, message: OutgoingMessage, now: dt.datetime | None = None) -> bool:
    """Try to send one pending message now. Returns whether it was sent.

    The message is claimed first (a conditional update from pending to sending), so two
    senders at once (the after-commit try and the cron command) never send it twice. A failure
    is recorded on the row (attempts, error, next try); after ``MAX_ATTEMPTS`` the message is
    marked failed and waits for someone on the staff to retry it.
    """
    now = now or timezone.now()
    claimed = OutgoingMessage.objects.filter(pk=message.pk, status=MessageStatus.PENDING).update(
        # The claim is a lease stamped with the real clock (not the batch's ``now``): a slow mail server
        # can make a batch outlast STALE_SENDING, and a claim stamped with the batch's start would be
        # reset by the next cron run while still being sent, and the message sent twice.
        status=MessageStatus.SENDING, last_attempt_at=timezone.now())
    if not claimed:
        return False
    message = OutgoingMessage.objects.get(pk=message.pk)
    attempts = message.attempts + 1
    try:
        EmailMessage(subject=header_clean(message.subject), body=message.body,
                     from_email=settings.DEFAULT_FROM_EMAIL, to=[header_clean(r) for r in message.recipients]).send()
    except Exception as error:  # noqa: BLE001 - SMTP, DNS, TLS, a bad address: all recorded, none raised
        gave_up = attempts >= OutgoingMessage.MAX_ATTEMPTS
        OutgoingMessage.objects.filter(pk=message.pk).update(
            status=MessageStatus.FAILED if gave_up else MessageStatus.PENDING, attempts=attempts,
            last_error=f"{type(error).__name__}: {error}"[:1000], next_attempt_at=now + retry_delay(attempts))
        logger.warning("Mail %s (%s) not sent, attempt %s: %s", message.pk, message.kind, attempts, error)
        return False
    OutgoingMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENT, attempts=attempts, sent_at=timezone.now(), last_error="")
    return True


@dataclass
class OutboxResult:
    sent: int = 0
    failed: int = 0
    gave_up: int = 0


def messages_send_due(*, now: dt.datetime | None = None, limit: int = 500) -> OutboxResult:
    """Send every pending message whose next try is due (for cron: ``manage.py send_outbox``)."""
    now = now or timezone.now()
    # A message left "sending" (its sender died mid-send) counts as a try, so one that kills the
    # sender every time still reaches MAX_ATTEMPTS and is shown to staff as given up.
    stale = OutgoingMessage.objects.filter(status=MessageStatus.SENDING, last_attempt_at__lt=now - STALE_SENDING)
    stale.update(attempts=F("attempts") + 1, status=Case(
        When(attempts__gte=OutgoingMessage.MAX_ATTEMPTS - 1, then=Value(MessageStatus.FAILED)),
        default=Value(MessageStatus.PENDING)))
    result = OutboxResult()
    for message in OutgoingMessage.objects.due(now).order_by("next_attempt_at", "pk")[:limit]:
        if message_send(message=message, now=now):
            result.sent += 1
            continue
        status = OutgoingMessage.objects.filter(pk=message.pk).values_list("status", flat=True).first()
        if status == MessageStatus.FAILED:
            result.gave_up += 1
        elif status == MessageStatus.PENDING:
            result.failed += 1
    return result


def message_retry(*, message: OutgoingMessage, by) -> OutgoingMessage:
    """Staff: try a message that was not sent again now (a given-up one gets one more try)."""
    if not rules.access(by, message).change:
        raise DomainError(_("You cannot send this message."))
    updated = OutgoingMessage.objects.filter(
        pk=message.pk, status__in=[MessageStatus.PENDING, MessageStatus.FAILED]).update(
        status=MessageStatus.PENDING, next_attempt_at=timezone.now())
    if not updated:
        sending = OutgoingMessage.objects.filter(pk=message.pk, status=MessageStatus.SENDING).exists()
        raise DomainError(_("This message is being sent right now.") if sending else _("This message was already sent."))
    message_send(message=message)
    return OutgoingMessage.objects.get(pk=message.pk)
