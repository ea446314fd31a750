"""Create and edit: one atomic service for the account and the profile; bad input changes nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from classroom import rules
from volunteers.models import Volunteer

User = get_user_model()
CREATE = reverse("volunteers:volunteer_create")


def valid(site, **overrides):
    data = {
        "last_name": "中村", "first_name": "誠", "username": "nakamura", "email": "nakamura@example.jp",
        "password": "kawa-no-nagare-2026", "kind": "university_student",
        "teaching": ["maths:junior_high", "english:high_school"], "max_children": "2",
        "weekdays": ["3", "1"], "sites": [str(site.pk)], "pledge_signed_on": "2026-04-01",
        "insurance_expires_on": "2027-03-31", "training_completed_on": "", "joined_on": "2026-04-01",
        "is_active": "on", "phone": "090-1111-2222", "emergency_contact_name": "中村 花",
        "emergency_contact_phone": "090-3333-4444", "note": "",
    }
    data.update(overrides)
    return data


def test_form_page_shows_the_teaching_grid(coordinator_client, site):
    response = coordinator_client.get(CREATE)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="maths:junior_high"' in html and 'value="social:high_school"' in html
    assert 'name="password"' in html


@pytest.mark.parametrize("persona", ["staff", "coordinator"])
def test_create_makes_the_user_with_the_role_and_the_profile(client, request, persona, site):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(CREATE, valid(site))
    volunteer = Volunteer.objects.get(user__username="nakamura")
    assert response.status_code == 302 and response["Location"] == reverse("volunteers:volunteer_detail", args=[volunteer.pk])
    user = volunteer.user
    assert (user.last_name, user.first_name, user.email) == ("中村", "誠", "nakamura@example.jp")
    assert rules.is_volunteer(user) and user.check_password("kawa-no-nagare-2026")
    assert sorted(volunteer.teaching.values_list("subject", "level")) == [("english", "high_school"), ("maths", "junior_high")]
    assert volunteer.usual_weekdays == "13" and volunteer.max_children == 2
    assert list(volunteer.sites.all()) == [site]


def test_blank_password_makes_an_unusable_account(staff_client, site):
    staff_client.post(CREATE, valid(site, password=""))
    assert not User.objects.get(username="nakamura").has_usable_password()


@pytest.mark.parametrize("overrides, field", [
    ({"username": ""}, "username"),
    ({"username": "bad name!"}, "username"),
    ({"username": "staff-persona"}, "username"),
    ({"password": "1234"}, "password"),
    ({"password": "nakamura"}, "password"),
    ({"sites": []}, "sites"),
    ({"kind": "alien"}, "kind"),
    ({"teaching": ["maths:university"]}, "teaching"),
    ({"max_children": "0"}, "max_children"),
    ({"pledge_signed_on": "2026-13-01"}, "pledge_signed_on"),
    ({"email": "not-an-email"}, "email"),
])
def test_bad_input_changes_nothing(staff_client, site, other_site, overrides, field):
    users = User.objects.count()
    response = staff_client.post(CREATE, valid(site, **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert User.objects.count() == users and not Volunteer.objects.exists()


def test_another_sites_id_is_refused(staff_client, site, other_site):
    response = staff_client.post(CREATE, valid(site, sites=[str(other_site.pk)]))
    assert response.status_code == 200 and "sites" in response.context["form"].errors
    assert not Volunteer.objects.exists()


def test_messages_are_in_japanese(staff_client, site):
    staff_client.cookies.load({"django_language": "ja"})
    response = staff_client.post(CREATE, valid(site, last_name="", email="x"), HTTP_ACCEPT_LANGUAGE="ja")
    html = response.content.decode()
    assert "このフィールドは必須です。" in html and "有効なメールアドレスを入力してください。" in html


def test_the_reading_typed_in_hiragana_is_stored_in_katakana(staff_client, site):
    """The name's reading (issue 15: read with the name by screen readers) is normalised as the children's are
    (full-width katakana; the full-width space becomes a plain one)."""
    response = staff_client.post(CREATE, valid(site, name_kana="なかむら　まこと"))
    assert response.status_code == 302
    volunteer = Volunteer.objects.get(user__username="nakamura")
    assert volunteer.name_kana == "ナカムラ マコト" and volunteer.full_name_kana == volunteer.name_kana
    form = staff_client.get(reverse("volunteers:volunteer_edit", args=[volunteer.pk])).content.decode()
    assert 'name="name_kana"' in form and 'value="ナカムラ マコト"' in form


def test_the_reading_is_optional(staff_client, site):
    assert staff_client.post(CREATE, valid(site, name_kana="")).status_code == 302
    assert Volunteer.objects.get(user__username="nakamura").name_kana == ""


def test_a_reading_in_latin_letters_is_refused_in_japanese(staff_client, site):
    staff_client.cookies.load({"django_language": "ja"})
    response = staff_client.post(CREATE, valid(site, name_kana="Nakamura Makoto"), HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 200 and "name_kana" in response.context["form"].errors
    assert "ふりがなは、ひらがなかカタカナで入力してください。" in response.content.decode()
    assert not Volunteer.objects.exists()


def test_edit_keeps_the_password_and_the_sites_i_cannot_see(staff_client, site, other_site, tutor):
    tutor.sites.add(other_site)
    password_hash = tutor.user.password
    url = reverse("volunteers:volunteer_edit", args=[tutor.pk])
    form = staff_client.get(url)
    assert form.status_code == 200 and 'name="password"' not in form.content.decode()
    data = valid(site, username="suzuki", last_name="鈴木", first_name="一朗", teaching=["science:high_school"])
    data.pop("password")
    response = staff_client.post(url, data)
    assert response.status_code == 302
    tutor.refresh_from_db()
    tutor.user.refresh_from_db()
    assert tutor.user.first_name == "一朗" and tutor.user.password == password_hash
    assert list(tutor.teaching.values_list("subject", "level")) == [("science", "high_school")]
    assert set(tutor.sites.all()) == {site, other_site}


def test_edit_with_bad_input_changes_nothing(staff_client, site, tutor):
    url = reverse("volunteers:volunteer_edit", args=[tutor.pk])
    response = staff_client.post(url, valid(site, username="suzuki", first_name="", teaching=["english:high_school"]))
    assert response.status_code == 200
    tutor.refresh_from_db()
    assert tutor.user.first_name == "一郎"
    assert sorted(tutor.teaching.values_list("subject", flat=True)) == ["maths", "maths"]


@pytest.mark.parametrize("persona", ["volunteer", "outsider"])
def test_other_roles_get_404(client, request, persona, site, tutor):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(CREATE).status_code == 404
    assert client.post(CREATE, valid(site)).status_code == 404
    assert client.get(reverse("volunteers:volunteer_edit", args=[tutor.pk])).status_code == 404
    assert not Volunteer.objects.filter(user__username="nakamura").exists()
