"""The report's filter: which fiscal year and which of the user's sites."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lib.wareki import fiscal_year_label


class ReportFilterForm(forms.Form):
    """The fiscal-year switcher and the site filter (GET): choices are the years shown and the user's sites."""

    fy = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int, required=False,
                                error_messages={"invalid_choice": _("Choose a fiscal year from the list.")})
    site = forms.TypedChoiceField(label=_("Site"), coerce=int, required=False, empty_value=None,
                                  error_messages={"invalid_choice": _("Choose one of your sites.")})

    def __init__(self, *args, years: list[int], sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fy"].choices = [(year, fiscal_year_label(year)) for year in years]
        self.fields["site"].choices = [("", _("All my sites")), *[(site.pk, site.name) for site in sites]]
