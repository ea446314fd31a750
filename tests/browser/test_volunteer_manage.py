"""Managing volunteers in a real browser: a coordinator registers a volunteer and finds them; staff mark one as came."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from classroom.factories import ClassDayFactory
from volunteers.factories import VolunteerFactory
from volunteers.models import SignUp, Volunteer, VolunteerAttendance

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_coordinator_registers_a_volunteer_filters_and_opens_the_page(page, live_server, sign_in, coordinator, site):
    VolunteerFactory(sites=[site], teaching=[("english", "high_school")], user__last_name="英語")
    sign_in(page, coordinator)
    page.goto(live_server.url + reverse("volunteers:volunteer_create"))
    page.fill("#id_last_name", "中村")
    page.fill("#id_first_name", "誠")
    page.fill("#id_username", "nakamura")
    page.select_option("#id_kind", "university_student")
    page.check('input[name="teaching"][value="maths:junior_high"]')
    page.check('input[name="teaching"][value="science:high_school"]')
    page.check('input[name="weekdays"][value="1"]')
    page.fill("#id_pledge_signed_on", "2026-04-01")
    page.fill("#id_insurance_expires_on", "2027-03-31")
    page.click("button[type=submit].button--primary")
    expect(page.locator("h1")).to_have_text("中村 誠")
    volunteer = Volunteer.objects.get(user__username="nakamura")
    assert sorted(volunteer.teaching.values_list("subject", "level")) == [("maths", "junior_high"),
                                                                         ("science", "high_school")]
    assert not volunteer.user.has_usable_password()

    page.goto(live_server.url + reverse("volunteers:volunteer_list"))
    expect(page.locator("#volunteer-table tbody tr")).to_have_count(2)
    page.select_option("#id_subject", "science")
    expect(page.locator("#volunteer-table tbody tr")).to_have_count(1)
    expect(page).to_have_url(f"{live_server.url}{reverse('volunteers:volunteer_list')}?q=&kind=&subject=science&level=&site=&active=&paperwork=")
    page.click("#volunteer-table a:has-text('中村 誠')")
    expect(page.locator("h1")).to_have_text("中村 誠")


def test_staff_marks_a_volunteer_as_came(page, live_server, sign_in, staff, site):
    day = ClassDayFactory(site=site, date=timezone.localdate())
    volunteer = VolunteerFactory(sites=[site], user__last_name="鈴木", user__first_name="一郎")
    SignUp.objects.create(volunteer=volunteer, class_day=day, answer="can", confirmed_at=timezone.now())
    sign_in(page, staff)
    page.goto(live_server.url + reverse("volunteers:volunteer_attendance", args=[day.pk]))
    row = page.locator(f"#vattendance-row-{volunteer.pk}")
    row.locator(".vattendance-row__tap").click()
    expect(row.locator('input[name="left_at"]')).to_have_value("19:00")
    attendance = VolunteerAttendance.objects.get()
    assert (attendance.arrived_at.hour, attendance.left_at.hour) == (17, 19)
    row.locator('input[name="left_at"]').fill("18:30")
    row.locator(".vattendance-row__times button[type=submit]").click()
    expect(row).to_contain_text("18:30")
    attendance.refresh_from_db()
    assert attendance.left_at.minute == 30
