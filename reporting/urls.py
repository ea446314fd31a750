import datetime as dt

from django.urls import path, register_converter

from reporting.views import reports


class MonthConverter:
    """``2026-04`` in a URL: a month (its first day); any other value (month 13, 2026-4) does not match."""

    regex = r"[0-9]{4}-[0-9]{2}"

    def to_python(self, value: str) -> dt.date:
        year, month = (int(part) for part in value.split("-"))
        return dt.date(year, month, 1)  # ValueError for month 0 or 13: the URL does not match (404)

    def to_url(self, value) -> str:
        return value if isinstance(value, str) else f"{value.year:04d}-{value.month:02d}"


register_converter(MonthConverter, "month")

app_name = "reporting"

urlpatterns = [
    path("reports/", reports.report_index, name="report_index"),
    path("reports/<int:fy>/", reports.report_year, name="report_year"),
    path("reports/<int:fy>/export/", reports.report_export, name="report_year_export"),
    path("reports/<int:fy>/<month:month>/", reports.report_month, name="report_month"),
    path("reports/<int:fy>/<month:month>/export/", reports.report_export, name="report_month_export"),
]
