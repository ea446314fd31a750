"""Password reset by email: the same answer for a known address and an unknown one, a link that works
once and for an hour, a new password that signs in, and a failing mail server that changes nothing the
user sees."""

import re
import smtplib

import pytest
from django.core import mail
from django.urls import reverse

from classroom.factories import UserFactory


def _ask(client, address):
    return client.post(reverse("password_reset"), {"email": address}, follow=True)


def test_a_known_and_an_unknown_address_get_the_same_answer(client, db):
    UserFactory(username="sato", email="sato@example.jp")
    known = _ask(client, "sato@example.jp")
    unknown = _ask(client, "nobody@example.jp")
    assert known.redirect_chain == unknown.redirect_chain == [(reverse("password_reset_done"), 302)]
    token = re.compile(r'"X-CSRFToken": "[^"]+"|name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub("", known.content.decode()) == token.sub("", unknown.content.decode())
    assert "アカウントのアドレスであれば" in known.content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["sato@example.jp"]


def test_the_link_sets_a_new_password_once(client, db):
    user = UserFactory(username="sato", email="sato@example.jp")
    _ask(client, "sato@example.jp")
    body = mail.outbox[0].body
    assert "Yorisoi" in mail.outbox[0].subject and "1時間以内" in body
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", body).group(1)
    form_page = client.get(link, follow=True)
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": "kuri-no-ki-2026", "new_password2": "kuri-no-ki-2026"}, follow=True)
    assert "新しいパスワードを設定しました" in done.content.decode()
    user.refresh_from_db()
    assert user.check_password("kuri-no-ki-2026")
    again = client.get(link, follow=True)
    assert "このリンクはもう使えません" in again.content.decode()


def test_an_inactive_account_gets_no_mail(client, db):
    UserFactory(username="sato", email="sato@example.jp", is_active=False)
    _ask(client, "sato@example.jp")
    assert mail.outbox == []


@pytest.mark.expected_error_log
def test_a_failing_mail_server_shows_the_same_page(client, db, monkeypatch):
    UserFactory(username="sato", email="sato@example.jp")

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    response = _ask(client, "sato@example.jp")
    assert response.status_code == 200
    assert "アカウントのアドレスであれば" in response.content.decode()


def test_the_sign_in_page_links_to_the_reset(client, db):
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()
