"""Every figure of the report checked against the hand-built classroom of ``conftest.py``."""

import datetime as dt

import pytest

from casework.models import InformationShare
from classroom.models import Attendance
from reporting import figures
from reporting.figures import DROPPED_OUT, NOT_ENTERED, Period
from tests.reporting.conftest import TODAY, jst

FY2025 = Period(2025)


@pytest.fixture
def fy2025(classroom, staff, site):
    return figures.report(staff, period=FY2025, sites=[site], all_sites=False, today=TODAY)


def pair(table, row) -> tuple:
    """(this period, the period a year before) of a row."""
    return table.value(row, "total"), table.value(row, "previous")


def test_registered_children_by_grade_count_each_child_once_with_the_grade_of_the_year(fy2025):
    table = fy2025.table("children_by_grade")
    assert pair(table, "j2") == (1, 1)  # the leaver, who left in February, counts for the year
    assert pair(table, "j1") == (1, 2)  # the sibling; the year before, the leaver and the former child
    assert pair(table, "j3") == (1, 0)  # the child who changes grade in April: 中3 all FY2025, 中2 before
    assert pair(table, NOT_ENTERED) == (1, 0)  # high-school age, not in school
    assert pair(table, DROPPED_OUT) == (1, 0)  # left high school in October: 高校中退 for the year
    assert pair(table, "h1") == (0, 1)  # ...and 高1 the year before
    assert pair(table, "total") == (5, 4)
    assert [row.key for row in table.rows][:3] == ["e3", "e4", "e5"]


def test_household_types_take_the_first_reason_that_applies(fy2025):
    table = fy2025.table("children_by_household")
    assert pair(table, "public_assistance") == (1, 1)  # public assistance and single parent: counted once
    assert pair(table, "school_aid") == (1, 0)
    assert pair(table, "single_parent") == (1, 1)
    assert pair(table, "other") == (2, 2)
    assert pair(table, "total") == (5, 4)


def test_children_by_site_count_only_the_sites_asked_for(fy2025, site):
    table = fy2025.table("children_by_site")
    assert [row.key for row in table.rows] == [str(site.pk), "total"]
    assert pair(table, str(site.pk)) == (5, 4)


def test_new_registrations_and_leavers_fall_in_their_month(fy2025):
    table = fy2025.table("movement")
    assert table.value("new", "2025-04") == 1 and table.value("new", "2025-09") == 1
    assert pair(table, "new") == (2, 3)
    assert table.value("left", "2026-02") == 1 and table.value("left_moved", "2026-02") == 1
    assert pair(table, "left") == (1, 1)
    assert pair(table, "left_stopped") == (0, 1)


def test_a_cancelled_class_day_is_not_held(fy2025, site):
    by_kind = fy2025.table("class_days_by_kind")
    assert pair(by_kind, "held") == (4, 1)
    assert pair(by_kind, "group") == (2, 1)
    assert pair(by_kind, "online") == (1, 0) and pair(by_kind, "home_tutoring") == (1, 0)
    assert by_kind.value("cancelled", "2025-07") == 1 and by_kind.value("held", "2025-07") == 0
    assert pair(fy2025.table("class_days_by_site"), str(site.pk)) == (4, 1)


def test_attendance_and_rate_on_held_days_only_and_march_31_in_its_own_year(fy2025):
    table = fy2025.table("attendance_by_month")
    assert pair(table, "attended") == (3, 1)  # the absence on the cancelled day is not counted
    assert pair(table, "marked") == (5, 1)
    assert pair(table, "rate") == (60.0, 100.0)
    assert table.value("attended", "2026-03") == 1  # March 31 belongs to FY2025; April 1 does not
    assert table.value("rate", "2025-07") is None  # nothing marked on a held day: no rate, not 0 %


def test_children_served_count_each_child_once_a_month_and_once_a_year(classroom, staff, site):
    """The leaver came in April; coming again in June makes June's one child, and still one child of the year
    for them (the year's total is not the sum of the months)."""
    kids, days = classroom["kids"], classroom["days"]
    Attendance.objects.create(class_day=days["home"], student=kids["leaver"], status="present")
    table = figures.report(staff, period=FY2025, sites=[site], all_sites=False, today=TODAY).table(
        "attendance_by_month")
    assert [table.value("served", month) for month in ("2025-04", "2025-05", "2025-06", "2026-03")] == [1, 1, 1, 1]
    assert pair(table, "served") == (3, 1)  # leaver, hs_age, changer; FY2024: former
    assert pair(table, "attended") == (4, 1)


def test_attendance_by_grade_uses_the_grade_of_each_fiscal_year(fy2025, classroom, staff, site):
    table = fy2025.table("attendance_by_grade")
    assert table.row("j2").values == [1, 50.0, 0, None]
    assert table.row("j1").values == [0, 0.0, 1, 100.0]
    assert table.row("j3").values == [1, 100.0, 0, None]
    assert table.row(NOT_ENTERED).values == [1, 100.0, 0, None]
    fy2026 = figures.report(staff, period=Period(2026), sites=[site], all_sites=False, today=TODAY)
    grades = fy2026.table("attendance_by_grade")
    assert grades.row("h1").values[:2] == [1, 100.0]  # the same child on April 1: 高1
    assert grades.row("j3").values[2:] == [1, 100.0]  # ...and the year before, 中3
    assert fy2026.table("attendance_by_month").value("attended", "2026-04") == 1


def test_tutoring_counts_written_records_of_held_days_by_subject_with_class_hours(fy2025):
    table = fy2025.table("tutoring")
    assert pair(table, "sessions") == (2, 0)  # not the planned pair, not the cancelled day's record
    assert pair(table, "maths") == (2, 0) and pair(table, "english") == (1, 0)
    assert pair(table, "hours") == (4.0, 0.0)


def test_drop_ins_count_registered_children_and_unregistered_visitors(fy2025):
    table = fy2025.table("drop_ins")
    assert pair(table, "registered") == (1, 0)
    assert pair(table, "unregistered") == (3, 2)  # the other site's 7 are not counted
    assert table.value("total", "2025-05") == 4


def test_home_visits_households_and_contacts_by_the_day_in_japan(fy2025):
    table = fy2025.table("home_visits")
    assert pair(table, "visits") == (3, 0)  # not the draft
    assert table.value("visits", "2025-04") == 1  # 00:30 on April 1 in Japan is still March 31 in UTC
    assert table.value("households", "2025-06") == 1  # two siblings' visits: one household
    assert pair(table, "households") == (2, 0)
    assert pair(table, "consultations") == (1, 0)
    assert pair(table, "contacts") == (1, 0)  # 23:45 on March 31 is FY2025; 00:30 on April 1 is FY2026
    assert table.value("contact_phone", "2026-03") == 1


def test_information_shares_by_recipient_and_basis(fy2025):
    assert pair(fy2025.table("shares_by_recipient"), "child_guidance") == (1, 0)
    assert pair(fy2025.table("shares_by_basis"), "child_welfare") == (1, 0)
    assert pair(fy2025.table("shares_by_basis"), "total") == (1, 0)


def test_a_share_with_a_self_reliance_support_agency_has_its_own_row(classroom, staff, site):
    InformationShare.objects.create(student=classroom["kids"]["leaver"], recipient_kind="self_reliance",
                                    recipient_name="自立相談支援機関", what="生活状況", shared_at=jst(2025, 7, 1, 10),
                                    shared_by=staff, basis="child_welfare",
                                    exception_reason="生活再建の支援のため")
    report = figures.report(staff, period=FY2025, sites=[site], all_sites=False, today=TODAY)
    assert pair(report.table("shares_by_recipient"), "self_reliance") == (1, 0)
    assert pair(report.table("shares_by_recipient"), "total") == (2, 0)


def test_activities_and_participants_by_role(fy2025):
    table = fy2025.table("activities")
    assert pair(table, "activities") == (2, 0)  # not the cancelled one, not the other site's
    assert pair(table, "participants") == (4, 0)
    assert pair(table, "student") == (2, 0)  # attended in August; going where no attendance was taken
    assert pair(table, "guardian") == (1, 0) and pair(table, "other_youth") == (1, 0)


def test_volunteers_active_once_each_and_their_hours(fy2025):
    table = fy2025.table("volunteers")
    assert pair(table, "active") == (2, 0)
    assert table.value("active", "2025-04") == 1 and table.value("active", "2026-03") == 1
    assert pair(table, "university_student") == (1, 0) and pair(table, "retired_teacher") == (1, 0)
    assert pair(table, "hours") == (6.0, 0.0)  # 2h30 + 1h + 2h30; the other site's day is not counted


def test_outcomes_entry_rate_and_staying_in_school(fy2025):
    entry = fy2025.table("entry_outcomes")
    assert pair(entry, "participants") == (1, 0)
    assert pair(entry, "full_time") == (1, 0)
    assert pair(entry, "rate") == (100.0, None)
    assert pair(entry, "not_recorded") == (0, 0)
    staying = fy2025.table("high_school_outcomes")
    assert staying.value("h2", "participants") == 1 and staying.value("h2", "left_school") == 1
    assert pair(fy2025.table("next_steps"), "participants") == (0, 0)


def test_a_month_has_the_same_figures_beside_the_same_month_a_year_before(classroom, staff, site):
    march = figures.report(staff, period=Period(2025, dt.date(2026, 3, 1)), sites=[site], all_sites=False,
                           today=TODAY)
    assert pair(march.table("attendance_by_month"), "attended") == (1, 1)  # March 2026 and March 2025
    grades = march.table("children_by_grade")
    assert pair(grades, "total") == (4, 4)  # the leaver left in February; the former child in March 2025
    assert pair(grades, "j2") == (0, 1)  # a year before, the child who changes grade was in 中2
    assert pair(march.table("class_days_by_kind"), "held") == (1, 1)
    assert [c.kind for c in march.table("movement").columns] == ["total", "previous"]
    assert "entry_outcomes" not in {t.key for t in march.tables}  # outcomes are counted per fiscal year


def test_coordinators_get_no_case_work_or_household_tables(classroom, coordinator, site):
    report = figures.report(coordinator, period=FY2025, sites=[site], all_sites=False, today=TODAY)
    keys = {t.key for t in report.tables}
    assert not keys & {"children_by_household", "home_visits", "shares_by_recipient", "shares_by_basis"}
    assert pair(report.table("children_by_grade"), "total") == (5, 4)
    assert len(report.omitted) == 4


def test_grades_from_the_cohort_match_the_school_year_rule():
    from classroom.grades import grade_for

    for birth in [dt.date(2010, 4, 1), dt.date(2010, 4, 2), dt.date(2011, 1, 5), dt.date(2010, 12, 31)]:
        cohort = birth.year - 1 if (birth.month, birth.day) <= (4, 1) else birth.year
        for year in (2024, 2025, 2026):
            row = {"g_override": "", "g_cohort": cohort}
            assert figures.school_grade(row, year) == grade_for(birth, dt.date(year, 4, 1)), (birth, year)
