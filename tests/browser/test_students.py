"""Staff search the student list in Chromium: the table updates in place, the URL follows, a student opens."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from classroom.factories import ConsentFactory, GuardianFactory, StudentFactory
from classroom.grades import Grade

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_updates_the_table_without_reload_then_opens_a_student(page, live_server, sign_in, staff, site):
    StudentFactory.create_batch(30, site=site)
    wanted = StudentFactory(site=site, family_name="勅使河原", given_name="蓮", family_name_kana="テシガワラ",
                            given_name_kana="レン", school_grade=Grade.J2)
    sign_in(page, staff)
    page.goto(f"{live_server.url}/students/")
    expect(page.locator("#student-table tbody tr")).to_have_count(25)
    page.evaluate("window.__notReloaded = true")

    page.locator("#id_q").press_sequentially("てしがわら", delay=30)  # hiragana finds the katakana reading
    expect(page).to_have_url(re.compile(r"/students/\?q=%E3%81%A6%E3%81%97"))
    expect(page.locator("#student-table tbody tr")).to_have_count(1)
    expect(page.locator("#student-table")).to_contain_text("テシガワラ レン")
    assert page.evaluate("window.__notReloaded") is True

    page.locator("#id_grade").select_option(Grade.J3)  # a change also filters at once
    expect(page).to_have_url(re.compile(r"grade=j3"))
    expect(page.locator("#student-table tbody tr td.empty")).to_have_count(1)
    page.locator("#id_grade").select_option("")
    expect(page.locator("#student-table tbody tr")).to_have_count(1)
    assert page.evaluate("window.__notReloaded") is True

    page.get_by_role("link", name="勅使河原 蓮").click()
    expect(page).to_have_url(f"{live_server.url}/students/{wanted.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("勅使河原")


def test_sort_link_and_pages_keep_the_filter(page, live_server, sign_in, staff, site):
    StudentFactory.create_batch(30, site=site, school_grade=Grade.J1)
    sign_in(page, staff)
    page.goto(f"{live_server.url}/students/?grade=j1")
    page.evaluate("window.__notReloaded = true")
    page.locator("#student-table thead a", has_text=re.compile("Name|氏名|名前")).first.click()
    expect(page).to_have_url(re.compile(r"grade=j1.*sort=-name|sort=-name.*grade=j1"))
    page.locator(".pagination a", has_text="2").click()
    expect(page).to_have_url(re.compile(r"page=2"))
    expect(page.locator("#student-table tbody tr")).to_have_count(5)
    # The hidden sort field travels with the filter form: a new filter keeps the chosen order.
    page.locator("#id_status").select_option("active")
    expect(page).to_have_url(re.compile(r"sort=-name"))
    assert page.evaluate("window.__notReloaded") is True


def test_staff_withdraws_a_consent_in_place(page, live_server, sign_in, staff, site):
    student = StudentFactory(site=site, family_name="勅使河原", given_name="蓮", family_name_kana="テシガワラ",
                             given_name_kana="レン")
    GuardianFactory(household=student.household)
    consent = ConsentFactory(student=student, partners="深谷市福祉事務所")
    sign_in(page, staff)
    page.goto(f"{live_server.url}/students/{student.pk}/")
    page.evaluate("window.__notReloaded = true")
    page.once("dialog", lambda dialog: dialog.accept())  # the confirmation before withdrawing
    page.locator("#consents .consent__withdraw button").click()
    expect(page.locator("#consents .consent--withdrawn")).to_have_count(1)
    expect(page.locator("#consents .consent__withdraw")).to_have_count(0)
    assert page.evaluate("window.__notReloaded") is True
    consent.refresh_from_db()
    assert consent.withdrawn_on == timezone.localdate()


def test_staff_registers_a_student_with_two_guardians_in_one_save(page, live_server, sign_in, staff, site):
    from classroom.models import Student

    sign_in(page, staff)
    page.goto(f"{live_server.url}/students/new/")
    page.fill("#id_family_name", "小鳥遊")
    page.fill("#id_given_name", "大翔")
    page.fill("#id_family_name_kana", "たかなし")
    page.fill("#id_given_name_kana", "ひろと")
    page.select_option("#id_site", str(site.pk))
    page.fill("#id_address-address", "埼玉県深谷市上野台1-2-3")
    page.fill("#id_guardians-0-family_name", "小林")
    page.fill("#id_guardians-0-given_name", "恵")
    page.fill("#id_guardians-0-family_name_kana", "こばやし")
    page.fill("#id_guardians-0-given_name_kana", "めぐみ")
    page.fill("#id_guardians-0-relationship", "母")
    page.click('[data-formset-add="guardians"]')
    expect(page.locator("#id_guardians-1-family_name")).to_be_focused()
    page.fill("#id_guardians-1-family_name", "小林")
    page.fill("#id_guardians-1-given_name", "誠")
    page.fill("#id_guardians-1-family_name_kana", "こばやし")
    page.fill("#id_guardians-1-given_name_kana", "まこと")
    page.fill("#id_guardians-1-relationship", "父")
    page.click('[data-formset-add="contacts"]')  # an extra blank contact is ignored, not an error
    page.locator("form.student-form button[type=submit]").last.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("小鳥遊")
    student = Student.objects.get(family_name="小鳥遊")
    assert sorted(student.household.guardians.values_list("relationship", flat=True)) == ["母", "父"]
    assert not student.household.contacts.exists()
