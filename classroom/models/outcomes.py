"""Where a child went (進路): one record per child, fiscal year and stage.

The national indicators of the program are the high-school entry rate of the children it serves
and the number who leave high school, so a child in 中3 gets a high-school entry result, a
high-school student a record of whether they stayed in school, a 高3 their next step, and a
child who left the program why and when. ``result`` must be one of its stage's
(``RESULTS_BY_STAGE``). ``reason`` and ``note`` are case work: staff see them, coordinators see
the outcome without them, volunteers see no outcome at all (``classroom.rules``).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, CharField, Exists, OuterRef, Q, Value, When
from django.utils.translation import gettext_lazy as _

from classroom import grades, rules
from classroom.history import track
from classroom.models.edit_guards import VersionedModel


class OutcomeStage(models.TextChoices):
    HIGH_SCHOOL_ENTRY = "entry", _("High-school entry (junior high 3)")
    HIGH_SCHOOL = "high_school", _("Staying in high school")
    NEXT_STEP = "next_step", _("Next step after high school 3")
    LEFT_PROGRAM = "left_program", _("Left the program")


class OutcomeResult(models.TextChoices):
    # High-school entry (中3)
    FULL_TIME = "full_time", _("Entered a full-time high school")
    PART_TIME = "part_time", _("Entered a part-time high school")
    CORRESPONDENCE = "correspondence", _("Entered a correspondence high school")
    KOSEN = "kosen", _("Entered a college of technology")
    SPECIAL_NEEDS = "special_needs", _("Entered a special-needs school")
    # High school
    CONTINUING = "continuing", _("Continuing")
    CHANGED_SCHOOL = "changed_school", _("Changed school")
    LEFT_SCHOOL = "left_school", _("Left school")
    GRADUATED = "graduated", _("Graduated")
    # Next step (高3)
    UNIVERSITY = "university", _("University")
    JUNIOR_COLLEGE = "junior_college", _("Junior college")
    VOCATIONAL = "vocational", _("Vocational school")
    # Left the program
    MOVED = "moved", _("Moved away")
    STOPPED = "stopped", _("Stopped coming")
    FINISHED = "finished", _("Finished the program")
    NOT_ELIGIBLE = "not_eligible", _("No longer eligible")
    # Shared by several stages
    EMPLOYMENT = "employment", _("Employment")
    UNDECIDED = "undecided", _("Undecided")
    OTHER = "other", _("Other")


RESULTS_BY_STAGE: dict[str, list[str]] = {
    OutcomeStage.HIGH_SCHOOL_ENTRY: [
        OutcomeResult.FULL_TIME, OutcomeResult.PART_TIME, OutcomeResult.CORRESPONDENCE, OutcomeResult.KOSEN,
        OutcomeResult.SPECIAL_NEEDS, OutcomeResult.EMPLOYMENT, OutcomeResult.UNDECIDED, OutcomeResult.OTHER,
    ],
    OutcomeStage.HIGH_SCHOOL: [
        OutcomeResult.CONTINUING, OutcomeResult.CHANGED_SCHOOL, OutcomeResult.LEFT_SCHOOL, OutcomeResult.GRADUATED,
    ],
    OutcomeStage.NEXT_STEP: [
        OutcomeResult.UNIVERSITY, OutcomeResult.JUNIOR_COLLEGE, OutcomeResult.VOCATIONAL, OutcomeResult.EMPLOYMENT,
        OutcomeResult.OTHER, OutcomeResult.UNDECIDED,
    ],
    OutcomeStage.LEFT_PROGRAM: [
        OutcomeResult.MOVED, OutcomeResult.STOPPED, OutcomeResult.FINISHED, OutcomeResult.NOT_ELIGIBLE,
        OutcomeResult.OTHER,
    ],
}  # fmt: skip

# The numerator of the high-school entry rate: every kind of high school (高専 and special-needs
# schools' upper secondary departments included, as the national survey counts them).
ENTERED_HIGH_SCHOOL = frozenset({
    OutcomeResult.FULL_TIME, OutcomeResult.PART_TIME, OutcomeResult.CORRESPONDENCE, OutcomeResult.KOSEN,
    OutcomeResult.SPECIAL_NEEDS,
})  # fmt: skip

# Results that need the date they happened (``decided_on``): leaving school, leaving the program.
DATED_RESULTS = frozenset({OutcomeResult.LEFT_SCHOOL, OutcomeResult.CHANGED_SCHOOL})


# The grades whose outcome is due by the end of the fiscal year (their grade on its April 1), and its stage.
STAGE_DUE_BY_GRADE = {grades.Grade.J3: OutcomeStage.HIGH_SCHOOL_ENTRY, grades.Grade.H3: OutcomeStage.NEXT_STEP}


def due_from(fiscal_year: int) -> dt.date:
    """From March 1 of a fiscal year (entrance results are out) its 中3 and 高3 outcomes are due."""
    return dt.date(fiscal_year + 1, 3, 1)


class LeavingReason(models.TextChoices):
    """Why a child left high school or the program: case work, shown to staff only."""

    NON_ATTENDANCE = "non_attendance", _("Non-attendance")
    ACADEMIC = "academic", _("Academic difficulty")
    SCHOOL_LIFE = "school_life", _("Difficulty with school life or relationships")
    FINANCIAL = "financial", _("Financial reasons")
    FAMILY = "family", _("Family circumstances")
    HEALTH = "health", _("Health")
    WORK = "work", _("Work")
    OTHER = "other", _("Other")


class OutcomeQuerySet(rules.SiteScopedQuerySet):
    """Staff and coordinators see the outcomes of their sites' children, staff change them; volunteers none."""

    site_path = "student__site"
    writers = (rules.STAFF,)


class Outcome(VersionedModel):
    student = models.ForeignKey("classroom.Student", on_delete=models.CASCADE, related_name="outcomes",
                                verbose_name=_("student"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    stage = models.CharField(_("stage"), max_length=20, choices=OutcomeStage.choices)
    result = models.CharField(_("result"), max_length=20, choices=OutcomeResult.choices)
    school = models.CharField(_("school or destination"), max_length=100, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=20, choices=LeavingReason.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OutcomeQuerySet.as_manager()

    # The change history (classroom.history): its rows are scoped to the sites on this path.
    history_site_path = "student__site"
    history = track()

    class Meta:
        ordering = ["-fiscal_year", "stage"]
        constraints = [
            models.UniqueConstraint(fields=["student", "fiscal_year", "stage"], name="unique_outcome_per_stage"),
        ]
        indexes = [models.Index(fields=["fiscal_year", "stage", "result"])]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self):
        return f"{self.fiscal_year} {self.get_stage_display()}: {self.get_result_display()}"

    @property
    def entered_high_school(self) -> bool:
        return self.stage == OutcomeStage.HIGH_SCHOOL_ENTRY and self.result in ENTERED_HIGH_SCHOOL

    @staticmethod
    def takes_reason(stage: str, result: str) -> bool:
        """A reason is recorded only for a child who left high school or the program."""
        return result == OutcomeResult.LEFT_SCHOOL or stage == OutcomeStage.LEFT_PROGRAM

    def clean(self):
        errors = {}
        if self.stage and self.result and self.result not in RESULTS_BY_STAGE.get(self.stage, []):
            errors["result"] = _("This result does not belong to the chosen stage.")
        dated = self.result in DATED_RESULTS or self.stage == OutcomeStage.LEFT_PROGRAM
        if dated and not self.decided_on:
            errors["decided_on"] = _("Enter the date.")
        if self.reason and not self.takes_reason(self.stage, self.result):
            errors["reason"] = _("A reason is recorded only for a child who left school or the program.")
        if errors:
            raise ValidationError(errors)


def to_record(students, fiscal_year: int):
    """Of ``students``, those who take part in ``fiscal_year`` as 中3 or 高3 and whose outcome is not recorded
    yet, each with ``stage_due`` (the stage their record is due under): one query.

    The grade is the one on the fiscal year's April 1 (the staff's override first, as ``Student.grade_on``);
    taking part means enrolled by its end and not left before its start. Recorded means a record of the
    year of that stage, or of leaving the program.
    """
    start, end = grades.fiscal_year_bounds(fiscal_year)
    stage_due = Case(*[
        When(Q(grade_override=grade) | Q(grade_override="", birth_date__range=grades.birth_date_range(grade, start)),
             then=Value(str(stage)))
        for grade, stage in STAGE_DUE_BY_GRADE.items()
    ], default=Value(""), output_field=CharField())
    recorded = Outcome.objects.filter(student=OuterRef("pk"), fiscal_year=fiscal_year).filter(
        Q(stage=OuterRef("stage_due")) | Q(stage=OutcomeStage.LEFT_PROGRAM))
    return (students.annotate(stage_due=stage_due).exclude(stage_due="")
            .filter(enrolled_on__lte=end).exclude(left_on__lt=start).exclude(Exists(recorded)))
