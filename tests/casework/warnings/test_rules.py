"""Each early-warning rule on hand-built histories, boundaries included."""

import datetime as dt

import pytest

from casework import warnings
from casework.models import WarningSettings
from classroom.factories import DropInFactory, StudentFactory
from classroom.models import StudentStatus

from .conftest import TODAY, make_contact, make_follow_up, make_visit

A, N, P, L, E = "absent", "absent_notice", "present", "late", "left_early"


def kinds_for(site, student, today=TODAY):
    return [w.kind for w in warnings.compute([site], today).warnings if w.student.pk == student.pk]


def entry(site, student, kind, today=TODAY):
    return next(w for w in warnings.compute([site], today).warnings if w.student.pk == student.pk and w.kind == kind)


@pytest.fixture(autouse=True)
def _recent_contact_by_default(child):
    """Keep the no-contact rule quiet unless a test is about it."""
    make_contact(child, TODAY - dt.timedelta(days=1))


# --- Consecutive absences (>= N) -----------------------------------------------------------
def test_n_minus_one_absences_is_not_listed(site, child, history):
    history(child, [(14, P), (7, A)])
    assert warnings.ABSENCES not in kinds_for(site, child)


def test_exactly_n_absences_is_listed_with_the_last_date(site, child, history):
    history(child, [(21, P), (14, A), (7, A)])
    w = entry(site, child, warnings.ABSENCES)
    assert w.on == TODAY - dt.timedelta(days=7)
    assert w.key == "2026-11-20"
    assert "2" in w.reason and "11/20" in w.reason


def test_run_stops_at_the_last_day_the_child_came(site, child, history):
    history(child, [(28, A), (21, A), (14, L), (7, A)])
    assert warnings.ABSENCES not in kinds_for(site, child)
    history(child, [(3, A)])
    assert "2" in entry(site, child, warnings.ABSENCES).reason


@pytest.mark.parametrize("came", [P, L, E])
def test_every_kind_of_coming_breaks_the_run(site, child, history, came):
    history(child, [(14, A), (10, A), (7, came)])
    assert warnings.ABSENCES not in kinds_for(site, child)


def test_absence_with_notice_neither_counts_nor_breaks(site, child, history):
    history(child, [(21, A), (14, N), (7, N)])
    assert warnings.ABSENCES not in kinds_for(site, child)  # one unannounced absence only
    history(child, [(3, A)])
    assert "2" in entry(site, child, warnings.ABSENCES).reason  # the told absences did not break the run


def test_cancelled_class_days_are_ignored(site, child, history):
    history(child, [(21, A), (14, P), (7, A)], cancelled={14})
    assert "2" in entry(site, child, warnings.ABSENCES).reason
    history(child, [(3, A)], cancelled={3})
    assert "2" in entry(site, child, warnings.ABSENCES).reason


def test_never_came_counts_every_absence(site, child, history):
    history(child, [(21, A), (14, A), (7, A)])
    assert "3" in entry(site, child, warnings.ABSENCES).reason


def test_future_class_days_do_not_count(site, child, history):
    history(child, [(7, A)])
    history(child, [(-7, A)])
    assert warnings.ABSENCES not in kinds_for(site, child)


def test_n_comes_from_the_site_settings(site, child, history):
    WarningSettings.objects.create(site=site, consecutive_absences=3)
    history(child, [(14, A), (7, A)])
    assert warnings.ABSENCES not in kinds_for(site, child)
    history(child, [(3, A)])
    assert warnings.ABSENCES in kinds_for(site, child)


def test_children_who_left_are_not_listed(site, child, history):
    history(child, [(14, A), (7, A)])
    child.status = StudentStatus.LEFT
    child.save()
    assert kinds_for(site, child) == []


# --- Attendance rate (< X after >= Y) --------------------------------------------------------
def window(recent_came, recent_total, before_came, before_total):
    """Entries spread over the last 4 weeks (days 0-27) and the 4 weeks before (28-55)."""
    entries = [(1 + i, P if i < recent_came else N) for i in range(recent_total)]
    entries += [(29 + i, P if i < before_came else N) for i in range(before_total)]
    return entries


@pytest.mark.parametrize(("recent", "before", "listed"), [
    ((1, 4), (3, 4), True),    # 25 % after 75 %: exactly Y is enough
    ((2, 4), (4, 4), False),   # exactly X (50 %) is not below X
    ((1, 3), (4, 4), True),    # 33 %
    ((1, 4), (2, 3), False),   # before 66 % < Y
    ((0, 0), (4, 4), False),   # no record in the last 4 weeks: no rate
    ((0, 4), (0, 0), False),   # no record before: no rate
])
def test_rate_boundaries(site, child, history, recent, before, listed):
    history(child, window(*recent, *before))
    assert (warnings.RATE_DROP in kinds_for(site, child)) is listed


def test_rate_windows_are_28_days_each(today):
    windows = warnings.rate_windows(today)
    assert windows["recent"] == (today - dt.timedelta(days=27), today)
    assert windows["before"] == (today - dt.timedelta(days=55), today - dt.timedelta(days=28))


def test_rate_ignores_cancelled_days(site, child, history):
    history(child, [(1, N), (2, N), (3, P), (4, P), (30, P), (31, P)], cancelled={3, 4})
    w = entry(site, child, warnings.RATE_DROP)
    assert "0%" in w.reason and "100%" in w.reason


def test_rate_thresholds_come_from_the_settings(site, child, history):
    WarningSettings.objects.create(site=site, rate_below=30, rate_before=75)
    history(child, window(1, 3, 4, 4))  # 33 %
    assert warnings.RATE_DROP not in kinds_for(site, child)


# --- No contact (> D days) ---------------------------------------------------------------------
@pytest.fixture
def quiet(site):
    return StudentFactory(site=site, enrolled_on=TODAY - dt.timedelta(days=400))


@pytest.mark.parametrize(("days", "listed"), [(29, False), (30, False), (31, True)])
def test_no_contact_boundaries_with_a_visit(site, quiet, days, listed):
    make_visit(quiet, TODAY - dt.timedelta(days=days))
    assert (warnings.NO_CONTACT in kinds_for(site, quiet)) is listed


@pytest.mark.parametrize("make", [
    lambda s, d: make_contact(s, d),
    lambda s, d: DropInFactory(student=s, date=d),
])
def test_contact_and_drop_in_count(site, quiet, make):
    make(quiet, TODAY - dt.timedelta(days=31))
    assert warnings.NO_CONTACT in kinds_for(site, quiet)
    make(quiet, TODAY - dt.timedelta(days=30))
    assert warnings.NO_CONTACT not in kinds_for(site, quiet)


@pytest.mark.parametrize(("status", "counts"), [(P, True), (L, True), (E, True), (N, False), (A, False)])
def test_attendance_counts_only_when_the_child_came(site, quiet, history, status, counts):
    history(quiet, [(10, status)])
    assert (warnings.NO_CONTACT not in kinds_for(site, quiet)) is counts


def test_drafts_do_not_count_as_contact(site, quiet):
    make_visit(quiet, TODAY - dt.timedelta(days=2), status="draft")
    make_contact(quiet, TODAY - dt.timedelta(days=2), status="draft")
    w = entry(site, quiet, warnings.NO_CONTACT)
    assert w.on is None and "400" in w.reason


@pytest.mark.parametrize(("enrolled_days_ago", "listed"), [(29, False), (30, False), (31, True)])
def test_recently_enrolled_children_are_not_listed(site, enrolled_days_ago, listed):
    child = StudentFactory(site=site, enrolled_on=TODAY - dt.timedelta(days=enrolled_days_ago))
    assert (warnings.NO_CONTACT in kinds_for(site, child)) is listed


def test_no_contact_days_come_from_the_settings(site, quiet):
    WarningSettings.objects.create(site=site, no_contact_days=60)
    make_visit(quiet, TODAY - dt.timedelta(days=45))
    assert warnings.NO_CONTACT not in kinds_for(site, quiet)


def test_no_contact_reason_and_key(site, quiet):
    make_visit(quiet, TODAY - dt.timedelta(days=40))
    w = entry(site, quiet, warnings.NO_CONTACT)
    assert "40" in w.reason and "10/18" in w.reason
    assert w.key == "2026-10-18"


# --- Follow-ups and visits past their dates -------------------------------------------------------
def test_overdue_follow_ups_are_listed_one_by_one(site, child, staff):
    make_follow_up(child, TODAY - dt.timedelta(days=1), owner=staff, description="担任に様子を聞く")
    make_follow_up(child, TODAY, owner=staff)  # due today: not overdue
    make_follow_up(child, TODAY - dt.timedelta(days=5), done_on=TODAY - dt.timedelta(days=4))  # done
    found = [w for w in warnings.compute([site], TODAY).warnings if w.kind == warnings.FOLLOW_UP]
    assert len(found) == 1
    assert "担任に様子を聞く" in found[0].reason and found[0].follow_up.owner == staff


@pytest.mark.parametrize(("due_days_ago", "listed"), [(1, True), (0, False), (-3, False)])
def test_next_visit_due_boundaries(site, child, due_days_ago, listed):
    make_visit(child, TODAY - dt.timedelta(days=60), next_visit_due=TODAY - dt.timedelta(days=due_days_ago))
    assert (warnings.VISIT_OVERDUE in kinds_for(site, child)) is listed


def test_a_later_visit_clears_the_overdue_visit(site, child):
    make_visit(child, TODAY - dt.timedelta(days=60), next_visit_due=TODAY - dt.timedelta(days=10))
    make_visit(child, TODAY - dt.timedelta(days=5))
    assert warnings.VISIT_OVERDUE not in kinds_for(site, child)


def test_a_draft_visit_does_not_clear_it(site, child):
    make_visit(child, TODAY - dt.timedelta(days=60), next_visit_due=TODAY - dt.timedelta(days=10))
    make_visit(child, TODAY - dt.timedelta(days=5), status="draft")
    assert warnings.VISIT_OVERDUE in kinds_for(site, child)


# --- Sites and queries ---------------------------------------------------------------------------
def test_other_sites_children_are_not_listed(site, other_site, history):
    stranger = StudentFactory(site=other_site, enrolled_on=TODAY - dt.timedelta(days=400))
    assert warnings.compute([site], TODAY).warnings == [] or all(
        w.student.pk != stranger.pk for w in warnings.compute([site], TODAY).warnings)


def test_a_fixed_number_of_queries_for_a_whole_site(site, history, count_queries):
    def run():
        with count_queries() as q:
            report = warnings.compute([site], TODAY)
        return q.count, len(report)

    kid = StudentFactory(site=site, enrolled_on=TODAY - dt.timedelta(days=400))
    history(kid, [(14, A), (7, A)])
    few = run()
    for _ in range(20):
        more = StudentFactory(site=site, enrolled_on=TODAY - dt.timedelta(days=400))
        history(more, [(14, A), (7, A)])
        make_follow_up(more, TODAY - dt.timedelta(days=2))
    many = run()
    assert many[1] > few[1] + 20
    assert many[0] == few[0] <= 4
