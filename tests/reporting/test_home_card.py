"""This month's figures so far on the staff home: the hand-built classroom of ``conftest.py`` counted up to a
day, the same totals as the monthly report, only the user's sites, home visits only for staff."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from classroom.factories import AttendanceFactory, ClassDayFactory, DropInFactory, StudentFactory, UserFactory
from classroom.grades import month_bounds
from reporting import figures
from reporting.figures import Period


def so_far(user, today):
    m = figures.month_so_far(user, today=today)
    return m.children, m.attendances, m.marked, m.rate, m.sessions, m.drop_ins, m.home_visits


@pytest.mark.parametrize(("today", "expected"), [
    # April 2025: the leaver present on the 10th with a written record; a visit at 00:30 on April 1 (Japan time).
    (dt.date(2025, 4, 30), (1, 1, 1, 100.0, 1, 0, 1)),
    # ...up to the 5th only: the class day of the 10th is still to come, the visit of the 1st is counted.
    (dt.date(2025, 4, 5), (0, 0, 0, None, 0, 0, 1)),
    # May: one late (counted as came), one absent; a planned pair without a record is no session; one check-in
    # and three unregistered visitors here (another site's check-in and seven visitors are not ours).
    (dt.date(2025, 5, 31), (1, 1, 2, 50.0, 0, 4, 0)),
    # June: a notice of absence; two finished visits (a draft and another site's are not counted).
    (dt.date(2025, 6, 30), (0, 0, 1, 0.0, 0, 0, 2)),
    # July: the cancelled day's mark and written record are not counted.
    (dt.date(2025, 7, 31), (0, 0, 0, None, 0, 0, 0)),
])
def test_the_month_so_far_counts_the_hand_built_classroom(classroom, staff, today, expected):
    assert so_far(staff, today) == expected


@pytest.mark.parametrize("month", [dt.date(2025, 4, 1), dt.date(2025, 5, 1), dt.date(2025, 6, 1)])
def test_the_card_counts_what_the_monthly_report_counts(classroom, staff, site, month):
    last = month_bounds(month)[1]
    report = figures.report(staff, period=Period.of_month(month), sites=[site], all_sites=True, today=last)
    card = figures.month_so_far(staff, today=last)
    assert card.children == report.table("attendance_by_month").value("served", "total")
    assert card.attendances == report.table("attendance_by_month").value("attended", "total")
    assert card.marked == report.table("attendance_by_month").value("marked", "total")
    assert card.rate == report.table("attendance_by_month").value("rate", "total")
    assert card.sessions == report.table("tutoring").value("sessions", "total")
    assert card.drop_ins == report.table("drop_ins").value("total", "total")
    assert card.home_visits == report.table("home_visits").value("visits", "total")


def test_a_coordinator_gets_no_home_visits(classroom, coordinator):
    assert so_far(coordinator, dt.date(2025, 6, 30))[-1] is None
    assert so_far(coordinator, dt.date(2025, 5, 31))[:-1] == (1, 1, 2, 50.0, 0, 4)


def test_another_sites_user_counts_only_their_site(classroom, other_site):
    elsewhere = UserFactory(roles=["staff"], sites=[other_site])
    # April 10 at the other site: the stranger present with a written record.
    assert so_far(elsewhere, dt.date(2025, 4, 30)) == (1, 1, 1, 100.0, 1, 0, 0)


def test_the_staff_home_shows_the_card_and_links_to_this_months_report(staff_client, site, other_site):
    today = timezone.localdate()
    day = ClassDayFactory(site=site, date=today, status="held")
    AttendanceFactory(class_day=day, student=StudentFactory(site=site))
    AttendanceFactory(class_day=day, student=StudentFactory(site=site), status="absent")
    DropInFactory(student=StudentFactory(site=other_site), date=today)
    html = staff_client.get(reverse("classroom:home_staff")).content.decode()
    month = Period.of_month(today)
    assert f"{month.label}の実績（今日まで）" in html
    assert reverse("reporting:report_month", args=[month.fiscal_year, month.month]) in html
    assert "利用児童数</dt><dd>1</dd>" in html
    assert "出席</dt><dd>1</dd>" in html and "出席率</dt><dd>50.0<small>%</small></dd>" in html
    assert "居場所の利用</dt><dd>0</dd>" in html  # another site's check-in is not ours
    assert "家庭訪問</dt><dd>0</dd>" in html
