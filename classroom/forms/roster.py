"""Forms of the attendance roster: one row's write, and the whole roster without JavaScript."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from classroom.models import AttendanceStatus
from classroom.models.attendance import UNMARKED

STATUS_CHOICES = [(UNMARKED, _("Unmarked")), *AttendanceStatus.choices]


class AttendanceForm(forms.Form):
    """One child's target state. An empty status clears the row (back to unmarked).

    ``undo_*`` fields carry the row's offered undo through a write that changed nothing,
    so a double tap does not lose the way back.
    """

    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    arrived_at = forms.TimeField(label=_("Arrived at"), required=False)
    left_at = forms.TimeField(label=_("Left at"), required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    undo_status = forms.ChoiceField(choices=STATUS_CHOICES, required=False)
    undo_arrived_at = forms.TimeField(required=False)
    undo_left_at = forms.TimeField(required=False)
    undo_note = forms.CharField(max_length=200, required=False)

    @property
    def has_note(self) -> bool:
        """Whether the request sent a note (a tap does not: the stored note stays)."""
        return "note" in self.data

    @property
    def has_undo(self) -> bool:
        return "undo_status" in self.data

    def first_error(self) -> str:
        for errors in self.errors.values():
            return str(errors[0])
        return ""


class RosterForm(forms.Form):
    """The whole roster as one plain form: a radio group per child (the page without JavaScript)."""

    def __init__(self, *args, students, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(UNMARKED, _("Unmarked")), *statuses]
        for student in students:
            self.fields[self.field_name(student.pk)] = forms.ChoiceField(
                label=student.full_name, choices=choices, required=False, widget=forms.RadioSelect
            )

    @staticmethod
    def field_name(pk: int) -> str:
        return f"status-{pk}"

    def status_of(self, pk: int) -> str | None:
        """The posted status of a child, or ``None`` when the form did not carry the child."""
        name = self.field_name(pk)
        if name not in self.data:
            return None
        return self.cleaned_data.get(name, UNMARKED)
