"""The one-tap roster in a real browser: a whole class in a few taps, and keyboard entry."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from classroom.factories import ClassDayFactory, StudentFactory
from classroom.models import Attendance, AttendanceStatus, Student
from tests.browser import htmx_settled

# The roles are rows made by a data migration; keep them across these transactional tests.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def today(site):
    return ClassDayFactory(site=site, date=timezone.localdate())


def expected_children(site, n):
    StudentFactory.create_batch(n, site=site, usual_weekdays=str(timezone.localdate().weekday()))
    return list(Student.objects.filter(site=site).in_kana_order())  # the roster's order, by the database's collation


def row(page, student):
    return page.locator(f"#roster-row-{student.pk}")


def pressed(page, student, status):
    return row(page, student).locator(f'button[value="{status}"][aria-pressed="true"]')


def expect_pressed(page, student, status):
    """The row shows the status, and htmx listens to its new buttons (the next key acts on them)."""
    expect(pressed(page, student, status)).to_be_visible()
    htmx_settled(page)


def test_a_class_of_20_is_recorded_in_6_interactions(page, live_server, sign_in, staff, site, today):
    children = expected_children(site, 20)
    absent, late = children[3:6], children[10]
    sign_in(page, staff)
    page.goto(live_server.url + reverse("classroom:roster", args=[today.pk]))
    expect(page.locator("[data-tap-row]")).to_have_count(20)
    expect(page.locator('[data-count="unmarked"] .tap-counts__value')).to_have_text("20")
    interactions = 0

    page.click("[data-roster-mark-all]")
    interactions += 1
    expect(page.locator('[data-count="present"] .tap-counts__value')).to_have_text("20")
    expect(page.locator('[data-count="unmarked"] .tap-counts__value')).to_have_text("0")
    for child in absent:
        row(page, child).locator('button[value="absent"]').click()
        interactions += 1
        expect(pressed(page, child, "absent")).to_be_visible()
    row(page, late).locator('button[value="late"]').click()
    interactions += 1
    expect(pressed(page, late, "late")).to_be_visible()
    expect(row(page, late).locator('input[name="arrived_at"][type="time"]')).not_to_have_value("")
    assert interactions <= 6

    expect(page.locator('[data-count="present"] .tap-counts__value')).to_have_text("16")
    expect(page.locator('[data-count="absent"] .tap-counts__value')).to_have_text("3")
    expect(page.locator('[data-count="late"] .tap-counts__value')).to_have_text("1")

    page.reload()
    for child in children:
        status = "absent" if child in absent else "late" if child == late else "present"
        expect(pressed(page, child, status)).to_be_visible()
    stored = dict(Attendance.objects.filter(class_day=today).values_list("student_id", "status"))
    assert len(stored) == 20
    assert {pk for pk, s in stored.items() if s == AttendanceStatus.ABSENT} == {c.pk for c in absent}
    assert [pk for pk, s in stored.items() if s == AttendanceStatus.LATE] == [late.pk]
    assert Attendance.objects.get(student=late, class_day=today).arrived_at is not None


def test_keyboard_entry(page, live_server, sign_in, staff, site, today):
    children = expected_children(site, 5)
    sign_in(page, staff)
    page.goto(live_server.url + reverse("classroom:roster", args=[today.pk]))
    expect(page.locator("[data-tap-row]")).to_have_count(5)

    def key(name):
        page.keyboard.press(name)

    key("j")  # the first row
    expect(row(page, children[0])).to_be_focused()
    key("p")
    expect_pressed(page, children[0], "present")
    expect(row(page, children[0])).to_be_focused()  # the keyboard stays on the row htmx replaced
    key("j")
    key("l")
    expect_pressed(page, children[1], "late")
    key("ArrowDown")
    key("e")
    expect_pressed(page, children[2], "left_early")
    key("j")
    key("a")
    expect_pressed(page, children[3], "absent_notice")
    key("ArrowDown")
    key("n")
    expect_pressed(page, children[4], "absent")
    key("j")  # already the last row: stays
    expect(row(page, children[4])).to_be_focused()
    key("k")
    key("ArrowUp")
    expect(row(page, children[2])).to_be_focused()
    key("p")  # change the third child's status
    expect_pressed(page, children[2], "present")
    key("u")  # and undo it
    expect_pressed(page, children[2], "left_early")

    # Typing in a field is left alone: "p" goes into the note, not to the status.
    row(page, children[3]).locator(".tap-row__memo summary").click()
    note = row(page, children[3]).locator('input[name="note"][type="text"]')
    note.click()
    page.keyboard.type("pn")
    expect(note).to_have_value("pn")
    expect_pressed(page, children[3], "absent_notice")

    page.reload()
    expected = ["present", "late", "left_early", "absent_notice", "absent"]
    for child, status in zip(children, expected, strict=True):
        expect(pressed(page, child, status)).to_be_visible()
    stored = dict(Attendance.objects.filter(class_day=today).values_list("student_id", "status"))
    assert stored == {c.pk: s for c, s in zip(children, expected, strict=True)}


def test_without_javascript_each_tap_posts_the_rosters_one_form(browser, live_server, password, staff, site, today):
    """Issue 11: no radio set per row any more; without JavaScript a status button posts the roster's
    one form with its row's status, and a search adds a child who is not on the list."""
    children = expected_children(site, 3)
    visitor = StudentFactory(site=site, family_name="小川", family_name_kana="オガワ", given_name="蓮",
                             given_name_kana="レン", usual_weekdays=str((timezone.localdate().weekday() + 1) % 7))
    context = browser.new_context(java_script_enabled=False, locale="ja-JP")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", staff.username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.goto(live_server.url + reverse("classroom:roster", args=[today.pk]))
    expect(page.locator("[data-tap-row]")).to_have_count(3)
    row(page, children[0]).locator('button[value="present"]').click()
    expect(pressed(page, children[0], "present")).to_be_visible()
    row(page, children[1]).locator('button[value="absent_notice"]').click()
    expect(pressed(page, children[1], "absent_notice")).to_be_visible()
    page.fill("#roster-search-q", "おがわ")
    page.click("#roster-search button[type=submit]")
    page.click(f"#roster-found-{visitor.pk} a")
    row(page, visitor).locator('button[value="late"]').click()
    expect(pressed(page, visitor, "late")).to_be_visible()
    stored = dict(Attendance.objects.filter(class_day=today).values_list("student_id", "status"))
    assert stored == {children[0].pk: "present", children[1].pk: "absent_notice", visitor.pk: "late"}
    context.close()


def test_a_search_adds_a_child_ready_to_tap(page, live_server, sign_in, staff, site, today):
    expected_children(site, 2)
    visitor = StudentFactory(site=site, family_name="小川", family_name_kana="オガワ", given_name="蓮",
                             given_name_kana="レン", usual_weekdays=str((timezone.localdate().weekday() + 1) % 7))
    sign_in(page, staff)
    page.goto(live_server.url + reverse("classroom:roster", args=[today.pk]))
    expect(page.locator("[data-tap-row]")).to_have_count(2)
    page.fill("#roster-search-q", "おが")
    page.click(f"#roster-found-{visitor.pk} a")
    expect(row(page, visitor)).to_be_focused()
    expect(page.locator(f"#roster-found-{visitor.pk}")).to_have_count(0)
    page.keyboard.press("p")
    expect(pressed(page, visitor, "present")).to_be_visible()
    expect(page.locator('[data-count="present"] .tap-counts__value')).to_have_text("1")
    page.reload()
    expect(pressed(page, visitor, "present")).to_be_visible()
    assert Attendance.objects.get(class_day=today, student=visitor).status == AttendanceStatus.PRESENT


def test_a_tap_that_does_not_reach_the_server_says_so(page, live_server, sign_in, staff, site, today):
    child = expected_children(site, 2)[0]
    sign_in(page, staff)
    page.goto(live_server.url + reverse("classroom:roster", args=[today.pk]))
    page.route(f"**{reverse('classroom:attendance_set', args=[today.pk, child.pk])}", lambda route: route.abort())
    row(page, child).locator('button[value="present"]').click()
    expect(row(page, child).locator("[data-tap-failed]")).to_be_visible()
    expect(pressed(page, child, "present")).to_have_count(0)
    assert not Attendance.objects.exists()


def test_mark_all_shows_its_count_and_one_undo_takes_it_back(page, live_server, sign_in, staff, site, today):
    """Issue 9, point 5: the button says how many; after one tap it counts one fewer; one undo unmarks them all."""
    children = expected_children(site, 6)
    sign_in(page, staff)
    page.goto(live_server.url + reverse("classroom:roster", args=[today.pk]))
    expect(page.locator("[data-roster-mark-all]")).to_contain_text("6")
    row(page, children[0]).locator('button[value="late"]').click()
    expect(pressed(page, children[0], "late")).to_be_visible()
    expect(page.locator("[data-roster-mark-all]")).to_contain_text("5")
    page.click("[data-roster-mark-all]")
    expect(page.locator('[data-count="present"] .tap-counts__value')).to_have_text("5")
    page.click(".roster-undo-all__button")
    expect(page.locator('[data-count="unmarked"] .tap-counts__value')).to_have_text("5")
    expect(page.locator('[data-count="present"] .tap-counts__value')).to_have_text("0")
    expect(pressed(page, children[0], "late")).to_be_visible()
    stored = dict(Attendance.objects.filter(class_day=today).values_list("student_id", "status"))
    assert stored == {children[0].pk: AttendanceStatus.LATE}
