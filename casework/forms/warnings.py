"""The early-warning page's filter and the thresholds of a site."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casework import warnings
from casework.models import WarningSettings
from casework.services.warnings import warning_settings_check
from classroom.forms.edit_guards import EditGuardMixin


class SiteChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class WarningFilterForm(forms.Form):
    site = SiteChoiceField(queryset=None, required=False, empty_label=_("All my sites"), label=_("Site"))
    kind = forms.ChoiceField(required=False, label=_("Kind"))

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        self.fields["kind"].choices = [("", _("All kinds"))] + [(k, warnings.KIND_LABELS[k]) for k in warnings.KINDS]


class WarningSettingsForm(EditGuardMixin, forms.ModelForm):
    class Meta:
        model = WarningSettings
        fields = ["consecutive_absences", "rate_below", "rate_before", "no_contact_days", "stopped_coming_days"]
        help_texts = {
            "consecutive_absences": _("A child is listed from this many absences without notice in a row."),
            "rate_below": _("Listed when the rate over the last 4 weeks is below this…"),
            "rate_before": _("…after being at least this over the 4 weeks before."),
            "no_contact_days": _("Listed after more than this many days without a visit, contact, class or drop-in."),
            "stopped_coming_days": _("A high-school student who came before and has no outcome recorded this fiscal "
                                     "year is listed after more than this many days since they last came to a class."),
        }
        widgets = {
            "consecutive_absences": forms.NumberInput(attrs={"min": 1}),
            "rate_below": forms.NumberInput(attrs={"min": 0, "max": 100}),
            "rate_before": forms.NumberInput(attrs={"min": 0, "max": 100}),
            "no_contact_days": forms.NumberInput(attrs={"min": 1}),
            "stopped_coming_days": forms.NumberInput(attrs={"min": 1}),
        }

    def clean(self):
        data = super().clean()
        errors = warning_settings_check(**{name: data.get(name) for name in self.Meta.fields})
        for name, message in errors.items():
            if name not in self.errors:
                self.add_error(name, message)
        return data
