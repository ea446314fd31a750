"""A staff member finds a child on the early-warning page, plans a visit, then reads the child's timeline."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from casework.models import Contact
from classroom.factories import AttendanceFactory, ClassDayFactory, StudentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]



def test_warned_child_plan_a_visit_then_timeline(page, live_server, sign_in, staff, site):
    today = timezone.localdate()
    child = StudentFactory(site=site, family_name="森", given_name="大地", family_name_kana="モリ",
                           given_name_kana="ダイチ", enrolled_on=today - dt.timedelta(days=300), staff_in_charge=staff)
    for days, status in [(21, "present"), (14, "absent"), (7, "absent")]:
        AttendanceFactory(class_day=ClassDayFactory(site=site, date=today - dt.timedelta(days=days), status="held"),
                          student=child, status=status)
    Contact.objects.create(student=child, kind="phone", contacted_at=timezone.now() - dt.timedelta(days=2),
                           staff=staff, notes="母親と電話。体調は戻ったとのこと。")
    last = today - dt.timedelta(days=7)

    sign_in(page, staff)
    page.goto(f"{live_server.url}/warnings/")
    entry = page.locator(".warning-entry", has_text="森 大地").first
    expect(entry).to_contain_text(f"{last.month}/{last.day}")
    expect(entry).to_contain_text(re.compile("2"))

    plan = entry.locator("a.button--primary")
    href = plan.get_attribute("href")
    assert href.endswith(f"/visits/new/?student={child.pk}&purpose=absences")
    plan.click()  # the visit screens may not be wired yet: only the address matters here
    expect(page).to_have_url(re.compile(rf"/visits/new/\?student={child.pk}&purpose=absences$"))

    page.goto(f"{live_server.url}/warnings/")
    page.locator(".warning-entry", has_text="森 大地").first.locator(f"a[href$='/students/{child.pk}/timeline/']").click()
    expect(page).to_have_url(f"{live_server.url}/students/{child.pk}/timeline/")
    page.wait_for_load_state()  # htmx is ready before the filters are touched
    expect(page.locator(".timeline-entry")).to_have_count(4)
    page.evaluate("window.__notReloaded = true")

    page.locator("input[name=kind][value=contact]").check()  # filters at once, in place
    expect(page).to_have_url(re.compile(r"kind=contact"))
    expect(page.locator(".timeline-entry")).to_have_count(1)
    expect(page.locator(".timeline-entry")).to_contain_text("母親と電話")
    page.locator("input[name=kind][value=attendance]").check()
    expect(page.locator(".timeline-entry")).to_have_count(4)
    page.locator("input[name=kind][value=contact]").uncheck()
    page.locator("#id_start").fill((today - dt.timedelta(days=10)).isoformat())
    page.locator("#id_start").dispatch_event("change")
    expect(page.locator(".timeline-entry")).to_have_count(1)  # only the absence 7 days ago
    assert page.evaluate("window.__notReloaded") is True
