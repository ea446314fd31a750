"""The rule "high-school student stopped coming, no outcome": in high school on the day (the override first),
came before, last came more than S days ago (``> S``), and no outcome of that fiscal year, of any stage."""

import datetime as dt

import pytest
from django.urls import reverse

from casework import warnings
from casework.models import WarningSettings
from classroom.factories import OutcomeFactory, StudentFactory, birth_date_for
from classroom.grades import Grade
from classroom.models import StudentStatus

from .conftest import TODAY, make_contact

P, A, N = "present", "absent", "absent_notice"
FISCAL_YEAR = 2026  # TODAY is in it


def kinds_for(site, student, today=TODAY):
    return [w.kind for w in warnings.compute([site], today).warnings if w.student.pk == student.pk]


def stopped(site, student, today=TODAY):
    return warnings.HS_STOPPED in kinds_for(site, student, today)


@pytest.fixture
def teen(site, staff):
    """In 高2 on TODAY, with a recent phone call so that the no-contact rule stays quiet."""
    student = StudentFactory(site=site, birth_date=birth_date_for(Grade.H2, TODAY), staff_in_charge=staff,
                             enrolled_on=TODAY - dt.timedelta(days=400), family_name="大野", given_name="翼")
    make_contact(student, TODAY - dt.timedelta(days=1))
    return student


@pytest.mark.parametrize(("days_ago", "listed"), [(29, False), (30, False), (31, True), (200, True)])
def test_more_than_s_days_since_the_child_last_came(site, teen, history, days_ago, listed):
    history(teen, [(days_ago, P)])
    assert stopped(site, teen) is listed


@pytest.mark.parametrize(("days", "days_ago", "listed"), [(7, 7, False), (7, 8, True), (90, 89, False),
                                                          (90, 91, True)])
def test_s_comes_from_the_sites_settings(site, teen, history, days, days_ago, listed):
    WarningSettings.objects.create(site=site, stopped_coming_days=days)
    history(teen, [(days_ago, P)])
    assert stopped(site, teen) is listed


def test_the_entry_says_how_long_and_since_when(site, teen, history):
    history(teen, [(45, P)])
    entry = next(w for w in warnings.compute([site], TODAY).warnings if w.kind == warnings.HS_STOPPED)
    assert (entry.student.pk, entry.on, entry.key) == (teen.pk, TODAY - dt.timedelta(days=45), "2026-10-13")
    assert "45" in entry.reason and "10/13" in entry.reason and "2026年度" in entry.reason
    assert entry.kind_label == "来室が途絶えた高校生"
    assert warnings.VISIT_PURPOSE_BY_KIND[warnings.HS_STOPPED] == "absences"


def test_a_child_who_never_came_is_left_to_the_no_contact_rule(site, teen):
    assert not stopped(site, teen)


@pytest.mark.parametrize(("status", "cancelled", "listed"), [(A, False, True), (N, False, True), (P, True, True),
                                                               (P, False, False)])
def test_only_coming_on_a_day_that_was_held_counts(site, teen, history, status, cancelled, listed):
    history(teen, [(60, P), (10, status)], cancelled={10} if cancelled else set())
    assert stopped(site, teen) is listed


@pytest.mark.parametrize(("grade", "override", "listed"), [
    (Grade.J3, "", False), (Grade.H1, "", True), (Grade.H3, "", True), (Grade.H3, Grade.J3, False),
    (Grade.J2, Grade.HS_AGE, True), (Grade.J3, Grade.H1, True), (Grade.E6, "", False),
])
def test_only_high_school_students_on_the_day(site, history, grade, override, listed):
    student = StudentFactory(site=site, birth_date=birth_date_for(grade, TODAY), grade_override=override,
                             enrolled_on=TODAY - dt.timedelta(days=400))
    history(student, [(40, P)])
    assert stopped(site, student) is listed


def test_a_child_over_high_school_age_is_not_listed(site, history):
    adult = StudentFactory(site=site, birth_date=birth_date_for(Grade.H3, TODAY) - dt.timedelta(days=366),
                           enrolled_on=TODAY - dt.timedelta(days=400))
    history(adult, [(40, P)])
    assert adult.grade_on(TODAY) == Grade.OTHER and not stopped(site, adult)


@pytest.mark.parametrize(("year", "stage", "listed"), [
    (FISCAL_YEAR, "high_school", False), (FISCAL_YEAR, "next_step", False), (FISCAL_YEAR, "left_program", False),
    (FISCAL_YEAR - 1, "high_school", True), (FISCAL_YEAR + 1, "high_school", True),
])
def test_any_outcome_of_the_fiscal_year_ends_it(site, teen, history, year, stage, listed):
    history(teen, [(40, P)])
    results = {"high_school": "continuing", "next_step": "undecided", "left_program": "moved"}
    OutcomeFactory(student=teen, fiscal_year=year, stage=stage, result=results[stage],
                   decided_on=TODAY - dt.timedelta(days=5))
    assert stopped(site, teen) is listed


def test_the_fiscal_year_is_the_days(site, teen, history):
    """On March 31 last year's outcome ends it; on April 1 it no longer does (a new fiscal year)."""
    history(teen, [(400, P)])
    OutcomeFactory(student=teen, fiscal_year=FISCAL_YEAR, stage="high_school", result="continuing")
    assert not stopped(site, teen, dt.date(2027, 3, 31))
    assert stopped(site, teen, dt.date(2027, 4, 1))


def test_coming_again_ends_it(site, teen, history):
    history(teen, [(40, P)])
    assert stopped(site, teen)
    history(teen, [(2, P)])
    assert not stopped(site, teen)


def test_paused_and_left_children_are_not_listed(site, teen, history):
    history(teen, [(40, P)])
    teen.status = StudentStatus.PAUSED
    teen.save()
    assert not stopped(site, teen)


def test_another_sites_thresholds_do_not_apply(site, other_site, teen, history):
    WarningSettings.objects.create(site=other_site, stopped_coming_days=5)
    history(teen, [(10, P)])
    assert not stopped(site, teen)


def test_the_list_and_the_staff_home_show_it_with_a_link_to_record_the_outcome(staff_client, site, teen, history):
    history(teen, [(45, P)])
    page = staff_client.get(reverse("casework:warning_list"), {"kind": warnings.HS_STOPPED}).content.decode()
    assert "来室が途絶えた高校生" in page and "大野 翼" in page
    assert reverse("classroom:outcome_create", args=[teen.pk]) in page
    assert "30日" in page  # the rule as the thresholds say it
    home = staff_client.get(reverse("classroom:home_staff")).content.decode()
    assert "来室が途絶えた高校生" in home


def test_the_threshold_is_on_the_settings_page(staff_client, site):
    html = staff_client.get(reverse("casework:warning_settings")).content.decode()
    assert 'name="stopped_coming_days"' in html and 'value="30"' in html


def test_it_costs_no_query_more(site, history, count_queries):
    def run():
        with count_queries() as q:
            report = warnings.compute([site], TODAY)
        return q.count, len(report.of_kind(warnings.HS_STOPPED))

    for _ in range(2):
        history(StudentFactory(site=site, birth_date=birth_date_for(Grade.H1, TODAY)), [(40, P)])
    few = run()
    for _ in range(10):
        kid = StudentFactory(site=site, birth_date=birth_date_for(Grade.H2, TODAY))
        history(kid, [(50, P)])
        OutcomeFactory(student=kid, fiscal_year=FISCAL_YEAR - 1, stage="high_school", result="continuing")
    many = run()
    assert (few[1], many[1]) == (2, 12)
    assert few[0] == many[0] <= 4
