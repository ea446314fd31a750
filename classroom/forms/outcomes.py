"""The outcome form (進路): the stage first, then a result of that stage."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from classroom.forms.edit_guards import EditGuardMixin
from classroom.forms.students import DateInput
from classroom.grades import Grade, fiscal_year_of
from classroom.models import LeavingReason, Outcome, OutcomeResult, OutcomeStage
from classroom.models.outcomes import RESULTS_BY_STAGE, STAGE_DUE_BY_GRADE
from lib.plausible import PlausibleModelForm
from lib.wareki import fiscal_year_label

YEARS_BACK = 5
# The stage a new record starts at, by the child's grade today.
STAGE_BY_GRADE = {**STAGE_DUE_BY_GRADE, Grade.H1: OutcomeStage.HIGH_SCHOOL, Grade.H2: OutcomeStage.HIGH_SCHOOL}


def fiscal_year_choices(today: dt.date, also: int | None = None) -> list[tuple[int, str]]:
    """The next fiscal year, the current one and five back (and ``also``, a record's own), newest first."""
    current = fiscal_year_of(today)
    years = sorted({*range(current - YEARS_BACK, current + 2), *([also] if also else [])}, reverse=True)
    return [(year, fiscal_year_label(year)) for year in years]


def result_choices(stage: str) -> list:
    """The results of ``stage``; for no stage (or a page without JavaScript) every result, by stage."""
    labels = dict(OutcomeResult.choices)
    if stage in RESULTS_BY_STAGE:
        return [("", _("Choose the result")), *((r, labels[r]) for r in RESULTS_BY_STAGE[stage])]
    groups = [(OutcomeStage(s).label, [(r, labels[r]) for r in results]) for s, results in RESULTS_BY_STAGE.items()]
    return [("", _("Choose the result")), *groups]


class OutcomeForm(EditGuardMixin, PlausibleModelForm):
    """``limited``: offer only the results of the chosen stage (the fragment htmx asks for when the stage
    changes); otherwise every result, grouped by stage, and the model checks that it is the stage's."""

    fiscal_year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int)

    class Meta:
        model = Outcome
        fields = ["fiscal_year", "stage", "result", "school", "decided_on", "reason", "note"]
        widgets = {"decided_on": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "school": _("The school, course or employer, when there is one."),
            "decided_on": _("When the child left school, changed school or left the program: the day it happened "
                            "(required). Otherwise the day the result was decided, if known."),
            "reason": _("Only for a child who left high school or the program. Staff only."),
            "note": _("Staff only."),
        }

    def __init__(self, *args, today: dt.date | None = None, limited: bool = False, choice_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = fiscal_year_choices(today or timezone.localdate(), self.instance.fiscal_year)
        self.fields["stage"].choices = [("", _("Choose the stage")), *OutcomeStage.choices]
        self.fields["reason"].choices = [("", _("No reason recorded")), *LeavingReason.choices]
        self.limited = limited and self.chosen("stage") in RESULTS_BY_STAGE
        self.fields["result"].choices = result_choices(self.chosen("stage") if self.limited else "")
        self.choice_url = choice_url
        # The choice fragment itself (asked for by a change or on load) never asks again on load: with no
        # stage chosen yet it would otherwise reload itself for as long as the page is open.
        self.refreshed = limited
        for name in ("stage", "result"):  # a change asks for the results (and the reason) that apply
            self.fields[name].widget.attrs.update({"hx-get": choice_url, "hx-target": "#outcome-choice",
                                                   "hx-include": "#id_stage, #id_result, #id_reason",
                                                   "hx-swap": "outerHTML"})

    def chosen(self, name: str) -> str:
        """The value of ``name`` as sent, or as the form was opened with."""
        value = self.data.get(self.add_prefix(name)) if self.is_bound else self.initial.get(name)
        return value if isinstance(value, str) else ""

    @property
    def shows_reason(self) -> bool:
        """The reason is offered on the full page, and in the fragment only where it applies."""
        stage, result = self.chosen("stage"), self.chosen("result")
        return not self.limited or Outcome.takes_reason(stage, result if result in RESULTS_BY_STAGE[stage] else "")


class OutcomeDeleteForm(EditGuardMixin, forms.Form):
    """Deleting carries the version the confirmation was opened at: a changed record is shown again first."""
