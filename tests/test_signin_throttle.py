"""Sign-in throttling (django-axes): wrong passwords for one username from one address lock that pair
out for a cool-off, with a Japanese message; the right password then no longer signs in; success
clears the count; another address, or another username, is not affected."""

import datetime as dt

from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

LIMIT = 5


def _attempt(client, username, password, address="192.0.2.10"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_wrong_passwords_lock_the_account_with_a_japanese_message(client, staff, password):
    for _ in range(LIMIT - 1):
        response = _attempt(client, staff.username, "wrong-password")
        assert response.status_code == 200
    response = _attempt(client, staff.username, "wrong-password")
    assert response.status_code == 429
    content = response.content.decode()
    assert "パスワードが5回続けて違いました" in content
    assert "15分間" in content
    # The right password no longer signs in during the cool-off, and says the same.
    response = _attempt(client, staff.username, password)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_does_not_say_whether_the_account_exists(client, db):
    for _ in range(LIMIT):
        response = _attempt(client, "nobody-by-this-name", "wrong-password")
    assert response.status_code == 429
    assert "パスワードが5回続けて違いました" in response.content.decode()


def test_the_lock_is_per_username_and_address(client, staff, coordinator, password):
    for _ in range(LIMIT):
        _attempt(client, staff.username, "wrong-password")
    # The same person from another address, and another user from the same address, still sign in.
    assert _attempt(client, staff.username, password, address="198.51.100.7").status_code == 302
    client.logout()
    assert _attempt(client, coordinator.username, password).status_code == 302


def test_a_successful_sign_in_clears_the_count(client, staff, password):
    for _ in range(LIMIT - 1):
        _attempt(client, staff.username, "wrong-password")
    assert _attempt(client, staff.username, password).status_code == 302
    client.logout()
    for _ in range(LIMIT - 1):
        assert _attempt(client, staff.username, "wrong-password").status_code == 200


def test_after_the_cool_off_the_right_password_signs_in(client, staff, password):
    for _ in range(LIMIT):
        _attempt(client, staff.username, "wrong-password")
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    assert _attempt(client, staff.username, password).status_code == 302


def test_the_lockout_page_is_in_english_for_english_users(client, staff):
    client.cookies["django_language"] = "en"
    for _ in range(LIMIT):
        response = _attempt(client, staff.username, "wrong-password")
    assert "The password was wrong 5 times in a row." in response.content.decode()
