"""Class days and the drop-in board in a real browser: series with preview, one-tap drop-ins."""

import re

import pytest
from playwright.sync_api import expect

from classroom.factories import StudentFactory
from classroom.models import ClassDay, DropIn, DropInVisitorCount

# The roles are rows made by a data migration; keep them across these transactional tests.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_staff_creates_a_series_with_a_holiday_skipped_and_sees_it_in_the_calendar(
    page, live_server, sign_in, staff, site
):
    sign_in(page, staff)
    page.goto(f"{live_server.url}/class-days/series/")
    page.check('input[name="weekdays"][value="1"]')  # Tuesday
    page.check('input[name="weekdays"][value="3"]')  # Thursday
    page.fill("#id_start_date", "2027-04-01")
    page.fill("#id_end_date", "2027-04-30")
    page.fill("#id_holidays", "2027/04/29 昭和の日")
    page.click('button[name="preview"]')

    preview = page.locator("#series-preview")
    expect(preview).to_be_visible()
    # April 2027: Tuesdays and Thursdays are 9 days; 4/29 is skipped.
    expect(preview.locator(".cd-dates--new li")).to_have_count(8)
    expect(preview.locator(".cd-dates--skipped li")).to_have_count(1)
    expect(preview.locator(".cd-dates--skipped")).to_contain_text("4/29")
    assert ClassDay.objects.count() == 0  # the preview saves nothing

    preview.locator(".cd-confirm-form button").click()
    page.wait_for_url(re.compile(r"/class-days/calendar/\?month=2027-04"))
    expect(page.locator(".cal-grid .cal-event")).to_have_count(8)
    expect(page.locator("#calendar-month")).to_contain_text("2027")
    assert ClassDay.objects.count() == 8
    assert not ClassDay.objects.filter(date="2027-04-29").exists()

    # Next month without a reload, and back.
    page.evaluate("window.__sameDocument = true")
    page.click("a[rel=next]")
    page.wait_for_url(re.compile(r"month=2027-05"))
    expect(page.locator("#calendar-month")).to_contain_text("5")
    expect(page.locator(".cal-grid td:not(.cal-cell--outside) .cal-event")).to_have_count(0)
    page.click("a[rel=prev]")
    expect(page.locator(".cal-grid .cal-event")).to_have_count(8)
    assert page.evaluate("window.__sameDocument") is True


def test_staff_checks_a_child_in_and_out_on_the_drop_in_board_without_a_reload(
    page, live_server, sign_in, staff, site
):
    child = StudentFactory(site=site, family_name="山田", given_name="陽向", family_name_kana="ヤマダ",
                           given_name_kana="ヒナタ")
    other = StudentFactory(site=site, family_name="青木", given_name="蓮", family_name_kana="アオキ",
                           given_name_kana="レン")
    sign_in(page, staff)
    page.goto(f"{live_server.url}/drop-in/")
    page.evaluate("window.__sameDocument = true")

    page.fill("#dropin-search", "やまだ")
    expect(page.locator(f"#dropin-student-{other.pk}")).to_be_hidden()
    row = page.locator(f"#dropin-student-{child.pk}")
    expect(row).to_be_visible()

    row.get_by_role("button", name="来所 山田 陽向").click()  # the button says whose it is (issue 15)
    expect(page.locator(f"#dropin-student-{child.pk}.dropin-row--here")).to_be_visible()
    expect(page.locator("#dropin-presence")).to_contain_text("山田 陽向")
    # Said once through the live region; the check-in button is gone, so the focus is on the child's row.
    expect(page.locator("#live-region")).to_have_text("保存しました：山田 陽向 来所")
    expect(page.locator(f"#dropin-student-{child.pk}")).to_be_focused()
    assert DropIn.objects.get(student=child).checked_out_at is None

    page.locator(f"#dropin-student-{child.pk}").get_by_role("button").click()
    expect(page.locator(f"#dropin-student-{child.pk}.dropin-row--here")).to_have_count(0)
    expect(page.locator("#dropin-presence .dropin-left")).to_contain_text("山田 陽向")
    assert DropIn.objects.get(student=child).checked_out_at is not None

    # Its name begins with what it shows (WCAG 2.5.3: a speech user says "+1"), then says what it counts.
    expect(page.get_by_role("button", name=re.compile(r"^\+1 ?（来所者を1人増やす）$"))).to_be_visible()
    page.click("#dropin-visitors button:has-text('+1')")
    expect(page.locator("#dropin-visitor-count")).to_have_text("1")
    assert DropInVisitorCount.objects.get(site=site).count == 1
    assert page.evaluate("window.__sameDocument") is True


def test_a_second_tablet_sees_check_ins_within_half_a_minute(context, page, live_server, sign_in, staff, site):
    child = StudentFactory(site=site, family_name="山田", given_name="陽向", family_name_kana="ヤマダ",
                           given_name_kana="ヒナタ")
    sign_in(page, staff)
    page.clock.install()  # this tablet's timers run when the test says so
    page.goto(f"{live_server.url}/drop-in/")
    page.evaluate("window.__sameDocument = true")
    other_tablet = context.new_page()
    other_tablet.goto(f"{live_server.url}/drop-in/")
    other_tablet.locator(f"#dropin-student-{child.pk}").get_by_role("button").click()
    other_tablet.click("#dropin-visitors button:has-text('+1')")
    expect(other_tablet.locator("#dropin-visitor-count")).to_have_text("1")

    expect(page.locator(f"#dropin-student-{child.pk}.dropin-row--here")).to_have_count(0)
    page.clock.run_for(31_000)
    expect(page.locator(f"#dropin-student-{child.pk}.dropin-row--here")).to_be_visible()
    expect(page.locator("#dropin-presence")).to_contain_text("山田 陽向")
    expect(page.locator("#dropin-visitor-count")).to_have_text("1")
    assert page.evaluate("window.__sameDocument") is True


def test_the_drop_in_board_updates_itself_every_30_seconds_until_paused(page, live_server, sign_in, staff, site):
    """WCAG 2.2.2: what updates by itself, beside what the person is reading, can be paused."""
    sign_in(page, staff)
    page.clock.install()
    polls = []
    page.on("request", lambda request: polls.append(request.url) if "live=1" in request.url else None)
    page.goto(f"{live_server.url}/drop-in/")
    pause = page.get_by_role("button", name="自動更新を止める")
    expect(pause).to_have_attribute("aria-pressed", "false")
    page.clock.run_for("00:31")
    page.wait_for_timeout(500)
    assert len(polls) == 1

    pause.click()
    expect(pause).to_have_attribute("aria-pressed", "true")
    page.clock.run_for("01:01")
    page.wait_for_timeout(500)
    assert len(polls) == 1, "paused: nothing was asked of the server"

    pause.click()
    expect(pause).to_have_attribute("aria-pressed", "false")
    page.clock.run_for("00:31")
    page.wait_for_timeout(500)
    assert len(polls) == 2
