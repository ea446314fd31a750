"""The student page's attendance trend: a sparkline of the rate per month over the last 12 months,
computed in the same one query as the page's other rates."""

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from classroom import stats
from classroom.factories import AttendanceFactory, ClassDayFactory
from classroom.models import AttendanceStatus, ClassDayStatus

SVG = "{http://www.w3.org/2000/svg}"


def url(student):
    return reverse("classroom:student_detail", args=[student.pk])


def test_monthly_periods_are_the_last_12_calendar_months_oldest_first():
    periods = stats.monthly_periods(dt.date(2026, 3, 15))
    assert list(periods)[0] == "month_2025_04" and list(periods)[-1] == "month_2026_03"
    assert len(periods) == 12
    assert periods["month_2026_02"] == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert periods["month_2025_12"] == (dt.date(2025, 12, 1), dt.date(2025, 12, 31))


def _attend(student, day: dt.date, status=AttendanceStatus.PRESENT, day_status=ClassDayStatus.HELD):
    class_day = ClassDayFactory(site=student.site, date=day, status=day_status)
    AttendanceFactory(class_day=class_day, student=student, status=status)


@pytest.mark.parametrize("client_fixture", ["staff_client", "coordinator_client"])
def test_the_page_shows_the_monthly_rates_with_their_text_alternative(request, client_fixture, student):
    client = request.getfixturevalue(client_fixture)
    this_month = timezone.localdate().replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    _attend(student, last_month, AttendanceStatus.PRESENT)
    _attend(student, last_month + dt.timedelta(days=1), AttendanceStatus.ABSENT)
    _attend(student, last_month + dt.timedelta(days=2), AttendanceStatus.ABSENT, day_status=ClassDayStatus.CANCELLED)
    _attend(student, this_month, AttendanceStatus.LATE)
    response = client.get(url(student))
    trend = response.context["trend"]
    assert trend.series[0].values[-2:] == (50.0, 100.0)  # the cancelled day does not count
    assert trend.series[0].values[:-2] == (None,) * 10
    html = response.content.decode()
    svg = html[html.index('<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg chart-svg--sparkline"'):]
    root = ET.fromstring(svg[:svg.index("</svg>") + 6])
    assert root.get("role") == "img" and root.get("aria-labelledby") == "attendance-trend-title"
    assert root.get("aria-describedby") == "attendance-trend-desc"
    with translation.override("ja"):
        label = translation.gettext("no data")
    desc = root.find(f"{SVG}desc").text
    assert "50%" in desc and "100%" in desc and label in desc
    assert re.search(r'<th scope="row">[^<]+</th><td class="num">50%</td>', html)


def test_the_trend_rides_along_the_rates_query(staff_client, student, count_queries):
    _attend(student, timezone.localdate())
    staff_client.get(url(student))
    with count_queries() as q:
        staff_client.get(url(student))
    rates_queries = [query["sql"] for query in q.context.captured_queries if "month_" in query["sql"]]
    assert len(rates_queries) == 1
    assert "last_four_weeks" in rates_queries[0] and "fiscal_year" in rates_queries[0]


def test_a_child_without_attendance_gets_an_empty_trend(staff_client, student):
    response = staff_client.get(url(student))
    assert response.context["trend"].is_empty
    assert "chart-svg--sparkline" in response.content.decode()
