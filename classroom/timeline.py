"""Each child's timeline: everything recorded about them, newest first, from many sources.

A source is a small function ``fetch(student, window, limit) -> list[TimelineEntry]``
returning at most ``limit`` entries, newest first, in one query (two at most). The page
asks every source for as many entries as the page ends at, merges them and slices, so a
page costs the same number of queries however long the history is.

Another app adds its own source without editing this module::

    from classroom.timeline import register_source

    @register_source("activity", _("Activities"), order=80)
    def activity_entries(student, window, limit): ...
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from classroom import localtime
from classroom.models import (
    Attendance,
    Contact,
    DropIn,
    FollowUpAction,
    HomeVisit,
    InformationShare,
    RecordStatus,
    Student,
    TutoringRecord,
)
from classroom.models.attendance import ATTENDED
from classroom.names import person_name

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


_SOURCES: dict[str, Source] = {}


def register_source(kind: str, label, *, order: int = 50):
    """Decorator: add ``fetch`` to every timeline under ``kind`` (a later registration replaces it)."""

    def decorator(fetch):
        _SOURCES[kind] = Source(kind=kind, label=label, fetch=fetch, order=order)
        return fetch

    return decorator


def sources() -> list[Source]:
    return sorted(_SOURCES.values(), key=lambda s: (s.order, s.kind))


def url_or_empty(name: str, *args) -> str:
    """The URL of a record whose page may not exist yet (another screen owns it)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _at(day: dt.date, time: dt.time | None = None) -> dt.datetime:
    return dt.datetime.combine(day, time or dt.time(), tzinfo=timezone.get_current_timezone())


def _short(text: str, words: int = 40) -> str:
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
    merged = [entry for source in chosen for entry in source.fetch(student, window, limit)]
    merged.sort(key=lambda e: (e.at, -rank[e.kind]), reverse=True)
    for entry in merged:
        entry.label = _SOURCES[entry.kind].label
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
            kind="attendance", at=_at(a.class_day.date, a.class_day.start_time),
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
            kind="tutoring", at=_at(r.class_day.date, r.class_day.start_time),
            title=_("Tutoring: %(subjects)s") % {"subjects": r.get_subjects_display() or "—"},
            detail=_short(r.studied), by=person_name(r.tutor),
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
        entries.append(TimelineEntry(kind="dropin", at=_at(d.date, d.checked_in_at), title=_("Place to be"),
                                     detail=f"{localtime.hm(d.checked_in_at)}{until}"))
    return entries


@register_source("visit", gettext_lazy("Home visits"), order=40)
def visit_entries(student, window, limit):
    rows = (
        HomeVisit.objects.filter(student=student, **window.datetimes("visited_at")).prefetch_related("staff")
        .order_by("-visited_at", "-pk")[:limit]
    )
    return [
        TimelineEntry(
            kind="visit", at=v.visited_at, title=_("Home visit: %(purpose)s") % {"purpose": v.get_purpose_display()},
            detail=_("Concern: %(level)s") % {"level": v.get_concern_level_display()},
            by="、".join(person_name(u) for u in v.staff.all()),
            badge=_("Draft") if v.status == RecordStatus.DRAFT else "", badge_class="badge--muted",
            url=url_or_empty("visit_detail", v.pk),
        )
        for v in rows
    ]


@register_source("contact", gettext_lazy("Contacts"), order=50)
def contact_entries(student, window, limit):
    rows = (
        Contact.objects.filter(student=student, **window.datetimes("contacted_at")).select_related("staff")
        .order_by("-contacted_at", "-pk")[:limit]
    )
    return [
        TimelineEntry(
            kind="contact", at=c.contacted_at, title=c.get_kind_display(),
            detail=" ".join(filter(None, [c.with_whom, _short(c.notes)])), by=person_name(c.staff),
            badge=_("Draft") if c.status == RecordStatus.DRAFT else "", badge_class="badge--muted",
            url=url_or_empty("contact_detail", c.pk),
        )
        for c in rows
    ]


@register_source("share", gettext_lazy("Information shares"), order=60)
def share_entries(student, window, limit):
    rows = (
        InformationShare.objects.filter(student=student, **window.datetimes("shared_at")).select_related("shared_by")
        .order_by("-shared_at", "-pk")[:limit]
    )
    return [
        TimelineEntry(
            kind="share", at=s.shared_at, title=_("Shared with %(name)s") % {"name": s.recipient_name},
            detail=_short(s.what), by=person_name(s.shared_by), badge=s.get_basis_display(), badge_class="badge--info",
            url=url_or_empty("share_detail", s.pk),
        )
        for s in rows
    ]


@register_source("follow_up", gettext_lazy("Follow-ups"), order=70)
def follow_up_entries(student, window, limit):
    """Dated by their due date: an open follow-up due soon stays near the top."""
    today = timezone.localdate()
    rows = (
        FollowUpAction.objects.filter(student=student, **window.dates("due_on")).select_related("owner")
        .order_by("-due_on", "-pk")[:limit]
    )
    entries = []
    for f in rows:
        if f.done_on:
            badge, badge_class = _("Done %(date)s") % {"date": f"{f.done_on.month}/{f.done_on.day}"}, "badge--muted"
        elif f.due_on < today:
            badge, badge_class = _("Overdue"), "badge--danger"
        else:
            badge, badge_class = _("Open"), "badge--warn"
        entries.append(TimelineEntry(
            kind="follow_up", at=_at(f.due_on), title=_("Follow-up due: %(action)s") % {"action": f.description},
            by=person_name(f.owner), badge=badge, badge_class=badge_class,
            url=url_or_empty("visit_detail", f.visit_id) if f.visit_id else url_or_empty("contact_detail", f.contact_id),
        ))
    return entries


def summary_for(student: Student, today: dt.date | None = None) -> dict:
    """What staff want before a visit: recent attendance, last contact, open follow-ups, next visit. Three queries."""
    from classroom import stats, warnings

    today = today or timezone.localdate()
    facts = warnings.students_with_facts(Student.objects.filter(pk=student.pk), today).get()
    rate = stats.attendance_rates([student.pk], *stats.last_four_weeks(today))[student.pk]
    open_follow_ups = list(
        FollowUpAction.objects.open().filter(student=student).select_related("owner").order_by("due_on", "pk")
    )
    for f in open_follow_ups:
        f.is_overdue = f.due_on < today
        f.owner_name = person_name(f.owner)
    return {
        "rate": rate,
        "last_contact": warnings.last_contact_on(facts),
        "open_follow_ups": open_follow_ups,
        "next_visit_due": facts.next_visit_due,
        "next_visit_overdue": bool(facts.next_visit_due and facts.next_visit_due < today),
    }
