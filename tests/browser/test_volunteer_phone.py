"""A volunteer on a phone: sign up in one tap, see the child once paired, write the record."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from classroom.factories import ClassDayFactory, StudentFactory
from classroom.grades import Grade
from classroom.models import TutoringRecord
from volunteers.factories import VolunteerFactory
from volunteers.models import SignUp, SignUpAnswer
from volunteers.services.pairing import pairing_plan
from volunteers.services.planning import plan_save

# The roles are rows made by a data migration; keep them across these transactional tests.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_sign_up_see_the_child_and_write_the_record(page, live_server, sign_in, volunteer, coordinator, site):
    page.set_viewport_size({"width": 390, "height": 844})
    me = VolunteerFactory(user=volunteer, sites=[site])
    day = ClassDayFactory(site=site, date=timezone.localdate())  # a class day today: open for sign-up and writing
    # Expected today and of the junior-high level the volunteer teaches: the plan is saved through its checks.
    child = StudentFactory(site=site, family_name="鈴木", given_name="健太", nickname="ケンくん", focus_subjects="maths",
                           usual_weekdays=str(day.date.weekday()), school_grade=Grade.J2)

    sign_in(page, volunteer)
    page.goto(live_server.url + reverse("volunteers:home_volunteer"))
    card = page.locator(f"#day-{day.pk}")
    expect(card).to_be_visible()
    card.locator('button[value="can"]').click()
    expect(page.locator(f'#day-{day.pk} button[value="can"][aria-pressed="true"]')).to_be_visible()
    assert SignUp.objects.get(volunteer=me, class_day=day).answer == SignUpAnswer.CAN_COME

    # The coordinator confirms and saves the plan (their screen is built beside this one).
    SignUp.objects.filter(volunteer=me, class_day=day).update(confirmed_at=timezone.now(), confirmed_by=coordinator)
    plan_save(plan=pairing_plan(class_day=day), choices={child.pk: me.pk}, by=coordinator)

    page.reload()
    card = page.locator(f"#day-{day.pk}")
    expect(card.locator(".me-child__name")).to_contain_text("ケンくん")
    expect(card).not_to_contain_text("鈴木")
    card.locator(".me-child a.button").click()

    page.fill("#id_studied", "一次関数のグラフ p.42-45")
    page.locator('input[name="understanding"][value="3"]').check()
    page.fill("#id_homework", "ワーク p.20")
    page.fill("#id_handover_note", "傾きの意味はつかめた。次は文章題。")
    page.locator("form.me-record__form button[type=submit]").click()
    expect(page.locator(".message--success")).to_be_visible()

    record = TutoringRecord.objects.get(class_day=day, student=child)
    assert record.tutor_id == volunteer.pk and record.written_at is not None
    assert (record.understanding, record.handover_note) == (3, "傾きの意味はつかめた。次は文章題。")
