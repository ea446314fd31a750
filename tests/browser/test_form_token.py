"""Back and send again, on the create forms without autosave: one record, the person is shown it (issue 9, point 4).

In Chromium, Back to a sent form loads it again with what was typed put back but a new hidden ``form_token``;
static/js/form-token.js puts the sent token back, so the repeat is recognised. Opened afresh, the form makes a
second record normally.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from activities.factories import PartnerFactory
from activities.models import Activity, Partner
from casework.models import InformationShare
from classroom.factories import (
    ConsentFactory,
    GuardianFactory,
    HouseholdContactFactory,
    HouseholdFactory,
    StudentFactory,
)
from classroom.models import ClassDay, HouseholdContact
from volunteers.models import Volunteer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ALREADY_SENT = re.compile("already sent|すでに送信")


def _share(page, ctx, n):
    page.locator("#id_recipient").select_option(str(ctx["caseworker"].pk))
    page.fill("#id_what", f"{n}回目の提供")
    page.locator("#id_basis_consent").check()
    page.locator("input[name=consent]").first.check()
    page.locator("form.share-form button[type=submit].button--primary").click()


def _partner(page, ctx, n):
    page.fill("#id_name", f"協力先{n}")
    page.select_option("#id_kind", "farm")
    page.locator("#partner-form button[type=submit]").click()


def _activity(page, ctx, n):
    page.fill("#id_title", f"収穫体験{n}")
    page.select_option("#id_kind", "farming")
    page.select_option("#id_partner", str(ctx["partner"].pk))
    page.select_option("#id_site", str(ctx["site"].pk))
    page.fill("#id_date", f"{timezone.localdate() + dt.timedelta(days=20):%Y-%m-%d}")
    page.fill("#id_start_time", "09:30")
    page.fill("#id_end_time", "12:00")
    page.fill("#id_place", "大塚ファーム")
    page.fill("#id_capacity", "10")
    page.locator("#activity-form button[type=submit]").click()


def _class_day(page, ctx, n):
    page.select_option("#id_site", str(ctx["site"].pk))
    page.fill("#id_date", f"{timezone.localdate() + dt.timedelta(days=30 + n):%Y-%m-%d}")
    page.fill("#id_start_time", "17:00")
    page.fill("#id_end_time", "19:00")
    page.locator("form button[type=submit].button--primary").click()


def _volunteer(page, ctx, n):
    page.fill("#id_last_name", "中村")
    page.fill("#id_first_name", f"誠{n}")
    page.fill("#id_username", f"nakamura{n}")
    page.select_option("#id_kind", "university_student")
    page.check('input[name="teaching"][value="maths:junior_high"]')
    page.fill("#id_pledge_signed_on", "2026-04-01")
    page.fill("#id_insurance_expires_on", f"{timezone.localdate() + dt.timedelta(days=200):%Y-%m-%d}")
    page.locator("form.volunteer-form button[type=submit].button--primary").click()


FORMS = {
    # kind: (address of the new form, fill and send, the records, the record's page)
    "share": (lambda ctx: f"/shares/new/?student={ctx['child'].pk}", _share,
              lambda ctx: InformationShare.objects.filter(student=ctx["child"]), "/shares/{pk}/"),
    "partner": (lambda ctx: "/partners/new/", _partner,
                lambda ctx: Partner.objects.exclude(pk=ctx["partner"].pk), "/partners/{pk}/"),
    "activity": (lambda ctx: "/activities/new/", _activity, lambda ctx: Activity.objects.all(), "/activities/{pk}/"),
    "class day": (lambda ctx: "/class-days/new/", _class_day, lambda ctx: ClassDay.objects.all(), "/class-days/{pk}/"),
    "volunteer": (lambda ctx: "/volunteers/new/", _volunteer, lambda ctx: Volunteer.objects.all(),
                  "/volunteers/{pk}/"),
}


@pytest.fixture
def ctx(site):
    household = HouseholdFactory()
    guardian = GuardianFactory(household=household)
    caseworker = HouseholdContactFactory(household=household, kind=HouseholdContact.Kind.CASEWORKER, name="守田 和夫")
    child = StudentFactory(site=site, household=household, family_name="鈴木", given_name="陽翔")
    ConsentFactory(student=child, partners="深谷市 福祉事務所、在籍校")
    return {"site": site, "child": child, "caseworker": caseworker, "partner": PartnerFactory(name="大塚ファーム"),
            "guardian": guardian}


@pytest.mark.parametrize("kind", list(FORMS))
def test_back_and_send_again_records_once_and_a_form_opened_afresh_records_again(page, live_server, sign_in, staff,
                                                                                 ctx, kind):
    address, fill_and_send, records, detail = FORMS[kind]
    new_url = live_server.url + address(ctx)
    sign_in(page, staff)

    page.goto(new_url)
    fill_and_send(page, ctx, 1)
    expect(page).to_have_url(re.compile(re.escape(live_server.url) + detail.format(pk=r"\d+") + "$"))
    first = records(ctx).get()
    expect(page).to_have_url(live_server.url + detail.format(pk=first.pk))

    # Back: the browser puts back what was typed; sent again, it is recognised and the record is shown.
    page.go_back()
    expect(page).to_have_url(new_url)
    page.locator("main form:has(input[name=form_token]) button[type=submit]").first.click()
    expect(page).to_have_url(live_server.url + detail.format(pk=first.pk))
    expect(page.locator(".message").first).to_contain_text(ALREADY_SENT)
    assert records(ctx).count() == 1

    # The form opened afresh is a new form: sent, it makes a second record.
    page.goto(new_url)
    fill_and_send(page, ctx, 2)
    expect(page).to_have_url(re.compile(re.escape(live_server.url) + detail.format(pk=r"\d+") + "$"))
    assert records(ctx).count() == 2
    second = records(ctx).exclude(pk=first.pk).get()
    expect(page).to_have_url(live_server.url + detail.format(pk=second.pk))
    expect(page.locator(".message", has_text=ALREADY_SENT)).to_have_count(0)


def test_a_form_saved_in_place_and_reached_again_by_back_is_a_new_form(page, live_server, sign_in, staff, ctx):
    """A form saved without leaving the page (htmx puts a new, empty one in its place), then Back to that page
    from elsewhere: what is typed into the new form is a new record, not "already sent"."""
    child = ctx["child"]
    sign_in(page, staff)
    page.goto(f"{live_server.url}/students/{child.pk}/")
    before = child.consents.count()

    def record_consent(partners):
        page.locator("details.consent-add summary").click()
        form = page.locator("details.consent-add form")
        form.locator("select[name=purpose]").select_option(index=2)  # photos: no recipient kinds needed
        form.locator("select[name=guardian]").select_option(str(ctx["guardian"].pk))
        form.locator("textarea[name=partners], input[name=partners]").fill(partners)
        form.locator("input[name=given_on]").fill(f"{timezone.localdate():%Y-%m-%d}")
        form.locator("button[type=submit]").click()
        expect(page.locator("#consents")).to_contain_text(partners)

    record_consent("在籍校のみ")
    assert child.consents.count() == before + 1
    page.goto(f"{live_server.url}/students/")
    page.go_back()
    expect(page).to_have_url(f"{live_server.url}/students/{child.pk}/")
    record_consent("深谷市 子ども家庭課")
    expect(page.locator(".message", has_text=ALREADY_SENT)).to_have_count(0)
    assert child.consents.count() == before + 2
