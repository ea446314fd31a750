"""Who read or changed sensitive records, and when (see ``classroom.access_log``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib import localtime


class AccessLog(models.Model):
    """Who read or changed sensitive records, and when: every access is traceable."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey("classroom.Student", on_delete=models.CASCADE, null=True, related_name="+")
    action = models.CharField(max_length=20)
    path = models.CharField(max_length=300)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")

    def __str__(self):
        return f"{localtime.stamp(self.at)} {self.user} {self.action} {self.path}"
