"""Boundary tables for every early-warning threshold: at, just below and just above, with a visit,
contact, drop-in or class today and yesterday; and the same-day rule for two sessions.

The neighbours (tests/neighbours.py) have warned children of their own on another site: they
must never appear in a site's report.
"""

import datetime as dt

import pytest

from casework import warnings
from casework.models import WarningSettings
from classroom.factories import AttendanceFactory, ClassDayFactory, DropInFactory, StudentFactory
from classroom.models import ClassDayStatus
from classroom.stats import AttendanceRate

from .conftest import TODAY, make_contact, make_visit

A, N, P = "absent", "absent_notice", "present"


def kinds_for(site, student, today=TODAY):
    return [w.kind for w in warnings.compute([site], today).warnings if w.student.pk == student.pk]


@pytest.fixture
def quiet(site):
    """Enrolled 400 days ago, nothing else."""
    return StudentFactory(site=site, enrolled_on=TODAY - dt.timedelta(days=400))


def attended(student, day, status=P, start=dt.time(17, 0)):
    class_day = ClassDayFactory(site=student.site, date=day, start_time=start, end_time=dt.time(start.hour + 1),
                                status=ClassDayStatus.HELD)
    return AttendanceFactory(class_day=class_day, student=student, status=status)


CONTACTS = {
    "visit": lambda s, d: make_visit(s, d),
    "contact": lambda s, d: make_contact(s, d),
    "drop-in": lambda s, d: DropInFactory(student=s, date=d),
    "class": lambda s, d: attended(s, d),
}


# --- No contact for more than D days: today and yesterday count --------------------------------
@pytest.mark.parametrize("kind", CONTACTS)
@pytest.mark.parametrize(("days_ago", "listed"), [(0, False), (1, False), (2, True)])
def test_no_contact_with_d_1_counts_today_and_yesterday(site, quiet, kind, days_ago, listed):
    WarningSettings.objects.create(site=site, no_contact_days=1)
    CONTACTS[kind](quiet, TODAY - dt.timedelta(days=days_ago))
    assert (warnings.NO_CONTACT in kinds_for(site, quiet)) is listed


@pytest.mark.parametrize("kind", CONTACTS)
def test_a_contact_after_today_does_not_count(site, quiet, kind):
    CONTACTS[kind](quiet, TODAY + dt.timedelta(days=1))
    assert warnings.NO_CONTACT in kinds_for(site, quiet)


def test_the_latest_of_all_contacts_counts(site, quiet):
    WarningSettings.objects.create(site=site, no_contact_days=5)
    make_visit(quiet, TODAY - dt.timedelta(days=40))
    make_contact(quiet, TODAY - dt.timedelta(days=20))
    DropInFactory(student=quiet, date=TODAY - dt.timedelta(days=10))
    attended(quiet, TODAY - dt.timedelta(days=5))
    assert warnings.NO_CONTACT not in kinds_for(site, quiet)
    assert warnings.last_contact_on(warnings.students_with_facts(
        type(quiet).objects.filter(pk=quiet.pk), TODAY).get()) == TODAY - dt.timedelta(days=5)


@pytest.mark.parametrize(("days", "enrolled", "listed"), [
    (30, 30, False), (30, 31, True), (10, 10, False), (10, 11, True), (10, 9, False),
])
def test_no_contact_since_enrolment_at_below_and_above(site, days, enrolled, listed):
    WarningSettings.objects.create(site=site, no_contact_days=days)
    child = StudentFactory(site=site, enrolled_on=TODAY - dt.timedelta(days=enrolled))
    assert (warnings.NO_CONTACT in kinds_for(site, child)) is listed


# --- Consecutive absences: N - 1, N, N + 1 ------------------------------------------------------
@pytest.mark.parametrize("n", [1, 2, 3])
@pytest.mark.parametrize(("extra", "listed"), [(-1, False), (0, True), (1, True)])
def test_consecutive_absences_at_below_and_above_n(site, quiet, n, extra, listed):
    WarningSettings.objects.create(site=site, consecutive_absences=n, no_contact_days=365)
    attended(quiet, TODAY - dt.timedelta(days=30))
    for i in range(n + extra):
        attended(quiet, TODAY - dt.timedelta(days=7 * i + 1), A)
    assert (warnings.ABSENCES in kinds_for(site, quiet)) is listed


@pytest.mark.parametrize(("sessions", "listed"), [
    ((A, P), False),   # absent at one session, came to the other: the day counts as a day the child came
    ((P, A), False),
    ((A, N), True),    # the told absence does not break the run
    ((A, A), True),    # one day with two absences is still a day absent
])
def test_two_sessions_on_one_day(site, quiet, sessions, listed):
    WarningSettings.objects.create(site=site, consecutive_absences=2, no_contact_days=365)
    attended(quiet, TODAY - dt.timedelta(days=14), A)
    day = TODAY - dt.timedelta(days=7)
    attended(quiet, day, sessions[0], start=dt.time(10, 0))
    attended(quiet, day, sessions[1], start=dt.time(17, 0))
    assert (warnings.ABSENCES in kinds_for(site, quiet)) is listed


@pytest.mark.parametrize(("days_ago", "counts"), [(0, True), (-1, False)])
def test_an_absence_today_counts_and_tomorrow_does_not(site, quiet, days_ago, counts):
    WarningSettings.objects.create(site=site, consecutive_absences=2, no_contact_days=365)
    attended(quiet, TODAY - dt.timedelta(days=7), A)
    attended(quiet, TODAY - dt.timedelta(days=days_ago), A)
    assert (warnings.ABSENCES in kinds_for(site, quiet)) is counts


# --- Attendance rate: strictly below X after at least Y -----------------------------------------
@pytest.mark.parametrize(("below", "before", "recent_pct", "before_pct", "listed"), [
    (50, 75, 49, 75, True),    # below X, exactly Y
    (50, 75, 50, 75, False),   # exactly X is not below
    (50, 75, 51, 100, False),  # above X
    (50, 75, 25, 74, False),   # below Y before
    (50, 75, 25, 76, True),    # above Y before
])
def test_rate_drop_at_below_and_above(below, before, recent_pct, before_pct, listed):
    limits = warnings.Thresholds(rate_below=below, rate_before=before)
    assert warnings.is_rate_drop(AttendanceRate(recent_pct, 100), AttendanceRate(before_pct, 100), limits) is listed


def test_no_rate_no_warning():
    limits = warnings.Thresholds()
    assert not warnings.is_rate_drop(AttendanceRate(0, 0), AttendanceRate(4, 4), limits)
    assert not warnings.is_rate_drop(AttendanceRate(0, 4), AttendanceRate(0, 0), limits)


# --- Visits and follow-ups due: before today only ----------------------------------------------
@pytest.mark.parametrize(("due_days_ago", "listed"), [(1, True), (0, False), (-1, False)])
def test_next_visit_due_yesterday_today_tomorrow(site, quiet, due_days_ago, listed):
    make_visit(quiet, TODAY - dt.timedelta(days=20), next_visit_due=TODAY - dt.timedelta(days=due_days_ago))
    assert (warnings.VISIT_OVERDUE in kinds_for(site, quiet)) is listed


# --- Scope --------------------------------------------------------------------------------------
def test_a_sites_report_has_only_its_own_children(site, quiet, neighbours):
    report = warnings.compute([site], TODAY)
    assert {w.student.site_id for w in report.warnings} == {site.pk}
    theirs = warnings.compute([neighbours.far_site], TODAY)
    assert {w.kind for w in theirs.warnings} >= {warnings.ABSENCES, warnings.NO_CONTACT}  # they are warned there
    assert not {w.student.pk for w in report.warnings} & {c.pk for c in neighbours.far_children}


def test_the_staff_card_has_only_the_staffs_sites(staff, quiet, neighbours):
    card = warnings.card_for(staff, TODAY)
    assert card["total"] >= 1
    assert all(e.student.site_id == quiet.site_id for e in card["entries"])
