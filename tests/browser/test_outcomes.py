"""A staff member opens the outcomes still to record, records a 中3's high-school entry (the stage chooses the
results offered, the reason appears only for leaving), and the child leaves the list."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from classroom.factories import StudentFactory, birth_date_for
from classroom.grades import Grade, fiscal_year_bounds, fiscal_year_of
from classroom.models import Outcome
from tests.browser import htmx_settled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_record_an_outcome_from_the_list(page, live_server, sign_in, staff, site):
    from django.utils import timezone

    year = fiscal_year_of(timezone.localdate())
    start, _end = fiscal_year_bounds(year)
    child = StudentFactory(site=site, family_name="小林", given_name="蓮", birth_date=birth_date_for(Grade.J3, start),
                           enrolled_on=start - dt.timedelta(days=30))
    sign_in(page, staff)
    page.goto(f"{live_server.url}/outcomes/")
    row = page.locator("tr", has_text="小林 蓮")
    expect(row).to_contain_text("高校進学")
    row.locator("a.button--primary").click()
    expect(page).to_have_url(re.compile(rf"/students/{child.pk}/outcomes/new/\?fiscal_year={year}&stage=entry$"))

    result = page.locator("#id_result")
    expect(result.locator("optgroup")).to_have_count(0)  # htmx swapped in the stage's own results at once
    expect(result.locator("option[value=part_time]")).to_have_count(1)
    expect(page.locator("#id_reason")).to_have_count(0)
    htmx_settled(page)  # the swapped-in selects listen once htmx has settled them
    page.select_option("#id_stage", "high_school")
    expect(result.locator("option[value=continuing]")).to_have_count(1)
    expect(result.locator("option[value=part_time]")).to_have_count(0)
    htmx_settled(page)
    page.select_option("#id_result", "left_school")
    expect(page.locator("#id_reason")).to_be_visible()  # leaving school takes a reason
    htmx_settled(page)
    page.select_option("#id_stage", "entry")
    expect(page.locator("#id_reason")).to_have_count(0)
    htmx_settled(page)

    page.select_option("#id_result", "part_time")
    page.fill("#id_school", "埼玉県立深谷第一高等学校")
    page.click("button[type=submit].button--primary")
    expect(page).to_have_url(f"{live_server.url}/students/{child.pk}/#outcomes")
    expect(page.locator("#outcomes")).to_contain_text("定時制高校に進学")
    assert Outcome.objects.get(student=child).school == "埼玉県立深谷第一高等学校"

    page.goto(f"{live_server.url}/outcomes/")
    expect(page.locator("#outcome-todo")).not_to_contain_text("小林 蓮")
