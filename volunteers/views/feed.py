"""The personal calendar feed (no login: the secret token in the URL is the credential) and its settings."""

from __future__ import annotations

import re
from urllib.parse import quote

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from classroom import rules
from lib.htmx import HtmxHttpRequest, render_fragment
from volunteers.ical import build_calendar
from volunteers.models import Volunteer
from volunteers.services.schedule import volunteer_of

TEMPLATE = "volunteers/me/calendar.html"
# What Volunteer.renew_calendar_token makes (secrets.token_urlsafe). Anything else is not looked up:
# a NUL byte would make PostgreSQL refuse the query.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{16,64}")


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCal feed of the volunteer holding ``token``; unknown or revoked tokens answer 404."""
    volunteer = (
        Volunteer.objects.filter(calendar_token=token, user__in=rules.role_holders(rules.VOLUNTEER))
        .select_related("user").first()
    ) if TOKEN_SHAPE.fullmatch(token) else None
    if volunteer is None:
        raise Http404
    response = HttpResponse(build_calendar(volunteer), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="yorisoi.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _page(request: HtmxHttpRequest, volunteer: Volunteer, notice: str = "") -> HttpResponse:
    feed_url = ""
    if volunteer.calendar_token:
        feed_url = request.build_absolute_uri(reverse("volunteers:calendar_feed", args=[volunteer.calendar_token]))
    webcal_url = "webcal://" + feed_url.split("://", 1)[1] if feed_url else ""
    return render_fragment(request, TEMPLATE, {
        "feed_url": feed_url,
        "webcal_url": webcal_url,
        "google_url": f"https://calendar.google.com/calendar/r?cid={quote(webcal_url, safe='')}" if feed_url else "",
        "notice": notice,
    }, partial="feed")


def _volunteer(request: HttpRequest) -> Volunteer:
    volunteer = volunteer_of(request.user)
    if volunteer is None:
        raise Http404
    return volunteer


@rules.role_required(rules.VOLUNTEER)
def my_calendar(request: HttpRequest) -> HttpResponse:
    return _page(request, _volunteer(request))


@rules.role_required(rules.VOLUNTEER)
@require_POST
def my_calendar_renew(request: HtmxHttpRequest) -> HttpResponse:
    """Start the feed, or give it a new secret URL (the old one stops working at once)."""
    volunteer = _volunteer(request)
    had_a_feed = bool(volunteer.calendar_token)
    volunteer.renew_calendar_token()
    if had_a_feed:
        notice = _("Your calendar has a new URL. The old URL no longer works.")
    else:
        notice = _("Your calendar feed has started. Add the URL below to your calendar.")
    if request.htmx:
        return _page(request, volunteer, notice)
    messages.success(request, notice)
    return redirect("volunteers:my_calendar")


@rules.role_required(rules.VOLUNTEER)
@require_POST
def my_calendar_revoke(request: HtmxHttpRequest) -> HttpResponse:
    volunteer = _volunteer(request)
    volunteer.revoke_calendar_token()
    notice = _("The calendar feed was stopped. Calendars using it will no longer update.")
    if request.htmx:
        return _page(request, volunteer, notice)
    messages.success(request, notice)
    return redirect("volunteers:my_calendar")
