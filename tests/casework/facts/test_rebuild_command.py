"""``manage.py rebuild_warning_facts [--site ID] [--check]``: repairs facts written around the ORM,
reports them with --check (exit non-zero) and says so when every child's facts match."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from casework.models import CaseFacts
from casework.services.facts import warning_facts_rebuild
from classroom.factories import AttendanceFactory, ClassDayFactory, SiteFactory, StudentFactory
from classroom.models import ClassDayStatus, PresenceFacts


def run(*args) -> str:
    out = StringIO()
    call_command("rebuild_warning_facts", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def child(site):
    kid = StudentFactory(site=site)
    day = ClassDayFactory(site=site, date=timezone.localdate() - dt.timedelta(days=3), status=ClassDayStatus.HELD)
    AttendanceFactory(class_day=day, student=kid, status="absent")
    return kid


def test_check_passes_when_the_facts_match(child):
    assert PresenceFacts.objects.get(student=child).absences_since == 1  # kept by the write itself
    assert "match" in run("--check")


def test_check_reports_a_corrupted_row_fails_and_writes_nothing(child):
    PresenceFacts.objects.filter(student=child).update(absences_since=7)  # written around the services
    with pytest.raises(CommandError, match="Children whose facts differ from their records: 1"):
        run("--check")
    assert PresenceFacts.objects.get(student=child).absences_since == 7


def test_rebuild_fixes_a_corrupted_row_and_a_missing_one(child, site):
    PresenceFacts.objects.filter(student=child).update(absences_since=7, last_absence=None)
    CaseFacts.objects.filter(student=child).delete()
    PresenceFacts.objects.filter(student=child).delete()
    out = run()
    assert "corrected" in out
    facts = PresenceFacts.objects.get(student=child)
    assert (facts.absences_since, facts.last_absence) == (1, timezone.localdate() - dt.timedelta(days=3))
    assert "match" in run("--check")


def test_site_option_rebuilds_only_that_site(child, site):
    elsewhere = SiteFactory()
    other = StudentFactory(site=elsewhere)
    AttendanceFactory(class_day=ClassDayFactory(site=elsewhere, date=timezone.localdate()), student=other,
                      status="present")
    PresenceFacts.objects.filter(student__in=[child, other]).update(absences_since=5)
    run("--site", str(site.pk))
    assert PresenceFacts.objects.get(student=child).absences_since == 1
    assert PresenceFacts.objects.get(student=other).absences_since == 5
    with pytest.raises(CommandError):
        run("--check")


def test_unknown_site_is_a_clear_error(db):
    with pytest.raises(CommandError, match="No site with id 999999"):
        run("--site", "999999")


def test_the_rebuild_costs_the_same_queries_for_3_and_30_children(site, count_queries):
    def measure():
        with count_queries() as q:
            warning_facts_rebuild(sites=[site], write=True)
        return q.count

    for _ in range(3):
        AttendanceFactory(class_day=ClassDayFactory(site=site), student=StudentFactory(site=site))
    few = measure()
    for _ in range(27):
        AttendanceFactory(class_day=ClassDayFactory(site=site), student=StudentFactory(site=site))
    PresenceFacts.objects.update(absences_since=3)  # every row must be written again
    assert measure() == few + 1  # the same reads, and the one upsert that writes them
