"""The report's XLSX (one sheet per table, Japanese headings) and CSV (one table), access-logged."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from classroom.models import AccessLog


def export_url(fy=2025, month=None):
    if month:
        return reverse("reporting:report_month_export", args=[fy, month])
    return reverse("reporting:report_year_export", args=[fy])


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Cache-Control"] == "no-store"
    return load_workbook(io.BytesIO(response.content))


def test_the_xlsx_has_one_sheet_per_table_in_japanese(staff_client, classroom, staff, site):
    response = staff_client.get(export_url(), {"format": "xlsx", "site": site.pk})
    assert response["Content-Disposition"] == 'attachment; filename="report-2025.xlsx"'
    book = workbook(response)
    report = staff_client.get(reverse("reporting:report_year", args=[2025])).context["report"]
    assert len(book.sheetnames) == len(report.tables) == 18
    grades = book.worksheets[0]
    assert grades["A1"].value == "学年別の登録児童数"
    assert grades["A2"].value == "2025年度（令和7年度）" and grades["B2"].value == site.name
    assert [c.value for c in grades[3]] == ["学年", "児童数", "前年度"]
    rows = {row[0].value: [c.value for c in row[1:3]] for row in grades.iter_rows(min_row=4)}
    assert rows["中3"] == [1, 0] and rows["合計"] == [5, 4]
    attendance = book["出席と出席率"]
    header = [c.value for c in attendance[3]]
    assert header[:3] == ["項目", "4月", "5月"] and header[-2:] == ["合計", "前年度"]
    rate = next(row for row in attendance.iter_rows(min_row=4) if row[0].value == "出席率（%）")
    assert rate[-2].value == 60 and isinstance(rate[-2].value, int | float)  # a number a spreadsheet can use
    assert AccessLog.objects.filter(user=staff, action="export", student=None,
                                    path__startswith="/reports/2025/export/").count() == 1


def test_english_users_still_get_japanese_sheets(client, staff, classroom):
    client.force_login(staff)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Registered children by grade" in client.get(reverse("reporting:report_year", args=[2025])).content.decode()
    assert workbook(client.get(export_url(), {"format": "xlsx"})).worksheets[0]["A1"].value == "学年別の登録児童数"


def test_a_csv_per_table(staff_client, classroom):
    response = staff_client.get(export_url(), {"format": "csv", "table": "tutoring"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="report-2025-tutoring.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["個別学習の回数と時間"]
    sessions = next(row for row in rows if row and row[0] == "回数")
    assert sessions[-2:] == ["2", "0"]
    assert rows[-1][0] == "定義" and "学習記録" in rows[-1][1]


def test_the_month_export(staff_client, classroom):
    response = staff_client.get(export_url(2025, "2026-03"), {"format": "xlsx"})
    assert response["Content-Disposition"] == 'attachment; filename="report-2025-202603.xlsx"'
    sheet = workbook(response)["出席と出席率"]
    assert [c.value for c in sheet[3]] == ["項目", "令和8年3月", "前年同月"]


def test_coordinators_export_without_staff_only_tables(coordinator_client, classroom):
    names = workbook(coordinator_client.get(export_url(), {"format": "xlsx"})).sheetnames
    assert "世帯類型別の登録児童数" not in names and len(names) == 14


@pytest.mark.parametrize("query", [{"format": "pdf"}, {"format": "csv"}, {"format": "csv", "table": "nope"},
                                   {"format": "csv", "table": "home_visits"}])
def test_unknown_formats_and_tables_answer_404(coordinator_client, query):
    # home_visits is a staff-only table: a coordinator cannot download it either
    assert coordinator_client.get(export_url(), query).status_code == 404
