"""Printables (A4, print stylesheet, no navigation): the lead's participant list and the guardians' invitation letter."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from activities.models import Answer, ParticipantRole
from activities.services.participants import participants_of
from activities.views.participants import (
    MANAGERS,
    ROLE_ORDER,
    activity_for,
    decorate,
    led_activity_for,
)
from classroom import rules
from classroom.access_log import log_contacts_read
from lib import plausible


@login_required
def print_participants(request: HttpRequest, pk: int) -> HttpResponse:
    """Who is going, with guardians' phones, consent and (when food is involved) allergies; a check column."""
    activity = led_activity_for(request, pk)
    if not rules.can_see_contacts(request.user, activity):
        raise Http404  # the lead's list carries guardians' phones and allergies
    rows = [decorate(p, activity) for p in participants_of(activity).filter(answer=Answer.GOING)]
    log_contacts_read(request, [p.student_id for p in rows])  # guardians' phones and allergies: logged
    rows.sort(key=lambda p: (ROLE_ORDER[p.role], p.kana))
    return render(request, "activities/printables/participants.html", {
        "activity": activity,
        "rows": rows,
        "printed_on": timezone.localdate(),
    })


@rules.role_required(*MANAGERS)
def print_invitation(request: HttpRequest, pk: int) -> HttpResponse:
    """The letter to guardians (保護者の皆様へ) with a consent slip to cut off and return."""
    activity = activity_for(request, pk)
    today = timezone.localdate()
    # The reply date: ?reply_by=YYYY-MM-DD, else a week before the day (never before today).
    reply_by = plausible.date_param(request.GET.get("reply_by")) or max(activity.date - dt.timedelta(days=7), today)
    return render(request, "activities/printables/invitation.html", {
        "activity": activity,
        "today": today,
        "reply_by": reply_by,
        "student_role": ParticipantRole.STUDENT,
    })
