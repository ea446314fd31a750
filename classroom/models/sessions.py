from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lib import localtime


class SignedInSession(models.Model):
    """A browser signed in as a user: made at sign-in, touched at most once a minute, deleted with the
    session at sign-out, when the user ends it from their profile, or when the account is deactivated.
    It lets a person see where they are signed in and end it (``classroom.services.sessions``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signed_in_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(_("signed in at"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last seen at"), auto_now_add=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=200, blank=True)

    class Meta:
        ordering = ["-last_seen_at"]
        verbose_name = _("signed-in session")
        verbose_name_plural = _("signed-in sessions")

    def __str__(self):
        return f"{self.user} {localtime.stamp(self.created_at)}"
