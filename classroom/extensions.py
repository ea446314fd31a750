"""The one extension point: how an app adds to what another app shows without being imported by it.

Imports run one way (``activities`` -> ``volunteers`` -> ``classroom``, ``casework`` ->
``classroom``). When a page of a lower app must show something a higher app owns, the higher
app registers it here and the lower app asks this registry; it never imports the higher app.

Kinds, and what an entry of each is:

``TIMELINE_SOURCES``
    A ``classroom.timeline.Source``: ``fetch(student, window, limit) -> list[TimelineEntry]``
    with its kind and label (register with ``classroom.timeline.register_source``). Classroom
    adds attendance, tutoring and drop-ins; casework visits, contacts, shares and follow-ups;
    activities the child's experience activities.
``TIMELINE_SUMMARIES``
    ``(student, today) -> dict``: facts merged into the summary at the top of a child's
    timeline (casework: the last contact, the next visit due, the open follow-ups).
``CALENDAR_EVENTS``
    ``(volunteer, today) -> list[volunteers.ical.FeedEvent]``: events of a volunteer's iCal
    feed (volunteers: class days; activities: the activities they help at).
``SCHEDULE_SECTIONS``
    ``(request, today) -> str``: a section of the volunteer's My schedule page, rendered HTML
    (activities: the activities they help at).
``STAFF_HOME_CARDS``
    ``(request, today) -> str``: a card in the staff home's grid, before the upcoming class
    days, rendered HTML, or "" to show nothing (reporting: this month's figures, order 10;
    casework: the early-warning card; volunteers: the class days short of volunteers, order 60; dataio:
    the data page, for staff administrators, order 90; oversight: staff administration, order 91).
``COORDINATOR_HOME_SECTIONS``
    ``(request, today) -> str``: a section of the coordinator home, after the next two weeks,
    rendered HTML, or "" to show nothing (volunteers: volunteer coverage and hours).
``STUDENT_PAGE_SECTIONS``
    ``(request, student) -> str``: a section of the student page shown only to those who may
    see its sensitive part (staff), before the household card, rendered HTML (casework:
    visits, contacts and sharing; dataio: the child's own data export for staff administrators, order 90,
    and the legal hold, order 95; oversight: the child's access log for staff administrators, order 92).
``ROSTER_WARNINGS``
    ``(class_day, student_ids) -> dict[int, Student]``: the children among ``student_ids``
    with a warning that marking them present may clear, so that "mark all present" can say
    so (casework: the early warnings that attendance decides).
``VOLUNTEER_RELEASES``
    ``(volunteer=, today=) -> int``: when a volunteer's access ends, release what they signed up
    for in the registering app and answer how many sign-ups that removed (activities: helping at
    upcoming activities). Asked by ``volunteers.services.manage.volunteer_release_future``.
``HOME_PAGES``
    Under a role as its key, the URL name of that role's home page, where ``classroom:home``
    sends a user whose first role it is (volunteers: the volunteer's home; dataio: the staff
    administrator's data page; classroom's own
    roles' homes are in ``classroom.views.home``).
``PAGE_LINKS``
    A ``PageLink(page, label, url)``: a link on a lower app's page to what a higher app owns.
    ``page`` names the place, ``url(obj)`` answers the address for the page's object (or
    ``None``). The places: ``CLASS_DAY_PAGE``, the class day page's actions, with the class day
    (volunteers: "Plan pairs"); ``COORDINATOR_HOME``, the coordinator home's next two weeks
    (volunteers: "Plan pairs", all days); ``STUDENT_LIST_PAGE``, ``VOLUNTEER_LIST_PAGE`` and
    ``PARTNER_LIST_PAGE``, the actions of those lists, with the user as the object (dataio:
    "Import from a spreadsheet", for the staff; ``url`` answers ``None`` for anyone else and the
    link is not shown).
``ROSTER_SECTIONS``
    ``(request, class_day) -> str``: a section at the foot of a class day's roster, rendered
    HTML (volunteers: the volunteers' attendance, loaded by htmx).

Who registers, and when: the app that owns the entry, once, while Django starts. A higher app
registers in its ``AppConfig.ready()``; classroom and volunteers register their own entries in
theirs too (``ClassroomConfig.ready`` imports ``classroom.timeline``, whose decorators register
its sources). A registration under a key already taken replaces it, so registering twice
(``ready()`` run again by a test) changes nothing.

In what order entries appear: by ``order`` (small first), then by key; never by the order apps
happen to be loaded in. The orders in use: timeline 10 attendance, 20 tutoring, 30 drop-ins,
40 visits, 50 contacts, 60 shares, 70 follow-ups, 80 activities; calendar 10 class days,
50 activities; staff home cards 10 this month's figures, 50 early warning, 60 volunteer coverage, 90 the
data page, 91 staff administration; student page sections 50 visits, 90 the child's own data, 92 the child's
access log, 95 the legal hold;
every other kind has one entry today (one per place for page links), at 50.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

TIMELINE_SOURCES = "timeline_sources"
TIMELINE_SUMMARIES = "timeline_summaries"
CALENDAR_EVENTS = "calendar_events"
SCHEDULE_SECTIONS = "schedule_sections"
STAFF_HOME_CARDS = "staff_home_cards"
COORDINATOR_HOME_SECTIONS = "coordinator_home_sections"
STUDENT_PAGE_SECTIONS = "student_page_sections"
ROSTER_WARNINGS = "roster_warnings"
VOLUNTEER_RELEASES = "volunteer_releases"
HOME_PAGES = "home_pages"
PAGE_LINKS = "page_links"
ROSTER_SECTIONS = "roster_sections"
KINDS = (TIMELINE_SOURCES, TIMELINE_SUMMARIES, CALENDAR_EVENTS, SCHEDULE_SECTIONS, STAFF_HOME_CARDS,
         COORDINATOR_HOME_SECTIONS, STUDENT_PAGE_SECTIONS, ROSTER_WARNINGS, VOLUNTEER_RELEASES, HOME_PAGES, PAGE_LINKS, ROSTER_SECTIONS)

# The places of ``PAGE_LINKS``.
CLASS_DAY_PAGE = "class_day"
COORDINATOR_HOME = "coordinator_home"
STUDENT_LIST_PAGE = "student_list"
VOLUNTEER_LIST_PAGE = "volunteer_list"
PARTNER_LIST_PAGE = "partner_list"


@dataclass(frozen=True)
class Entry:
    key: str
    value: Any
    order: int = 50


@dataclass(frozen=True)
class PageLink:
    page: str
    label: Any  # a (lazy) translated string
    url: Callable[[Any], str]


@dataclass(frozen=True)
class Link:
    label: Any
    url: str


_REGISTRY: dict[str, dict[str, Entry]] = {kind: {} for kind in KINDS}


def register(kind: str, key: str, value, *, order: int = 50):
    """Add ``value`` under ``kind`` as ``key`` (replacing an earlier entry of that key); returns ``value``."""
    if kind not in _REGISTRY:
        raise ValueError(f"unknown extension kind {kind!r}: one of {', '.join(KINDS)}")
    _REGISTRY[kind][key] = Entry(key=key, value=value, order=order)
    return value


def entries(kind: str) -> list:
    """The values registered under ``kind``, by order then key."""
    return [e.value for e in sorted(_REGISTRY[kind].values(), key=lambda e: (e.order, e.key))]


def by_key(kind: str) -> dict:
    """The values registered under ``kind`` by their key (``HOME_PAGES``: role -> URL name)."""
    return {key: e.value for key, e in _REGISTRY[kind].items()}


def links(page: str, obj=None) -> list[Link]:
    """The ``PAGE_LINKS`` of ``page``, in their order, with their address for ``obj``."""
    return [Link(label=link.label, url=url) for link in entries(PAGE_LINKS)
            if link.page == page and (url := link.url(obj)) is not None]
