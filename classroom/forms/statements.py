"""The choice of month (and options) for a child's school attendance statement."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lib import plausible

MONTH_FORMAT = re.compile(r"(\d{4})-(\d{1,2})", re.ASCII)


class MonthField(forms.CharField):
    """A month written YYYY-MM (what ``<input type="month">`` sends); cleans to its first day.

    An impossible month (2026-13, 0000-01) or one outside the plausible range of event dates
    (``lib.plausible``) is refused with a message.
    """

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-04", "inputmode": "numeric"})

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 7)
        kwargs.setdefault("error_messages", {
            "required": _("Choose a month."),
            "max_length": _("Enter a month as YYYY-MM, for example 2026-04."),
        })
        super().__init__(**kwargs)

    def clean(self, value) -> dt.date | None:
        text = super().clean(value)
        if not text:
            return None
        # Full-width digits and dash (２０２６－０４) as a Japanese keyboard types them.
        match = MONTH_FORMAT.fullmatch(unicodedata.normalize("NFKC", text).strip().replace("\u2212", "-"))
        if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < 1:
            raise ValidationError(_("Enter a month as YYYY-MM, for example 2026-04."), code="invalid_month")
        first = dt.date(int(match[1]), int(match[2]), 1)
        plausible.check(first)
        return first

    def prepare_value(self, value):
        return f"{value:%Y-%m}" if isinstance(value, dt.date) else value


class StatementForm(forms.Form):
    month = MonthField(label=_("Month"), help_text=_("The month the statement covers, as YYYY-MM."))
    include_tutors = forms.BooleanField(
        label=_("Include the tutors' names"), required=False,
        help_text=_("Left off unless you tick this: the school usually needs only what was studied."),
    )
