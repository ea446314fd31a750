"""The report's API: the fiscal-year figures as JSON, through the same figures module and access rules as
the page (staff and coordinators; coordinators without the staff-only tables; anyone else 404).

Mount with ``api.add_router("/reporting/", router)`` in ``config/api.py``.
"""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from ninja import Router

from classroom import rules
from classroom.models import Site
from reporting import figures
from reporting.schemas import ReportOut

router = Router(tags=["reporting"])


def _out(report: figures.Report) -> dict:
    period = report.period
    return {
        "fiscal_year": period.fiscal_year, "month": period.month, "label": period.label,
        "start": period.start, "end": period.end, "as_of": report.today, "all_sites": report.all_sites,
        "sites": [{"id": s.pk, "name": s.name} for s in report.sites],
        "tables": [{"key": t.key, "title": t.title, "definition": t.definition, "row_header": t.row_header,
                    "columns": [vars(c) for c in t.columns],
                    "rows": [{"key": r.key, "label": r.label, "values": r.values, "unit": r.unit, "is_total": r.is_total,
                              "level": r.level} for r in t.rows]}
                   for t in report.tables],
        "omitted": report.omitted,
    }


@router.get("/{fy}", response=ReportOut, url_name="report_year")
def report_year(request, fy: int, site: int | None = None):
    """Every figure of fiscal year ``fy`` (April 1 to March 31) beside the year before's, for one of the
    user's sites (``site``) or all of them. 404 for a year outside FY1990 to the current one, a site
    that is not the user's, and anyone but staff and coordinators."""
    if not rules.acts_as(request.user, rules.STAFF, rules.COORDINATOR):
        raise Http404
    today = timezone.localdate()
    period = figures.period_asked(fy, None, today)
    sites = list(Site.objects.visible_to(request.user))
    understood, chosen = figures.site_asked(sites, site)
    if period is None or not understood:
        raise Http404
    report = figures.report(request.user, period=period, sites=[chosen] if chosen else sites,
                            all_sites=chosen is None, today=today)
    return _out(report)
