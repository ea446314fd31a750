"""Create and edit a student with reasons, weekdays and household: writes, errors, roles."""

import pytest
from django.urls import reverse

from classroom.factories import GuardianFactory, HouseholdFactory, StudentFactory
from classroom.models import EnrollmentReason, Guardian, Household, HouseholdContact, Student, StudentStatus

CREATE = reverse("classroom:student_create")


def management(prefix: str, total: int = 1, initial: int = 0) -> dict:
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}


def student_data(site, **overrides) -> dict:
    data = {
        "family_name": "小鳥遊", "given_name": "大翔", "family_name_kana": "たかなし", "given_name_kana": "ひろと",
        "nickname": "ひろくん", "birth_date": "2012-06-15", "grade_override": "", "school": "深谷市立南中学校",
        "site": str(site.pk), "status": StudentStatus.ACTIVE, "enrolled_on": "2026-04-10", "staff_in_charge": "",
        "learning_goals": "数学の基礎", "health_notes": "卵アレルギー",
        "reasons": [EnrollmentReason.NEEDY, EnrollmentReason.NON_ATTENDANCE], "weekdays": ["3", "1"],
        "subjects": ["english", "maths"],
        "household-mode": "new", "household-existing": "",
        "address-postal_code": "366-0801", "address-address": "埼玉県深谷市上野台1-2-3", "address-note": "",
        **management("guardians"), **management("contacts"),
        "guardians-0-family_name": "小林", "guardians-0-given_name": "恵", "guardians-0-family_name_kana": "コバヤシ",
        "guardians-0-given_name_kana": "めぐみ", "guardians-0-relationship": "母", "guardians-0-phone": "080-1111-2222",
        "guardians-0-phone2": "", "guardians-0-email": "", "guardians-0-preferred_contact": "line",
        "guardians-0-preferred_language": "日本語",
        "contacts-0-kind": "caseworker", "contacts-0-name": "斎藤 健", "contacts-0-organisation": "深谷市 生活福祉課",
        "contacts-0-phone": "048-500-0000", "contacts-0-email": "",
    }
    data.update(overrides)
    return data


def test_staff_gets_the_empty_form(staff_client, site):
    response = staff_client.get(CREATE)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="reasons"' in html and 'name="weekdays"' in html and 'name="guardians-0-phone"' in html
    assert 'name="left_on"' not in html  # leaving goes through the archive form


def test_create_with_new_household_guardian_and_contact(staff_client, site, staff):
    response = staff_client.post(CREATE, student_data(site, staff_in_charge=str(staff.pk)))
    student = Student.objects.get(family_name="小鳥遊")
    assert response.status_code == 302 and response["Location"] == reverse("classroom:student_detail", args=[student.pk])
    assert student.family_name_kana == "タカナシ" and student.given_name_kana == "ヒロト"  # stored in katakana
    assert student.usual_weekdays == "13"
    assert student.focus_subjects == "maths,english"
    assert student.staff_in_charge == staff
    assert set(student.reasons.values_list("reason", flat=True)) == {"needy", "non_attendance"}
    guardian = student.household.guardians.get()
    assert guardian.given_name_kana == "メグミ" and guardian.preferred_contact == "line"
    assert student.household.contacts.get().name == "斎藤 健"
    follow = staff_client.get(response["Location"])
    assert "小鳥遊 大翔" in follow.content.decode()


def test_create_without_household_details_makes_no_household(staff_client, site):
    data = student_data(site, **{"address-postal_code": "", "address-address": ""})
    for key in [k for k in data if k.startswith(("guardians-0-", "contacts-0-"))]:
        data[key] = ""
    data["guardians-0-preferred_contact"] = "phone"
    data["guardians-0-preferred_language"] = "日本語"
    response = staff_client.post(CREATE, data)
    assert response.status_code == 302
    assert Student.objects.get(family_name="小鳥遊").household is None
    assert not Household.objects.exists()


def test_create_joins_a_siblings_household(staff_client, site):
    household = HouseholdFactory(address="埼玉県深谷市西島町5-6-7")
    StudentFactory(site=site, household=household)
    response = staff_client.post(CREATE, student_data(site, **{"household-mode": "existing",
                                                                "household-existing": str(household.pk)}))
    assert response.status_code == 302
    assert Student.objects.get(family_name="小鳥遊").household == household
    assert Household.objects.count() == 1 and not Guardian.objects.filter(given_name="恵").exists()


def test_bad_input_rerenders_with_japanese_errors_and_saves_nothing(staff_client, site):
    data = student_data(site, family_name_kana="kobayashi", birth_date="2999-01-01", **{"guardians-0-email": "bad"})
    response = staff_client.post(CREATE, data, HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 200
    form = response.context["form"]
    assert "family_name_kana" in form.errors and "birth_date" in form.errors
    assert response.context["guardians"].errors[0]["email"]
    assert not Student.objects.exists() and not Household.objects.exists()
    assert "field--error" in response.content.decode()


def test_existing_household_must_be_chosen(staff_client, site):
    response = staff_client.post(CREATE, student_data(site, **{"household-mode": "existing"}))
    assert response.status_code == 200
    assert response.context["mode_form"].errors["existing"]
    assert not Student.objects.exists()


def test_site_choices_are_limited_to_the_users_sites(staff_client, site, other_site):
    response = staff_client.post(CREATE, student_data(other_site))
    assert response.status_code == 200 and "site" in response.context["form"].errors
    assert other_site.name not in staff_client.get(CREATE).content.decode()
    assert not Student.objects.exists()


def test_edit_updates_student_reasons_and_household(staff_client, student, guardian):
    contact = student.household.contacts.get()
    data = student_data(
        student.site, family_name="山田", given_name="花子", family_name_kana="ヤマダ", given_name_kana="ハナコ",
        reasons=[EnrollmentReason.LOW_ACHIEVEMENT], weekdays=["4"], status=StudentStatus.PAUSED,
        left_on="", leaving_outcome="", **{"household-mode": "current"},
        **management("guardians", total=2, initial=1), **management("contacts", total=2, initial=1),
    )
    data.update({
        "guardians-0-id": str(guardian.pk), "guardians-0-household": str(student.household_id),
        "guardians-0-family_name": "山田", "guardians-0-given_name": "真理子", "guardians-0-family_name_kana": "ヤマダ",
        "guardians-0-given_name_kana": "マリコ", "guardians-0-phone": "090-0000-9999",
        "guardians-1-family_name": "", "guardians-1-given_name": "", "guardians-1-family_name_kana": "",
        "guardians-1-given_name_kana": "", "guardians-1-relationship": "", "guardians-1-phone": "",
        "guardians-1-phone2": "", "guardians-1-email": "", "guardians-1-preferred_contact": "phone",
        "guardians-1-preferred_language": "日本語",
        "contacts-0-id": str(contact.pk), "contacts-0-household": str(student.household_id), "contacts-0-DELETE": "on",
        "contacts-1-kind": "ssw", "contacts-1-name": "松本 SSW", "contacts-1-organisation": "", "contacts-1-phone": "",
        "contacts-1-email": "",
    })
    response = staff_client.post(reverse("classroom:student_edit", args=[student.pk]), data)
    assert response.status_code == 302, response.context and [
        response.context["form"].errors, response.context["guardians"].errors, response.context["contacts"].errors]
    student.refresh_from_db()
    assert student.status == StudentStatus.PAUSED and student.usual_weekdays == "4"
    assert list(student.reasons.values_list("reason", flat=True)) == ["low_achievement"]
    guardian.refresh_from_db()
    assert guardian.phone == "090-0000-9999"
    assert list(HouseholdContact.objects.filter(household=student.household).values_list("name", flat=True)) == ["松本 SSW"]


def test_edit_refuses_to_remove_a_guardian_who_gave_consent(staff_client, student, guardian):
    data = student_data(
        student.site, family_name="山田", **{"household-mode": "current"},
        **management("guardians", total=1, initial=1), **management("contacts", total=0, initial=0),
    )
    data.update({"guardians-0-id": str(guardian.pk), "guardians-0-household": str(student.household_id),
                 "guardians-0-DELETE": "on"})
    response = staff_client.post(reverse("classroom:student_edit", args=[student.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Guardian.objects.filter(pk=guardian.pk).exists()
    student.refresh_from_db()
    assert student.family_name_kana == "ヤマダ"  # nothing changed: the whole save was rolled back


def test_edit_moves_to_another_household(staff_client, student, site):
    other = HouseholdFactory(address="埼玉県深谷市稲荷町1-1-1")
    GuardianFactory(household=other)
    StudentFactory(site=site, household=other)
    data = student_data(site, family_name="山田", **{"household-mode": "existing", "household-existing": str(other.pk)})
    response = staff_client.post(reverse("classroom:student_edit", args=[student.pk]), data)
    assert response.status_code == 302
    student.refresh_from_db()
    assert student.household == other


def test_edit_form_shows_current_values(staff_client, student, site, other_site):
    neighbour = HouseholdFactory(address="埼玉県深谷市原郷3-3-3")
    StudentFactory(site=site, household=neighbour, family_name="勅使河原", given_name="蓮")
    hidden = HouseholdFactory(address="よその住所")
    StudentFactory(site=other_site, household=hidden)
    html = staff_client.get(reverse("classroom:student_edit", args=[student.pk])).content.decode()
    assert "埼玉県深谷市原郷3-3-3 / 勅使河原 蓮" in html  # a sibling's household to choose
    assert "よその住所" not in html
    assert 'value="public_assistance" checked' in html or ('value="public_assistance"' in html and "checked" in html)
    assert 'name="weekdays" value="1"' in html
    assert "090-4321-8765" in html


def test_left_status_needs_a_date_and_outcome(staff_client, student):
    data = student_data(student.site, family_name="山田", status=StudentStatus.LEFT, left_on="", leaving_outcome="",
                        **{"household-mode": "existing", "household-existing": ""})
    response = staff_client.post(reverse("classroom:student_edit", args=[student.pk]), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "left_on" in errors and "leaving_outcome" in errors


@pytest.mark.parametrize("client_fixture", ["coordinator_client", "volunteer_client", "outsider_client"])
def test_only_staff_may_create_or_edit(request, client_fixture, student, site):
    client = request.getfixturevalue(client_fixture)
    edit = reverse("classroom:student_edit", args=[student.pk])
    assert client.get(CREATE).status_code == 404
    assert client.post(CREATE, student_data(site)).status_code == 404
    assert client.get(edit).status_code == 404
    assert client.post(edit, student_data(site)).status_code == 404
    assert Student.objects.count() == 1


def test_another_sites_student_cannot_be_edited(staff_client, other_site):
    stranger = StudentFactory(site=other_site)
    assert staff_client.get(reverse("classroom:student_edit", args=[stranger.pk])).status_code == 404


def test_form_offers_another_guardian_and_contact_from_the_empty_form(staff_client, site):
    html = staff_client.get(CREATE).content.decode()
    assert 'data-formset-template="guardians"' in html and 'name="guardians-__prefix__-phone"' in html
    assert 'data-formset-template="contacts"' in html and 'name="contacts-__prefix__-name"' in html
    assert 'data-formset-add="guardians"' in html and "js/formset.js" in html


def test_create_with_two_guardians_in_one_save(staff_client, site):
    second = {
        "guardians-1-family_name": "小林", "guardians-1-given_name": "誠", "guardians-1-family_name_kana": "こばやし",
        "guardians-1-given_name_kana": "まこと", "guardians-1-relationship": "父", "guardians-1-phone": "090-3333-4444",
        "guardians-1-phone2": "", "guardians-1-email": "", "guardians-1-preferred_contact": "phone",
        "guardians-1-preferred_language": "日本語",
    }
    response = staff_client.post(CREATE, student_data(site, **management("guardians", total=2), **second))
    assert response.status_code == 302
    student = Student.objects.get(family_name="小鳥遊")
    assert sorted(student.household.guardians.values_list("relationship", flat=True)) == ["母", "父"]
