"""The report to the city in a real browser: open it, switch the fiscal year, download the XLSX."""

import datetime as dt
import io
import pathlib

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from classroom.factories import ClassDayFactory, StudentFactory, birth_date_for
from classroom.grades import Grade, fiscal_year_bounds, fiscal_year_of
from classroom.models import Attendance
from lib.wareki import fiscal_year_label

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_staff_switch_the_fiscal_year_and_download_its_xlsx(page, live_server, sign_in, staff, site):
    current = fiscal_year_of(timezone.localdate())
    last_year = current - 1
    april = fiscal_year_bounds(last_year)[0]
    child = StudentFactory(site=site, birth_date=birth_date_for(Grade.J3, april), enrolled_on=april)
    day = ClassDayFactory(site=site, date=april + dt.timedelta(days=9), status="held")
    Attendance.objects.create(class_day=day, student=child, status="present")

    sign_in(page, staff)
    page.goto(live_server.url + "/reports/")
    expect(page.locator("h1")).to_contain_text(fiscal_year_label(current))
    page.select_option("#id_fy", str(last_year))  # htmx swaps the report in and shows its address
    expect(page.locator("h1")).to_contain_text(fiscal_year_label(last_year))
    page.wait_for_url(f"**/reports/{last_year}/")
    expect(page.locator("#attendance_by_month tr", has_text="出席率")).to_contain_text("100.0%")

    with page.expect_download() as download:
        page.get_by_role("link", name="Excel（XLSX）全表").click()
    assert download.value.suggested_filename == f"report-{last_year}.xlsx"
    book = load_workbook(io.BytesIO(pathlib.Path(download.value.path()).read_bytes()))
    grades = book["学年別の登録児童数"]
    assert grades["A2"].value == fiscal_year_label(last_year)
    row = next(r for r in grades.iter_rows(min_row=4) if r[0].value == "中3")
    assert row[1].value == 1
