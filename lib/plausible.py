"""Plausible dates: every date and datetime a person types has a range, with a clear message.

A typo such as ``0001-01-01`` in a contact's date was stored (on PostgreSQL, as a date before
year 1 once converted from Tokyo's historic +09:18:59 to UTC) and then broke every page that
showed it. So every date field of every form, filter, API schema and query string is checked
against a plausible range before anything is saved or queried:

- events (visits, contacts, class days, consents, volunteers' paperwork...): from 1990-01-01 to
  ten years after today;
- birth dates: from 1980-01-01 to today.

Forms get the check from :class:`PlausibleDatesMixin` (``PlausibleForm`` / ``PlausibleModelForm``),
which bounds every ``DateField`` and ``DateTimeField`` it holds, including those added in
``__init__``, and sets the HTML ``min``/``max`` so that the date picker offers only those days.
``tests/test_plausible_dates.py`` walks every form class of the project and fails on one that
has a date field without the mixin. API schemas use :data:`PlausibleDate`; query strings
:func:`date_param`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django import forms
from django.core.exceptions import ValidationError
from django.utils.dateformat import format as date_format
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from pydantic import AfterValidator

from lib import localtime

EARLIEST_EVENT = dt.date(1990, 1, 1)
EVENT_YEARS_AHEAD = 10
EARLIEST_BIRTH = dt.date(1980, 1, 1)

EVENT = "event"
BIRTH = "birth"
# Fields named so hold a birth date; every other date is an event.
BIRTH_FIELDS = frozenset({"birth_date"})


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def bounds(kind: str = EVENT, *, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The first and last plausible day for a date of ``kind``."""
    today = today or localtime.today()
    if kind == BIRTH:
        return EARLIEST_BIRTH, today
    return EARLIEST_EVENT, _years_after(today, EVENT_YEARS_AHEAD)


def kind_of(name: str) -> str:
    return BIRTH if name in BIRTH_FIELDS else EVENT


def _plain(day: dt.date) -> str:
    return date_format(day, _("M j, Y"))


def out_of_range_message(kind: str = EVENT) -> str:
    first, last = bounds(kind)
    if kind == BIRTH:
        return _("Enter a date of birth between %(first)s and today.") % {"first": _plain(first)}
    return _("Enter a date between %(first)s and %(last)s.") % {"first": _plain(first), "last": _plain(last)}


def is_plausible(value, kind: str = EVENT) -> bool:
    """Whether a date (or a datetime, by its Japan day) lies in the plausible range."""
    if value is None:
        return True
    day = localtime.local_date(value)
    first, last = bounds(kind)
    return first <= day <= last


def check(value, kind: str = EVENT) -> None:
    """Raise ``ValidationError`` with the Japanese message when ``value`` is out of range."""
    if not is_plausible(value, kind):
        raise ValidationError(out_of_range_message(kind), code="implausible_date")


class PlausibleDateValidator:
    """A form field validator; equal by kind, so that adding it twice adds it once."""

    def __init__(self, kind: str = EVENT):
        self.kind = kind

    def __call__(self, value):
        check(value, self.kind)

    def __eq__(self, other):
        return isinstance(other, PlausibleDateValidator) and other.kind == self.kind

    def __hash__(self):
        return hash(("plausible", self.kind))


DATE_FIELDS = (forms.DateField, forms.DateTimeField, forms.SplitDateTimeField)


def bound_field(name: str, field: forms.Field) -> None:
    """Put the plausible range on one form field: the validator and the picker's min and max."""
    if not isinstance(field, DATE_FIELDS):
        return
    kind = getattr(field, "plausible_kind", None) or kind_of(name)
    validator = PlausibleDateValidator(kind)
    if validator not in field.validators:
        field.validators.append(validator)
    if isinstance(field, forms.SplitDateTimeField):
        return  # the admin's two inputs: the validator checks the combined value
    first, last = bounds(kind)
    if isinstance(field, forms.DateTimeField):
        field.widget.attrs.setdefault("min", f"{first.isoformat()}T00:00")
        field.widget.attrs.setdefault("max", f"{last.isoformat()}T23:59")
    else:
        field.widget.attrs.setdefault("min", first.isoformat())
        field.widget.attrs.setdefault("max", last.isoformat())


def bound_form(form: forms.BaseForm) -> None:
    for name, field in form.fields.items():
        bound_field(name, field)


class PlausibleDatesMixin:
    """Bounds every date and datetime field of the form (see the module's docstring).

    The check runs in ``full_clean`` too, so fields added after ``__init__`` are bounded as well.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bound_form(self)

    def full_clean(self):
        bound_form(self)
        super().full_clean()


class PlausibleForm(PlausibleDatesMixin, forms.Form):
    pass


class PlausibleModelForm(PlausibleDatesMixin, forms.ModelForm):
    pass


def date_param(value: str | None, kind: str = EVENT) -> dt.date | None:
    """A YYYY-MM-DD from a query string, or None when it is missing, impossible (2026-02-30) or
    out of the plausible range: the caller falls back to its default."""
    try:
        day = parse_date((value or "").strip())
    except ValueError:
        return None
    return day if day is not None and is_plausible(day, kind) else None


def _pydantic_check(kind: str):
    def _check(value):
        if not is_plausible(value, kind):
            raise ValueError(out_of_range_message(kind))
        return value

    return _check


# Every date an API schema accepts: the same range and message as the forms.
PlausibleDate = Annotated[dt.date, AfterValidator(_pydantic_check(EVENT))]
PlausibleBirthDate = Annotated[dt.date, AfterValidator(_pydantic_check(BIRTH))]
PlausibleDateTime = Annotated[dt.datetime, AfterValidator(_pydantic_check(EVENT))]
