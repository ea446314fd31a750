"""The volunteer calendar feed's activity events: where the volunteer helps, cancelled ones marked.

Registered in ``classroom.extensions`` (``CALENDAR_EVENTS``) by ``ActivitiesConfig.ready``. Descriptions carry
the meeting point, what to bring and the helper's role: never a participant.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import Helper, HelperStatus

PAST_DAYS = 30
UID_DOMAIN = "yorisoi"


def activity_events(volunteer, today: dt.date) -> list:
    """FeedEvents for the activities ``volunteer`` helps at (offered or confirmed), from 30 days ago on."""
    from volunteers.ical import FeedEvent

    tz = timezone.get_current_timezone()
    helps = (Helper.objects.filter(volunteer=volunteer, activity__date__gte=today - dt.timedelta(days=PAST_DAYS))
             .select_related("activity__partner").order_by("activity__date", "activity__start_time", "pk"))
    events = []
    for helper in helps:
        activity = helper.activity
        lines = []
        if activity.is_cancelled:
            lines.append(_("Cancelled: %(reason)s") % {"reason": activity.cancel_reason})
        if helper.status != HelperStatus.CONFIRMED:
            lines.append(_("You offered to help; the staff have not confirmed yet."))
        if helper.role:
            lines.append(_("Your role: %(role)s") % {"role": helper.role})
        if activity.meeting_point:
            lines.append(_("Meeting point: %(place)s") % {"place": activity.meeting_point})
        if activity.what_to_bring:
            lines.append(_("What to bring: %(items)s") % {"items": activity.what_to_bring})
        events.append(FeedEvent(
            uid=f"activity-{activity.pk}-volunteer-{volunteer.pk}@{UID_DOMAIN}",
            start=dt.datetime.combine(activity.date, activity.start_time, tzinfo=tz),
            end=dt.datetime.combine(activity.date, activity.end_time, tzinfo=tz),
            summary=_("Activity: %(title)s") % {"title": activity.title},
            location=activity.place,
            description="\n".join(lines),
            cancelled=activity.is_cancelled,
            tentative=helper.status != HelperStatus.CONFIRMED,
            stamp=activity.updated_at,
        ))
    return events
