"""The warning before a signed-in session ends (WCAG 2.2.1, static/js/session-timeout.js): the server says
how long is left without counting the question as activity, "stay signed in" starts the idle count again,
and every signed-in page carries the dialog (signed-out pages do not). The browser side:
tests/browser/test_session_warning.py."""

import time

import pytest
from django.urls import reverse

from lib.middleware import LOGIN_AT, SEEN_AT

pytestmark = pytest.mark.django_db


def _age(client, *, login_ago: int, seen_ago: int) -> None:
    session = client.session
    now = time.time()
    session[LOGIN_AT] = now - login_ago
    session[SEEN_AT] = now - seen_ago
    session.save()


def test_status_tells_the_seconds_left_and_is_not_activity(staff_client, settings):
    staff_client.get("/staff/")
    _age(staff_client, login_ago=60 * 60, seen_ago=25 * 60)
    for _ in range(3):  # asking again and again never keeps the session alive
        left = staff_client.get(reverse("classroom:session_status")).json()
        assert 5 * 60 - 3 <= left["idle"] <= 5 * 60
        assert 11 * 60 * 60 - 3 <= left["absolute"] <= 11 * 60 * 60
    assert time.time() - staff_client.session[SEEN_AT] >= 25 * 60 - 1


def test_status_answers_with_sign_in_once_the_session_has_ended(staff_client):
    staff_client.get("/staff/")
    _age(staff_client, login_ago=40 * 60, seen_ago=31 * 60)
    response = staff_client.get(reverse("classroom:session_status"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_stay_signed_in_starts_the_idle_count_again_but_not_the_lifetime(staff_client):
    staff_client.get("/staff/")
    _age(staff_client, login_ago=2 * 60 * 60, seen_ago=29 * 60)
    assert staff_client.post(reverse("classroom:session_keepalive")).status_code == 204
    left = staff_client.get(reverse("classroom:session_status")).json()
    assert left["idle"] >= 30 * 60 - 3
    assert left["absolute"] <= 10 * 60 * 60


def test_any_page_counts_as_activity_at_most_once_a_minute(staff_client):
    staff_client.get("/staff/")
    _age(staff_client, login_ago=60 * 60, seen_ago=10 * 60)
    staff_client.get("/staff/")
    assert time.time() - staff_client.session[SEEN_AT] < 5
    _age(staff_client, login_ago=60 * 60, seen_ago=30)
    staff_client.get("/staff/")
    assert time.time() - staff_client.session[SEEN_AT] >= 29  # within the minute: not written again


def test_stay_signed_in_is_a_post(staff_client):
    assert staff_client.get(reverse("classroom:session_keepalive")).status_code == 405


def test_signed_in_pages_carry_the_warning_in_japanese(staff_client, settings):
    settings.SESSION_IDLE_TIMEOUT = 20 * 60
    html = staff_client.get("/staff/").content.decode()
    assert 'id="session-warning"' in html and "js/session-timeout.js" in html
    assert "20分間操作がないと自動的にログアウトします" in html
    assert 'data-lead="120"' in html and 'data-idle="1200"' in html


def test_signed_out_pages_do_not(client):
    html = client.get(reverse("login")).content.decode()
    assert "session-warning" not in html
