"""A coordinator plans a harvest with capacity 10 and duplicates it for next year; a volunteer offers to help on a phone."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from activities.factories import PartnerFactory
from activities.models import Activity, ActivityStatus, Helper, HelperStatus, PartnerKind
from activities.services.activities import one_year_later
from volunteers.factories import VolunteerFactory

# The roles are rows made by a data migration; keep them across these transactional tests.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]



def test_plan_duplicate_and_offer_help(page, browser, live_server, sign_in, coordinator, volunteer, site):
    farm = PartnerFactory(name="深谷ねぎ農園 大塚ファーム", kind=PartnerKind.FARM)
    day = timezone.localdate() + dt.timedelta(days=21)

    sign_in(page, coordinator)
    page.goto(live_server.url + reverse("activities:activity_list"))
    page.get_by_role("link", name="新しい活動").or_(page.locator(f'a[href="{reverse("activities:activity_create")}"]')).first.click()
    page.fill("#id_title", "秋の収穫体験")
    page.select_option("#id_kind", "farming")
    page.select_option("#id_partner", str(farm.pk))
    page.select_option("#id_site", str(site.pk))
    page.fill("#id_date", f"{day:%Y-%m-%d}")
    page.fill("#id_start_time", "09:30")
    page.fill("#id_end_time", "09:00")  # a mistake first: the form says so and saves nothing
    page.fill("#id_place", "大塚ファーム")
    page.fill("#id_capacity", "10")
    page.locator('input[name="target_grades"][value="j1"]').check()
    page.locator("#activity-form button[type=submit]").click()
    expect(page.locator("#activity-form .field__error")).to_be_visible()
    assert not Activity.objects.exists()
    page.fill("#id_end_time", "12:00")
    page.locator("#activity-form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("秋の収穫体験")
    activity = Activity.objects.get()
    assert (activity.capacity, activity.partner, activity.status) == (10, farm, ActivityStatus.PLANNING)

    # Open sign-up, then duplicate for next year: the date moves a year on and stays editable.
    page.locator(f'form[action="{reverse("activities:activity_status", args=[activity.pk])}"] button[type=submit]').first.click()
    expect(page.locator(".act-status--open")).to_be_visible()
    page.locator(f'a[href="{reverse("activities:activity_duplicate", args=[activity.pk])}"]').click()
    expect(page.locator("#id_date")).to_have_value(f"{one_year_later(day):%Y-%m-%d}")
    expect(page.locator("#id_title")).to_have_value("秋の収穫体験")
    page.locator("#activity-form button[type=submit]").click()
    expect(page.locator(".act-status--planning")).to_be_visible()
    copy = Activity.objects.exclude(pk=activity.pk).get()
    assert copy.date == one_year_later(day) and copy.capacity == 10 and copy.target_grades == "j1"

    # A volunteer on a phone offers to help at the open one.
    me = VolunteerFactory(user=volunteer, sites=[site])
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ja-JP", timezone_id="Asia/Tokyo")
    phone = context.new_page()
    sign_in(phone, volunteer)
    phone.goto(live_server.url + reverse("activities:activity_offer_help"))
    card = phone.locator(f"#offer-{activity.pk}")
    expect(card).to_be_visible()
    expect(phone.locator(f"#offer-{copy.pk}")).to_have_count(0)  # still in planning
    card.locator("button[type=submit]").click()
    expect(phone.locator(f"#offer-{activity.pk} .badge--warn")).to_be_visible()
    assert Helper.objects.get(activity=activity, volunteer=me).status == HelperStatus.OFFERED
    context.close()

    # The coordinator confirms the offer from the activity page.
    page.goto(live_server.url + reverse("activities:activity_detail", args=[activity.pk]))
    page.locator("#helpers .act-helper--offered button.button--primary").click()
    expect(page.locator("#helpers .act-helper--offered")).to_have_count(0)
    assert Helper.objects.get(activity=activity, volunteer=me).status == HelperStatus.CONFIRMED
