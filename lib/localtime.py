"""The one formatter of dates and times a person reads: always Japan time (``settings.TIME_ZONE``).

Datetimes are stored in UTC. Every page, export, email, printable, calendar feed and API
response that shows one goes through this module (the template filters ``hm``, ``long_date``,
``short_date``, ``date_time`` in ``classroom.templatetags.yorisoi`` call it), so two screens never
disagree about the same record. Nothing here reads the process clock or the process time zone:
``django.utils.timezone`` converts with the configured zone, whatever ``TZ`` the server runs with.

Dates and times of day (``DateField``, ``TimeField``) carry no zone and pass through unchanged.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _


def local(value):
    """An aware datetime converted to Japan time; anything else (a date, a time, a naive datetime
    that is already local, ``None``) unchanged."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def local_date(value) -> dt.date | None:
    """The Japan calendar day of a datetime (or the date itself)."""
    value = local(value)
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def today() -> dt.date:
    """Today in Japan, whatever the server's clock zone (never ``date.today()``)."""
    return timezone.localdate()


def hm(value) -> str:
    """``16:05``: the Japan time of a datetime, or a time of day."""
    if not value:
        return ""
    value = local(value)
    if isinstance(value, dt.datetime):
        value = value.time()
    if not isinstance(value, dt.time):
        return ""
    return f"{value:%H:%M}"


def long_date(value) -> str:
    """2026年11月27日(金) / Fri, Nov 27, 2026 (the format string is translated)."""
    day = local_date(value) if value else None
    if not day:
        return ""
    return date_format(day, _("D, M j, Y"))


def short_date(value) -> str:
    """11/27(金) / Fri 11/27"""
    day = local_date(value) if value else None
    if not day:
        return ""
    return date_format(day, _("D n/j"))


def date_time(value) -> str:
    """The long date and the time of a datetime: 2026年11月27日(金) 16:05."""
    if not value:
        return ""
    return f"{long_date(value)} {hm(value)}"


def stamp(value) -> str:
    """A sortable plain value for exports: ``2026-11-27 16:05`` for a datetime, ``2026-11-27`` for a
    date, ``16:05`` for a time of day, in Japan time."""
    if value is None or value == "":
        return ""
    value = local(value)
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    return str(value)


def iso(value) -> str | None:
    """ISO 8601 for machines (the API): a datetime with its Japan offset (``2026-11-27T16:05:00+09:00``)."""
    if value is None:
        return None
    return local(value).isoformat()


def iso_converter():
    """``iso`` for many values (the full export's hundreds of thousands of datetimes): the Japan time zone
    is looked up once, not per value. Answers a function of an aware datetime (or ``None``)."""
    zone = timezone.get_current_timezone()

    def convert(value: dt.datetime | None) -> str | None:
        if value is None:
            return None
        return (value.astimezone(zone) if timezone.is_aware(value) else value).isoformat()

    return convert


def day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` in Japan time (``settings.TIME_ZONE``), as an aware datetime."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_default_timezone())


def within_days(field: str, first: dt.date | None, last: dt.date | None) -> Q:
    """Rows whose datetime ``field`` falls on ``first`` .. ``last`` (Japan-time days, both included; either
    may be None for no bound): what a person means by "from the 1st to the 30th"."""
    bounds = Q()
    if first is not None:
        bounds &= Q(**{f"{field}__gte": day_start(first)})
    if last is not None:
        bounds &= Q(**{f"{field}__lt": day_start(last + dt.timedelta(days=1))})
    return bounds
