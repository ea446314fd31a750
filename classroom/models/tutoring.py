from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from classroom import rules
from classroom.models.edit_guards import VersionedModel
from classroom.models.students import StudentStatus, Subject


class Understanding(models.IntegerChoices):
    STRUGGLING = 1, _("1: Did not understand yet")
    PARTLY = 2, _("2: Partly understood")
    MOSTLY = 3, _("3: Mostly understood")
    FULLY = 4, _("4: Understood well")


class TutoringRecordQuerySet(rules.SiteScopedQuerySet):
    """Staff and coordinators see the records of their sites' class days; a tutor's own records are
    ``rules.own_records``."""

    site_path = "class_day__site"

    def of_active_children(self):
        """Records of children who are active now (not paused, not left)."""
        return self.filter(student__status=StudentStatus.ACTIVE)

    def handovers_before(self, *, student, date):
        """The child's records with a handover note on class days before ``date``, the latest first
        (by date, then start time): the first is the "previous handover" every screen shows."""
        return (
            self.filter(student=student, class_day__date__lt=date)
            .exclude(handover_note="")
            .order_by("-class_day__date", "-class_day__start_time")
        )

    def with_previous_handover(self):
        """Annotate ``previous_handover``: the child's latest handover note before that class day (same query)."""
        earlier = TutoringRecord.objects.handovers_before(student=models.OuterRef("student"),
                                                          date=models.OuterRef("class_day__date"))
        return self.annotate(previous_handover=models.Subquery(earlier.values("handover_note")[:1]))

    def written(self):
        """Records a tutor or staff wrote (``written_at``); a planned pair is not one of them."""
        return self.filter(written_at__isnull=False)


class TutoringRecord(VersionedModel):
    """One-to-one study of a student with a tutor on a class day."""

    class_day = models.ForeignKey("classroom.ClassDay", on_delete=models.CASCADE, related_name="tutoring_records")
    student = models.ForeignKey("classroom.Student", on_delete=models.CASCADE, related_name="tutoring_records")
    tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="tutoring_records",
        verbose_name=_("tutor"),
    )
    subjects = models.CharField(_("subjects"), max_length=100, blank=True, help_text=_("Comma-separated subject codes."))
    studied = models.TextField(_("what was studied"), blank=True)
    understanding = models.PositiveSmallIntegerField(_("understanding"), choices=Understanding.choices, null=True, blank=True)
    homework = models.TextField(_("homework"), blank=True)
    handover_note = models.TextField(_("handover note for the next tutor"), blank=True)
    written_at = models.DateTimeField(_("written at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TutoringRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-class_day__date"]
        constraints = [models.UniqueConstraint(fields=["class_day", "student"], name="unique_tutoring_per_day")]
        verbose_name = _("tutoring record")
        verbose_name_plural = _("tutoring records")

    def __str__(self):
        return f"{self.student} {self.class_day.date}"

    @property
    def subject_list(self) -> list[str]:
        return [s for s in self.subjects.split(",") if s]

    def get_subjects_display(self) -> str:
        labels = dict(Subject.choices)
        return "、".join(str(labels.get(s, s)) for s in self.subject_list)

    @property
    def is_written(self) -> bool:
        return self.written_at is not None
