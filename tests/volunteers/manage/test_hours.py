"""Hours: the computation (month and fiscal-year boundaries), the staff report and its exports, my hours."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from classroom.factories import ClassDayFactory
from classroom.grades import fiscal_year_of
from volunteers import hours
from volunteers.factories import VolunteerFactory
from volunteers.models import VolunteerAttendance

from .conftest import came

REPORT = reverse("volunteers:volunteer_hours")
EXPORT = reverse("volunteers:volunteer_hours_export")
MINE = reverse("volunteers:my_hours")


def day(site, date, start=dt.time(17, 0)):
    return ClassDayFactory(site=site, date=date, start_time=start, end_time=dt.time(20, 0))


@pytest.fixture
def year_edges(site, tutor):
    """FY2025: 2 h on April 1 2025 and 1.5 h on March 31 2026; FY2026 starts with 1 h on April 1 2026."""
    came(tutor, day(site, dt.date(2025, 3, 31)), dt.time(17, 0), dt.time(17, 45))  # FY2024
    came(tutor, day(site, dt.date(2025, 4, 1)), dt.time(17, 0), dt.time(19, 0))
    came(tutor, day(site, dt.date(2026, 3, 31)), dt.time(17, 0), dt.time(18, 30))
    came(tutor, day(site, dt.date(2026, 4, 1)), dt.time(17, 0), dt.time(18, 0))
    return tutor


def test_fiscal_year_and_month_boundaries(year_edges):
    rows = VolunteerAttendance.objects.all()
    fy2025 = hours.minutes_by_month(rows, 2025)
    assert fy2025.months[0] == 120 and fy2025.months[11] == 90 and fy2025.total == 210 and fy2025.days == 2
    assert hours.minutes_by_month(rows, 2026).total == 60
    assert hours.minutes_by_month(rows, 2024).months[11] == 45
    by_volunteer = hours.minutes_by_volunteer_month(rows, 2025)
    assert by_volunteer[year_edges.pk].total == 210
    assert hours.summary(rows, dt.date(2026, 3, 31)) == {"month": 90, "fiscal_year": 210}
    assert hours.summary(rows, dt.date(2026, 4, 1)) == {"month": 60, "fiscal_year": 60}


def test_format_hours():
    """Issue 9, point 17: hours and minutes, never a decimal a person must convert."""
    from django.utils import translation
    with translation.override("ja"):
        assert [hours.format_hours(m) for m in (0, 35, 60, 90, 80, 125, 1535)] == [
            "0時間", "35分", "1時間", "1時間30分", "1時間20分", "2時間5分", "25時間35分"]
    with translation.override("en"):
        assert hours.format_hours(1535) == "25 h 35 min"


def test_every_hours_screen_reads_hours_and_minutes(client, staff, volunteer, my_profile, site, today):
    """25 h 35 min of attendance shows as 25時間35分 on the report, the volunteer page, my hours and the day."""
    start = today - dt.timedelta(days=today.day - 1)  # this month, so the volunteer page counts it too
    for n in range(5):
        came(my_profile, day(site, start, start=dt.time(8, n)), dt.time(8, 0), dt.time(13, 7))
    assert hours.summary(VolunteerAttendance.objects.all(), today)["month"] == 1535
    client.force_login(volunteer)
    pages = {"mine": client.get(MINE)}
    staff_client = client
    staff_client.force_login(staff)
    pages["report"] = staff_client.get(REPORT)
    pages["detail"] = staff_client.get(reverse("volunteers:volunteer_detail", args=[my_profile.pk]))
    for name, response in pages.items():
        html = response.content.decode()
        assert "25時間35分" in html, name
        assert "25.58" not in html and "25.6" not in html, name
    day_page = staff_client.get(reverse("volunteers:volunteer_attendance", args=[VolunteerAttendance.objects.first().class_day_id]))
    assert "5時間7分" in day_page.content.decode()


def test_report_per_volunteer_month_and_kind(staff_client, site, year_edges):
    student = VolunteerFactory(sites=[site], kind="university_student", user__last_name="学生")
    came(student, day(site, dt.date(2025, 12, 24)), dt.time(17, 0), dt.time(20, 0))
    response = staff_client.get(REPORT, {"fy": 2025})
    html = response.content.decode()
    assert response.status_code == 200 and "<html" in html
    lines = {line.volunteer.pk: line for line in response.context["lines"]}
    assert lines[year_edges.pk].row.months[0] == 120 and lines[year_edges.pk].total == "3時間30分"
    assert lines[student.pk].row.months[8] == 180
    kinds = {line.label: line.row.total for line in response.context["kind_lines"]}
    assert sorted(kinds.values()) == [180, 210]
    assert response.context["total"].row.total == 390


def test_report_fragment(coordinator_client, year_edges):
    response = coordinator_client.get(REPORT, {"fy": 2025}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and html.lstrip().startswith('<section id="hours-report"')


def test_report_hides_other_sites_hours(staff_client, other_site, tutor, other_tutor, today):
    came(other_tutor, day(other_site, today))
    came(tutor, day(other_site, today - dt.timedelta(days=0)), dt.time(17, 0), dt.time(18, 0))
    response = staff_client.get(REPORT)
    assert other_tutor.pk not in [line.volunteer.pk for line in response.context["lines"]]
    assert response.context["total"].row.total == 0  # the hours at the other site are not shown


def test_csv_export_is_what_is_shown(staff_client, year_edges):
    response = staff_client.get(EXPORT, {"fy": 2025, "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows[0]) == 17
    assert rows[0][14:] == ["合計（時間、小数）", "合計（時間と分）", "参加日数"]
    tutor_row = next(r for r in rows if r and r[0] == "鈴木 一郎")
    assert tutor_row[2] == "2" and tutor_row[13] == "1.5" and tutor_row[14] == "3.5" and tutor_row[16] == "2"
    assert tutor_row[15] == "3時間30分"
    assert rows[-1][14] == "3.5" and rows[-1][15] == "3時間30分"


def test_xlsx_export_keeps_numbers(staff_client, year_edges):
    response = staff_client.get(EXPORT, {"fy": 2025, "format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    tutor_row = next(r for r in values if r[0] == "鈴木 一郎")
    assert tutor_row[2] == 2 and tutor_row[14] == 3.5 and tutor_row[15] == "3時間30分"


def test_export_unknown_format_is_404(staff_client, db):
    assert staff_client.get(EXPORT, {"format": "pdf"}).status_code == 404


@pytest.mark.parametrize("persona", ["volunteer", "outsider"])
def test_report_and_export_are_404_for_others(client, request, persona, year_edges):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(REPORT).status_code == 404
    assert client.get(EXPORT).status_code == 404


def test_my_hours_shows_only_mine(volunteer_client, my_profile, site, tutor, today):
    came(my_profile, day(site, today), dt.time(17, 0), dt.time(18, 30))
    came(tutor, day(site, today - dt.timedelta(days=0), start=dt.time(13, 0)), dt.time(13, 0), dt.time(20, 0))
    response = volunteer_client.get(MINE)
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["total"] == "1時間30分" and response.context["days_count"] == 1
    assert "鈴木" not in html
    assert volunteer_client.get(MINE, {"fy": fiscal_year_of(today) - 1}).context["total"] == "0時間"


def test_my_hours_needs_a_profile(volunteer_client, volunteer):
    assert volunteer_client.get(MINE).status_code == 404


@pytest.mark.parametrize("persona", ["staff", "coordinator", "outsider"])
def test_my_hours_is_for_volunteers(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(MINE).status_code == 404


def test_report_query_budget_is_the_same_at_5_and_50_rows(staff_client, site, today, count_queries):
    staff_client.get(REPORT)

    def add(n):
        for _ in range(n):
            came(VolunteerFactory(sites=[site]), day(site, today, start=dt.time(10, 0)))

    add(5)
    with count_queries() as five:
        staff_client.get(REPORT)
    add(45)
    with count_queries() as fifty:
        staff_client.get(REPORT)
    assert five.count == fifty.count, fifty.sql
