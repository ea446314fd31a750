"""Forms of the coordinator's pairing plan."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lib.names import person_name
from volunteers.services.pairing import PairingPlan
from volunteers.services.planning import field_name


class PlanForm(forms.Form):
    """Every child's chosen tutor: one select per child, ``pair-<student id>`` = volunteer id or ""."""

    def __init__(self, *args, plan: PairingPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        choices = [("", _("No tutor"))] + [(str(v.id), person_name(v.user)) for v in plan.volunteers]
        written = {sid for sid, r in plan.records.items() if r.is_written}
        for student in plan.students:
            if student.pk in written:
                continue
            self.fields[field_name(student.pk)] = forms.ChoiceField(
                label=student.full_name, choices=choices, required=False,
                error_messages={"invalid_choice": _("Choose a volunteer confirmed for this class day.")},
            )

    def choices(self) -> dict[int, int | None]:
        """The posted choices (only the children whose select was posted)."""
        result: dict[int, int | None] = {}
        for student in self.plan.students:
            name = field_name(student.pk)
            if name in self.fields and name in self.data:
                value = self.cleaned_data.get(name)
                result[student.pk] = int(value) if value else None
        return result

    def first_error(self) -> str:
        return next((str(e[0]) for e in self.errors.values()), "")
