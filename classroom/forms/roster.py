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
    undo = forms.BooleanField(required=False)

    def __init__(self, data=None, *, row: int | None = None, **kwargs):
        """``row``: the id of the row tapped. A row's status buttons are named ``status-<id>`` (the
        whole roster is one form without JavaScript); the tap reads that name as ``status``."""
        if data is not None and row is not None and "status" not in data and RosterForm.field_name(row) in data:
            data = data.copy()
            data["status"] = data[RosterForm.field_name(row)]
        super().__init__(data, **kwargs)

    def clean(self):
        """``undo``: the target is the row's offered undo (``undo_*``), the state before the last tap."""
        data = super().clean()
        if data.get("undo"):
            data.update(status=data.get("undo_status") or UNMARKED, arrived_at=data.get("undo_arrived_at"),
                        left_at=data.get("undo_left_at"), note=data.get("undo_note") or "")
        return data

    @property
    def is_undo(self) -> bool:
        return bool(self.is_valid() and self.cleaned_data.get("undo"))

    @property
    def has_note(self) -> bool:
        """Whether the request sent a note (a tap does not: the stored note stays; an undo puts its note back)."""
        return "note" in self.data or self.is_undo

    @property
    def has_undo(self) -> bool:
        """Whether the request carried the row's offered undo (an undo itself does not offer it again)."""
        return "undo_status" in self.data and not self.is_undo

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


class RosterSearchForm(forms.Form):
    """The roster's search box: part of a name, its kana reading or a nickname."""

    q = forms.CharField(label=_("Add a child"), max_length=50, required=False)
