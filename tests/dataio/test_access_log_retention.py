"""The access log keeps an entry ACCESS_LOG_RETENTION_YEARS (3 by default) and apply_retention deletes the
older ones; a dry run counts them and deletes nothing."""

import datetime as dt
import io

from django.core.management import call_command
from django.utils import timezone

from classroom.factories import StudentFactory
from classroom.models import AccessLog
from dataio.services.retention import access_log_prune


def _entry(user, student, when):
    return AccessLog.objects.create(user=user, student=student, action="view", path="/students/", at=when)


def test_entries_older_than_three_years_go_and_the_rest_stay(staff, site, settings):
    child = StudentFactory(site=site)
    today = dt.date(2026, 11, 30)
    tokyo = timezone.get_default_timezone()
    old = _entry(staff, child, dt.datetime(2023, 11, 29, 23, 59, tzinfo=tokyo))
    kept = _entry(staff, child, dt.datetime(2023, 11, 30, 0, 0, tzinfo=tokyo))
    recent = _entry(staff, child, timezone.now())
    assert access_log_prune(today=today) == 1
    assert set(AccessLog.objects.values_list("pk", flat=True)) >= {kept.pk, recent.pk}
    assert not AccessLog.objects.filter(pk=old.pk).exists()
    settings.ACCESS_LOG_RETENTION_YEARS = 1
    assert access_log_prune(today=today) == 1  # the 2023 entry that three years kept


def test_the_command_reports_and_the_dry_run_writes_nothing(staff, site):
    child = StudentFactory(site=site)
    _entry(staff, child, timezone.now() - dt.timedelta(days=365 * 4))
    _entry(staff, child, timezone.now())
    out = io.StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert "Access-log entries to delete" in out.getvalue() and ": 1" in out.getvalue().splitlines()[-1]
    assert AccessLog.objects.count() == 2
    out = io.StringIO()
    call_command("apply_retention", stdout=out)
    assert "Deleted 1 access-log entries older than 3 years" in out.getvalue()
    assert AccessLog.objects.count() == 1
