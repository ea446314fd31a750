"""The personal iCal feed: parses, stable UIDs, cancelled days, Asia/Tokyo, tokens, nickname only."""

import datetime as dt
import zoneinfo

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from classroom.factories import ClassDayFactory
from classroom.models import ClassDayStatus
from tests.volunteers.me.conftest import days, ja
from volunteers.models import SignUp, SignUpAnswer

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


def feed_url(token):
    return reverse("volunteers:calendar_feed", args=[token])


def events(client, token):
    response = client.get(feed_url(token))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    return calendar, {str(e["UID"]): e for e in calendar.walk("VEVENT")}


@pytest.fixture
def token(me):
    return me.renew_calendar_token()


def test_feed_lists_can_come_days_with_stable_uids(client, me, token, pair, site):
    cannot = ClassDayFactory(site=site, date=days(5))
    SignUp.objects.create(volunteer=me, class_day=cannot, answer=SignUpAnswer.CANNOT_COME)
    old = ClassDayFactory(site=site, date=days(-40))
    SignUp.objects.create(volunteer=me, class_day=old, answer=SignUpAnswer.CAN_COME)
    recent = ClassDayFactory(site=site, date=days(-20))
    SignUp.objects.create(volunteer=me, class_day=recent, answer=SignUpAnswer.CAN_COME)
    calendar, first = events(client, token)
    uid = f"classday-{pair.class_day.pk}-volunteer-{me.pk}@yorisoi"
    assert set(first) == {uid, f"classday-{recent.pk}-volunteer-{me.pk}@yorisoi"}
    _, second = events(client, token)
    assert set(second) == set(first)
    event = first[uid]
    start = event.decoded("DTSTART")
    assert start == dt.datetime.combine(pair.class_day.date, dt.time(17, 0), tzinfo=TOKYO)
    assert str(start.tzinfo) == "Asia/Tokyo"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Tokyo"]
    assert str(event["SUMMARY"]) == f"学習支援（{site.name}）" or site.name in str(event["SUMMARY"])
    assert site.name in str(event["LOCATION"])
    assert "ケンくん" in str(event["DESCRIPTION"])
    assert str(event["STATUS"]) == "CONFIRMED"


def test_no_family_name_or_other_data_in_the_feed(client, token, pair, child, sibling):
    body = client.get(feed_url(token)).content.decode()
    for secret in ["鈴木", "健太", "花子", "卵アレルギー", "深谷市秘密町", "ミサちゃん", "秘密中学校"]:
        assert secret not in body


def test_cancelled_day_is_status_cancelled(client, me, token, site):
    day = ClassDayFactory(site=site, date=days(2), status=ClassDayStatus.CANCELLED)
    SignUp.objects.create(volunteer=me, class_day=day, answer=SignUpAnswer.CAN_COME)
    _, found = events(client, token)
    assert str(found[f"classday-{day.pk}-volunteer-{me.pk}@yorisoi"]["STATUS"]) == "CANCELLED"


def test_nickname_gone_more_than_7_days_after(client, me, token, child, site):
    from classroom.factories import TutoringRecordFactory
    day = ClassDayFactory(site=site, date=days(-8))
    SignUp.objects.create(volunteer=me, class_day=day, answer=SignUpAnswer.CAN_COME, confirmed_at=timezone.now())
    TutoringRecordFactory(class_day=day, student=child, tutor=me.user)
    _, found = events(client, token)
    assert "ケンくん" not in str(found[f"classday-{day.pk}-volunteer-{me.pk}@yorisoi"].get("DESCRIPTION", ""))


def test_unknown_revoked_and_renewed_tokens(client, me, token):
    assert client.get(feed_url("not-a-token")).status_code == 404
    new = me.renew_calendar_token()
    assert client.get(feed_url(token)).status_code == 404
    assert client.get(feed_url(new)).status_code == 200
    me.revoke_calendar_token()
    assert client.get(feed_url(new)).status_code == 404


def test_inactive_user_feed_is_404(client, me, token):
    me.user.is_active = False
    me.user.save()
    assert client.get(feed_url(token)).status_code == 404


# --- The settings page --------------------------------------------------------------------
def test_calendar_page_shows_the_absolute_url(volunteer_client, me, token):
    html = volunteer_client.get(reverse("volunteers:my_calendar")).content.decode()
    assert f"http://testserver{feed_url(token)}" in html


def test_calendar_page_without_token_offers_to_start(volunteer_client, me):
    html = volunteer_client.get(reverse("volunteers:my_calendar")).content.decode()
    assert reverse("volunteers:my_calendar_renew") in html and ".ics" not in html


def test_renew_makes_the_old_url_404(volunteer_client, client, me, token):
    response = volunteer_client.post(reverse("volunteers:my_calendar_renew"))
    assert response.status_code == 302
    me.refresh_from_db()
    assert me.calendar_token and me.calendar_token != token
    assert volunteer_client.get(feed_url(token)).status_code == 404


def test_renew_htmx_returns_the_section(volunteer_client, me, token):
    response = volunteer_client.post(reverse("volunteers:my_calendar_renew"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    me.refresh_from_db()
    assert html.lstrip().startswith('<section id="calendar-feed"') and me.calendar_token in html


def test_revoke_stops_the_feed(volunteer_client, me, token):
    response = volunteer_client.post(reverse("volunteers:my_calendar_revoke"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    me.refresh_from_db()
    assert me.calendar_token is None
    assert volunteer_client.get(feed_url(token)).status_code == 404


def test_renew_and_revoke_need_post(volunteer_client, me, token):
    assert volunteer_client.get(reverse("volunteers:my_calendar_renew")).status_code == 405
    assert volunteer_client.get(reverse("volunteers:my_calendar_revoke")).status_code == 405
    me.refresh_from_db()
    assert me.calendar_token == token


@pytest.mark.parametrize("persona", ["staff_client", "coordinator_client", "outsider_client"])
def test_other_roles_404(request, persona):
    client = request.getfixturevalue(persona)
    assert client.get(reverse("volunteers:my_calendar")).status_code == 404
    assert client.post(reverse("volunteers:my_calendar_renew")).status_code == 404


def test_volunteer_without_profile_404(volunteer_client):
    assert volunteer_client.get(reverse("volunteers:my_calendar")).status_code == 404


# --- Issue 9, point 15: waiting days are tentative; a first start is not a renewal -------------
def test_day_waiting_for_confirmation_is_tentative(client, me, token, pair, site):
    waiting = ClassDayFactory(site=site, date=days(6))
    SignUp.objects.create(volunteer=me, class_day=waiting, answer=SignUpAnswer.CAN_COME)
    _, found = events(client, token)
    assert str(found[f"classday-{waiting.pk}-volunteer-{me.pk}@yorisoi"]["STATUS"]) == "TENTATIVE"
    assert str(found[f"classday-{pair.class_day.pk}-volunteer-{me.pk}@yorisoi"]["STATUS"]) == "CONFIRMED"


def test_offered_activity_help_is_tentative(client, me, token, site):
    from activities.factories import ActivityFactory
    from activities.models import Helper, HelperStatus
    offered = ActivityFactory(site=site, date=days(4))
    confirmed = ActivityFactory(site=site, date=days(5))
    Helper.objects.create(activity=offered, volunteer=me, status=HelperStatus.OFFERED)
    Helper.objects.create(activity=confirmed, volunteer=me, status=HelperStatus.CONFIRMED)
    _, found = events(client, token)
    assert str(found[f"activity-{offered.pk}-volunteer-{me.pk}@yorisoi"]["STATUS"]) == "TENTATIVE"
    assert str(found[f"activity-{confirmed.pk}-volunteer-{me.pk}@yorisoi"]["STATUS"]) == "CONFIRMED"


@pytest.mark.parametrize("htmx", [False, True])
def test_first_start_does_not_speak_of_an_old_url(volunteer_client, me, htmx):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = volunteer_client.post(reverse("volunteers:my_calendar_renew"), follow=not htmx, **headers)
    html = response.content.decode()
    me.refresh_from_db()
    assert me.calendar_token and me.calendar_token in html
    assert ja("Your calendar feed has started. Add the URL below to your calendar.") in html
    assert ja("Your calendar has a new URL. The old URL no longer works.") not in html


def test_renewing_an_existing_feed_says_the_old_url_stopped(volunteer_client, me, token):
    html = volunteer_client.post(reverse("volunteers:my_calendar_renew"), HTTP_HX_REQUEST="true").content.decode()
    assert ja("Your calendar has a new URL. The old URL no longer works.") in html
