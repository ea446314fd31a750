"""A staff member plans a visit from a warning, drafts it, finishes it later, records a share; nothing typed is lost."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from casework.models import Contact, HomeVisit, InformationShare, RecordStatus
from classroom.factories import (
    AttendanceFactory,
    ClassDayFactory,
    ConsentFactory,
    GuardianFactory,
    HouseholdContactFactory,
    HouseholdFactory,
    StudentFactory,
)
from classroom.models import HouseholdContact

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SAVED = re.compile(r"Draft saved at|下書きを保存しました")


@pytest.fixture
def child(site):
    household = HouseholdFactory()
    GuardianFactory(household=household)
    HouseholdContactFactory(household=household, kind=HouseholdContact.Kind.CASEWORKER, name="守田 和夫")
    student = StudentFactory(site=site, household=household, family_name="鈴木", given_name="陽翔")
    ConsentFactory(student=student, partners="深谷市 福祉事務所、在籍校")
    return student


def test_plan_draft_finish_later_then_share(page, live_server, sign_in, staff, child, site):
    """The whole path of issue 5: a warned child, a visit planned from the warning, a share."""
    today = timezone.localdate()
    for days_ago in (14, 7):  # two class days in a row without notice: the child is warned
        AttendanceFactory(class_day=ClassDayFactory(site=site, date=today - dt.timedelta(days=days_ago), status="held"),
                          student=child, status="absent")
    sign_in(page, staff)
    page.goto(f"{live_server.url}/warnings/")
    page.locator(".warning-entry", has_text="鈴木 陽翔").first.locator("a.button--primary").click()
    expect(page).to_have_url(f"{live_server.url}/visits/new/?student={child.pk}&purpose=absences")
    expect(page.locator("#id_purpose")).to_have_value("absences")
    expect(page.locator("form[data-autosave-ready]")).to_have_count(1)
    page.fill("#id_living_environment", "玄関に郵便物がたまっていた")
    expect(page.locator("[data-autosave-status]")).to_have_text(SAVED, timeout=10000)
    draft = HomeVisit.objects.get()
    assert draft.is_draft and draft.living_environment == "玄関に郵便物がたまっていた"
    expect(page).to_have_url(f"{live_server.url}/visits/{draft.pk}/edit/")
    page.fill("#id_child_condition", "少し疲れている様子")
    page.get_by_role("button", name=re.compile("Save as draft|下書き")).click()
    expect(page).to_have_url(f"{live_server.url}/visits/{draft.pk}/")
    assert HomeVisit.objects.count() == 1
    assert list(draft.staff.all()) == [staff]

    page.goto(f"{live_server.url}/")  # leave; later, come back through the list
    page.goto(f"{live_server.url}/visits/")
    page.locator(f"a[href='/visits/{draft.pk}/']").click()
    page.locator(f"a[href='/visits/{draft.pk}/edit/']").first.click()
    expect(page.locator("#id_child_condition")).to_have_value("少し疲れている様子")
    page.locator("input[name=family_met][value=True]").check()
    page.locator("input[name=concern_level][value=concern]").check()
    page.locator("button[name=action][value=finish]").click()
    expect(page).to_have_url(f"{live_server.url}/visits/{draft.pk}/")
    draft.refresh_from_db()
    assert draft.status == RecordStatus.DONE and draft.concern_level == "concern"

    page.locator(f"a[href='/shares/new/?student={child.pk}']").first.click()
    caseworker = HouseholdContact.objects.get(name="守田 和夫")
    page.locator("#id_recipient").select_option(str(caseworker.pk))
    page.fill("#id_what", "最近の欠席状況と家庭訪問の所見")
    page.locator("#id_basis_consent").check()
    page.locator("input[name=consent]").first.check()
    page.locator("button[type=submit].button--primary").click()
    share = InformationShare.objects.get()
    expect(page).to_have_url(f"{live_server.url}/shares/{share.pk}/")
    assert share.recipient.name == "守田 和夫" and share.consent_id and share.shared_by == staff


def test_local_copy_survives_a_lost_session(page, context, live_server, sign_in, staff, child):
    sign_in(page, staff)
    page.goto(f"{live_server.url}/visits/new/?student={child.pk}&purpose=absences")
    page.fill("#id_living_environment", "最初の記録")
    expect(page.locator("[data-autosave-status]")).to_have_text(SAVED, timeout=10000)
    visit = HomeVisit.objects.get()

    context.clear_cookies()  # the session ends (idle timeout, or signed out elsewhere)
    page.fill("#id_parenting_consultation", "母から進学費用の相談があった")
    expect(page.locator("form.autosave--offline")).to_have_count(1, timeout=10000)
    assert HomeVisit.objects.get().parenting_consultation == ""

    page.reload()  # back to the sign-in page, then to the visit again
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.fill("#id_username", staff.username)
    page.fill("#id_password", "yorisoi-demo-2026")
    page.click("button[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/visits/{visit.pk}/edit/")
    expect(page.locator("#id_parenting_consultation")).to_have_value("母から進学費用の相談があった")
    expect(page.locator("[data-autosave-notice]")).to_be_visible()
    expect(page.locator("[data-autosave-status]")).to_have_text(SAVED, timeout=10000)  # and saved again
    visit.refresh_from_db()
    assert visit.parenting_consultation == "母から進学費用の相談があった"
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('yorisoi:')).length") == 0


def test_typing_before_the_script_loads_is_saved(page, live_server, sign_in, staff, child):
    """On a slow network the form can be typed into before autosave.js runs: that text is saved too."""
    sign_in(page, staff)
    release = []

    def hold_script(route):
        release.append(route)

    page.route("**/static/js/autosave*.js", hold_script)
    page.goto(f"{live_server.url}/visits/new/?student={child.pk}&purpose=absences", wait_until="commit")
    page.fill("#id_child_condition", "元気がなかった")
    assert page.locator("form[data-autosave-ready]").count() == 0
    assert release, "the script request was held"
    for route in release:
        route.continue_()
    expect(page.locator("[data-autosave-status]")).to_have_text(SAVED, timeout=10000)
    assert HomeVisit.objects.get().child_condition == "元気がなかった"


def test_an_added_follow_up_row_is_restored_after_a_lost_session(page, context, live_server, sign_in, staff, child):
    sign_in(page, staff)
    page.goto(f"{live_server.url}/visits/new/?student={child.pk}&purpose=regular")
    page.fill("#id_living_environment", "片付いていた")
    expect(page.locator("[data-autosave-status]")).to_have_text(SAVED, timeout=10000)
    visit = HomeVisit.objects.get()
    rows = page.locator("#follow-ups .followup-row")
    expect(rows).to_have_count(1)
    page.locator("#follow-ups [data-formset-add]").click()
    expect(rows).to_have_count(2)
    context.clear_cookies()  # the session ends before anything else reaches the server
    page.locator("#follow-ups .followup-row").nth(1).locator("textarea, input[type=text]").first.fill("学校と面談日を調整")
    expect(page.locator("form.autosave--offline")).to_have_count(1, timeout=10000)

    page.reload()
    page.fill("#id_username", staff.username)
    page.fill("#id_password", "yorisoi-demo-2026")
    page.click("button[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/visits/{visit.pk}/edit/")
    expect(rows).to_have_count(2)
    expect(rows.nth(1).locator("textarea, input[type=text]").first).to_have_value("学校と面談日を調整")


@pytest.mark.parametrize("kind", ["contact", "visit"])
def test_a_second_new_record_after_a_quick_first_one_is_created(page, live_server, sign_in, staff, child, site, kind):
    """Two records in a row from the menu's "new" form (no child in the address), each sent at once
    after typing: the device's copy of the first must not come back with its used form token, or the
    second record would be dropped as "already sent" and the first one shown instead."""
    other = StudentFactory(site=site, family_name="高橋", given_name="蓮")
    model = Contact if kind == "contact" else HomeVisit
    sign_in(page, staff)
    for student, notes in ((child, "一件目のメモ"), (other, "二件目のメモ")):
        page.goto(f"{live_server.url}/{kind}s/new/")
        expect(page.locator("form[data-autosave-ready]")).to_have_count(1)
        expect(page.locator("[data-autosave-notice]")).to_be_hidden()
        page.locator("#id_student").select_option(str(student.pk))
        if kind == "contact":
            page.locator("input[name=kind]").first.check()
            page.fill("#id_notes", notes)
            page.locator("input[name=concern_level][value=watch]").check()
            page.locator("form.visit-form button[type=submit].button--primary").click()
        else:
            page.locator("#id_purpose").select_option("regular")
            page.fill("#id_living_environment", notes)
            page.locator("input[name=family_met][value=True]").check()
            page.locator("input[name=concern_level][value=watch]").check()
            page.locator("button[name=action][value=finish]").click()
        record = model.objects.filter(student=student).first()
        assert record is not None, f"the {kind} for {student} was not created"
        expect(page).to_have_url(f"{live_server.url}/{kind}s/{record.pk}/")
    assert model.objects.filter(student__in=[child, other]).count() == 2
    assert model.objects.get(student=other).pk != model.objects.get(student=child).pk


@pytest.mark.parametrize("prefilled", [False, True], ids=["from-menu", "from-child"])
@pytest.mark.parametrize("kind", ["contact", "visit"])
def test_back_and_send_again_records_once_and_a_new_form_after_it_is_empty(page, live_server, sign_in, staff, child,
                                                                            kind, prefilled):
    """Sent, then the browser's Back (it puts back what was typed) and sent again: one record, the person is
    shown it; the next new form opened afresh starts empty and makes a record of its own. The same whether
    the form was opened from the menu or from the child's page (the child in the address)."""
    model = Contact if kind == "contact" else HomeVisit
    new_url = f"{live_server.url}/{kind}s/new/" + (f"?student={child.pk}" if prefilled else "")
    sign_in(page, staff)

    def fill_and_send(notes):
        expect(page.locator("form[data-autosave-ready]")).to_have_count(1)
        if not prefilled:
            page.locator("#id_student").select_option(str(child.pk))
        if kind == "contact":
            page.locator("input[name=kind]").first.check()
            page.fill("#id_notes", notes)
            page.locator("input[name=concern_level][value=watch]").check()
            page.locator("form.visit-form button[type=submit].button--primary").click()
        else:
            page.locator("#id_purpose").select_option("regular")
            page.fill("#id_living_environment", notes)
            page.locator("input[name=family_met][value=True]").check()
            page.locator("input[name=concern_level][value=watch]").check()
            page.locator("button[name=action][value=finish]").click()

    page.goto(new_url)
    fill_and_send("最初の記録")
    first = model.objects.get(student=child)
    expect(page).to_have_url(f"{live_server.url}/{kind}s/{first.pk}/")
    page.go_back()
    expect(page).to_have_url(new_url)
    expect(page.locator("form[data-autosave-ready]")).to_have_count(1)
    submit = ("form.visit-form button[type=submit].button--primary" if kind == "contact"
              else "button[name=action][value=finish]")
    page.locator(submit).click()
    expect(page).to_have_url(f"{live_server.url}/{kind}s/{first.pk}/")
    expect(page.locator(".message").first).to_contain_text(re.compile("already sent|すでに送信"))
    assert model.objects.filter(student=child).count() == 1

    page.goto(new_url)
    expect(page.locator("[data-autosave-notice]")).to_be_hidden()
    fill_and_send("二件目の記録")
    expect(page).not_to_have_url(f"{live_server.url}/{kind}s/{first.pk}/")
    assert model.objects.filter(student=child).count() == 2
