"""send_reminders: the day before a confirmed class day, once."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from classroom.factories import ClassDayFactory
from classroom.models import ClassDayStatus
from tests.volunteers.me.conftest import days
from volunteers.models import SignUp, SignUpAnswer


def run(date=None) -> str:
    out = io.StringIO()
    call_command("send_reminders", *(["--date", date.isoformat()] if date else []), stdout=out)
    return out.getvalue()


@pytest.fixture
def tomorrow(site):
    return ClassDayFactory(site=site, date=days(1))


def confirm(volunteer, day, **kwargs):
    return SignUp.objects.create(volunteer=volunteer, class_day=day, answer=SignUpAnswer.CAN_COME,
                                 confirmed_at=timezone.now(), **kwargs)


def test_sent_once_with_the_nickname(me, pair, tomorrow, mailoutbox):
    pair.class_day.date = days(1)
    pair.class_day.start_time = pair.class_day.start_time.replace(hour=13)
    pair.class_day.end_time = pair.class_day.end_time.replace(hour=15)
    pair.class_day.save()
    out = run()
    assert "sent 1" in out
    [mail] = mailoutbox
    assert mail.to == ["yumiko@example.jp"]
    assert "ケンくん" in mail.body and "13:00" in mail.body and pair.class_day.site.name in mail.body
    assert "鈴木" not in mail.body and "健太" not in mail.body
    assert SignUp.objects.get(class_day=pair.class_day).reminded_at is not None
    assert "sent 0" in run()
    assert len(mailoutbox) == 1


def test_unconfirmed_cannot_and_cancelled_get_nothing(me, other_volunteer, site, tomorrow, mailoutbox):
    SignUp.objects.create(volunteer=me, class_day=tomorrow, answer=SignUpAnswer.CAN_COME)
    SignUp.objects.create(volunteer=other_volunteer, class_day=tomorrow, answer=SignUpAnswer.CANNOT_COME)
    cancelled = ClassDayFactory(site=site, date=days(1), start_time=tomorrow.start_time.replace(hour=10),
                                end_time=tomorrow.end_time.replace(hour=12), status=ClassDayStatus.CANCELLED)
    confirm(me, cancelled)
    assert "sent 0" in run()
    assert mailoutbox == []


def test_other_days_get_nothing(me, site, mailoutbox):
    confirm(me, ClassDayFactory(site=site, date=days(2)))
    confirm(me, ClassDayFactory(site=site, date=days(0)))
    run()
    assert mailoutbox == []


def test_date_option_catches_up(me, site, mailoutbox):
    later = ClassDayFactory(site=site, date=days(10))
    confirm(me, later)
    assert "sent 1" in run(days(9))
    assert len(mailoutbox) == 1


def test_without_email_skipped_and_counted(me, other_volunteer, tomorrow, mailoutbox):
    me.user.email = ""
    me.user.save()
    confirm(me, tomorrow)
    confirm(other_volunteer, tomorrow)
    out = run()
    assert "sent 1" in out and "skipped (no email) 1" in out
    assert [m.to for m in mailoutbox] == [["kei@example.jp"]]


def test_bad_date_is_an_error(db):
    from django.core.management import CommandError
    with pytest.raises(CommandError):
        run_bad = io.StringIO()
        call_command("send_reminders", "--date", "27/11/2026", stdout=run_bad)


def test_mail_server_down_keeps_the_reminder_in_the_outbox(me, tomorrow, settings, mailoutbox):
    from classroom.models import MessageStatus, OutgoingMessage
    from classroom.services.outbox import messages_send_due

    confirm(me, tomorrow)
    settings.EMAIL_BACKEND = "tests.classroom.outbox.test_outbox.SmtpDownBackend"
    out = run()
    assert "sent 0" in out and "failed 1" in out
    message = OutgoingMessage.objects.get()
    assert message.status == MessageStatus.PENDING and message.attempts == 1
    assert "SMTPConnectError" in message.last_error
    assert "failed 0" in run() and OutgoingMessage.objects.count() == 1  # the sign-up is claimed: queued once
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert messages_send_due(now=message.next_attempt_at).sent == 1 and len(mailoutbox) == 1
