"""After an invalid submit the page opens on one error summary (issue 15): focus is on it, so a screen
reader reads it first, and each of its links takes the keyboard to the field in error."""

import pytest
from playwright.sync_api import expect

from tests.browser.axe import axe_problems, watch_with_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_empty_student_form_focuses_the_summary_and_its_first_link_reaches_the_field(page, live_server,
                                                                                        sign_in, staff, site):
    watch_with_axe(page)
    sign_in(page, staff)
    page.goto(f"{live_server.url}/students/new/")
    page.locator("form.student-form button[type=submit]").last.click()
    page.wait_for_load_state("load")

    summary = page.locator("[data-error-summary]")
    expect(summary).to_have_count(1)
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    expect(page.locator("[role=alert]:visible")).to_have_count(1)  # the per-field messages are not alerts

    first = summary.locator("a").first
    target = first.get_attribute("href").removeprefix("#")
    page.keyboard.press("Tab")  # from the summary, the keyboard's next stop is its first link
    expect(first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(f"[id='{target}']")).to_be_focused()
    # The field says what is wrong with it: its description is the error under it.
    described = page.locator(f"[id='{target}']").get_attribute("aria-describedby").split()
    assert f"{target}_error" in described
    expect(page.locator(f"[id='{target}_error']")).to_be_visible()
    assert axe_problems(page, "/students/new/ after an empty submit") == []

