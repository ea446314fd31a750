"""A coordinator's harvest activity in a real browser: invite, waitlist, a decline that promotes, day-of, report."""

import pytest
from django.core import mail
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from playwright.sync_api import expect

from activities.factories import ActivityFactory
from activities.models import Activity, Answer, Participant, ParticipantRole
from classroom.factories import GuardianFactory, StudentFactory

# The roles are rows made by a data migration; keep them across these transactional tests.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]



def create_through_the_ui(page, live_server, coordinator) -> Activity:
    page.goto(live_server.url + reverse("activities:activity_create"))
    page.fill("#id_title", "野菜の収穫体験")
    page.select_option("#id_kind", "farming")
    page.fill("#id_date", timezone.localdate().isoformat())
    page.fill("#id_start_time", "10:00")
    page.fill("#id_end_time", "12:00")
    page.fill("#id_place", "深谷市岡部 大塚ファーム")
    page.fill("#id_capacity", "10")
    page.uncheck("#id_consent_required")
    page.check("#id_food_involved")
    page.locator("main form button[type=submit]").last.click()
    # The form may answer through htmx: wait for the row rather than for a navigation.
    for _ in range(50):
        if Activity.objects.filter(title="野菜の収穫体験").exists():
            break
        page.wait_for_timeout(200)
    page.wait_for_load_state("networkidle")  # let a redirect to the activity page finish first
    return Activity.objects.get(title="野菜の収穫体験")


def capacity(page):
    return page.locator(".ap-capacity__going"), page.locator(".ap-capacity__wait")


def test_harvest_with_capacity_10(page, live_server, sign_in, coordinator, staff, site):
    students = [StudentFactory(site=site) for _ in range(8)]
    for student in students:
        GuardianFactory(household=student.household)
    sign_in(page, coordinator)
    try:
        activity = create_through_the_ui(page, live_server, coordinator)
    except NoReverseMatch:
        activity = ActivityFactory(site=site, lead=coordinator, capacity=10, date=timezone.localdate(),
                                   consent_required=False, food_involved=True)
    Activity.objects.filter(pk=activity.pk).update(lead=staff, site=site)

    # Invite 8 students with their guardians: 16 people.
    page.goto(live_server.url + reverse("activities:activity_invite", args=[activity.pk]))
    for student in students:
        page.check(f'#invite-students input[name="students"][value="{student.pk}"]')
    expect(page.locator('input[name="with_guardians"]')).to_be_checked()
    page.click("text=" + page.locator("#invite-form button[type=submit]").inner_text())
    page.wait_for_url(lambda url: url.endswith(reverse("activities:activity_participants", args=[activity.pk])))
    assert Participant.objects.filter(activity=activity, answer=Answer.INVITED).count() == 16
    assert Participant.objects.filter(activity=activity, role=ParticipantRole.GUARDIAN).count() == 8

    # Everyone answers "going" (one tap each): 10 go, 6 wait in order.
    order = list(Participant.objects.filter(activity=activity).order_by("pk"))
    for person in order:
        page.locator(f'#participant-{person.pk} button[value="going"]').click()
        expect(page.locator(f"#participant-{person.pk} .ap-answer--invited")).to_have_count(0)
    going, waiting = capacity(page)
    expect(going).to_have_attribute("data-going", "10")
    expect(waiting).to_have_attribute("data-waitlisted", "6")
    expect(page.locator("#ap-waitlisted-heading")).to_contain_text("6")
    first_waiting = Participant.objects.filter(activity=activity, answer=Answer.WAITLISTED).order_by(
        "answered_at", "pk").first()

    # A decline frees a place: the first on the waitlist moves up, and the lead is told.
    leaving = Participant.objects.filter(activity=activity, answer=Answer.GOING).first()
    page.locator(f'#participant-{leaving.pk} button[value="declined"]').click()
    expect(page.locator(f"#participant-{first_waiting.pk} .ap-answer--going")).to_be_visible()
    expect(waiting).to_have_attribute("data-waitlisted", "5")
    expect(going).to_have_attribute("data-going", "10")
    assert [m.to for m in mail.outbox] == [[staff.email]]

    # Day-of attendance with the roster's one-tap rows: 9 present, 1 absent.
    page.goto(live_server.url + reverse("activities:activity_day_of", args=[activity.pk]))
    rows = page.locator("[data-tap-row]")
    expect(rows).to_have_count(10)
    ids = [rows.nth(i).get_attribute("id") for i in range(10)]
    for dom_id in ids[:9]:
        page.locator(f'#{dom_id} button[value="present"]').click()
        expect(page.locator(f'#{dom_id} button[value="present"][aria-pressed="true"]')).to_be_visible()
    page.locator(f"#{ids[9]}").focus()
    page.keyboard.press("n")  # keyboard entry: absent without notice
    expect(page.locator(f'#{ids[9]} button[value="absent"][aria-pressed="true"]')).to_be_visible()
    expect(page.locator('[data-count="present"] .tap-counts__value')).to_have_text("9")
    expect(page.locator('[data-count="unmarked"] .tap-counts__value')).to_have_text("0")

    # The report counts those who attended, by role.
    page.goto(live_server.url + reverse("activities:activity_report", args=[activity.pk]))
    attended = Participant.objects.filter(activity=activity, attendance="present")
    students_n = attended.filter(role=ParticipantRole.STUDENT).count()
    guardians_n = attended.filter(role=ParticipantRole.GUARDIAN).count()
    assert students_n + guardians_n == 9
    expect(page.locator('[data-count="students"] td')).to_have_text(str(students_n))
    expect(page.locator('[data-count="guardians"] td')).to_have_text(str(guardians_n))
    expect(page.locator('[data-count="total"] td')).to_have_text("9")


def test_printables_are_a4_pages(page, live_server, sign_in, staff, site):
    """Printed from Chromium on A4: the letter with its consent slip is one page; a list of 25 fits on two."""
    activity = ActivityFactory(site=site, lead=staff, capacity=30, food_involved=True)
    for _ in range(25):
        student = StudentFactory(site=site)
        GuardianFactory(household=student.household)
        Participant.objects.create(activity=activity, role=ParticipantRole.STUDENT, student=student,
                                   household=student.household, answer=Answer.GOING, allergy_notes="卵")
    sign_in(page, staff)
    page.goto(live_server.url + reverse("activities:activity_print_invitation", args=[activity.pk]))
    page.emulate_media(media="print")
    expect(page.locator(".print-toolbar")).to_be_hidden()
    letter = page.pdf(prefer_css_page_size=True)
    page.goto(live_server.url + reverse("activities:activity_print_participants", args=[activity.pk]))
    roster = page.pdf(prefer_css_page_size=True)
    assert letter.count(b"/Type /Page") - letter.count(b"/Type /Pages") == 1
    assert 1 <= roster.count(b"/Type /Page") - roster.count(b"/Type /Pages") <= 2
    # A4 is 595 x 842 points.
    assert b"/MediaBox [0 0 595" in letter or b"/MediaBox [0 0 594" in letter
