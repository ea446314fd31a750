"""Cancelling an activity: reason required, helpers emailed (no child data), the feed marks it cancelled."""

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from activities.factories import HelperFactory, ParticipantFactory, StaffHelperFactory
from activities.ical import activity_events
from activities.models import ActivityStatus
from activities.services.activities import activity_cancel
from classroom import extensions
from classroom.exceptions import DomainError
from volunteers import ical

from .conftest import HX

pytestmark = pytest.mark.django_db


def test_confirmation_page(coordinator_client, activity, helping):
    response = coordinator_client.get(reverse("activities:activity_cancel", args=[activity.pk]))
    assert response.status_code == 200
    assert activity.title in response.text and 'name="reason"' in response.text


def test_cancel_emails_helpers_without_child_data(coordinator_client, activity, helping, staff, mailoutbox,
                                                  django_capture_on_commit_callbacks):
    StaffHelperFactory(activity=activity, staff=staff)
    participant = ParticipantFactory(activity=activity, allergy_notes="そばアレルギー", phone="090-9999-8888")
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(reverse("activities:activity_cancel", args=[activity.pk]), {"reason": "台風接近のため"})
    assert response.status_code == 302 and response["Location"] == reverse("activities:activity_detail", args=[activity.pk])
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.CANCELLED and activity.cancel_reason == "台風接近のため"
    assert sorted(m.to[0] for m in mailoutbox) == sorted([helping.volunteer.user.email, staff.email])
    for mail in mailoutbox:
        assert activity.title in mail.subject
        assert "台風接近のため" in mail.body and activity.place in mail.body
        for secret in (participant.student.family_name, participant.student.nickname, "そばアレルギー",
                       "090-9999-8888"):
            assert secret not in mail.body and secret not in mail.subject


def test_cancel_needs_a_reason(coordinator_client, activity, helping, mailoutbox):
    response = coordinator_client.post(reverse("activities:activity_cancel", args=[activity.pk]), {"reason": "   "}, **HX)
    assert response.status_code == 200 and "field__error" in response.text and "<html" not in response.text
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.OPEN and not mailoutbox


def test_cancelled_page_says_so(coordinator_client, activity):
    activity_cancel(activity=activity, reason="雨天のため", by=None)
    response = coordinator_client.get(reverse("activities:activity_detail", args=[activity.pk]))
    assert "雨天のため" in response.text and "act-page--cancelled" in response.text
    # Cancelling again is not offered (and the URL answers 404).
    assert coordinator_client.get(reverse("activities:activity_cancel", args=[activity.pk])).status_code == 404


def test_service_is_idempotent_and_refuses_done(activity, helping, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        activity_cancel(activity=activity, reason="雨天", by=None)
        activity_cancel(activity=activity, reason="雨天", by=None)
    assert len(mailoutbox) == 1
    activity.status = ActivityStatus.DONE
    activity.save()
    with pytest.raises(DomainError):
        activity_cancel(activity=activity, reason="x", by=None)
    with pytest.raises(DomainError):
        activity_cancel(activity=activity, reason=" ", by=None)


def test_ical_source_marks_cancelled(activity, helping):
    today = timezone.localdate()
    [event] = activity_events(helping.volunteer, today)
    assert not event.cancelled and event.summary.endswith(activity.title)
    activity_cancel(activity=activity, reason="雨天のため", by=None)
    [event] = activity_events(helping.volunteer, today)
    assert event.cancelled and "雨天のため" in event.description


def test_feed_has_status_cancelled(activity, helping):
    assert activity_events in extensions.entries(extensions.CALENDAR_EVENTS)
    activity_cancel(activity=activity, reason="雨天のため", by=None)
    calendar = icalendar.Calendar.from_ical(ical.build_calendar(helping.volunteer))
    [event] = [e for e in calendar.walk("VEVENT") if str(e["UID"]).startswith(f"activity-{activity.pk}-")]
    assert str(event["STATUS"]) == "CANCELLED"


def test_feed_has_no_participants(activity, helping):
    participant = ParticipantFactory(activity=activity, allergy_notes="卵")
    [event] = activity_events(helping.volunteer, timezone.localdate())
    text = event.description + event.summary + event.location
    assert participant.student.nickname not in text and "卵" not in text


def test_feed_only_own_helps(activity, helping, site):
    other = HelperFactory(activity=activity)
    assert [e.uid for e in activity_events(other.volunteer, timezone.localdate())] == [
        f"activity-{activity.pk}-volunteer-{other.volunteer.pk}@yorisoi"]


@pytest.mark.parametrize("persona", ["volunteer_client", "outsider_client"])
def test_forbidden(request, persona, activity, helping, mailoutbox):
    client = request.getfixturevalue(persona)
    assert client.get(reverse("activities:activity_cancel", args=[activity.pk])).status_code == 404
    assert client.post(reverse("activities:activity_cancel", args=[activity.pk]), {"reason": "x"}).status_code == 404
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.OPEN and not mailoutbox


def test_with_the_mail_server_down_the_page_does_not_say_the_helpers_were_told(
        coordinator_client, activity, helping, settings, django_capture_on_commit_callbacks):
    """The cancellation is saved and the page is normal, but it must not claim a mail reached anyone."""
    settings.EMAIL_BACKEND = "tests.classroom.outbox.test_outbox.SmtpDownBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(reverse("activities:activity_cancel", args=[activity.pk]), {"reason": "台風接近のため"},
                                           HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 302
    page = coordinator_client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="ja")
    shown = [str(m) for m in page.context["messages"]]
    assert len(shown) == 1
    assert "知らせました" not in shown[0]
    assert "再送" in shown[0] and "中止" in shown[0]
