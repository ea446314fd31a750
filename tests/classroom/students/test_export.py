"""CSV and XLSX export: staff only, the same columns and order as the table, honouring every filter."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from classroom.factories import StudentFactory
from classroom.grades import Grade
from classroom.models import EnrollmentReason, StudentStatus

from .conftest import labels

URL = reverse("classroom:student_export")


@pytest.fixture
def students(site, other_site):
    StudentFactory(site=site, family_name="阿部", given_name="葵", family_name_kana="アベ", given_name_kana="アオイ",
                   school_grade=Grade.J1, reasons=[EnrollmentReason.NON_ATTENDANCE])
    StudentFactory(site=site, family_name="加藤", given_name="陽", family_name_kana="カトウ", given_name_kana="ヒナタ",
                   school_grade=Grade.J3, status=StudentStatus.PAUSED)
    StudentFactory(site=site, family_name="勅使河原", given_name="翔", family_name_kana="テシガワラ", given_name_kana="ショウ",
                   school_grade=Grade.J3, reasons=[EnrollmentReason.NEEDY])
    StudentFactory.create_batch(30, site=site, school_grade=Grade.H2)  # more than one page of the list
    StudentFactory(site=other_site, family_name="他所", given_name="子", family_name_kana="ヨソ", given_name_kana="コ")


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    body = response.content
    assert body.startswith("\ufeff".encode())  # BOM: Excel in Japan reads UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_csv_has_the_tables_columns_and_every_row(staff_client, students):
    rows = csv_rows(staff_client.get(URL, {"format": "csv"}))
    header = rows[0]
    assert len(header) == 10  # name, reading, nickname, grade, school, site, status, weekdays, staff, reasons
    assert len(rows) == 1 + 33  # all pages, none of the other site
    abe = next(r for r in rows if r[0] == "阿部 葵")
    assert abe[1] == "アベ アオイ"
    assert any(label in abe[9] for label in labels(EnrollmentReason.NON_ATTENDANCE))
    assert "他所 子" not in [r[0] for r in rows]
    readings = [r[1] for r in rows[1:]]
    assert readings == sorted(readings)  # kana order, as the list


def test_export_honours_the_filters_and_the_sort(staff_client, students):
    rows = csv_rows(staff_client.get(URL, {"format": "csv", "grade": Grade.J3, "sort": "-name"}))
    assert [r[0] for r in rows[1:]] == ["勅使河原 翔", "加藤 陽"]
    rows = csv_rows(staff_client.get(URL, {"format": "csv", "status": StudentStatus.PAUSED}))
    assert [r[0] for r in rows[1:]] == ["加藤 陽"]
    rows = csv_rows(staff_client.get(URL, {"format": "csv", "q": "てしがわら"}))
    assert [r[0] for r in rows[1:]] == ["勅使河原 翔"]
    rows = csv_rows(staff_client.get(URL, {"format": "csv", "reason": EnrollmentReason.NEEDY}))
    assert [r[0] for r in rows[1:]] == ["勅使河原 翔"]


def test_list_links_to_the_export_with_its_filters(staff_client, students):
    html = staff_client.get(reverse("classroom:student_list"), {"grade": Grade.J3, "page": 1}).content.decode()
    assert f"{URL}?format=csv&amp;grade={Grade.J3}" in html
    assert f"{URL}?format=xlsx&amp;grade={Grade.J3}" in html


def test_xlsx_has_the_same_rows(staff_client, students):
    response = staff_client.get(URL, {"format": "xlsx", "grade": Grade.J3})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert len(values[0]) == 10
    assert [r[0] for r in values[1:]] == ["加藤 陽", "勅使河原 翔"]


def test_unknown_format_is_404(staff_client, students):
    assert staff_client.get(URL, {"format": "pdf"}).status_code == 404


@pytest.mark.parametrize("client_fixture", ["coordinator_client", "volunteer_client", "outsider_client"])
def test_only_staff_may_export(request, client_fixture, students):
    client = request.getfixturevalue(client_fixture)
    assert client.get(URL, {"format": "csv"}).status_code == 404
    assert client.get(URL, {"format": "xlsx"}).status_code == 404
