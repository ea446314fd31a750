"""The profile page: who the user is, and their personal API tokens (made, shown once, listed, revoked)."""

import datetime as dt

import pytest
from django.utils import timezone

from classroom.models import ApiToken


def test_profile_shows_name_roles_sites_and_the_password_link(staff_client, site):
    content = staff_client.get("/accounts/profile/").content.decode()
    assert "佐藤 美咲" in content and "学習支援員" in content and site.name in content
    assert 'href="/accounts/password/"' in content
    assert 'href="/accounts/profile/"' in content  # the header's user menu links here


def test_a_new_key_is_shown_once_and_only_its_hash_is_kept(staff_client, staff):
    expires = timezone.localdate() + dt.timedelta(days=30)
    made = staff_client.post("/accounts/profile/tokens/", {"name": "市の台帳", "expires_on": expires.isoformat(),
                                                           "form_token": "a" * 32})
    content = made.content.decode()
    token = ApiToken.objects.get()
    key = content.split('id="new-token-key"')[1].split(">", 1)[1].split("</textarea>")[0]
    assert key.startswith(token.prefix) and token.key_hash != key and token.user == staff
    assert token.valid_until == expires
    page = staff_client.get("/accounts/profile/").content.decode()
    assert key not in page and token.prefix in page and "市の台帳" in page
    again = staff_client.post("/accounts/profile/tokens/", {"name": "市の台帳", "expires_on": expires.isoformat(),
                                                            "form_token": "a" * 32})
    assert again.status_code == 302 and ApiToken.objects.count() == 1  # a double submit makes one token


@pytest.mark.parametrize("days", [0, 367])
def test_expiry_must_be_within_a_year(staff_client, days):
    expires = timezone.localdate() + dt.timedelta(days=days)
    response = staff_client.post("/accounts/profile/tokens/", {"name": "x", "expires_on": expires.isoformat()})
    assert response.status_code == 200 and "1年" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoke_asks_first_and_only_for_ones_own_token(client, staff, coordinator):
    from classroom.services.tokens import token_create

    token, _key = token_create(user=staff, name="x", expires_on=timezone.localdate() + dt.timedelta(days=3))
    client.force_login(coordinator)
    assert client.get(f"/accounts/profile/tokens/{token.pk}/revoke/").status_code == 404
    assert client.post(f"/accounts/profile/tokens/{token.pk}/revoke/").status_code == 404
    client.force_login(staff)
    assert "取り消" in client.get(f"/accounts/profile/tokens/{token.pk}/revoke/").content.decode()
    assert ApiToken.objects.get().revoked_at is None
    assert client.post(f"/accounts/profile/tokens/{token.pk}/revoke/").status_code == 302
    assert ApiToken.objects.get().revoked_at is not None


def test_profile_needs_sign_in(client, db):
    assert client.get("/accounts/profile/").status_code == 302
