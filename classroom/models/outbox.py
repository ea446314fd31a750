"""Outgoing mail, queued in the same transaction as the change it reports and sent outside the request.

A notification is a row first: a failing mail server never turns a saved change into an
error page, and a message that could not be sent stays here, with its error, for the
``send_outbox`` command to retry and for the staff to see.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from classroom import rules


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Not sent (gave up)")


class MessageKind(models.TextChoices):
    ACTIVITY_CANCELLED = "activity_cancelled", _("Activity cancelled")
    WAITLIST_PROMOTED = "waitlist_promoted", _("Moved up from the waitlist")
    EARLY_WARNINGS = "early_warnings", _("Early warnings")
    VOLUNTEER_CANCELLATION = "volunteer_cancellation", _("A volunteer can no longer come")
    VOLUNTEER_REMINDER = "volunteer_reminder", _("Reminder to a volunteer")
    COORDINATOR_NOTICE = "coordinator_notice", _("Notice to the coordinators")
    OTHER = "other", _("Other")


class OutgoingMessageQuerySet(rules.SiteScopedQuerySet):
    """Staff see the messages of their sites and those tied to no site; nobody else sees any."""

    site_path = "site"
    readers = (rules.STAFF,)
    siteless_visible = True

    def needing_attention(self):
        """Not sent yet after at least one failed try, or given up."""
        return self.filter(Q(status=MessageStatus.FAILED) | Q(status=MessageStatus.PENDING, attempts__gt=0))

    def due(self, now):
        return self.filter(status=MessageStatus.PENDING, next_attempt_at__lte=now)


class OutgoingMessage(models.Model):
    """One email waiting to be sent, sent, or given up on after ``MAX_ATTEMPTS`` tries."""

    MAX_ATTEMPTS = 6

    kind = models.CharField(_("kind"), max_length=30, choices=MessageKind.choices, default=MessageKind.OTHER)
    site = models.ForeignKey("classroom.Site", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name=_("site"))
    recipients = models.JSONField(_("recipients"), default=list)
    subject = models.CharField(_("mail subject"), max_length=255)
    body = models.TextField(_("body"))
    status = models.CharField(_("status"), max_length=10, choices=MessageStatus.choices,
                              default=MessageStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued at"), default=timezone.now, db_index=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = OutgoingMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")

    def __str__(self):
        return self.subject

    @property
    def recipient_list(self) -> str:
        return ", ".join(self.recipients)
