"""The charts of the report pages: drawn from the tables the page shows (the hand-built classroom of
``conftest.py``), with their text alternative and data table, only for tables the user may see, in the
htmx fragment too; they add no query (the budget test in ``test_report_pages.py`` keeps its numbers)."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from reporting import figures
from reporting.charts import report_charts
from reporting.figures import Period
from tests.reporting.conftest import TODAY

SVG = "{http://www.w3.org/2000/svg}"


def year_url(fy=2025):
    return reverse("reporting:report_year", args=[fy])


def svgs(html: str) -> dict[str, ET.Element]:
    """Every chart of a page, by its id, parsed (a malformed SVG fails here)."""
    found, start = {}, 0
    while (start := html.find("<svg", start)) != -1:
        end = html.index("</svg>", start) + len("</svg>")
        root = ET.fromstring(html[start:end])
        title = root.find(f"{SVG}title")
        if title is not None and title.get("id"):  # a chart, not an icon
            found[title.get("id").removesuffix("-title")] = root
        start = end
    return found


def description(root: ET.Element) -> str:
    return root.find(f"{SVG}desc").text


@pytest.fixture
def year_charts(classroom, staff, site):
    report = figures.report(staff, period=Period(2025), sites=[site], all_sites=False, today=TODAY)
    return {item.chart.id: item.chart for item in report_charts(report)}


def test_the_fiscal_year_page_draws_each_chart_with_its_text_alternative_and_table(staff_client, classroom, site):
    html = staff_client.get(year_url(), {"site": site.pk}).content.decode()
    charts = svgs(html)
    assert list(charts) == ["chart-attendance", "chart-volunteer-hours", "chart-entry-outcomes",
                            "chart-high-school-outcomes"]
    for chart_id, root in charts.items():
        assert root.get("role") == "img"
        assert (root.get("aria-labelledby"), root.get("aria-describedby")) == (f"{chart_id}-title", f"{chart_id}-desc")
        assert 'id="' + chart_id + '-figure"' in html  # the figure with the data table beside the picture
    assert html.count('class="chart__table"') == 4
    assert "グラフ" in html and "月別の出席" in html
    # No 高3 in either year: no empty picture, a line saying so (the table below has the zeros).
    assert "<strong>高校3年生の進路</strong>：この期間は描くデータがありません" in html


def test_attendance_per_month_states_the_months_of_the_table(year_charts, classroom, staff, site):
    chart = year_charts["chart-attendance"]
    assert chart.labels[0] == "4月" and chart.labels[-1] == "3月" and len(chart.labels) == 12
    assert [s.label for s in chart.series] == ["出席", "利用児童数"]
    # The table: attended 1 in April, May and March (3 in all), each by another child.
    assert chart.series[0].values == (1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)
    assert chart.series[1].values == (1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)
    assert "出席：4月 1、5月 1、6月 0" in chart.description and "3月 1。" in chart.description
    assert chart.rows[1] == ("5月", ["1", "1"])


def test_volunteer_hours_per_month_in_hours(year_charts):
    chart = year_charts["chart-volunteer-hours"]
    assert chart.series[0].values[0] == 2.5 and chart.series[0].values[-1] == 1.0
    assert sum(chart.series[0].values) == 6.0  # the table's total
    assert "4月 2.5時間" in chart.description and "3月 1時間" in chart.description


def test_outcome_charts_compare_the_year_with_the_one_before(year_charts):
    entry = year_charts["chart-entry-outcomes"]
    assert [s.label for s in entry.series] == ["2025年度", "2024年度"]
    assert entry.labels == ("全日制高校に進学",)  # results nobody had in either year are left to the table
    assert entry.description == "中学3年生の高校等進学。2025年度：全日制高校に進学 1。2024年度：全日制高校に進学 0。"
    staying = year_charts["chart-high-school-outcomes"]
    assert [s.label for s in staying.series] == ["高1", "高2", "高3"]
    assert "高2：在学継続 0、転学 0、中途退学 1、卒業 0。" in staying.description
    assert year_charts["chart-next-steps"].is_empty  # no 高3 in either year
    assert "データがありません" in year_charts["chart-next-steps"].description


def test_a_month_not_yet_begun_is_no_data_not_zero(classroom, staff, site):
    report = figures.report(staff, period=Period(2026), sites=[site], all_sites=False, today=TODAY)
    attendance = next(c.chart for c in report_charts(report) if c.chart.id == "chart-attendance")
    assert attendance.series[0].values[0] == 1  # April 1, 2026
    assert attendance.series[0].values[1] == 0  # May has begun (TODAY is May 1)
    assert attendance.series[0].values[2:] == (None,) * 10
    assert "5月 0、6月 記録なし、7月 記録なし" in attendance.description


def test_the_month_page_compares_the_month_with_the_same_month_a_year_before(staff_client, classroom):
    html = staff_client.get(reverse("reporting:report_month", args=[2025, dt.date(2026, 3, 1)])).content.decode()
    charts = svgs(html)
    assert list(charts) == ["chart-attendance-compared"]
    assert 'report-charts__item--compact' in html  # two bars: drawn to fit a phone without scrolling
    assert description(charts["chart-attendance-compared"]) == (
        "出席（前年同月との比較）。令和8年3月：出席 1、利用児童数 1。令和7年3月：出席 1、利用児童数 1。")


def test_coordinators_see_only_charts_of_tables_they_may_see(coordinator_client, classroom, staff, site):
    response = coordinator_client.get(year_url())
    shown = {t.key for t in response.context["report"].tables}
    charts = svgs(response.content.decode())
    assert set(charts) == {c.chart.id for c in response.context["charts"] if not c.chart.is_empty}
    sources = {"chart-attendance": "attendance_by_month", "chart-volunteer-hours": "volunteers",
               "chart-entry-outcomes": "entry_outcomes", "chart-high-school-outcomes": "high_school_outcomes",
               "chart-next-steps": "next_steps"}
    assert {sources[c] for c in charts} <= shown
    # A table withheld from a user takes its chart with it.
    report = figures.report(staff, period=Period(2025), sites=[site], all_sites=False, today=TODAY)
    report.tables = [t for t in report.tables if t.key not in {"volunteers", "entry_outcomes"}]
    assert {c.chart.id for c in report_charts(report)} == {"chart-attendance", "chart-high-school-outcomes",
                                                    "chart-next-steps"}


def test_the_htmx_fragment_carries_the_charts(staff_client, classroom, site):
    response = staff_client.get(year_url(), {"site": site.pk}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="report")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="report"') and "<html" not in html
    assert len(svgs(html)) == 4

