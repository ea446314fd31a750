"""The report to the city: the fiscal-year page, the monthly page, their exports.

Every figure comes from ``reporting.figures``; these views only choose the period and the sites,
check that the user may see them, and render or write what the figures module returns.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from classroom import rules
from classroom.access_log import EXPORT, log_access
from classroom.grades import fiscal_year_of
from classroom.models import Site
from lib import exports
from lib.htmx import HtmxHttpRequest, render_fragment
from reporting import figures
from reporting.charts import report_charts
from reporting.forms import ReportFilterForm

YEARS_IN_SWITCHER = 10
EXPORT_FORMATS = ("csv", "xlsx")


def _years(current: int) -> list[int]:
    return list(range(current, max(figures.FIRST_FISCAL_YEAR, current - YEARS_IN_SWITCHER) - 1, -1))


def _report(request, fy: int, month: dt.date | None = None) -> tuple[figures.Report, list[Site], Site | None]:
    """The figures of the period asked for, for the chosen site or all the user's; the user's sites; the
    choice. 404 for a period outside the reports (FY0001, a month to come) and a site not the user's."""
    today = timezone.localdate()
    period = figures.period_asked(fy, month, today)
    sites = list(Site.objects.visible_to(request.user))
    understood, chosen = figures.site_asked(sites, request.GET.get("site"))
    if period is None or not understood:
        raise Http404
    report = figures.report(request.user, period=period, sites=[chosen] if chosen else sites,
                            all_sites=chosen is None, today=today)
    return report, sites, chosen


def _month_link(month: dt.date) -> dict:
    return {"fy": fiscal_year_of(month), "month": month}


@rules.role_required(rules.STAFF, rules.COORDINATOR)
@require_GET
def report_index(request):
    """The fiscal-year switcher's target: on to the year (and site) chosen, the current year by default."""
    today = timezone.localdate()
    current = fiscal_year_of(today)
    fiscal_year, query = current, {}
    if request.GET:
        form = ReportFilterForm(request.GET, years=_years(current), sites=Site.objects.visible_to(request.user))
        if form.is_valid():
            fiscal_year = form.cleaned_data["fy"] or current
            if form.cleaned_data["site"]:
                query["site"] = form.cleaned_data["site"]
        else:
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
    url = reverse("reporting:report_year", args=[fiscal_year])
    return redirect(f"{url}?{urlencode(query)}" if query else url)


def _page(request: HtmxHttpRequest, fy: int, month: dt.date | None):
    report, sites, chosen = _report(request, fy, month)
    current = fiscal_year_of(report.today)
    site_query = f"?{urlencode({'site': chosen.pk})}" if chosen else ""
    period = report.period
    context = {
        "report": report,
        "charts": report_charts(report),  # drawn from the report's tables: no query of their own
        "period": period,
        "site": chosen,
        "site_query": site_query,
        "form": ReportFilterForm(initial={"fy": fy, "site": chosen.pk if chosen else None}, years=_years(current),
                                 sites=sites),
        "previous_year": fy - 1 if fy - 1 >= figures.FIRST_FISCAL_YEAR else None,
        "next_year": fy + 1 if fy + 1 <= current else None,
        "months": [m for m in figures.month_dates(fy) if m <= report.today],
        "export_url": (reverse("reporting:report_month_export", args=[fy, month]) if month
                       else reverse("reporting:report_year_export", args=[fy])),
    }
    if month:
        before = (month - dt.timedelta(days=1)).replace(day=1)
        after = (month + dt.timedelta(days=31)).replace(day=1)
        context["previous_month"] = _month_link(before) if fiscal_year_of(before) >= figures.FIRST_FISCAL_YEAR else None
        context["next_month"] = _month_link(after) if after <= report.today else None
    response = render_fragment(request, "reporting/report.html", context, partial="report", target="report")
    if request.htmx:
        response["HX-Push-Url"] = request.get_full_path()  # the switcher's redirect lands here: show this address
    return response


@rules.role_required(rules.STAFF, rules.COORDINATOR)
@require_GET
def report_year(request: HtmxHttpRequest, fy: int):
    return _page(request, fy, None)


@rules.role_required(rules.STAFF, rules.COORDINATOR)
@require_GET
def report_month(request: HtmxHttpRequest, fy: int, month: dt.date):
    return _page(request, fy, month)


@rules.role_required(rules.STAFF, rules.COORDINATOR)
@require_GET
def report_export(request, fy: int, month: dt.date | None = None):
    """The figures shown as XLSX (one sheet per table) or one table as CSV (``?table=``), in Japanese."""
    export_format = request.GET.get("format", "xlsx")
    if export_format not in EXPORT_FORMATS:
        raise Http404
    with translation.override("ja"):  # the city's sheets are Japanese, whatever language the page is in
        report, _sites_shown, _chosen = _report(request, fy, month)
        name = f"report-{fy}" + (f"-{month.year:04d}{month.month:02d}" if month else "")
        if export_format == "csv":
            table = next((t for t in report.tables if t.key == request.GET.get("table")), None)
            if table is None:
                raise Http404
            response = exports.rows_response(figures.sheet_rows(table, report), export_format="csv",
                                             filename=f"{name}-{table.key}", title=table.title)
        else:
            sheets = [exports.Sheet(title=t.title, rows=figures.sheet_rows(t, report), freeze="B4",
                                    bold_rows={0, 2, *[i + 3 for i, row in enumerate(t.rows) if row.is_total]})
                      for t in report.tables]
            response = exports.sheets_response(sheets, filename=name)
    log_access(request, None, EXPORT)
    return response
