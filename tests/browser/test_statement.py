"""The school attendance statement in a real browser: choose a month from the student's page, open the
A4 statement, print it with the button (static/js/print.js, no inline script)."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from classroom.factories import AttendanceFactory, ClassDayFactory, StudentFactory, TutoringRecordFactory
from classroom.models import ClassDayStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_open_and_print_a_months_statement(page, live_server, sign_in, staff, site):
    child = StudentFactory(site=site, family_name="山田", given_name="花子", school="深谷市立明戸中学校")
    day = ClassDayFactory(site=site, date=dt.date(2026, 4, 7), status=ClassDayStatus.HELD)
    AttendanceFactory(class_day=day, student=child, arrived_at=dt.time(17, 10))
    TutoringRecordFactory(class_day=day, student=child, subjects="maths", studied="連立方程式の文章題")
    page.add_init_script("window.print = () => { window.__printed = (window.__printed || 0) + 1; };")
    sign_in(page, staff)
    page.goto(f"{live_server.url}/students/{child.pk}/")
    page.locator(f"a[href='/students/{child.pk}/statement/']").click()
    page.fill("#id_month", "2026-04")
    page.locator("form.statement-choice button[type=submit]").click()
    expect(page.locator("h1.statement__title")).to_be_visible()
    expect(page.locator(".statement__days")).to_contain_text("令和8年4月7日")
    expect(page.locator(".statement__days")).to_contain_text("連立方程式の文章題")
    expect(page.locator(".statement__days")).to_contain_text("17:10–19:00")
    button = page.locator("button[data-print]")
    expect(button).to_be_visible()  # shown by print.js
    button.click()
    assert page.evaluate("window.__printed") == 1
    page.emulate_media(media="print")
    expect(page.locator(".print-toolbar")).to_be_hidden()
