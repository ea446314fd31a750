"""Login, logout, password change, session lifetime and the admin."""

import time

import pytest
from django.urls import reverse

from lib.middleware import LOGIN_AT, SEEN_AT


def test_login_page_is_in_japanese_in_the_apps_own_layout(client, db):
    response = client.get(reverse("login"))
    content = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ja">' in content
    assert "ログイン" in content
    assert 'class="site-header"' in content


def test_wrong_password_shows_a_japanese_error_and_signs_nobody_in(client, staff):
    response = client.post(reverse("login"), {"username": staff.username, "password": "wrong-password"})
    assert response.status_code == 200
    assert "正しいユーザー名とパスワードを入力してください" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("persona", "home_url"),
    [("staff", "/staff/"), ("coordinator", "/coordinator/"), ("volunteer", "/volunteer/")],
)
def test_each_role_lands_on_its_own_home_after_login(client, request, password, persona, home_url):
    user = request.getfixturevalue(persona)
    response = client.post(reverse("login"), {"username": user.username, "password": password}, follow=True)
    assert response.redirect_chain[-1][0] == home_url
    assert response.status_code == 200


def test_a_user_without_a_role_is_told_so(outsider_client):
    response = outsider_client.get("/")
    assert response.status_code == 200
    assert "ロールがまだ設定されていません" in response.content.decode()


def test_a_user_with_several_roles_lands_on_the_first_and_sees_every_role_in_the_menu(client, staff):
    from django.contrib.auth.models import Group

    staff.groups.add(Group.objects.get(name="volunteer"))
    client.force_login(staff)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == "/staff/"
    content = response.content.decode()
    assert reverse("volunteers:home_volunteer") in content
    assert client.get(reverse("volunteers:home_volunteer")).status_code == 200


def test_anonymous_users_are_sent_to_login(client, db):
    for url in ["/", "/staff/", "/coordinator/", "/volunteer/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_logout_is_a_post_and_ends_the_session(staff_client):
    assert staff_client.get(reverse("logout")).status_code == 405
    response = staff_client.post(reverse("logout"))
    assert response.status_code == 302
    assert staff_client.get("/staff/").status_code == 302


def test_password_change_in_the_apps_layout(client, staff, password):
    client.force_login(staff)
    page = client.get(reverse("password_change"))
    assert page.status_code == 200
    assert "パスワードの変更" in page.content.decode()
    bad = client.post(reverse("password_change"), {
        "old_password": "not-it", "new_password1": "x", "new_password2": "y"})
    assert bad.status_code == 200
    staff.refresh_from_db()
    assert staff.check_password(password)
    good = client.post(reverse("password_change"), {
        "old_password": password, "new_password1": "Kagawa-Sanuki-2026!", "new_password2": "Kagawa-Sanuki-2026!"})
    assert good.status_code == 302
    staff.refresh_from_db()
    assert staff.check_password("Kagawa-Sanuki-2026!")


def _age_session(client, *, login_ago: float, seen_ago: float):
    session = client.session
    now = time.time()
    session[LOGIN_AT] = now - login_ago
    session[SEEN_AT] = now - seen_ago
    session.save()


def test_session_survives_29_idle_minutes(staff_client):
    staff_client.get("/staff/")
    _age_session(staff_client, login_ago=60 * 60, seen_ago=29 * 60)
    assert staff_client.get("/staff/").status_code == 200


def test_session_ends_after_30_idle_minutes(staff_client):
    staff_client.get("/staff/")
    _age_session(staff_client, login_ago=40 * 60, seen_ago=31 * 60)
    response = staff_client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert staff_client.get("/staff/").status_code == 302


def test_session_ends_12_hours_after_login_even_when_active(staff_client):
    staff_client.get("/staff/")
    _age_session(staff_client, login_ago=12 * 60 * 60 + 5, seen_ago=10)
    assert staff_client.get("/staff/").status_code == 302


def test_an_expired_htmx_request_is_redirected_by_header(staff_client):
    staff_client.get("/staff/")
    _age_session(staff_client, login_ago=60, seen_ago=31 * 60)
    response = staff_client.get("/staff/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["staff", "staff_admin", "coordinator", "volunteer", "outsider"])
def test_admin_is_closed_to_everyone_but_superusers(client, request, persona):
    user = request.getfixturevalue(persona)
    user.is_staff = True  # even Django's staff flag does not open it
    user.save()
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_admin_opens_for_a_superuser(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root-admin", "root@example.jp", "pw-for-tests-only")
    client.force_login(admin)
    assert client.get("/admin/").status_code == 200
