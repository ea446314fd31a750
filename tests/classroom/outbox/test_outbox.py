"""Queued mail: a mail server that is down never turns a saved change into an error page.

The message stays in the outbox with its error, is retried (after commit, by ``send_outbox``,
and by the staff), and the staff see what was not sent; nobody else does.
"""

import datetime as dt
import smtplib
import socket
from io import StringIO

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from activities.factories import ActivityFactory, HelperFactory, ParticipantFactory, StaffHelperFactory
from activities.models import ActivityStatus, Answer, Participant
from classroom.factories import StudentFactory, UserFactory
from classroom.models import MessageKind, MessageStatus, OutgoingMessage
from classroom.services.outbox import (
    STALE_SENDING,
    header_clean,
    message_enqueue,
    message_retry,
    message_send,
    messages_send_due,
    retry_delay,
)
from volunteers.factories import VolunteerFactory

FAILING = "tests.classroom.outbox.test_outbox.SmtpDownBackend"
WORKING = "django.core.mail.backends.locmem.EmailBackend"

pytestmark = pytest.mark.django_db


class SmtpDownBackend(BaseEmailBackend):
    """A mail server that refuses every connection."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPConnectError(421, "Service not available")


@pytest.fixture
def smtp_down(settings):
    settings.EMAIL_BACKEND = FAILING
    return settings


@pytest.fixture
def activity(site, staff):
    return ActivityFactory(site=site, lead=staff, capacity=1, title="野菜の収穫体験", consent_required=False,
                           date=timezone.localdate() + dt.timedelta(days=14))


@pytest.fixture
def helper(activity, site):
    volunteer = VolunteerFactory(sites=[site], user=UserFactory(roles=["volunteer"], email="helper@example.jp"))
    return HelperFactory(activity=activity, volunteer=volunteer)


def later(hours=7):
    return timezone.now() + dt.timedelta(hours=hours)


# --- The defect: 500 after a saved change --------------------------------------------------------
def test_cancel_with_the_mail_server_down_answers_the_page_and_keeps_the_mail(
        coordinator_client, activity, helper, smtp_down, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(reverse("activities:activity_cancel", args=[activity.pk]), {"reason": "台風接近のため"})
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.CANCELLED
    message = OutgoingMessage.objects.get()
    assert message.kind == MessageKind.ACTIVITY_CANCELLED and message.recipients == ["helper@example.jp"]
    assert message.status == MessageStatus.PENDING and message.attempts == 1
    assert "SMTPConnectError" in message.last_error and message.next_attempt_at > timezone.now()
    assert mail.outbox == []

    # The server is back: the cron command sends it once its next try is due.
    smtp_down.EMAIL_BACKEND = WORKING
    assert messages_send_due().sent == 0  # not due yet
    assert messages_send_due(now=later()).sent == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.sent_at is not None and message.last_error == ""
    assert [m.to for m in mail.outbox] == [["helper@example.jp"]] and "台風接近のため" in mail.outbox[0].body
    assert messages_send_due(now=later(100)).sent == 0  # never twice


def test_removing_a_participant_with_the_mail_server_down_answers_the_page(
        staff_client, activity, smtp_down, django_capture_on_commit_callbacks):
    activity.lead.email = "lead@example.jp"
    activity.lead.save()
    going = ParticipantFactory(activity=activity, answer=Answer.GOING, student=StudentFactory(site=activity.site))
    waiting = ParticipantFactory(activity=activity, answer=Answer.WAITLISTED, student=StudentFactory(site=activity.site))
    url = reverse("activities:activity_participant_remove", args=[activity.pk, going.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url)
    assert response.status_code == 302
    assert not Participant.objects.filter(pk=going.pk).exists()
    assert Participant.objects.get(pk=waiting.pk).answer == Answer.GOING
    message = OutgoingMessage.objects.get()
    assert message.kind == MessageKind.WAITLIST_PROMOTED and message.status == MessageStatus.PENDING
    assert message.attempts == 1 and "SMTPConnectError" in message.last_error
    assert waiting.display_name in message.body


def test_the_message_is_rolled_back_with_the_change(activity):
    with pytest.raises(RuntimeError), transaction.atomic():
        message_enqueue(to=["a@example.jp"], subject="件名", body="本文")
        raise RuntimeError("the change failed")
    assert not OutgoingMessage.objects.exists()


def test_the_api_cancel_with_the_mail_server_down_answers_200(
        client, staff, activity, helper, smtp_down, django_capture_on_commit_callbacks):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/activities/{activity.pk}/cancel", {"reason": "雨天のため"},
                               content_type="application/json")
    assert response.status_code == 200
    assert OutgoingMessage.objects.get().status == MessageStatus.PENDING


# --- Header values ---------------------------------------------------------------------------
@pytest.mark.parametrize("raw", ["遠足\nBcc: evil@example.com", "遠足\r\nBcc: evil@example.com", "遠足\u2028Bcc: evil@example.com"])
def test_header_clean_keeps_one_line(raw):
    assert header_clean(raw) == "遠足 Bcc: evil@example.com"


def test_a_title_with_a_line_break_is_cleaned_and_the_mail_sent(
        coordinator_client, site, staff, mailoutbox, django_capture_on_commit_callbacks):
    activity = ActivityFactory(site=site, title="遠足\nBcc: evil@example.com", date=timezone.localdate() + dt.timedelta(days=3))
    staff.email = "sato@example.jp"
    staff.save()
    StaffHelperFactory(activity=activity, staff=staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(reverse("activities:activity_cancel", args=[activity.pk]), {"reason": "雨天のため"})
    assert response.status_code == 302
    [sent] = mailoutbox
    assert "\n" not in sent.subject and "遠足 Bcc: evil@example.com" in sent.subject
    assert sent.bcc == [] and sent.to == ["sato@example.jp"]
    assert OutgoingMessage.objects.get().status == MessageStatus.SENT


def test_a_message_stored_with_a_line_break_is_still_sent(mailoutbox):
    message = OutgoingMessage.objects.create(recipients=["a@example.jp"], subject="件名\n二行目", body="本文")
    assert message_send(message=message)
    assert mailoutbox[0].subject == "件名 二行目"


# --- Retries ---------------------------------------------------------------------------------
def test_retries_wait_longer_each_time_and_give_up(smtp_down):
    message = message_enqueue(to=["a@example.jp"], subject="件名", body="本文", after_commit=False)
    now = timezone.now()
    for attempt in range(1, OutgoingMessage.MAX_ATTEMPTS + 1):
        result = messages_send_due(now=now)
        message.refresh_from_db()
        assert message.attempts == attempt
        assert message.next_attempt_at == now + retry_delay(attempt)
        now = message.next_attempt_at
    assert message.status == MessageStatus.FAILED and result.gave_up == 1
    assert messages_send_due(now=now + dt.timedelta(days=30)).gave_up == 0  # not tried any more
    assert retry_delay(1) == dt.timedelta(minutes=5) and retry_delay(2) == dt.timedelta(minutes=15)
    assert retry_delay(20) == dt.timedelta(hours=6)


def test_send_outbox_command(smtp_down, mailoutbox):
    message_enqueue(to=["a@example.jp"], subject="件名", body="本文", after_commit=False)
    out = StringIO()
    call_command("send_outbox", stdout=out)
    assert "sent 0, failed (will retry) 1" in out.getvalue()
    smtp_down.EMAIL_BACKEND = WORKING
    OutgoingMessage.objects.update(next_attempt_at=timezone.now())
    out = StringIO()
    call_command("send_outbox", stdout=out)
    assert "sent 1" in out.getvalue() and len(mailoutbox) == 1


def test_a_send_that_died_half_way_is_tried_again(mailoutbox):
    message = message_enqueue(to=["a@example.jp"], subject="件名", body="本文", after_commit=False)
    OutgoingMessage.objects.filter(pk=message.pk).update(status=MessageStatus.SENDING,
                                                         last_attempt_at=timezone.now() - dt.timedelta(minutes=1))
    assert messages_send_due().sent == 0  # another sender may still be on it
    assert messages_send_due(now=later(1)).sent == 1


def test_no_address_queues_nothing():
    assert message_enqueue(to=["", "  "], subject="件名", body="本文") is None
    assert not OutgoingMessage.objects.exists()


# --- What the staff see ----------------------------------------------------------------------
@pytest.fixture
def failed_message(site, smtp_down):
    message = message_enqueue(to=["helper@example.jp"], subject="中止: 野菜の収穫体験", body="雨天のため中止します。",
                              kind=MessageKind.ACTIVITY_CANCELLED, site=site, after_commit=False)
    message_send(message=message)
    return message


def test_staff_see_the_failure_and_its_error(staff_client, failed_message):
    response = staff_client.get(reverse("classroom:outbox"))
    assert response.status_code == 200
    assert "中止: 野菜の収穫体験" in response.text and "helper@example.jp" in response.text
    assert "メールサーバーに接続できませんでした。" in response.text
    assert "SMTPConnectError" in response.text and "Service not available" in response.text  # in the details
    home = staff_client.get(reverse("classroom:home_staff"))
    assert reverse("classroom:outbox") in home.text and 'id="outbox-card-heading"' in home.text


def test_staff_home_has_no_card_when_all_was_sent(staff_client, site, mailoutbox):
    message_send(message=message_enqueue(to=["a@example.jp"], subject="件名", body="本文", site=site,
                                         after_commit=False))
    assert 'id="outbox-card-heading"' not in staff_client.get(reverse("classroom:home_staff")).text


def test_staff_retry_sends_it(staff_client, failed_message, smtp_down, mailoutbox):
    smtp_down.EMAIL_BACKEND = WORKING
    response = staff_client.post(reverse("classroom:outbox_retry", args=[failed_message.pk]), follow=True)
    assert response.status_code == 200
    failed_message.refresh_from_db()
    assert failed_message.status == MessageStatus.SENT and len(mailoutbox) == 1
    assert f'id="message-{failed_message.pk}"' not in response.text  # no longer among those not sent


def test_staff_retry_while_still_down_keeps_it_with_the_error(staff_client, failed_message):
    staff_client.post(reverse("classroom:outbox_retry", args=[failed_message.pk]))
    failed_message.refresh_from_db()
    assert failed_message.status == MessageStatus.PENDING and failed_message.attempts == 2


def test_a_given_up_message_gets_one_more_try(staff, failed_message, smtp_down, mailoutbox):
    OutgoingMessage.objects.filter(pk=failed_message.pk).update(status=MessageStatus.FAILED,
                                                                attempts=OutgoingMessage.MAX_ATTEMPTS)
    smtp_down.EMAIL_BACKEND = WORKING
    assert message_retry(message=failed_message, by=staff).status == MessageStatus.SENT


def test_others_do_not_see_the_outbox(client, coordinator, volunteer, outsider, failed_message):
    for user in (coordinator, volunteer, outsider):
        client.force_login(user)
        assert client.get(reverse("classroom:outbox")).status_code == 404
        assert client.post(reverse("classroom:outbox_retry", args=[failed_message.pk])).status_code == 404
    failed_message.refresh_from_db()
    assert failed_message.attempts == 1


def test_staff_of_another_site_do_not_see_its_messages(client, other_site, failed_message):
    stranger = UserFactory(roles=["staff"], sites=[other_site])
    client.force_login(stranger)
    assert "野菜の収穫体験" not in client.get(reverse("classroom:outbox")).text
    assert client.post(reverse("classroom:outbox_retry", args=[failed_message.pk])).status_code == 404
    assert 'id="outbox-card-heading"' not in client.get(reverse("classroom:home_staff")).text


def test_retrying_a_message_already_sent_or_being_sent_says_so(staff, site, mailoutbox):
    from classroom.exceptions import DomainError

    message = message_enqueue(to=["a@example.jp"], subject="件名", body="本文", site=site, after_commit=False)
    OutgoingMessage.objects.filter(pk=message.pk).update(status=MessageStatus.SENDING)
    with pytest.raises(DomainError, match="送信中"):
        message_retry(message=message, by=staff)
    OutgoingMessage.objects.filter(pk=message.pk).update(status=MessageStatus.SENT)
    with pytest.raises(DomainError, match="すでに送信"):
        message_retry(message=message, by=staff)
    assert mailoutbox == []


# --- The error in words the staff can act on (issue 9, point 7) --------------------------------
class RefusedBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError(111, "Connection refused")


@pytest.mark.parametrize(("raised", "explained"), [
    (ConnectionRefusedError(111, "Connection refused"), "メールサーバーに接続できませんでした。"),
    (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), "メールサーバーに接続できませんでした。"),
    (socket.gaierror(-2, "Name or service not known"), "メールサーバーに接続できませんでした。"),
    (TimeoutError("timed out"), "メールサーバーの応答が時間切れになりました。"),
    (smtplib.SMTPRecipientsRefused({"x@example.jp": (550, b"No such user")}), "宛先のメールアドレスがメールサーバーに拒否されました"),
    (smtplib.SMTPAuthenticationError(535, b"Authentication failed"), "メールサーバーへのログインに失敗しました"),
    (smtplib.SMTPDataError(554, b"Rejected"), "メールサーバーがこのメールを受け付けませんでした。"),
    (ValueError("something odd"), "送信できませんでした（その他のエラー）"),
])
def test_the_recorded_error_is_explained_in_japanese(raised, explained):
    from classroom.services.outbox import error_explain

    recorded = f"{type(raised).__name__}: {raised}"
    assert explained in error_explain(recorded)
    assert error_explain("") == ""


def test_the_outbox_page_explains_a_refused_connection_and_keeps_the_raw_error_as_a_detail(
        staff_client, site, settings):
    settings.EMAIL_BACKEND = "tests.classroom.outbox.test_outbox.RefusedBackend"
    message = message_enqueue(to=["helper@example.jp"], subject="中止: 遠足", body="本文",
                              kind=MessageKind.ACTIVITY_CANCELLED, site=site, after_commit=False)
    message_send(message=message)
    page = staff_client.get(reverse("classroom:outbox")).text
    item = page[page.index(f'id="message-{message.pk}"'):]
    item = item[:item.index("</li>")]
    error = item[item.index("<dt>エラー</dt>"):]
    # The first thing the staff read is Japanese; the raw text is inside the details for IT staff.
    assert error.split("<details", 1)[0].strip().endswith("メールサーバーに接続できませんでした。")
    assert "ConnectionRefusedError" not in error.split("<details", 1)[0]
    details = error.split("<details", 1)[1]
    assert "技術的な詳細" in details and "ConnectionRefusedError: [Errno 111] Connection refused" in details


def test_a_failed_retry_says_what_went_wrong_in_japanese(staff_client, site, settings):
    settings.EMAIL_BACKEND = "tests.classroom.outbox.test_outbox.RefusedBackend"
    message = message_enqueue(to=["helper@example.jp"], subject="件名", body="本文", site=site, after_commit=False)
    message_send(message=message)
    response = staff_client.post(reverse("classroom:outbox_retry", args=[message.pk]), follow=True)
    shown = [str(m) for m in response.context["messages"]]
    assert shown == ["メールを再送できませんでした：メールサーバーに接続できませんでした。"]


def _stuck(site, *, attempts: int) -> OutgoingMessage:
    """A message whose sender died mid-send twenty minutes ago."""
    message = message_enqueue(kind=MessageKind.OTHER, site=site, to=["a@example.jp"], subject="件名",
                              body="本文", after_commit=False)
    OutgoingMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING, attempts=attempts, last_attempt_at=timezone.now() - dt.timedelta(minutes=20))
    return message


def test_a_message_left_sending_counts_as_a_try_and_is_sent_again(site, settings):
    settings.EMAIL_BACKEND = WORKING
    message = _stuck(site, attempts=0)
    messages_send_due()
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.SENT, 2)
    assert len(mail.outbox) == 1


def test_a_message_that_kills_its_sender_every_time_is_given_up_and_shown(site, settings):
    settings.EMAIL_BACKEND = WORKING
    message = _stuck(site, attempts=OutgoingMessage.MAX_ATTEMPTS - 1)
    result = messages_send_due()
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.FAILED, OutgoingMessage.MAX_ATTEMPTS)
    assert mail.outbox == [] and result.sent == 0


def test_a_message_being_sent_recently_is_left_alone(site, settings):
    settings.EMAIL_BACKEND = WORKING
    message = _stuck(site, attempts=1)
    OutgoingMessage.objects.filter(pk=message.pk).update(last_attempt_at=timezone.now() - dt.timedelta(minutes=2))
    messages_send_due()
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.SENDING, 1)
    assert mail.outbox == []


class _SlowServer(BaseEmailBackend):
    """While one message is being sent, the next cron run comes by: it must leave it alone."""

    def send_messages(self, email_messages):
        assert messages_send_due().sent == 0  # the next cron run, on the real clock
        assert OutgoingMessage.objects.get().status == MessageStatus.SENDING
        return len(email_messages)


def test_a_message_claimed_late_in_a_long_batch_is_not_sent_twice(site, settings):
    """A slow mail server makes a batch last longer than STALE_SENDING: each claim is stamped when made."""
    settings.EMAIL_BACKEND = "tests.classroom.outbox.test_outbox._SlowServer"
    message = message_enqueue(to=["a@example.jp"], subject="件名", body="本文", after_commit=False)
    batch_started = timezone.now() - STALE_SENDING - dt.timedelta(minutes=5)
    OutgoingMessage.objects.filter(pk=message.pk).update(next_attempt_at=batch_started)
    assert message_send(message=message, now=batch_started)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.SENT, 1)
