"""The tutoring record form, opened from a roster row."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from classroom.forms.edit_guards import EditGuardMixin
from classroom.models import Subject, Understanding
from classroom.services.tutoring import tutors_of
from lib.hostile import TEXT_MAX_LENGTH
from lib.names import person_name


class TutorField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return person_name(obj)


class TutoringRecordForm(EditGuardMixin, forms.Form):
    tutor = TutorField(label=_("Tutor"), queryset=get_user_model().objects.none(), required=False,
                       empty_label=_("Not decided"))
    subjects = forms.MultipleChoiceField(
        label=_("Subjects"), choices=Subject.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    studied = forms.CharField(label=_("What was studied"), required=False, max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}))
    understanding = forms.TypedChoiceField(
        label=_("Understanding"), choices=Understanding.choices, coerce=int, empty_value=None, required=False,
        widget=forms.RadioSelect,
    )
    homework = forms.CharField(label=_("Homework"), required=False, max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2}))
    handover_note = forms.CharField(
        label=_("Handover note for the next tutor"), required=False, max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, site, record=None, **kwargs):
        """The tutors offered are the site's (``tutors_of``), and the record's own tutor."""
        super().__init__(*args, **kwargs)
        self.fields["tutor"].queryset = tutors_of(site, keep=record.tutor_id if record else None)

    def saved_values(self, current) -> dict:
        return self.initial_from(current)

    @classmethod
    def initial_from(cls, record) -> dict:
        if record is None:
            return {}
        return {
            "tutor": record.tutor_id,
            "subjects": record.subject_list,
            "studied": record.studied,
            "understanding": record.understanding,
            "homework": record.homework,
            "handover_note": record.handover_note,
        }
