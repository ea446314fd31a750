"""Each child's timeline: everything recorded about them, newest first, from many sources.

A source is a small function ``fetch(student, window, limit) -> list[TimelineEntry]``
returning at most ``limit`` entries, newest first, in one query (two at most). The page
asks every source for as many entries as the page ends at, merges them and slices, so a
page costs the same number of queries however long the history is.

Another app adds its own source without editing this module, through ``classroom.extensions``
(imported from its ``AppConfig.ready()``)::

    from classroom.timeline import register_source

    @register_source("activity", _("Activities"), order=80)
    def activity_entries(student, window, limit): ...
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from classroom import extensions, stats
from classroom.models import Attendance, DropIn, Student, TutoringRecord
from classroom.models.attendance import ATTENDED
from lib import localtime
from lib.names import person_name

PER_PAGE = 30
MAX_PAGE = 100


@dataclass(frozen=True)
class Window:
    """Days from ``start`` to ``end``, both included; either may be open."""

    start: dt.date | None = None
    end: dt.date | None = None

    def _midnight(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(), tzinfo=timezone.get_current_timezone())

    def dates(self, lookup: str) -> dict:
        """Filter kwargs for a DateField."""
        found = {}
        if self.start:
            found[f"{lookup}__gte"] = self.start
        if self.end:
            found[f"{lookup}__lte"] = self.end
        return found

    def datetimes(self, lookup: str) -> dict:
        """Filter kwargs for a DateTimeField, by local day."""
        found = {}
        if self.start:
            found[f"{lookup}__gte"] = self._midnight(self.start)
        if self.end:
            found[f"{lookup}__lt"] = self._midnight(self.end + dt.timedelta(days=1))
        return found


@dataclass
class TimelineEntry:
    kind: str
    at: dt.datetime
    title: str
    detail: str = ""
    url: str = ""
    badge: str = ""
    badge_class: str = ""
    by: str = ""
    label: str = ""

    @property
    def local_at(self) -> dt.datetime:
        return localtime.local(self.at)

    @property
    def day(self) -> dt.date:
        return localtime.local_date(self.at)

    @property
    def has_time(self) -> bool:
        return self.kind != "follow_up"


@dataclass
class Source:
    kind: str
    label: str
    fetch: Callable[[Student, Window, int], list[TimelineEntry]]
    order: int = 50


def register_source(kind: str, label, *, order: int = 50):
    """Decorator: add ``fetch`` to every timeline under ``kind`` (a later registration replaces it)."""

    def decorator(fetch):
        source = Source(kind=kind, label=label, fetch=fetch, order=order)
        extensions.register(extensions.TIMELINE_SOURCES, kind, source, order=order)
        return fetch

    return decorator


def sources() -> list[Source]:
    """Every registered source, by order then kind."""
    return extensions.entries(extensions.TIMELINE_SOURCES)


def day_at(day: dt.date, time: dt.time | None = None) -> dt.datetime:
    """The moment an entry of a day (at ``time``, or midnight) is dated by, in the current time zone."""
    return dt.datetime.combine(day, time or dt.time(), tzinfo=timezone.get_current_timezone())


def short(text: str, words: int = 40) -> str:
    return Truncator(text or "").chars(words)


@dataclass
class TimelinePage:
    entries: list[TimelineEntry]
    number: int
    has_next: bool
    kinds: list[str] = field(default_factory=list)

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def page_of(student: Student, *, kinds: list[str] | None = None, window: Window = Window(),
            page: int = 1, per_page: int = PER_PAGE) -> TimelinePage:
    """One page of the merged timeline: each chosen source asked for ``page * per_page + 1`` rows."""
    page = max(1, min(page, MAX_PAGE))
    chosen = [s for s in sources() if not kinds or s.kind in kinds]
    limit = page * per_page + 1
    rank = {s.kind: i for i, s in enumerate(chosen)}
    labels = {s.kind: s.label for s in chosen}
    merged = [entry for source in chosen for entry in source.fetch(student, window, limit)]
    merged.sort(key=lambda e: (e.at, -rank[e.kind]), reverse=True)
    for entry in merged:
        entry.label = labels[entry.kind]
    start = (page - 1) * per_page
    return TimelinePage(entries=merged[start:start + per_page], number=page, has_next=len(merged) > page * per_page,
                        kinds=[s.kind for s in chosen])


# --- The classroom's own sources ----------------------------------------------------------------
@register_source("attendance", gettext_lazy("Attendance"), order=10)
def attendance_entries(student, window, limit):
    rows = (
        Attendance.objects.filter(student=student, **window.dates("class_day__date")).select_related("class_day")
        .order_by("-class_day__date", "-class_day__start_time", "-pk")[:limit]
    )
    badge_class = {"absent": "badge--danger", "absent_notice": "badge--muted"}
    return [
        TimelineEntry(
            kind="attendance", at=day_at(a.class_day.date, a.class_day.start_time),
            title=_("Class day"), badge=a.get_status_display(),
            badge_class="" if a.status in ATTENDED else badge_class.get(a.status, ""),
            detail=(_("Cancelled") + " " if a.class_day.is_cancelled else "") + a.note,
            url=reverse("classroom:roster", args=[a.class_day_id]),
        )
        for a in rows
    ]


@register_source("tutoring", gettext_lazy("Tutoring records"), order=20)
def tutoring_entries(student, window, limit):
    rows = (
        TutoringRecord.objects.filter(student=student, written_at__isnull=False, **window.dates("class_day__date"))
        .select_related("class_day", "tutor").order_by("-class_day__date", "-class_day__start_time", "-pk")[:limit]
    )
    return [
        TimelineEntry(
            kind="tutoring", at=day_at(r.class_day.date, r.class_day.start_time),
            title=_("Tutoring: %(subjects)s") % {"subjects": r.get_subjects_display() or "—"},
            detail=short(r.studied), by=person_name(r.tutor),
            badge=r.get_understanding_display() if r.understanding else "",
            url=reverse("classroom:tutoring_record_edit", args=[r.class_day_id, r.student_id]),
        )
        for r in rows
    ]


@register_source("dropin", gettext_lazy("Drop-ins"), order=30)
def dropin_entries(student, window, limit):
    rows = DropIn.objects.filter(student=student, **window.dates("date")).order_by("-date", "-checked_in_at", "-pk")
    entries = []
    for d in rows[:limit]:
        until = f"–{localtime.hm(d.checked_out_at)}" if d.checked_out_at else ""
        entries.append(TimelineEntry(kind="dropin", at=day_at(d.date, d.checked_in_at), title=_("Place to be"),
                                     detail=f"{localtime.hm(d.checked_in_at)}{until}"))
    return entries


def summary_for(student: Student, today: dt.date | None = None) -> dict:
    """What staff want before a visit: the attendance of the last four weeks (one query), and what
    other apps add through ``extensions.TIMELINE_SUMMARIES`` (casework: the last contact, the next
    visit due, the open follow-ups)."""
    today = today or timezone.localdate()
    summary = {"rate": stats.attendance_rates([student.pk], *stats.last_four_weeks(today))[student.pk]}
    for facts in extensions.entries(extensions.TIMELINE_SUMMARIES):
        summary.update(facts(student, today))
    return summary
