from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from classroom import rules


class SiteQuerySet(rules.SiteScopedQuerySet):
    """Superusers see every site; staff and coordinators the sites they belong to."""

    site_path = ""


class Site(models.Model):
    """A classroom (教室). A program may run several; everything else belongs to one."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="sites", blank=True, verbose_name=_("staff and coordinators")
    )

    objects = SiteQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")

    def __str__(self):
        return self.name
