"""Who read or changed sensitive records, and when (see ``classroom.access_log``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib import localtime


class AccessLog(models.Model):
    """Who read or changed sensitive records, when, and from which address: every access is traceable.

    The log outlives what it points to: deleting a child deletes none of its rows (the reference keeps
    the child's id, without a database constraint, and the label names the child as they were when
    read); an account with entries cannot be deleted, only deactivated. It never holds a note's text.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey("classroom.Student", on_delete=models.DO_NOTHING, db_constraint=False, null=True,
                                related_name="+")
    student_label = models.CharField(_("child as read"), max_length=120, blank=True)
    action = models.CharField(max_length=20)
    path = models.CharField(max_length=300)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")

    def __str__(self):
        return f"{localtime.stamp(self.at)} {self.user} {self.action} {self.path}"
