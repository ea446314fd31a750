"""The charts of the report pages, drawn (``lib.charts``) from the tables ``reporting.figures`` computed.

No chart asks the database anything: each reads the rows of a table of the ``Report`` the page already
shows, so the page costs the same queries with or without them, and a chart exists only when its table
does (a table the user may not see has no chart either). The fiscal-year page charts the months April to
March (labelled as the table's columns: 4月..3月) and the outcomes; a month's page compares the month
with the same month a year before. Months still to come are "no data" in a chart, not zero.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

from lib import charts
from lib.charts import Series
from reporting.figures import Report, Table

WIDTH = 640  # lib.charts' usual width: the twelve months
COMPACT_WIDTH = 400  # a few bars: drawn small enough to fit a phone whole, without scrolling


@dataclass(frozen=True)
class ReportChart:
    chart: charts.Chart
    compact: bool = False  # fits a phone at its drawn size (the page lets it shrink rather than scroll)


def _bars(*, width: int = WIDTH, **chart) -> ReportChart:
    return ReportChart(charts.bar_chart(width=width, **chart), compact=width <= COMPACT_WIDTH)


def _table(report: Report, key: str) -> Table | None:
    return next((t for t in report.tables if t.key == key), None)


def _month_indexes(report: Report, table: Table) -> list[int]:
    return [i for i, column in enumerate(table.columns) if column.kind == "month"]


def _month_labels(table: Table, indexes: list[int]) -> tuple[str, ...]:
    return tuple(table.columns[i].label for i in indexes)


def _month_values(report: Report, table: Table, row_key: str, indexes: list[int]) -> tuple:
    """A row's values month by month; None for a month that has not begun (nothing to show yet)."""
    months = report.period.months
    row = table.row(row_key)
    return tuple(row.values[i] if month <= report.today else None for i, month in zip(indexes, months, strict=True))


def _monthly(report: Report, key: str, rows: list[str], *, title: str, chart_id: str, unit: str = "") -> ReportChart | None:
    table = _table(report, key)
    if table is None:
        return None
    indexes = _month_indexes(report, table)
    return _bars(
        title=title, labels=_month_labels(table, indexes), unit=unit, label_heading=_("Month"), chart_id=chart_id,
        series=[Series(table.row(r).label, _month_values(report, table, r, indexes)) for r in rows])


def _year_labels(report: Report) -> tuple[str, str]:
    """The series of a comparison: 2025年度 and 2024年度, or 令和8年3月 and 令和7年3月."""
    period, previous = report.period, report.previous
    if period.month:
        return period.label, previous.label
    return (_("FY %(year)s") % {"year": period.fiscal_year}, _("FY %(year)s") % {"year": previous.fiscal_year})


def _width_for(labels: tuple[str, ...]) -> int:
    """Wide enough that every label stands under its bars (the chart thins labels that would overlap)."""
    widest = max((charts.text_width(label) for label in labels), default=0)
    return max(COMPACT_WIDTH, math.ceil(len(labels) * (widest + 16) + 60))


def _by_result(report: Report, key: str, *, chart_id: str) -> ReportChart | None:
    """An outcome table with one row per result (its breakdown rows, and "not recorded yet") and two
    columns, this fiscal year and the one before: a bar per result and year. A result no child had in
    either year is left out of the picture (the table below still lists it), so the others keep legible labels."""
    table = _table(report, key)
    if table is None:
        return None
    rows = [r for r in table.rows if (r.level == 1 or r.key == "not_recorded") and any(r.values)]
    labels = tuple(r.label for r in rows)
    return _bars(
        title=str(table.title), labels=labels, label_heading=_("Outcome"), chart_id=chart_id, width=_width_for(labels),
        series=[Series(name, tuple(r.values[i] for r in rows)) for i, name in enumerate(_year_labels(report))])


def _staying(report: Report) -> ReportChart | None:
    """High-school students by grade and staying-in-school result (this fiscal year's columns)."""
    table = _table(report, "high_school_outcomes")
    if table is None:
        return None
    results = [i for i, column in enumerate(table.columns) if column.kind == "total" and column.key != "participants"]
    grades = [r for r in table.rows if not r.is_total]
    labels = tuple(table.columns[i].label for i in results)
    return _bars(
        title=str(table.title), labels=labels, label_heading=_("Outcome"),
        chart_id="chart-high-school-outcomes", width=_width_for(labels),
        series=[Series(r.label, tuple(r.values[i] for i in results)) for r in grades])


def _month_compared(report: Report) -> ReportChart | None:
    """A month's attendance beside the same month a year before."""
    table = _table(report, "attendance_by_month")
    if table is None:
        return None
    rows = [table.row("attended"), table.row("served")]
    labels = tuple(r.label for r in rows)
    return _bars(
        title=_("Attendance, compared with the same month a year before"), labels=labels,
        label_heading=_("Item"), chart_id="chart-attendance-compared", width=_width_for(labels),
        series=[Series(name, tuple(r.values[i] for r in rows)) for i, name in enumerate(_year_labels(report))])


def report_charts(report: Report) -> list[ReportChart]:
    """The charts of the report page, in the order of their tables."""
    if report.period.month:
        found = [_month_compared(report)]
    else:
        found = [
            _monthly(report, "attendance_by_month", ["attended", "served"],
                     title=_("Attendances and children served per month"),
                     chart_id="chart-attendance"),
            _monthly(report, "volunteers", ["hours"], title=_("Volunteer hours per month"), unit=_("h"),
                     chart_id="chart-volunteer-hours"),
            _by_result(report, "entry_outcomes", chart_id="chart-entry-outcomes"),
            _staying(report),
            _by_result(report, "next_steps", chart_id="chart-next-steps"),
        ]
    return [chart for chart in found if chart is not None]
