"""The profile page's form that makes a personal API token."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from classroom.forms.edit_guards import EditGuardMixin
from classroom.forms.students import DateInput
from classroom.services.tokens import DEFAULT_DAYS, MAX_DAYS
from lib.plausible import PlausibleForm


class ApiTokenForm(EditGuardMixin, PlausibleForm):
    name = forms.CharField(label=_("Token name"), max_length=100,
                           help_text=_("What the token is for, e.g. the system that uses it."))
    expires_on = forms.DateField(label=_("Valid until"), widget=DateInput(),
                                 help_text=_("At most a year from today; the token stops working after this day."))

    def __init__(self, *args, today: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        today = today or timezone.localdate()
        self.fields["expires_on"].initial = today + dt.timedelta(days=DEFAULT_DAYS)
        self.fields["expires_on"].widget.attrs.update(
            min=(today + dt.timedelta(days=1)).isoformat(), max=(today + dt.timedelta(days=MAX_DAYS)).isoformat())
