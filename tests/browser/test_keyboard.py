"""The keyboard alone (issue 15, JIS X 8341-3 AA): the roster, the volunteer attendance, the student form and an activity's participants
are operated with Tab, Enter, Space, Escape and the roster's keys, and after every action the focus is where
static/js/swap-focus.js says (document.activeElement is asserted each time), and each save is read once
through the page's one polite live region (#live-region). One page per test, four tests: CI time matters."""

import contextlib
import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from activities.factories import ActivityFactory, ParticipantFactory
from activities.models import Answer
from classroom import rules
from classroom.factories import ClassDayFactory, StudentFactory, UserFactory
from classroom.models import Attendance, AttendanceStatus, Student
from lib.localtime import long_date
from tests.browser import htmx_settled
from tests.browser.test_roster import expected_children
from volunteers.factories import VolunteerFactory
from volunteers.models import SignUp, VolunteerAttendance

# The roles are rows made by a data migration; keep them across these transactional tests.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Where the live region and the other announcing elements say something: a save must be said once.
SPEAKERS = "#live-region, [role=status], [role=alert], [aria-live]"


def active_matches(page, selector):
    return page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector)


def expect_active(page, selector):
    """document.activeElement is the element the selector names (waits for htmx to settle first)."""
    htmx_settled(page)
    with contextlib.suppress(PlaywrightTimeout):  # the assertion below says where the focus is instead
        page.wait_for_function("s => document.activeElement && document.activeElement.matches(s)", arg=selector,
                               timeout=5000)
    assert active_matches(page, selector), page.evaluate("document.activeElement.outerHTML.slice(0, 300)")


def tab_to(page, selector, *, limit=120, back=False):
    """Press Tab (or Shift+Tab) until the focus is on the selector's element, as a keyboard user would."""
    for _ in range(limit):
        if active_matches(page, selector):
            return
        page.keyboard.press("Shift+Tab" if back else "Tab")
    raise AssertionError(f"Tab never reached {selector}")


def expect_said_once(page, text):
    expect(page.locator("#live-region")).to_have_text(text)
    expect(page.locator(SPEAKERS).filter(has_text=text)).to_have_count(1)


def test_the_roster_with_the_keyboard_alone(page, live_server, sign_in, staff, site):
    today = ClassDayFactory(site=site, date=timezone.localdate())
    first, second, third = expected_children(site, 3)
    sign_in(page, staff)
    page.goto(live_server.url + reverse("classroom:roster", args=[today.pk]))
    expect(page.locator("[data-tap-row]")).to_have_count(3)
    live = page.locator("#live-region")
    expect(live).to_have_attribute("aria-live", "polite")
    expect(live).to_be_empty()

    # Each status button is named with its child: "出席 <name>", not five bare "出席".
    present = f'#roster-row-{first.pk} button[value="present"]'
    expect(page.get_by_role("button", name=f"出席 {first.full_name}", exact=True)).to_have_count(1)

    # Tab to the first child's 出席, Enter: the same button keeps the focus, pressed, and the save is said once.
    tab_to(page, present)
    page.keyboard.press("Enter")
    expect(page.locator(present)).to_have_attribute("aria-pressed", "true")
    expect_active(page, present + '[aria-pressed="true"]')
    expect_said_once(page, f"保存しました：出席 {first.full_name}")

    # Space on the second child's 欠席 (no notice).
    absent = f'#roster-row-{second.pk} button[value="absent"]'
    tab_to(page, absent)
    page.keyboard.press("Space")
    expect_active(page, absent + '[aria-pressed="true"]')
    expect(live).to_contain_text(second.full_name)
    expect(page.locator(SPEAKERS).filter(has_text=second.full_name)).to_have_count(1)

    # The roster's keys: j to the next row, l (late) presses its button; the row keeps the focus.
    page.keyboard.press("j")
    expect_active(page, f"#roster-row-{third.pk}")
    page.keyboard.press("l")
    expect(page.locator(f'#roster-row-{third.pk} button[value="late"]')).to_have_attribute("aria-pressed", "true")
    expect_active(page, f"#roster-row-{third.pk}")
    expect(live).to_contain_text(third.full_name)

    # The note popover of the first row: Enter opens it, Escape closes it and the focus is back on its summary.
    summary = f"#roster-row-{first.pk} .tap-row__memo summary"
    tab_to(page, summary, back=True)
    page.keyboard.press("Enter")
    expect(page.locator(f"#roster-row-{first.pk} .tap-row__memo")).to_have_attribute("open", "")
    page.keyboard.press("Tab")
    expect_active(page, f'#roster-row-{first.pk} .tap-row__memo input[name="note"]')
    page.keyboard.press("Escape")
    expect(page.locator(f"#roster-row-{first.pk} .tap-row__memo")).not_to_have_attribute("open", "")
    expect_active(page, summary)

    # Open again, type the note, Enter saves it: the focus stays on the note field, now in the row itself.
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.type("通院のため早退予定")
    page.keyboard.press("Enter")
    note = f'#roster-row-{first.pk} .tap-row__more input[name="note"]'
    expect(page.locator(note)).to_have_value("通院のため早退予定")
    expect_active(page, note)
    expect_said_once(page, f"保存しました：出席 {first.full_name}")

    # Undo on the third row, by its button: the row is back to unmarked, and the focus stays on the undo
    # button, which now offers to take the undo back (to 遅刻).
    undo = f"#roster-row-{third.pk} .tap-row__undo-button"
    expect(page.locator(undo)).to_contain_text(third.full_name)  # its name says whose tap it takes back
    tab_to(page, undo)
    page.keyboard.press("Enter")
    expect(page.locator(f'#roster-row-{third.pk} [aria-pressed="true"]')).to_have_count(0)
    expect_active(page, undo)
    expect(page.locator(undo)).to_contain_text("(遅刻)")
    expect_said_once(page, f"保存しました：未記録 {third.full_name}")

    # "Mark the 1 unmarked present", by the keyboard: the focus goes to its counterpart, the undo of it, and
    # what was done is said once; Enter on the undo puts the focus back on "mark all".
    mark_all = "[data-roster-mark-all]"
    tab_to(page, mark_all, back=True)
    expect(page.locator(mark_all)).to_contain_text("1")
    page.keyboard.press("Enter")
    expect(page.locator(f'#roster-row-{third.pk} button[value="present"]')).to_have_attribute("aria-pressed", "true")
    expect_active(page, ".roster-undo-all__button")
    said = live.text_content()
    assert said and "1" in said, said
    expect(page.locator(SPEAKERS).filter(has_text=said)).to_have_count(1)
    page.keyboard.press("Enter")
    expect(page.locator(f'#roster-row-{third.pk} [aria-pressed="true"]')).to_have_count(0)
    expect_active(page, mark_all)

    stored = dict(Attendance.objects.filter(class_day=today).values_list("student_id", "status"))
    assert stored == {first.pk: AttendanceStatus.PRESENT, second.pk: AttendanceStatus.ABSENT}
    assert Attendance.objects.get(student=first).note == "通院のため早退予定"


def test_volunteer_attendance_with_the_keyboard_alone(page, live_server, sign_in, staff, site):
    day = ClassDayFactory(site=site, date=timezone.localdate(), start_time=dt.time(17, 0), end_time=dt.time(19, 0))
    user = UserFactory(username="suzuki", last_name="鈴木", first_name="一郎", roles=[rules.VOLUNTEER])
    tutor = VolunteerFactory(user=user, sites=[site])
    SignUp.objects.create(volunteer=tutor, class_day=day, answer="can", confirmed_at=timezone.now())
    walk_in = VolunteerFactory(user=UserFactory(username="takahashi", last_name="高橋", first_name="美咲",
                                                roles=[rules.VOLUNTEER]), sites=[site])
    sign_in(page, staff)
    page.goto(live_server.url + reverse("volunteers:volunteer_attendance", args=[day.pk]))

    came = page.get_by_role("button", name="出席 鈴木 一郎", exact=True)
    expect(came).to_have_count(1)
    tab_to(page, f"#vattendance-row-{tutor.pk} .vattendance-row__tap")
    page.keyboard.press("Enter")
    # The button is gone (the row now offers its times and "来なかった"): the focus is on the row.
    row = f"#vattendance-row-{tutor.pk}"
    expect(page.locator(row + ".vattendance-row--came")).to_have_count(1)
    expect_active(page, row)
    expect_said_once(page, "保存しました：鈴木 一郎 出席（17:00–19:00）")
    assert VolunteerAttendance.objects.filter(volunteer=tutor, class_day=day).exists()

    page.keyboard.press("Tab")  # from the row, the next stop is its own arrival time
    expect_active(page, row + " input[name=arrived_at]")
    expect(page.get_by_role("button", name="来なかった 鈴木 一郎", exact=True)).to_have_count(1)
    tab_to(page, row + " .button--danger")
    page.keyboard.press("Enter")
    expect_active(page, row + ":not(.vattendance-row--came)")
    expect_said_once(page, "保存しました：鈴木 一郎 来なかった")
    assert not VolunteerAttendance.objects.exists()

    # Another volunteer of the site came: choose with the arrow key, Enter on "出席として記録": the section
    # is replaced, the focus is back on that button, and the live region names who was recorded.
    tab_to(page, f"#vattendance-add-{day.pk}")
    page.keyboard.press("ArrowDown")
    expect(page.locator(f"#vattendance-add-{day.pk}")).to_have_value(str(walk_in.pk))
    record = ".vattendance__add button[type=submit]"
    tab_to(page, record)
    page.keyboard.press("Enter")
    expect(page.locator(f"#vattendance-row-{walk_in.pk}")).to_have_count(1)
    expect_active(page, record)
    expect_said_once(page, "保存しました：高橋 美咲 出席")


def test_the_student_form_with_the_keyboard_alone(page, live_server, sign_in, staff, site):
    sign_in(page, staff)
    page.goto(f"{live_server.url}/students/new/")
    # Everything but the given name, field by field with Tab and typing.
    for selector, text in [("#id_family_name", "小鳥遊"), ("#id_family_name_kana", "たかなし"),
                           ("#id_given_name_kana", "ひろと"), ("#id_address-address", "埼玉県深谷市上野台1-2-3"),
                           ("#id_guardians-0-family_name", "小林"), ("#id_guardians-0-given_name", "恵"),
                           ("#id_guardians-0-family_name_kana", "こばやし"),
                           ("#id_guardians-0-given_name_kana", "めぐみ"), ("#id_guardians-0-relationship", "母")]:
        tab_to(page, selector)
        page.keyboard.type(text)
        if selector == "#id_given_name_kana" and page.locator("#id_site").count():
            tab_to(page, "#id_site")
            page.keyboard.press("ArrowDown")  # the site's one choice
            expect(page.locator("#id_site")).to_have_value(str(site.pk))
    submit = "form.student-form button[type=submit]"
    tab_to(page, submit)
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")

    # Invalid: the page opens on the one error summary; Tab, Enter follow its link to the field.
    expect_active(page, "[data-error-summary]")
    page.keyboard.press("Tab")
    expect_active(page, "[data-error-summary] a[href='#id_given_name']")
    page.keyboard.press("Enter")
    expect_active(page, "#id_given_name")
    page.keyboard.type("大翔")
    tab_to(page, submit)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("小鳥遊")
    assert Student.objects.filter(family_name="小鳥遊", given_name="大翔").exists()
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile("大翔"))


def test_activity_participants_with_the_keyboard_alone(page, live_server, sign_in, staff, site):
    """An answer, then the consent date, each with Enter: the focus stays on the pressed button (or, once the
    consent form folds away, on its "change the date" summary) and each save is read once."""
    def ja(message, **values):
        with translation.override("ja"):
            return str(translation.gettext(message)) % values

    activity = ActivityFactory(site=site, lead=staff, capacity=10, consent_required=True, title="野菜の収穫体験",
                               date=timezone.localdate() + dt.timedelta(days=14))
    hanako = ParticipantFactory(activity=activity, answer=Answer.INVITED, student=StudentFactory(
        site=site, family=("山田", "ヤマダ"), given=("花子", "ハナコ")))
    ParticipantFactory(activity=activity, answer=Answer.INVITED, student=StudentFactory(
        site=site, family=("佐藤", "サトウ"), given=("一郎", "イチロウ")))
    sign_in(page, staff)
    page.goto(live_server.url + reverse("activities:activity_participants", args=[activity.pk]))
    declined = f"#ap-answer-{hanako.pk}-declined"
    expect(page.get_by_role("button", name=f"{ja('Declined')} 山田 花子", exact=True)).to_have_count(1)

    tab_to(page, declined)
    page.keyboard.press("Enter")
    # The row moved to the "declined" list: the focus is on the same button there.
    expect(page.locator(f"#ap-declined-heading ~ ol #participant-{hanako.pk}")).to_have_count(1)
    expect_active(page, declined)
    expect_said_once(page, ja("Saved: %(name)s %(answer)s", name="山田 花子", answer=ja("Declined")))

    consent = f"#participant-{hanako.pk} .ap-consent button"
    expect(page.locator(consent)).to_have_accessible_name(re.compile("山田 花子$"))
    received = dt.date.fromisoformat(page.locator(f"#participant-{hanako.pk} .ap-consent input[name=received_on]").input_value())
    tab_to(page, consent)
    page.keyboard.press("Enter")
    # The form folds into "change the consent date": the focus is on that summary, which names the child.
    summary = f"#participant-{hanako.pk} .ap-consent-change > summary"
    expect_active(page, summary)
    expect_said_once(page, ja("Saved: consent of %(name)s received on %(date)s", name="山田 花子",
                              date=long_date(received)))
    hanako.refresh_from_db()
    assert hanako.consent_received_on == received
