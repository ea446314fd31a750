"""send_warnings: one email a day per staff member, only new warnings, never twice."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from casework.models import WarningNotice
from classroom.factories import StudentFactory, UserFactory

from .conftest import TODAY, make_contact


def run(day=TODAY):
    out = StringIO()
    call_command("send_warnings", "--date", day.isoformat(), stdout=out)
    return out.getvalue()


@pytest.fixture
def absent(site, staff, history):
    staff.email = "sato@example.jp"
    staff.save()
    child = StudentFactory(site=site, family_name="森", given_name="大地", enrolled_on=TODAY - dt.timedelta(days=400),
                           staff_in_charge=staff)
    make_contact(child, TODAY - dt.timedelta(days=1))
    history(child, [(21, "present"), (14, "absent"), (7, "absent")])
    return child


def test_one_email_per_staff_member_listing_their_warnings(site, staff, absent, history):
    second = StudentFactory(site=site, family_name="川口", enrolled_on=TODAY - dt.timedelta(days=400),
                            staff_in_charge=staff)  # no contact ever
    other_staff = UserFactory(roles=["staff"], sites=[site], email="suzuki@example.jp")
    theirs = StudentFactory(site=site, family_name="林", enrolled_on=TODAY - dt.timedelta(days=400),
                            staff_in_charge=other_staff)
    output = run()
    assert "emails sent 2" in output
    assert len(mail.outbox) == 2
    mine = next(m for m in mail.outbox if m.to == ["sato@example.jp"])
    assert absent.full_name in mine.body and second.full_name in mine.body and theirs.full_name not in mine.body
    assert "11/20" in mine.body


def test_running_twice_sends_nothing_twice(absent):
    run()
    assert len(mail.outbox) == 1
    assert "emails sent 0" in run()
    assert len(mail.outbox) == 1
    assert WarningNotice.objects.count() == 1


def test_next_day_only_new_warnings(absent, site, history):
    run()
    assert "emails sent 0" in run(TODAY + dt.timedelta(days=1))  # the same run of absences: nothing new
    history(absent, [(-2, "absent")])  # one more absence two days later
    run(TODAY + dt.timedelta(days=2))
    assert len(mail.outbox) == 2
    assert "3" in mail.outbox[1].body


def test_at_most_one_email_a_day(absent, site, staff):
    run()
    late = StudentFactory(site=site, enrolled_on=TODAY - dt.timedelta(days=400), staff_in_charge=staff)
    assert "already emailed today 1" in run()
    assert len(mail.outbox) == 1
    run(TODAY + dt.timedelta(days=1))
    assert len(mail.outbox) == 2 and late.full_name in mail.outbox[1].body


def test_staff_without_email_are_skipped_and_counted(absent, staff):
    staff.email = ""
    staff.save()
    assert "skipped (no email) 1" in run()
    assert mail.outbox == [] and not WarningNotice.objects.exists()


def test_children_without_staff_in_charge_are_not_emailed(absent):
    absent.staff_in_charge = None
    absent.save()
    run()
    assert mail.outbox == []


def test_bad_date_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("send_warnings", "--date", "2026-13-01")


def test_mail_server_down_keeps_the_email_in_the_outbox(absent, settings, mailoutbox):
    from classroom.models import MessageStatus, OutgoingMessage
    from classroom.services.outbox import messages_send_due

    settings.EMAIL_BACKEND = "tests.classroom.outbox.test_outbox.SmtpDownBackend"
    assert "emails sent 0" in run() and mail.outbox == []
    message = OutgoingMessage.objects.get()
    assert message.status == MessageStatus.PENDING and "SMTPConnectError" in message.last_error
    assert message.recipients == ["sato@example.jp"] and absent.full_name in message.body
    assert "emails sent 0" in run() and OutgoingMessage.objects.count() == 1  # queued once, not twice
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert messages_send_due(now=message.next_attempt_at).sent == 1
    assert len(mail.outbox) == 1 and absent.full_name in mail.outbox[0].body
