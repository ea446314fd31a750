"""Two-factor sign-in (django-otp): required for staff, staff administrators, coordinators and superusers
where TWO_FACTOR_REQUIRED is on, optional for volunteers; TOTP codes, single-use recovery codes,
throttled wrong codes, and a session that owes its second factor reaches nothing else."""

import re

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from classroom import rules
from classroom.factories import UserFactory
from classroom.services import two_factor as service


@pytest.fixture(autouse=True)
def _required(settings):
    settings.TWO_FACTOR_REQUIRED = True


def code_of(device: TOTPDevice, offset: int = 0) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0 - offset * device.step, digits=device.digits):06d}"


def with_authenticator(user) -> tuple[TOTPDevice, list[str]]:
    device = service.two_factor_start(user=user)
    codes = service.two_factor_confirm(user=user, device=device, token=code_of(device))
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)  # the confirming code may be used again here
    return device, codes


def sign_in(client, user, password, next_path="/"):
    return client.post(reverse("login") + f"?next={next_path}", {"username": user.username, "password": password})


@pytest.mark.parametrize("persona", ["staff", "coordinator"])
def test_a_required_role_without_an_authenticator_sets_one_up_before_anything_else(client, request, password, persona):
    user = request.getfixturevalue(persona)
    response = sign_in(client, user, password, "/students/")
    response = client.get(response.url)
    assert response.status_code == 302 and response.url.startswith(reverse("classroom:two_factor_setup"))
    for path in ("/", "/students/", "/accounts/two-factor/", "/accounts/profile/"):
        assert client.get(path).url.startswith(reverse("classroom:two_factor_setup")), path
    assert client.get("/api/classroom/me").status_code == 401
    assert client.get("/students/", headers={"HX-Request": "true"})["HX-Redirect"].startswith("/accounts/two-factor/setup/")

    page = client.get(reverse("classroom:two_factor_setup") + "?next=/students/")
    assert page.status_code == 200
    assert re.search(r'<img class="qr" src="data:image/svg\+xml', page.content.decode())
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = client.post(reverse("classroom:two_factor_setup"), {"code": "000000", "next": "/students/"})
    assert "コードが違います" in wrong.content.decode()
    done = client.post(reverse("classroom:two_factor_setup"), {"code": code_of(device), "next": "/students/"}, follow=True)
    content = done.content.decode()
    assert len(re.findall(r"<li><code>[a-z0-9]{8}</code></li>", content)) == 10
    assert 'href="/students/"' in content
    assert client.get("/students/").status_code == 200
    assert client.get(reverse("classroom:two_factor_codes")).status_code == 302  # shown once


def test_the_staff_administrator_and_a_superuser_are_required_too(client, site, password):
    admin = UserFactory(roles=[rules.STAFF, rules.STAFF_ADMIN], sites=[site])
    root = UserFactory(is_superuser=True, is_staff=True)
    assert rules.two_factor_required(admin) and rules.two_factor_required(root)
    sign_in(client, root, password)
    assert client.get("/admin/").url.startswith(reverse("classroom:two_factor_setup"))


def test_next_sign_in_asks_for_the_code_and_a_password_alone_cannot_replace_the_authenticator(client, staff, password):
    device, codes = with_authenticator(staff)
    sign_in(client, staff, password, "/students/")
    assert client.get("/students/").url.startswith(reverse("classroom:two_factor_verify"))
    assert client.get(reverse("classroom:two_factor_setup")).url == reverse("classroom:two_factor_verify")
    assert client.post(reverse("classroom:two_factor_recovery_renew")).url.startswith(
        reverse("classroom:two_factor_verify"))
    wrong = client.post(reverse("classroom:two_factor_verify"), {"code": "123456", "next": "/students/"})
    assert "コードが違います" in wrong.content.decode()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    right = client.post(reverse("classroom:two_factor_verify"), {"code": code_of(device), "next": "/students/"})
    assert right.status_code == 302 and right.url == "/students/"
    assert client.get("/students/").status_code == 200


def test_a_used_code_is_refused_the_second_time(client, staff, password):
    device, _codes = with_authenticator(staff)
    code = code_of(device)
    sign_in(client, staff, password)
    assert client.post(reverse("classroom:two_factor_verify"), {"code": code}).status_code == 302
    client.logout()
    sign_in(client, staff, password)
    again = client.post(reverse("classroom:two_factor_verify"), {"code": code})
    assert again.status_code == 200 and "コードが違います" in again.content.decode()


def test_a_recovery_code_signs_in_once(client, staff, password):
    _device, codes = with_authenticator(staff)
    sign_in(client, staff, password)
    response = client.post(reverse("classroom:two_factor_verify"), {"code": codes[0].upper()}, follow=True)
    assert "残りは9個" in response.content.decode()
    client.logout()
    sign_in(client, staff, password)
    assert "コードが違います" in client.post(reverse("classroom:two_factor_verify"), {"code": codes[0]}).content.decode()
    assert StaticToken.objects.filter(device__user=staff).count() == 9


def test_wrong_codes_are_throttled_even_before_the_right_one(client, staff, password):
    device, _codes = with_authenticator(staff)
    sign_in(client, staff, password)
    for _ in range(3):
        client.post(reverse("classroom:two_factor_verify"), {"code": "000000"})
    response = client.post(reverse("classroom:two_factor_verify"), {"code": code_of(device)})
    assert response.status_code == 200
    assert "少し待ってから" in response.content.decode()


def test_new_recovery_codes_replace_the_old(client, staff, password):
    _device, old = with_authenticator(staff)
    sign_in(client, staff, password)
    client.post(reverse("classroom:two_factor_verify"), {"code": old[0]})
    page = client.post(reverse("classroom:two_factor_recovery_renew"), follow=True).content.decode()
    new = re.findall(r"<li><code>([a-z0-9]{8})</code></li>", page)
    assert len(new) == 10 and not set(new) & set(old)
    assert set(StaticToken.objects.filter(device__user=staff).values_list("token", flat=True)) == set(new)


def test_a_volunteer_may_choose_it_and_turn_it_off(volunteer_client, volunteer, client, password):
    assert volunteer_client.get("/").status_code in (200, 302)
    assert not volunteer_client.get("/", follow=True).redirect_chain[-1][0].startswith("/accounts/two-factor/")
    assert "二要素認証を設定する" in volunteer_client.get(reverse("classroom:two_factor")).content.decode()
    device = service.two_factor_start(user=volunteer)
    volunteer_client.post(reverse("classroom:two_factor_setup"), {"code": code_of(device)})
    assert service.has_two_factor(volunteer)
    page = volunteer_client.get(reverse("classroom:two_factor")).content.decode()
    assert "二要素認証を無効にする" in page
    volunteer_client.post(reverse("classroom:two_factor_turn_off"))
    assert not service.has_two_factor(volunteer)


def test_a_required_role_cannot_turn_it_off(client, staff, password):
    _device, codes = with_authenticator(staff)
    sign_in(client, staff, password)
    client.post(reverse("classroom:two_factor_verify"), {"code": codes[0]})
    assert "二要素認証を無効にする" not in client.get(reverse("classroom:two_factor")).content.decode()
    response = client.post(reverse("classroom:two_factor_turn_off"), follow=True)
    assert "無効にできません" in response.content.decode()
    assert service.has_two_factor(staff)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "2026-02-30", "classroom:outbox"])
def test_next_is_only_a_path_of_this_site(client, staff, password, target):
    _device, codes = with_authenticator(staff)
    sign_in(client, staff, password)
    assert client.get(reverse("classroom:two_factor_verify") + f"?next={target}").status_code == 200
    response = client.post(reverse("classroom:two_factor_verify"), {"code": codes[0], "next": target})
    assert response.url == reverse("classroom:home")


def test_hostile_codes_are_refused_in_japanese(client, staff, password):
    with_authenticator(staff)
    sign_in(client, staff, password)
    for code in ("", "x" * 10_000, "12\x0034", "１２３４５６"):
        response = client.post(reverse("classroom:two_factor_verify"), {"code": code})
        assert response.status_code in (200, 400), code[:10]
        assert "_otp_device_id" not in client.session and "otp_device_id" not in client.session


def test_full_width_digits_from_a_japanese_keyboard_are_accepted(client, staff, password):
    device, _codes = with_authenticator(staff)
    sign_in(client, staff, password)
    wide = code_of(device).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert client.post(reverse("classroom:two_factor_verify"), {"code": wide}).status_code == 302
