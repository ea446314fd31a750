"""Personal API tokens: another system acts as one user, with that user's own access and no more.

Only a SHA-256 hash of the key is stored; the key itself is shown once, when it is made
(``classroom.services.tokens``). The prefix (the key's first characters) names the token on the
profile page and narrows the look-up.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib import localtime


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        """Tokens not revoked and not expired (the user's own state is checked on use)."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…, {localtime.long_date(self.valid_until)})"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def valid_until(self):
        """The last day the token works (it expires at the start of the next, Japan time)."""
        return localtime.local_date(self.expires_at - dt.timedelta(microseconds=1))

    @property
    def state_label(self) -> str:
        if self.revoked_at is not None:
            return str(_("Revoked"))
        return str(_("In use")) if self.is_usable else str(_("Expired"))
