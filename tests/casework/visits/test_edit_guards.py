"""Home visits and contacts: an edit from an older form or another tab never overwrites a save made
since (the form and the autosave show both versions), and a double submit makes one record."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casework.models import Contact, FollowUpAction, HomeVisit, RecordStatus
from tests.casework.visits.test_lists import contact_data
from tests.casework.visits.test_visit_form import visit_data
from tests.edit_guards import form_values, open_form
from tests.neighbours import ours

pytestmark = pytest.mark.django_db

TAB_1, TAB_2 = "1" * 32, "2" * 32


@pytest.fixture
def colleague_client(colleague):
    client = Client()
    client.force_login(colleague)
    return client


def reopened(response) -> dict:
    data = form_values(response.content.decode())
    data.pop("csrfmiddlewaretoken", None)
    return data


# --- The visit form ------------------------------------------------------------------------------------
def test_a_visit_saved_from_an_older_form_keeps_the_later_save_and_shows_both(
    staff_client, colleague_client, student, make_visit, staff
):
    visit = make_visit(student, child_condition="元気", parenting_consultation="")
    url = reverse("casework:visit_edit", args=[visit.pk])
    form_a, form_b = open_form(staff_client, url), open_form(colleague_client, url)

    form_a["child_condition"] = "食欲がない様子"
    assert staff_client.post(url, form_a).status_code == 302
    form_b["parenting_consultation"] = "進学費用の相談"
    response = colleague_client.post(url, form_b)

    assert response.status_code == 200
    visit.refresh_from_db()
    assert (visit.child_condition, visit.parenting_consultation) == ("食欲がない様子", "")
    html = response.content.decode()
    assert "進学費用の相談" in html and "上書きはしていません" in html
    rows = {row["name"]: (row["mine"], row["saved"]) for row in response.context["form"].conflict_rows}
    assert rows == {"child_condition": ("元気", "食欲がない様子"), "parenting_consultation": ("進学費用の相談", "")}

    again = reopened(response)  # B takes A's text over, keeps theirs, and saves knowingly
    again["child_condition"] = "食欲がない様子"
    assert colleague_client.post(url, again).status_code == 302
    visit.refresh_from_db()
    assert (visit.child_condition, visit.parenting_consultation) == ("食欲がない様子", "進学費用の相談")


def test_a_follow_up_added_meanwhile_is_shown_and_kept(staff_client, colleague_client, student, make_visit,
                                                       make_follow_up):
    visit = make_visit(student)
    url = reverse("casework:visit_edit", args=[visit.pk])
    form_b = open_form(colleague_client, url)
    form_a = open_form(staff_client, url)
    form_a["followups-0-description"] = "担任と面談"
    form_a["followups-0-due_on"] = f"{timezone.localdate() + dt.timedelta(days=3):%Y-%m-%d}"
    assert staff_client.post(url, form_a).status_code == 302
    form_b["child_condition"] = "落ち着いている"
    response = colleague_client.post(url, form_b)
    assert response.status_code == 200
    assert ours(FollowUpAction).get().description == "担任と面談"
    rows = {row["name"]: row for row in response.context["form"].conflict_rows}
    assert "担任と面談" in rows["followups"]["saved"]


# --- The autosave, from two tabs ----------------------------------------------------------------------
def autosave(client, url, data) -> tuple[int, dict]:
    response = client.post(url, data)
    return response.status_code, response.json()


def test_two_tabs_autosaving_one_draft_never_replace_each_other(staff_client, student, make_visit):
    draft = make_visit(student, status=RecordStatus.DRAFT, living_environment="", parent_child="")
    url = reverse("casework:visit_autosave", args=[draft.pk])
    tab_1 = open_form(staff_client, reverse("casework:visit_edit", args=[draft.pk]))
    tab_2 = open_form(staff_client, reverse("casework:visit_edit", args=[draft.pk]))

    tab_1["living_environment"] = "玄関に靴が散乱"
    status, body = autosave(staff_client, url, tab_1)
    assert status == 200 and body["saved"] and body["version"] == 2

    tab_2["parent_child"] = "会話が少ない"
    status, body = autosave(staff_client, url, tab_2)
    assert status == 409 and body["conflict"] and not body["saved"]
    draft.refresh_from_db()
    assert (draft.living_environment, draft.parent_child, draft.version) == ("玄関に靴が散乱", "", 2)
    rows = {row["name"]: (row["mine"], row["saved"]) for row in body["rows"]}
    assert rows == {"living_environment": ("", "玄関に靴が散乱"), "parent_child": ("会話が少ない", "")}
    assert body["version"] == 2 and "上書きはしていません" in body["message"]

    # Tab 2 keeps its own knowingly: the JS sets the version it was shown and saves again.
    tab_2["edit_version"] = str(body["version"])
    tab_2["living_environment"] = "玄関に靴が散乱"
    status, body = autosave(staff_client, url, tab_2)
    assert status == 200 and body["version"] == 3
    # Tab 1, still on version 2, is now the one told.
    tab_1["edit_version"] = "2"
    tab_1["living_environment"] = "玄関に靴が散乱。台所は片付いていた"
    status, body = autosave(staff_client, url, tab_1)
    assert status == 409
    draft.refresh_from_db()
    assert (draft.living_environment, draft.parent_child) == ("玄関に靴が散乱", "会話が少ない")


def test_two_new_visit_tabs_make_one_draft_and_the_second_is_told(staff_client, student, staff):
    url = reverse("casework:visit_autosave_new")
    first = {"student": student.pk, "living_environment": "玄関に靴が散乱", "form_token": TAB_1}
    status, body = autosave(staff_client, url, first)
    assert status == 200
    assert autosave(staff_client, url, first)[1]["pk"] == body["pk"]  # a retry from the same tab continues it

    second = {"student": student.pk, "parent_child": "会話が少ない", "living_environment": "", "form_token": TAB_2}
    status, conflict = autosave(staff_client, url, second)
    assert status == 409 and conflict["conflict"] and conflict["pk"] == body["pk"]
    assert conflict["autosave_url"] == reverse("casework:visit_autosave", args=[body["pk"]])
    visit = ours(HomeVisit).get()
    assert visit.living_environment == "玄関に靴が散乱" and visit.parent_child == ""


def test_the_form_sent_while_its_autosave_made_the_draft_fills_that_draft(staff_client, student, staff):
    create = reverse("casework:visit_create") + f"?student={student.pk}"
    data = open_form(staff_client, create)
    data.update(visit_data(student, staff, action="finish"))
    status, _body = autosave(staff_client, reverse("casework:visit_autosave_new"), data)
    assert status == 200
    response = staff_client.post(create, data)  # the button, on the page the autosave ran on
    visit = ours(HomeVisit).get()
    assert response.status_code == 302 and response.url == reverse("casework:visit_detail", args=[visit.pk])
    assert visit.status == RecordStatus.DONE


def test_a_finished_visit_sent_twice_is_recorded_once(staff_client, student, staff):
    create = reverse("casework:visit_create") + f"?student={student.pk}"
    data = open_form(staff_client, create)
    data.update(visit_data(student, staff, action="finish"))
    first = staff_client.post(create, data)
    second = staff_client.post(create, data)
    visit = ours(HomeVisit).get()
    assert first.url == second.url == reverse("casework:visit_detail", args=[visit.pk])
    assert "すでに送信されています" in staff_client.get(second.url).content.decode()


# --- Contacts ---------------------------------------------------------------------------------------------
def test_a_contact_saved_from_an_older_form_keeps_the_later_save(staff_client, colleague_client, student, staff):
    contact = Contact.objects.create(student=student, kind="phone", contacted_at=timezone.now(), staff=staff,
                                     with_whom="母", notes="欠席の連絡")
    url = reverse("casework:contact_edit", args=[contact.pk])
    form_a, form_b = open_form(staff_client, url), open_form(colleague_client, url)
    form_a["notes"] = "欠席の連絡。来週は来られる"
    assert staff_client.post(url, form_a).status_code == 302
    form_b["with_whom"] = "父"
    response = colleague_client.post(url, form_b)
    assert response.status_code == 200
    contact.refresh_from_db()
    assert (contact.notes, contact.with_whom) == ("欠席の連絡。来週は来られる", "母")
    rows = {row["name"]: (row["mine"], row["saved"]) for row in response.context["form"].conflict_rows}
    assert rows == {"with_whom": ("父", "母"), "notes": ("欠席の連絡", "欠席の連絡。来週は来られる")}
    assert 'value="父"' in response.content.decode()


def test_a_contact_sent_twice_is_recorded_once(staff_client, student, staff):
    create = reverse("casework:contact_create") + f"?student={student.pk}"
    data = open_form(staff_client, create)
    data.update(contact_data(student, staff))
    first, second = staff_client.post(create, data), staff_client.post(create, data)
    contact = ours(Contact).get()
    assert first.url == second.url == reverse("casework:contact_detail", args=[contact.pk])
    assert ours(FollowUpAction).count() == 1


def test_an_information_share_sent_twice_is_recorded_once(staff_client, student, caseworker, consent):
    from casework.models import InformationShare
    from tests.casework.visits.test_shares import share_data
    from tests.casework.visits.test_shares import url as share_url

    data = open_form(staff_client, share_url(student))
    data.update(share_data(recipient=caseworker.pk, consent=consent.pk))
    first, second = staff_client.post(share_url(student), data), staff_client.post(share_url(student), data)
    share = InformationShare.objects.get(student=student)
    assert first.url == second.url == reverse("casework:share_detail", args=[share.pk])


def test_an_autosave_with_a_forged_version_saves_nothing(staff_client, student, make_visit):
    draft = make_visit(student, status=RecordStatus.DRAFT, living_environment="")
    for bad in ("abc", "-3", "1e3"):
        response = staff_client.post(reverse("casework:visit_autosave", args=[draft.pk]),
                                     {"living_environment": "上書き", "edit_version": bad})
        assert response.status_code == 409 and "この画面は古くなっています" in response.json()["message"]
    draft.refresh_from_db()
    assert draft.living_environment == "" and draft.version == 1
