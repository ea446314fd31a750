from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from classroom import rules
from lib.facts import FactsModel, FactsQuerySet


class DropInQuerySet(FactsQuerySet, rules.SiteScopedQuerySet):
    """Staff and coordinators see the drop-ins of their sites."""

    site_path = "site"


class DropIn(FactsModel):
    """A registered child spending time at the classroom as a place to be (居場所). Feeds ``PresenceFacts``."""

    FACT_FIELDS = frozenset({"date", "student", "student_id"})

    site = models.ForeignKey("classroom.Site", on_delete=models.PROTECT, related_name="drop_ins")
    student = models.ForeignKey("classroom.Student", on_delete=models.CASCADE, related_name="drop_ins")
    date = models.DateField(_("date"), default=timezone.localdate)
    checked_in_at = models.TimeField(_("checked in"))
    checked_out_at = models.TimeField(_("checked out"), null=True, blank=True)

    objects = DropInQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-checked_in_at"]
        indexes = [models.Index(fields=["site", "date"])]
        verbose_name = _("drop-in")
        verbose_name_plural = _("drop-ins")

    def __str__(self):
        return f"{self.student} {self.date}"

    @classmethod
    def refresh_facts(cls, owner_ids) -> None:
        from classroom.models.facts import PresenceFacts

        PresenceFacts.refresh(owner_ids)

    def clean(self):
        if self.checked_out_at and self.checked_out_at < self.checked_in_at:
            raise ValidationError({"checked_out_at": _("Check-out cannot be before check-in.")})


class DropInVisitorCount(models.Model):
    """Unregistered visitors to the place to be, counted per site and day."""

    site = models.ForeignKey("classroom.Site", on_delete=models.PROTECT, related_name="visitor_counts")
    date = models.DateField(_("date"))
    count = models.PositiveIntegerField(_("unregistered visitors"), default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "date"], name="unique_visitor_count_per_day")]
        verbose_name = _("unregistered visitor count")
        verbose_name_plural = _("unregistered visitor counts")

    def __str__(self):
        return f"{self.site} {self.date}: {self.count}"
