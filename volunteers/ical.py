"""The volunteer's personal calendar feed (RFC 5545, built with ``icalendar``).

Events come from sources: functions ``(volunteer, today) -> list[FeedEvent]`` registered in
``classroom.extensions`` under ``CALENDAR_EVENTS``. Class days come first (registered by
``VolunteersConfig.ready``); activities add theirs from ``ActivitiesConfig.ready``.
Only a paired child's nickname (with grade and subjects) ever goes into a description.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import icalendar
from django.db.models import OuterRef, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from classroom import extensions, rules
from classroom.models import ClassDay
from volunteers.models import SignUp, SignUpAnswer, Volunteer

PAST_DAYS = 30
PRODID = "-//Yorisoi//Volunteer calendar//JA"
UID_DOMAIN = "yorisoi"


@dataclass(frozen=True)
class FeedEvent:
    uid: str
    start: dt.datetime
    end: dt.datetime
    summary: str
    location: str = ""
    description: str = ""
    cancelled: bool = False
    tentative: bool = False  # answered or offered, not yet confirmed by the classroom
    stamp: dt.datetime | None = None

    @property
    def status(self) -> str:
        if self.cancelled:
            return "CANCELLED"
        return "TENTATIVE" if self.tentative else "CONFIRMED"


def class_day_events(volunteer: Volunteer, today: dt.date) -> list[FeedEvent]:
    """Class days the volunteer answered "I can come" for, from 30 days ago on.

    A day the coordinator has not confirmed yet is TENTATIVE: the volunteer may still not be needed.
    """
    mine = SignUp.objects.filter(volunteer=volunteer, class_day=OuterRef("pk"))
    class_days = (
        ClassDay.objects.filter(sign_ups__volunteer=volunteer, sign_ups__answer=SignUpAnswer.CAN_COME,
                                date__gte=today - dt.timedelta(days=PAST_DAYS))
        .annotate(my_confirmed_at=Subquery(mine.values("confirmed_at")[:1]))
        .select_related("site").order_by("date", "start_time", "pk")
    )
    children: dict[int, list[str]] = {}
    for record in (rules.paired_records(volunteer.user, today).filter(class_day__in=class_days)
                   .select_related("student").order_by("pk")):
        student = record.student
        subjects = student.get_focus_subjects_display() or record.get_subjects_display()
        line = _("Child: %(nickname)s (%(grade)s)") % {"nickname": student.nickname or student.given_name,
                                                       "grade": student.get_grade_display()}
        if subjects:
            line += " " + _("Subjects: %(subjects)s") % {"subjects": subjects}
        children.setdefault(record.class_day_id, []).append(line)
    events = []
    for day in class_days:
        site = day.site
        events.append(FeedEvent(
            uid=f"classday-{day.pk}-volunteer-{volunteer.pk}@{UID_DOMAIN}",
            start=day.start_datetime,
            end=day.end_datetime,
            summary=_("Learning support (%(site)s)") % {"site": site.name},
            location=", ".join(part for part in (site.name, site.address) if part),
            description="\n".join(children.get(day.pk, [])),
            cancelled=day.is_cancelled,
            tentative=day.my_confirmed_at is None,
        ))
    return events


def build_calendar(volunteer: Volunteer, *, today: dt.date | None = None, language: str = "ja") -> bytes:
    """The whole feed as iCalendar bytes: times with TZID=Asia/Tokyo and its VTIMEZONE; empty once access ended."""
    today = today or timezone.localdate()
    now = timezone.now()
    with translation.override(language):
        # A volunteer whose access ended gets an empty calendar, so that their phone drops the
        # children's nicknames it already shows (a 404 would leave the old events in place).
        ended = volunteer.access_ended_on(today) or not volunteer.user.is_active
        events = [] if ended else [event for source in extensions.entries(extensions.CALENDAR_EVENTS) for event in source(volunteer, today)]
        calendar = icalendar.Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("x-wr-calname", _("Yorisoi: my schedule"))
        calendar.add("x-wr-timezone", str(timezone.get_current_timezone()))
    for item in sorted(events, key=lambda e: (e.start, e.uid)):
        event = icalendar.Event()
        event.add("uid", item.uid)
        event.add("dtstamp", item.stamp or now)
        event.add("dtstart", item.start)
        event.add("dtend", item.end)
        event.add("summary", item.summary)
        if item.location:
            event.add("location", item.location)
        if item.description:
            event.add("description", item.description)
        event.add("status", item.status)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
