"""Lengths of time within one day, in minutes: in Python and as the same arithmetic in SQL.

Minutes are counted as integers (hour * 60 + minute of each time), which SQLite and PostgreSQL
extract the same way, so a figure summed in the database equals the one computed row by row.
Shown to people through ``format_hours`` only.
"""

from __future__ import annotations

import datetime as dt

from django.db.models.functions import ExtractHour, ExtractMinute
from django.utils.translation import gettext as _


def minutes_between(start: dt.time, end: dt.time) -> int:
    """The minutes from ``start`` to ``end`` on one day (negative when the end comes first)."""
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def minutes_expression(start: str, end: str):
    """``minutes_between`` of two time columns (paths), as an SQL expression."""
    return (ExtractHour(end) * 60 + ExtractMinute(end)) - (ExtractHour(start) * 60 + ExtractMinute(start))


def format_hours(minutes: int | None) -> str:
    """Minutes as hours and minutes for people, exact: 1535 -> "25時間35分", 60 -> "1時間", 0 -> "0時間".

    Every screen shows hours through this; a decimal (25.58) is only a spreadsheet's summable column.
    """
    whole, rest = divmod(minutes or 0, 60)
    if whole and rest:
        return _("%(hours)s h %(minutes)s min") % {"hours": whole, "minutes": rest}
    if rest:
        return _("%(minutes)s min") % {"minutes": rest}
    return _("%(hours)s h") % {"hours": whole}
