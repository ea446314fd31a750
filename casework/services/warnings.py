"""Early warning: the thresholds of a site, and the daily email to the staff in charge."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from casework import warnings
from casework.models import WarningNotice, WarningSettings
from classroom import rules
from classroom.exceptions import DomainError
from classroom.models import MessageKind, OutgoingMessage, Site
from classroom.services.edit_guards import version_claim
from classroom.services.outbox import message_enqueue, message_send
from lib import localtime
from lib.names import person_name

logger = logging.getLogger(__name__)


def warning_settings_for(*, site: Site) -> WarningSettings:
    """The site's thresholds, created with the defaults on first use."""
    found, _created = WarningSettings.objects.get_or_create(site=site)
    return found


def warning_settings_check(*, consecutive_absences: int, rate_below: int, rate_before: int,
                           no_contact_days: int, stopped_coming_days: int | None = None) -> dict[str, str]:
    """The errors of a set of thresholds, by field name (empty when they are valid)."""
    errors = {}
    if consecutive_absences is not None and consecutive_absences < 1:
        errors["consecutive_absences"] = _("Enter at least 1 absence.")
    for name, value in (("rate_below", rate_below), ("rate_before", rate_before)):
        if value is not None and not 0 <= value <= 100:
            errors[name] = _("Enter a percentage between 0 and 100.")
    if (rate_below is not None and rate_before is not None and "rate_below" not in errors
            and "rate_before" not in errors and rate_before <= rate_below):
        errors["rate_before"] = _("The earlier rate must be higher than the rate it fell below.")
    for name, value in (("no_contact_days", no_contact_days), ("stopped_coming_days", stopped_coming_days)):
        if value is not None and value < 1:
            errors[name] = _("Enter at least 1 day.")
    return errors


@transaction.atomic
def warning_settings_save(*, site: Site, consecutive_absences: int, rate_below: int, rate_before: int,
                          no_contact_days: int, stopped_coming_days: int | None = None, by,
                          version: int | None = None) -> WarningSettings:
    """Save a site's thresholds; refuses invalid ones (the form checks the same rules first).
    ``stopped_coming_days`` left out (``None``) keeps the saved value.

    Saved only from the version the form was opened at, else ``EditConflict`` and nothing changes.
    """
    if not rules.can_change_site_settings(by, site):
        raise DomainError(_("You cannot change the settings of this site."))
    values = {"consecutive_absences": consecutive_absences, "rate_below": rate_below, "rate_before": rate_before,
              "no_contact_days": no_contact_days, "stopped_coming_days": stopped_coming_days}
    errors = warning_settings_check(**values)
    values = {name: value for name, value in values.items() if value is not None}
    if errors:
        raise DomainError(" ".join(errors.values()))
    with transaction.atomic():
        found = warning_settings_for(site=site)
        version_claim(found, expected=version)
        for name, value in values.items():
            setattr(found, name, value)
        found.save()
    return found


@dataclass
class SendResult:
    sent: int = 0
    warnings: int = 0
    skipped_no_email: int = 0
    already_today: int = 0
    failed: int = 0


def warnings_send(*, today: dt.date | None = None) -> SendResult:
    """Email each staff member in charge of warned children the warnings that are new to them.

    A warning is new to someone when no ``WarningNotice`` holds its child, kind and key for
    them. One email per person per day at most: someone already notified today waits until
    tomorrow for anything found since. The notices are written in the same transaction that
    queues the email in the outbox, so a rerun sends nothing twice; the email is then tried at
    once, and one that fails stays in the outbox, which retries it (``send_outbox``) and shows
    it to the staff. Staff without an email address are skipped (and counted); their warnings
    stay new.
    """
    today = today or timezone.localdate()
    result = SendResult()
    with translation.override(settings.LANGUAGE_CODE):
        report = warnings.compute(Site.objects.all(), today)
    by_recipient = defaultdict(list)
    for entry in report.warnings:
        recipient = entry.student.staff_in_charge
        if recipient is not None and recipient.is_active:
            by_recipient[recipient].append(entry)
    if not by_recipient:
        return result
    sent_before = set(
        WarningNotice.objects.filter(recipient__in=list(by_recipient))
        .values_list("recipient_id", "student_id", "kind", "key")
    )
    notified_today = set(
        WarningNotice.objects.filter(recipient__in=list(by_recipient), notified_on=today)
        .values_list("recipient_id", flat=True)
    )
    for recipient, entries in sorted(by_recipient.items(), key=lambda item: item[0].pk):
        new = [e for e in entries if (recipient.pk, e.student.pk, e.kind, e.key) not in sent_before]
        if not new:
            continue
        if not recipient.email:
            result.skipped_no_email += 1
            continue
        if recipient.pk in notified_today:
            result.already_today += 1
            continue
        try:
            with transaction.atomic():
                WarningNotice.objects.bulk_create([
                    WarningNotice(student=e.student, recipient=recipient, kind=e.kind, key=e.key, notified_on=today)
                    for e in new
                ])
                queued = _queue(recipient=recipient, entries=new, today=today)
        except IntegrityError:
            continue  # another run sent these at the same moment
        if message_send(message=queued):
            result.sent += 1
            result.warnings += len(new)
        else:
            result.failed += 1  # kept in the outbox, retried by send_outbox
    return result


def _queue(*, recipient, entries: list[warnings.WarningEntry], today: dt.date) -> OutgoingMessage:
    groups = [(warnings.KIND_LABELS[kind], [e for e in entries if e.kind == kind]) for kind in warnings.KINDS]
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[Yorisoi] Early warning: %(count)s new for %(date)s") % {
            "count": len(entries), "date": localtime.long_date(today)}
        body = render_to_string("email/warnings.txt", {
            "recipient_name": person_name(recipient),
            "groups": [(str(label), items) for label, items in groups if items],
            "today": today,
        })
    sites = {e.student.site_id for e in entries}
    return message_enqueue(to=[recipient.email], subject=subject, body=body, kind=MessageKind.EARLY_WARNINGS,
                           site=sites.pop() if len(sites) == 1 else None, after_commit=False)
