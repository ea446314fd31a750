"""What activities add to the volunteers' schedule and to each child's timeline."""

from __future__ import annotations

import datetime as dt

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities.models import Helper, Participant
from activities.services.activities import volunteer_activities
from classroom.timeline import TimelineEntry, day_at, register_source


def schedule_section(request, today: dt.date) -> str:
    """The activities a volunteer helps at, for My schedule."""
    return render_to_string("activities/volunteer/_upcoming.html", {
        "activities": list(volunteer_activities(request.user, today=today)),
    }, request=request)


@register_source("activity", gettext_lazy("Experience activities"), order=80)
def timeline_entries(student, window, limit):
    """The child's experience activities: invited, going, declined or waitlisted, and whether they came."""
    rows = (
        Participant.objects.filter(student=student, **window.dates("activity__date"))
        .select_related("activity").order_by("-activity__date", "-activity__start_time", "-pk")[:limit]
    )
    return [
        TimelineEntry(
            kind="activity", at=day_at(p.activity.date, p.activity.start_time), title=p.activity.title,
            badge=p.get_attendance_display() if p.attendance else p.get_answer_display(),
            badge_class="badge--muted" if p.answer == "declined" else "",
            detail=_("Cancelled") if p.activity.is_cancelled else p.activity.place,
            url=reverse("activities:activity_detail", args=[p.activity_id]),
        )
        for p in rows
    ]


def release_volunteer_help(*, volunteer, today: dt.date) -> int:
    """A volunteer's access ended: their help at upcoming activities they may not come to is removed
    (registered under ``extensions.VOLUNTEER_RELEASES``). Past help stays."""
    helps = [h.pk for h in Helper.objects.filter(volunteer=volunteer, activity__date__gte=today)
             .select_related("activity") if not volunteer.is_eligible_on(h.activity.date)]
    return Helper.objects.filter(pk__in=helps).delete()[0]
