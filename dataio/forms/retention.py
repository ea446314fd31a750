"""The legal hold of a child's records (set or cleared by a staff administrator on the student page)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from classroom.forms.edit_guards import EditGuardMixin
from classroom.models import Student


class LegalHoldForm(EditGuardMixin, forms.Form):
    """A hold needs its reason; clearing one forgets the reason. Carries the student's version."""

    legal_hold = forms.BooleanField(label=_("Keep these records under a legal hold"), required=False)
    legal_hold_reason = forms.CharField(
        label=_("Reason for the legal hold"), required=False,
        max_length=Student._meta.get_field("legal_hold_reason").max_length,
        help_text=_("For example a court case or an inquiry. While the hold lasts, the records are never anonymised."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("legal_hold") and not cleaned.get("legal_hold_reason"):
            self.add_error("legal_hold_reason", _("Enter the reason for the legal hold."))
        if not cleaned.get("legal_hold"):
            cleaned["legal_hold_reason"] = ""
        return cleaned
