"""The month calendar behind the class-day and activity calendars: Sunday first, as Japanese calendars are."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

from classroom.models.students import WEEKDAYS

# (label, css modifier): Sunday is red, Saturday blue.
WEEKDAY_HEADERS = [(dict(WEEKDAYS)[n], {6: "sun", 5: "sat"}.get(n, "")) for n in (6, 0, 1, 2, 3, 4, 5)]


def month_of(value: str | None, today: dt.date) -> dt.date:
    """The first day of the month a "YYYY-MM" query value names; this month when it names none."""
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", value or "")
    if match and 1900 < int(match[1]) < 2200 and 1 <= int(match[2]) <= 12:
        return dt.date(int(match[1]), int(match[2]), 1)
    return today.replace(day=1)


def shift_month(first: dt.date, months: int) -> dt.date:
    index = first.year * 12 + first.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass
class MonthCalendar:
    """One month as whole weeks, with the links of the month navigation (``includes/calendar_nav.html``).

    ``params`` are the other query parameters the links keep (a chosen site, say).
    """

    month: dt.date
    today: dt.date
    url: str
    params: Mapping[str, object] = field(default_factory=dict)
    weekday_headers = WEEKDAY_HEADERS

    @classmethod
    def of(cls, value: str | None, *, today: dt.date, url: str, **params) -> MonthCalendar:
        return cls(month_of(value, today), today, url, {k: v for k, v in params.items() if v not in (None, "")})

    @cached_property
    def weeks(self) -> list[list[dt.date]]:
        return calendar.Calendar(firstweekday=6).monthdatescalendar(self.month.year, self.month.month)

    @property
    def first(self) -> dt.date:
        return self.weeks[0][0]

    @property
    def last(self) -> dt.date:
        return self.weeks[-1][-1]

    @property
    def previous(self) -> dt.date:
        return shift_month(self.month, -1)

    @property
    def next(self) -> dt.date:
        return shift_month(self.month, 1)

    @property
    def this_month(self) -> dt.date:
        return self.today.replace(day=1)

    def _link(self, month: dt.date | None) -> str:
        query = {"month": f"{month:%Y-%m}"} if month else {}
        query.update(self.params)
        return f"{self.url}?{urlencode(query)}" if query else self.url

    @property
    def previous_url(self) -> str:
        return self._link(self.previous)

    @property
    def next_url(self) -> str:
        return self._link(self.next)

    @property
    def this_month_url(self) -> str | None:
        """The link back to this month, or None when this month is shown."""
        return None if self.month == self.this_month else self._link(None)

    def cells(self, by_date: Mapping[dt.date, list], key: str) -> list[list[dict]]:
        """Each day of the grid with its events under ``key``."""
        return [[{"date": d, "in_month": d.month == self.month.month, "is_today": d == self.today,
                  key: by_date.get(d, [])} for d in week] for week in self.weeks]

    @staticmethod
    def days_with_events(cells: Iterable[list[dict]], key: str) -> list[dict]:
        """The month's days that have events: the agenda a phone shows instead of the grid."""
        return [cell for week in cells for cell in week if cell["in_month"] and cell[key]]
