"""The change history (issue 14, point 1): every change to a record holding personal data says who,
when, through which screen, API call or import, and the values before and after; it survives the
record's deletion; staff administrators read it for their own sites only."""

import pytest
from django.test import Client
from django.urls import reverse

from classroom import rules
from classroom.factories import GuardianFactory, HouseholdFactory, StudentFactory, UserFactory
from classroom.models import AccessLog, Guardian, Student
from tests.dataio.import_files import STUDENT_HEADINGS, csv_bytes, student_rows
from tests.dataio.test_imports import confirm, upload
from tests.edit_guards import open_form
from tests.test_api_v1 import STUDENT, api, bearer


@pytest.fixture
def child(site):
    household = HouseholdFactory(address="深谷市上柴町西1-1")
    GuardianFactory(household=household, family_name="小林", given_name="恵", phone="080-1111-2222")
    return StudentFactory(site=site, household=household, school="深谷市立南中学校", health_notes="")


@pytest.fixture
def admin_client(staff_admin):
    client = Client()
    client.force_login(staff_admin)
    return client


def test_a_change_through_the_screen_records_who_when_via_and_before_after(staff_client, staff, child, admin_client):
    url = reverse("classroom:student_edit", args=[child.pk])
    form = open_form(staff_client, url)
    form["school"] = "深谷市立北中学校"
    assert staff_client.post(url, form).status_code == 302
    latest = child.history.first()
    assert (latest.history_type, latest.history_user, latest.history_via) == (
        "~", staff, "screen classroom:student_edit")
    assert latest.history_user_label == "佐藤 美咲"
    assert latest.history_sites == f",{child.site_id},"
    delta = latest.diff_against(latest.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("school", "深谷市立南中学校", "深谷市立北中学校")]

    page = admin_client.get(reverse("oversight:history_record", args=["student", child.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "深谷市立南中学校" in html and "深谷市立北中学校" in html and "画面 classroom:student_edit" in html
    assert "学校" in html  # the field's verbose name
    listing = admin_client.get(reverse("oversight:history"), {"who": staff.pk, "kind": "student"})
    assert listing.status_code == 200 and "画面 classroom:student_edit" in listing.content.decode()
    assert AccessLog.objects.filter(user__username="staff-admin-persona", action="view").count() == 2


def test_a_change_through_the_api_names_the_call(staff, site):
    auth = bearer(staff)
    made = api("post", "/api/classroom/students", auth, {**STUDENT, "site_id": site.pk})
    assert made.status_code == 201, made.content
    student = Student.objects.get()
    created = student.history.get()
    assert (created.history_type, created.history_user, created.history_via) == (
        "+", staff, "API POST /api/classroom/students")
    edited = api("put", f"/api/classroom/students/{student.pk}", auth,
                 {**STUDENT, "site_id": site.pk, "nickname": "はなちゃん", "version": student.version})
    assert edited.status_code == 200
    latest = student.history.first()
    assert latest.history_via == f"API PUT /api/classroom/students/{student.pk}"
    assert ("nickname", "はなちゃん") in [(c.field, c.new) for c in latest.diff_against(latest.prev_record).changes]


def test_an_import_records_its_rows_with_who_and_the_import(staff, site):
    rows = student_rows(2)
    run = confirm(upload(staff, site, csv_bytes(STUDENT_HEADINGS, rows)), staff)
    child = Student.objects.get(external_id="C00000")
    created = child.history.get()
    assert (created.history_type, created.history_user, created.history_via) == ("+", staff, f"import #{run.pk}")
    assert created.history_sites == f",{site.pk},"
    household = child.household.history.get()
    assert household.history_sites == f",{site.pk},"  # linked to the site through its children
    assert Guardian.history.filter(household_id=child.household_id).count() == 1
    rows[0][5] = "深谷市立北中学校"
    run = confirm(upload(staff, site, csv_bytes(STUDENT_HEADINGS, rows)), staff)
    latest = child.history.first()
    assert (latest.history_type, latest.history_via) == ("~", f"import #{run.pk}")
    assert [(c.field, c.old, c.new) for c in latest.diff_against(latest.prev_record).changes
            if c.field == "school"] == [("school", "深谷市立南中学校", "深谷市立北中学校")]


def test_history_outlives_the_record_and_is_read_after_it(child, admin_client, staff):
    pk = child.pk
    guardian = child.household.guardians.get()
    guardian_pk = guardian.pk
    guardian.delete()
    child.delete()
    assert Student.history.filter(id=pk).values_list("history_type", flat=True)[0] == "-"
    deleted = Guardian.history.filter(id=guardian_pk).first()
    assert deleted.history_type == "-" and deleted.history_sites == f",{staff.sites.get().pk},"
    page = admin_client.get(reverse("oversight:history_record", args=["student", pk]))
    assert page.status_code == 200 and "深谷市立南中学校" in page.content.decode()
    assert admin_client.get(reverse("oversight:history_record", args=["guardian", guardian_pk])).status_code == 200


def test_a_staff_administrator_reads_their_own_sites_only(child, other_site, admin_client):
    theirs = StudentFactory(site=other_site, family_name="遠山", given_name="蓮")
    assert admin_client.get(reverse("oversight:history_record", args=["student", theirs.pk])).status_code == 404
    listing = admin_client.get(reverse("oversight:history")).content.decode()
    assert child.family_name in listing and "遠山" not in listing
    assert admin_client.get(reverse("oversight:history_record", args=["nosuchkind", child.pk])).status_code == 404


@pytest.mark.parametrize("persona", ["staff", "coordinator", "volunteer", "outsider"])
def test_anyone_else_gets_404(client, request, child, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("oversight:history")).status_code == 404
    assert client.get(reverse("oversight:history_record", args=["student", child.pk])).status_code == 404


def test_a_superuser_reads_every_site(child, other_site):
    boss = UserFactory(username="boss", is_superuser=True)
    theirs = StudentFactory(site=other_site)
    client = Client()
    client.force_login(boss)
    assert client.get(reverse("oversight:history_record", args=["student", theirs.pk])).status_code == 200


def test_hostile_filters_are_ignored(admin_client, child):
    for params in ({"who": "x\x00"}, {"kind": "a" * 10_000}, {"from": "0001-01-01", "to": "9999-12-31"},
                   {"page": "-1"}, {"who": 2**63}):
        assert admin_client.get(reverse("oversight:history"), params).status_code in (200, 400), params


def test_rows_tied_to_no_site_are_read_by_colleagues_only(site, staff, admin_client):
    household = HouseholdFactory(address="深谷市岡部1")  # no child yet: no site
    household.history.update(history_user=staff)
    stranger = UserFactory(username="stranger", roles=[rules.STAFF])
    lonely = HouseholdFactory(address="熊谷市1")
    lonely.history.update(history_user=stranger)
    assert admin_client.get(reverse("oversight:history_record", args=["household", household.pk])).status_code == 200
    assert admin_client.get(reverse("oversight:history_record", args=["household", lonely.pk])).status_code == 404


def test_the_staff_administrators_home_leads_to_the_history(admin_client):
    html = admin_client.get(reverse("oversight:home")).content.decode()
    assert reverse("oversight:history") in html and "変更履歴を開く" in html


def test_each_channel_reads_in_the_readers_language():
    from django.utils import translation

    from classroom.history import via_label

    with translation.override("ja"):
        assert [via_label(v) for v in ("screen classroom:student_edit", "API PUT /api/classroom/outcomes/3",
                                       "import #12", "command seed_demo", "admin", "system", "", "odd")] == [
            "画面 classroom:student_edit", "API PUT /api/classroom/outcomes/3", "取込 #12", "コマンド seed_demo",
            "Django管理サイト", "システム", "", "odd"]
    with translation.override("en"):
        assert via_label("import #12") == "Import #12"


def test_values_read_as_on_the_record_pages(admin_client, site, staff):
    child = StudentFactory(site=site, usual_weekdays="02", staff_in_charge=staff, birth_date="2012-05-28")
    html = admin_client.get(reverse("oversight:history_record", args=["student", child.pk])).content.decode()
    assert "月・水" in html and ">02<" not in html  # the weekdays the child comes on, by name
    assert "佐藤 美咲" in html  # a person by their name, not their username
    assert "2012年5月28日" in html  # a date as every page writes it
