"""Forms for class days: filters, one class day, a series, a cancellation."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from classroom.forms.edit_guards import EditGuardMixin
from classroom.models import ClassDayKind, ClassDayStatus, Site
from classroom.models.students import WEEKDAYS
from classroom.services.classdays import MAX_SERIES_DAYS
from lib.hostile import TEXT_MAX_LENGTH
from lib.plausible import PlausibleForm

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class KindField(forms.ChoiceField):
    """How the class day is held (group classroom, home-visit tutoring, online): the report counts by it.

    The form always sends one (a radio button is checked); a client that sends none gets ``None``:
    a new class day is then a group class, an edited one keeps its kind.
    """

    widget = forms.RadioSelect

    def __init__(self, **kwargs):
        super().__init__(
            label=_("How it is held"), choices=ClassDayKind.choices, initial=ClassDayKind.GROUP, required=False,
            error_messages={"invalid_choice": _("Choose how the class day is held.")}, **kwargs,
        )

    def clean(self, value):
        return super().clean(value) or None
TIME_INPUT = forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M")


class ClassDayFilterForm(forms.Form):
    """The list's filters. Never invalid: an unknown value falls back to the default."""

    WHEN_CHOICES = [("upcoming", _("Upcoming")), ("past", _("Past"))]

    when = forms.ChoiceField(label=_("When"), choices=WHEN_CHOICES, required=False)
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none(), required=False,
                                  empty_label=_("All sites"))
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All statuses")), *ClassDayStatus.choices])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.visible_to(user)

    def value(self, name: str):
        return self.cleaned_data.get(name) if self.is_valid() else None


class ClassDayForm(EditGuardMixin, PlausibleForm):
    site = forms.ModelChoiceField(queryset=Site.objects.none(), label=_("Site"))
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    start_time = forms.TimeField(label=_("Start time"), widget=TIME_INPUT)
    end_time = forms.TimeField(label=_("End time"), widget=TIME_INPUT)
    kind = KindField()
    note = forms.CharField(label=_("Note"), required=False, max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, with_site: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_site:
            self.fields["site"].queryset = Site.objects.visible_to(user)
        else:
            del self.fields["site"]

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The end time must be after the start time."))
        return data


def parse_dates(text: str) -> tuple[list[dt.date], list[str]]:
    """Dates written one a line (or separated by commas) as YYYY-MM-DD or YYYY/MM/DD.

    Anything after the date on a line is a label and ignored ("2026/04/29 昭和の日").
    Full-width digits are accepted. Returns the dates and the pieces that are not dates.
    """
    dates, bad = [], []
    for piece in re.split(r"[\n,、]", unicodedata.normalize("NFKC", text or "")):
        piece = piece.strip()
        if not piece:
            continue
        token = piece.split()[0]
        match = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", token)
        try:
            if not match:
                raise ValueError
            dates.append(dt.date(*(int(g) for g in match.groups())))
        except ValueError:
            bad.append(piece)
    return sorted(set(dates)), bad


class ClassDaySeriesForm(PlausibleForm):
    site = forms.ModelChoiceField(queryset=Site.objects.none(), label=_("Site"))
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days of the week"), choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one weekday.")},
    )
    start_date = forms.DateField(label=_("From"), widget=DATE_INPUT)
    end_date = forms.DateField(label=_("To"), widget=DATE_INPUT)
    start_time = forms.TimeField(label=_("Start time"), widget=TIME_INPUT,
                                 initial=dt.time(17, 0))
    end_time = forms.TimeField(label=_("End time"), widget=TIME_INPUT,
                               initial=dt.time(19, 0))
    kind = KindField()
    holidays = forms.CharField(
        label=_("Dates to skip"), required=False, max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "2026-04-29\n2026/05/05"}),
        help_text=_("Holidays and other days without class, one a line: YYYY-MM-DD or YYYY/MM/DD."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.visible_to(user)

    def clean_holidays(self) -> list[dt.date]:
        dates, bad = parse_dates(self.cleaned_data.get("holidays", ""))
        if bad:
            raise ValidationError(
                _("Not a date: %(pieces)s. Write one date a line as YYYY-MM-DD or YYYY/MM/DD."),
                params={"pieces": "、".join(bad)},
            )
        return dates

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end:
            if end < start:
                self.add_error("end_date", _("The last date must not be before the first date."))
            elif (end - start).days >= MAX_SERIES_DAYS:
                self.add_error("end_date", _("A series can span at most one year."))
        start_time, end_time = data.get("start_time"), data.get("end_time")
        if start_time and end_time and end_time <= start_time:
            self.add_error("end_time", _("The end time must be after the start time."))
        return data

    def holidays_value(self) -> str:
        """The skipped dates as one hidden value for the confirmation form."""
        return ", ".join(d.isoformat() for d in self.cleaned_data.get("holidays", []))


class ClassDayCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancellation"), max_length=200,
        error_messages={"required": _("Enter the reason for the cancellation.")},
        widget=forms.TextInput(attrs={"placeholder": _("e.g. Typhoon approaching")}),
    )
