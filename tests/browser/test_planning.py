"""The coordinator plans a class day in a real browser: confirm, review, change one pair, save."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from classroom.factories import ClassDayFactory, StudentFactory, TutoringRecordFactory
from classroom.grades import Grade
from classroom.models import TutoringRecord
from tests.browser import htmx_settled
from volunteers.factories import VolunteerFactory
from volunteers.models import SignUp, SignUpAnswer

# The roles are rows made by a data migration; keep them across these transactional tests.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_coordinator_confirms_reviews_changes_and_saves(page, live_server, sign_in, coordinator, site):
    day = ClassDayFactory(site=site, date=timezone.localdate() + dt.timedelta(days=7))
    weekday = str(day.date.weekday())
    usual_a, usual_b, spare = (VolunteerFactory(sites=[site], teaching=[("maths", "junior_high")]) for _ in range(3))
    sign_ups = {v: SignUp.objects.create(volunteer=v, class_day=day, answer=SignUpAnswer.CAN_COME)
                for v in (usual_a, usual_b, spare)}
    sign_ups[spare].confirmed_at = timezone.now()
    sign_ups[spare].save()
    first, second = (StudentFactory(site=site, usual_weekdays=weekday, school_grade=Grade.J2, focus_subjects="maths")
                     for _ in range(2))
    for weeks in (1, 2, 3):
        past = ClassDayFactory(site=site, date=day.date - dt.timedelta(weeks=weeks))
        TutoringRecordFactory(class_day=past, student=first, tutor=usual_a.user)
        TutoringRecordFactory(class_day=past, student=second, tutor=usual_b.user)

    sign_in(page, coordinator)
    page.goto(live_server.url + reverse("volunteers:pairing_plan_index"))
    page.locator(f'#plan-day-{day.pk} a[href="{reverse("volunteers:pairing_plan", args=[day.pk])}"]').click()
    expect(page.locator("#plan-body")).to_be_visible()
    page.wait_for_load_state()  # htmx is ready before the first tap

    for volunteer in (usual_a, usual_b):
        page.locator(f"#sign-up-{sign_ups[volunteer].pk} [data-confirm-sign-up]").click()
        expect(page.locator(f"#sign-up-{sign_ups[volunteer].pk}.plan-person--confirmed")).to_be_visible()
    assert SignUp.objects.filter(confirmed_at__isnull=False).count() == 3

    # The proposal keeps each child with their usual tutor, and says why.
    first_row, second_row = page.locator(f"#plan-row-{first.pk}"), page.locator(f"#plan-row-{second.pk}")
    expect(first_row.locator(f'input[name="pair-{first.pk}"]')).to_have_value(str(usual_a.pk))
    expect(second_row.locator(f'input[name="pair-{second.pk}"]')).to_have_value(str(usual_b.pk))
    expect(first_row.locator(".plan-row__reasons")).to_contain_text("3")
    expect(page.locator("#plan-form select")).to_have_count(0)  # the choice is fetched for the row opened

    # "Change" opens the row's select; choosing changes the pair and the row comes back with the reasons.
    before = second_row.locator(".plan-row__reasons").inner_text()
    second_row.locator(".plan-row__change").click()
    expect(second_row.locator("select")).to_have_value(str(usual_b.pk))
    htmx_settled(page)  # htmx listens to the new select's change once the swap has settled
    second_row.locator("select").select_option(str(spare.pk))
    expect(second_row.locator(".plan-row__reasons")).not_to_have_text(before)
    expect(second_row.locator(".plan-row__error")).to_have_count(0)
    expect(second_row.locator("select")).to_have_value(str(spare.pk))

    page.locator("[data-plan-save]").click()
    expect(page.locator(".message--success")).to_be_visible()
    saved = dict(TutoringRecord.objects.filter(class_day=day).values_list("student_id", "tutor_id"))
    assert saved == {first.pk: usual_a.user_id, second.pk: spare.user_id}
    expect(page.locator(f"#plan-row-{second.pk} .plan-row__saved")).to_be_visible()
