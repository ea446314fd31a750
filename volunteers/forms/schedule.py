"""Forms of the volunteer's own pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from classroom.forms.edit_guards import EditGuardMixin
from classroom.models import Understanding
from lib.hostile import TEXT_MAX_LENGTH
from volunteers.models import SignUpAnswer


class SignUpForm(forms.Form):
    answer = forms.ChoiceField(choices=SignUpAnswer.choices,
                               error_messages={"required": _("Choose whether you can come."),
                                               "invalid_choice": _("Choose whether you can come.")})


class MyTutoringRecordForm(EditGuardMixin, forms.Form):
    studied = forms.CharField(label=_("What was studied"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("For example: linear functions, textbook pages 42-45."))
    understanding = forms.TypedChoiceField(
        label=_("Understanding"), choices=Understanding.choices, coerce=int, empty_value=None, required=False,
        widget=forms.RadioSelect,
    )
    homework = forms.CharField(label=_("Homework"), required=False, max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2}))
    handover_note = forms.CharField(
        label=_("Handover note for the next tutor"), required=False, max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the next tutor should know: where you stopped, what worked. Read by the child's next tutors and the staff."),
    )

    def saved_values(self, current) -> dict:
        return self.initial_from(current)

    @classmethod
    def initial_from(cls, record) -> dict:
        return {"studied": record.studied, "understanding": record.understanding,
                "homework": record.homework, "handover_note": record.handover_note}
