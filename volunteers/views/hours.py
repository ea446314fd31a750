"""Volunteer hours: the staff report (per volunteer and month of a fiscal year, by kind, with
CSV and XLSX export) and the volunteer's own hours. All computed by ``volunteers.hours``."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, IntegerField, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from classroom import rules
from classroom.access_log import EXPORT, log_access
from classroom.grades import fiscal_year_bounds, fiscal_year_of
from classroom.models import ClassDay, Site
from lib import exports
from lib.htmx import HtmxHttpRequest, render_fragment
from lib.names import person_name
from volunteers import hours
from volunteers.forms.manage import FiscalYearForm
from volunteers.models import Volunteer, VolunteerAttendance, VolunteerKind

EXPORT_FORMATS = ("csv", "xlsx")
YEARS_BACK = 5


def _years(today) -> list[int]:
    current = fiscal_year_of(today)
    return list(range(current, current - YEARS_BACK - 1, -1))


@dataclass
class ReportLine:
    label: str
    kind: str
    row: hours.HoursRow
    volunteer: Volunteer | None = None

    @property
    def months(self) -> list[dict]:
        return [{"text": hours.format_hours(m), "minutes": m} for m in self.row.months]

    @property
    def total(self) -> str:
        return hours.format_hours(self.row.total)


def _report(request) -> dict:
    """The report the page shows and the export writes: lines per volunteer, per kind, and the total."""
    today = timezone.localdate()
    years = _years(today)
    sites = Site.objects.visible_to(request.user)
    form = FiscalYearForm(request.GET or None, years=years, sites=sites)
    fiscal_year, site = fiscal_year_of(today), None
    if form.is_valid():
        fiscal_year = form.cleaned_data["fy"] or fiscal_year
        site = form.cleaned_data.get("site")
    days = ClassDay.objects.visible_to(request.user)
    volunteers = Volunteer.objects.visible_to(request.user)
    if site is not None:
        days = days.filter(site=site)
        volunteers = volunteers.filter(sites=site)
    attendance = VolunteerAttendance.objects.filter(class_day__in=days)
    by_volunteer = hours.minutes_by_volunteer_month(attendance, fiscal_year)
    shown = (Volunteer.objects.filter(pk__in=volunteers.values("pk")) | Volunteer.objects.filter(pk__in=by_volunteer))
    kind_order = Case(*[When(kind=kind, then=Value(i)) for i, kind in enumerate(VolunteerKind.values)],
                      default=Value(len(VolunteerKind.values)), output_field=IntegerField())
    shown = shown.select_related("user").order_by(kind_order, "user__last_name", "user__first_name", "pk")
    kind_labels = dict(VolunteerKind.choices)
    lines, by_kind, total = [], {}, hours.HoursRow()
    for volunteer in shown:
        row = by_volunteer.get(volunteer.pk, hours.HoursRow())
        if not row.days and not volunteer.is_active:
            continue  # an inactive volunteer without hours this year is not part of the report
        lines.append(ReportLine(person_name(volunteer.user), str(kind_labels[volunteer.kind]), row, volunteer))
        kind_row = by_kind.setdefault(volunteer.kind, hours.HoursRow())
        for index, minutes in enumerate(row.months):
            kind_row.months[index] += minutes
            total.months[index] += minutes
        kind_row.days += row.days
        total.days += row.days
    kind_lines = [ReportLine(str(label), str(label), by_kind[kind]) for kind, label in VolunteerKind.choices
                  if kind in by_kind]
    start, end = fiscal_year_bounds(fiscal_year)
    return {
        "form": form,
        "fiscal_year": fiscal_year,
        "site": site,
        "start": start,
        "end": end,
        "months": hours.month_dates(fiscal_year),
        "lines": lines,
        "kind_lines": kind_lines,
        "total": ReportLine(_("Total"), "", total),
    }


def _month_header(day) -> str:
    return date_format(day, "M")


def _export_rows(report: dict) -> tuple[list[list], set[int]]:
    # Months and the first total are decimal hours, numbers a spreadsheet can sum; the next column
    # says the same total the way people read it (25時間35分), exactly.
    header = [_("Name"), _("Kind"), *[_month_header(m) for m in report["months"]], _("Total (hours, decimal)"),
              _("Total (hours and minutes)"), _("Days came")]
    rows: list[list] = [header]

    def values(line: ReportLine) -> list:
        return [*[hours.hours_value(m) for m in line.row.months], hours.hours_value(line.row.total),
                hours.format_hours(line.row.total), line.row.days]

    rows += [[line.label, line.kind, *values(line)] for line in report["lines"]]
    rows.append([])
    bold = {len(rows)}
    rows.append([_("By kind"), "", *[""] * 15])
    rows += [[line.label, "", *values(line)] for line in report["kind_lines"]]
    bold.add(len(rows))
    rows.append([_("Total"), "", *values(report["total"])])
    return rows, bold


@rules.role_required(rules.STAFF, rules.COORDINATOR)
def volunteer_hours(request: HtmxHttpRequest):
    report = _report(request)
    query = request.GET.copy()
    query.pop("format", None)
    report["export_query"] = query.urlencode()
    return render_fragment(request, "volunteers/hours/report.html", report, partial="report")


@rules.role_required(rules.STAFF, rules.COORDINATOR)
def volunteer_hours_export(request):
    export_format = request.GET.get("format", "csv")
    if export_format not in EXPORT_FORMATS:
        raise Http404
    report = _report(request)
    rows, bold = _export_rows(report)
    title = _("Volunteer hours FY%(year)s") % {"year": report["fiscal_year"]}
    log_access(request, None, EXPORT)  # every export is traced, as the figures' and the student list's are
    # Hours stay numbers in the XLSX so that they can be summed.
    return exports.rows_response(rows, export_format=export_format, filename=f"volunteer-hours-{report['fiscal_year']}",
                                 title=title, bold_rows=bold, freeze="B2", max_width=40)


@rules.role_required(rules.VOLUNTEER)
def my_hours(request):
    """The volunteer's own hours: per month of the fiscal year, the total, and the days they came."""
    volunteer = get_object_or_404(Volunteer, user=request.user)
    today = timezone.localdate()
    form = FiscalYearForm(request.GET or None, years=_years(today))
    fiscal_year = fiscal_year_of(today)
    if form.is_valid() and form.cleaned_data["fy"]:
        fiscal_year = form.cleaned_data["fy"]
    attendance = VolunteerAttendance.objects.filter(volunteer=volunteer)
    row = hours.minutes_by_month(attendance, fiscal_year)
    start, end = fiscal_year_bounds(fiscal_year)
    days = (hours.with_minutes(attendance.filter(class_day__date__range=(start, end)))
            .select_related("class_day__site").order_by("-class_day__date", "-class_day__start_time"))
    return render(request, "volunteers/hours/mine.html", {
        "form": form,
        "fiscal_year": fiscal_year,
        "months": [{"month": d.month, "year": d.year, "hours": hours.format_hours(m), "minutes": m}
                   for d, m in zip(hours.month_dates(fiscal_year), row.months, strict=True)],
        "total": hours.format_hours(row.total),
        "days_count": row.days,
        "days": [{"attendance": a, "hours": hours.format_hours(a.minutes)} for a in days],
    })
