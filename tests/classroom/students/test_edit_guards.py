"""Two people editing one student never overwrite each other; a double submit registers one child;
a child with the same name, kana and date of birth is shown before a second one is registered."""

import pytest
from django.test import Client
from django.urls import reverse

from classroom import rules
from classroom.factories import GuardianFactory, HouseholdFactory, StudentFactory, UserFactory
from classroom.models import FormSubmission, Guardian, Student
from tests.classroom.students.test_form import CREATE, student_data
from tests.edit_guards import open_form


@pytest.fixture
def colleague(site):
    return UserFactory(username="colleague", last_name="鈴木", first_name="一郎", roles=[rules.STAFF], sites=[site])


@pytest.fixture
def colleague_client(colleague):
    client = Client()
    client.force_login(colleague)
    return client


@pytest.fixture
def child(site):
    household = HouseholdFactory(address="深谷市上柴町西1-1")
    GuardianFactory(household=household, family_name="小林", given_name="恵", phone="080-1111-2222")
    return StudentFactory(site=site, household=household, school="深谷市立南中学校", health_notes="")


def test_a_later_save_from_an_older_form_overwrites_nothing_and_shows_both_versions(
    staff_client, colleague_client, child
):
    url = reverse("classroom:student_edit", args=[child.pk])
    form_a = open_form(staff_client, url)  # A and B open the form at the same time
    form_b = open_form(colleague_client, url)
    assert form_a["edit_version"] == form_b["edit_version"] == "1"

    form_a["health_notes"] = "卵アレルギー（重度）"
    assert staff_client.post(url, form_a).status_code == 302

    form_b["school"] = "深谷市立北中学校"
    response = colleague_client.post(url, form_b)

    assert response.status_code == 200  # refused: the form again, with both versions
    child.refresh_from_db()
    assert child.health_notes == "卵アレルギー（重度）" and child.school == "深谷市立南中学校"  # A's note kept
    html = response.content.decode()
    assert "上書きはしていません" in html
    assert 'value="深谷市立北中学校"' in html  # what B typed is still in the form
    conflict = response.context["form"].conflict_rows
    assert {row["name"]: (row["mine"], row["saved"]) for row in conflict} == {
        "school": ("深谷市立北中学校", "深谷市立南中学校"),
        "health_notes": ("", "卵アレルギー（重度）"),
    }

    # B re-applies knowingly: the form now stands on the saved version, and B keeps A's note.
    again = open_form_from(response)
    assert again["edit_version"] == "2"
    again["health_notes"] = "卵アレルギー（重度）"
    assert colleague_client.post(url, again).status_code == 302
    child.refresh_from_db()
    assert (child.school, child.health_notes, child.version) == ("深谷市立北中学校", "卵アレルギー（重度）", 3)


def open_form_from(response) -> dict:
    from tests.edit_guards import form_values

    data = form_values(response.content.decode())
    data.pop("csrfmiddlewaretoken", None)
    return data


def test_two_siblings_edited_at_once_do_not_conflict_over_their_shared_household(staff_client, colleague_client, child):
    sibling = StudentFactory(site=child.site, household=child.household)
    form_a = open_form(staff_client, reverse("classroom:student_edit", args=[child.pk]))
    form_b = open_form(colleague_client, reverse("classroom:student_edit", args=[sibling.pk]))
    form_a["school"] = "深谷市立北中学校"
    form_b["school"] = "深谷市立東中学校"
    assert staff_client.post(reverse("classroom:student_edit", args=[child.pk]), form_a).status_code == 302
    assert colleague_client.post(reverse("classroom:student_edit", args=[sibling.pk]), form_b).status_code == 302


def test_a_guardian_changed_from_a_siblings_form_is_not_lost(staff_client, colleague_client, child):
    sibling = StudentFactory(site=child.site, household=child.household)
    form_a = open_form(staff_client, reverse("classroom:student_edit", args=[child.pk]))
    form_b = open_form(colleague_client, reverse("classroom:student_edit", args=[sibling.pk]))
    form_a["guardians-0-phone"] = "090-9999-0000"
    assert staff_client.post(reverse("classroom:student_edit", args=[child.pk]), form_a).status_code == 302

    form_b["guardians-0-phone2"] = "048-111-2222"
    response = colleague_client.post(reverse("classroom:student_edit", args=[sibling.pk]), form_b)

    assert response.status_code == 200
    guardian = Guardian.objects.get()
    assert (guardian.phone, guardian.phone2) == ("090-9999-0000", "")
    rows = {row["name"]: row for row in response.context["household_form"].conflict_rows}
    assert "090-9999-0000" in rows["guardians"]["saved"] and "080-1111-2222" in rows["guardians"]["mine"]
    assert 'value="048-111-2222"' in response.content.decode()


def test_the_form_that_saved_last_may_save_again(staff_client, child):
    url = reverse("classroom:student_edit", args=[child.pk])
    data = open_form(staff_client, url)
    data["school"] = "深谷市立北中学校"
    assert staff_client.post(url, data).status_code == 302
    data = open_form(staff_client, url)
    data["school"] = "深谷市立東中学校"
    assert staff_client.post(url, data).status_code == 302
    child.refresh_from_db()
    assert child.school == "深谷市立東中学校" and child.version == 3


def test_a_forged_version_is_a_clear_message_not_an_error(staff_client, child):
    url = reverse("classroom:student_edit", args=[child.pk])
    for bad in ("abc", "-1", "1.5", "99999999999"):
        data = open_form(staff_client, url)
        data["edit_version"] = bad
        data["school"] = "深谷市立北中学校"
        response = staff_client.post(url, data)
        assert response.status_code == 200
        assert "この画面は古くなっています" in response.content.decode()
    child.refresh_from_db()
    assert child.version == 1


# --- Creates: once per form ---------------------------------------------------------------------------
def test_a_double_submit_registers_one_child_and_the_second_post_shows_it(staff_client, site):
    data = open_form(staff_client, CREATE)
    data.update(student_data(site))
    first = staff_client.post(CREATE, data)
    second = staff_client.post(CREATE, data)  # a double tap, or back and send again
    student = Student.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == reverse("classroom:student_detail", args=[student.pk])
    assert FormSubmission.objects.get().object_id == student.pk
    page = staff_client.get(second["Location"]).content.decode()
    assert "すでに送信されています" in page


def test_back_and_resubmit_with_changes_still_registers_one_child(staff_client, site):
    data = open_form(staff_client, CREATE)
    data.update(student_data(site))
    staff_client.post(CREATE, data)
    data["nickname"] = "ひろ"  # back, change a field, send again: the same rendered form
    staff_client.post(CREATE, data)
    assert Student.objects.count() == 1


def test_a_new_form_registers_a_new_child(staff_client, site):
    for given in ("大翔", "陽菜"):
        data = open_form(staff_client, CREATE)
        data.update(student_data(site, given_name=given, given_name_kana="ひな" if given == "陽菜" else "ひろと"))
        assert staff_client.post(CREATE, data).status_code == 302
    assert Student.objects.count() == 2


def test_a_failed_create_leaves_the_token_free(staff_client, site):
    data = open_form(staff_client, CREATE)
    data.update(student_data(site, family_name=""))
    assert staff_client.post(CREATE, data).status_code == 200
    data["family_name"] = "小鳥遊"
    assert staff_client.post(CREATE, data).status_code == 302
    assert Student.objects.count() == 1


# --- The same child twice --------------------------------------------------------------------------
def test_the_same_name_kana_and_birth_date_asks_first_and_shows_the_existing_child(staff_client, site):
    existing = StudentFactory(site=site, family_name="小鳥遊", given_name="大翔", family_name_kana="タカナシ",
                              given_name_kana="ヒロト", birth_date="2012-06-15")
    data = open_form(staff_client, CREATE)
    data.update(student_data(site))  # the reading typed in hiragana: still the same child
    response = staff_client.post(CREATE, data)
    assert response.status_code == 200
    assert Student.objects.count() == 1
    html = response.content.decode()
    assert reverse("classroom:student_detail", args=[existing.pk]) in html
    assert 'name="different_child"' in html

    data["different_child"] = "on"
    assert staff_client.post(CREATE, data).status_code == 302
    assert Student.objects.count() == 2


def test_another_birth_date_is_not_the_same_child(staff_client, site):
    StudentFactory(site=site, family_name="小鳥遊", given_name="大翔", family_name_kana="タカナシ",
                   given_name_kana="ヒロト", birth_date="2011-01-01")
    data = open_form(staff_client, CREATE)
    data.update(student_data(site))
    assert staff_client.post(CREATE, data).status_code == 302


def test_a_child_of_another_site_is_never_shown(staff_client, site, other_site):
    hidden = StudentFactory(site=other_site, family_name="小鳥遊", given_name="大翔", family_name_kana="タカナシ",
                            given_name_kana="ヒロト", birth_date="2012-06-15")
    data = open_form(staff_client, CREATE)
    data.update(student_data(site))
    response = staff_client.post(CREATE, data)
    assert response.status_code == 302
    assert reverse("classroom:student_detail", args=[hidden.pk]) not in staff_client.get(response["Location"]).content.decode()
