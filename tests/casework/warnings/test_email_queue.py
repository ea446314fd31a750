"""The early-warning email as it is queued: its language, kind and site, sent once, and the counts;
and the thresholds' own checks on each side of their limits."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import translation

from casework.services import warnings as service
from casework.services.warnings import warning_settings_check, warnings_send
from classroom.factories import StudentFactory, UserFactory
from classroom.models import MessageKind, OutgoingMessage
from lib import localtime

from .conftest import TODAY, make_contact


@pytest.fixture
def in_charge(site, staff):
    staff.email = "sato@example.jp"
    staff.save()
    return staff


def warned(site, who, n=1):
    """``n`` children of ``site`` in ``who``'s charge, never contacted since enrolling 400 days ago."""
    return [StudentFactory(site=site, enrolled_on=TODAY - dt.timedelta(days=400), staff_in_charge=who)
            for _ in range(n)]


def test_the_email_is_queued_in_japanese_for_its_site_and_sent_once(site, in_charge, settings,
                                                                    django_capture_on_commit_callbacks):
    settings.LANGUAGE_CODE = "ja"
    warned(site, in_charge)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        result = warnings_send(today=TODAY)
    message = OutgoingMessage.objects.get()
    with translation.override("ja"):
        subject = translation.gettext("[Yorisoi] Early warning: %(count)s new for %(date)s") % {
            "count": 1, "date": localtime.long_date(TODAY)}
    assert subject.startswith("[よりそい]") or "早期" in subject  # the Japanese catalog's subject
    assert (message.subject, message.kind, message.site_id) == (subject, MessageKind.EARLY_WARNINGS, site.pk)
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == subject  # once, not again after the commit
    assert (result.sent, result.warnings, result.failed) == (1, 1, 0)


def test_warnings_of_two_sites_name_no_site(site, other_site, in_charge):
    warned(site, in_charge)
    warned(other_site, in_charge)
    warnings_send(today=TODAY)
    assert OutgoingMessage.objects.get().site_id is None


def test_the_counts_add_up_over_recipients(site, in_charge):
    colleague = UserFactory(roles=["staff"], sites=[site], email="suzuki@example.jp")
    warned(site, in_charge, 1)
    warned(site, colleague, 2)
    result = warnings_send(today=TODAY)
    assert (result.sent, result.warnings) == (2, 3)


def test_a_failed_send_is_counted_and_stays_queued(site, in_charge, monkeypatch):
    warned(site, in_charge)
    monkeypatch.setattr(service, "message_send", lambda message: False)
    result = warnings_send(today=TODAY)
    assert (result.sent, result.failed) == (0, 1)
    assert OutgoingMessage.objects.count() == 1


def test_a_contacted_child_sends_nothing(site, in_charge):
    child = warned(site, in_charge)[0]
    make_contact(child, TODAY - dt.timedelta(days=1))
    assert warnings_send(today=TODAY).sent == 0


VALID = {"consecutive_absences": 2, "rate_below": 50, "rate_before": 75, "no_contact_days": 30}


@pytest.mark.parametrize(("changes", "errors"), [
    ({"consecutive_absences": 1}, set()),
    ({"consecutive_absences": 0}, {"consecutive_absences"}),
    ({"no_contact_days": 1}, set()),
    ({"no_contact_days": 0}, {"no_contact_days"}),
    ({"rate_below": 0, "rate_before": 100}, set()),
    ({"rate_below": -1}, {"rate_below"}),
    ({"rate_before": 101}, {"rate_before"}),
    ({"rate_below": 60, "rate_before": 60}, {"rate_before"}),
    ({"rate_below": 60, "rate_before": 61}, set()),
])
def test_threshold_checks_at_their_limits(changes, errors):
    assert set(warning_settings_check(**{**VALID, **changes})) == errors


def test_an_out_of_range_earlier_rate_keeps_its_own_message():
    with translation.override("en"):
        found = warning_settings_check(**{**VALID, "rate_before": -5})
    assert found == {"rate_before": "Enter a percentage between 0 and 100."}
