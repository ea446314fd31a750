"""Where a user is signed in: recorded at sign-in, listed on their profile, ended one by one or all at
once from there, forgotten at sign-out, and every session of a deactivated account ends at once."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from classroom.models import SignedInSession
from classroom.services.sessions import sessions_end


def signed_in(user, password, agent="Mozilla/5.0 (iPad) Safari/604.1", address="192.0.2.1") -> Client:
    client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=address)
    assert client.post(reverse("login"), {"username": user.username, "password": password}).status_code == 302
    return client


def test_a_sign_in_is_recorded_and_listed_on_the_profile(staff, password):
    tablet = signed_in(staff, password)
    phone = signed_in(staff, password, agent="Mozilla/5.0 (iPhone) Safari/604.1", address="198.51.100.5")
    assert SignedInSession.objects.filter(user=staff).count() == 2
    page = tablet.get(reverse("classroom:profile")).content.decode()
    assert "iPad · Safari" in page and "iPhone · Safari" in page and "198.51.100.5" in page
    assert page.count("このブラウザ") == 1
    assert phone.get("/students/").status_code == 200


def test_ending_another_session_signs_that_browser_out(staff, password):
    tablet = signed_in(staff, password)
    phone = signed_in(staff, password, agent="Mozilla/5.0 (iPhone) Safari/604.1")
    record = SignedInSession.objects.get(user_agent__contains="iPhone")
    response = tablet.post(reverse("classroom:session_end", args=[record.pk]), follow=True)
    assert "セッションを終了しました" in response.content.decode()
    assert phone.get("/students/").status_code == 302  # back to sign-in
    assert tablet.get("/students/").status_code == 200
    assert not Session.objects.filter(session_key=record.session_key).exists()


def test_ending_every_other_session_keeps_this_one(staff, password):
    here = signed_in(staff, password)
    others = [signed_in(staff, password, agent=f"Browser {i}") for i in range(3)]
    here.post(reverse("classroom:sessions_end_others"))
    assert [c.get("/students/").status_code for c in others] == [302, 302, 302]
    assert here.get("/students/").status_code == 200
    assert SignedInSession.objects.filter(user=staff).count() == 1


def test_nobody_ends_another_users_session(staff, coordinator, password):
    theirs = signed_in(coordinator, password)
    mine = signed_in(staff, password)
    record = SignedInSession.objects.get(user=coordinator)
    assert mine.post(reverse("classroom:session_end", args=[record.pk])).status_code == 404
    assert theirs.get("/coordinator/").status_code == 200


def test_sign_out_forgets_the_session(staff, password):
    client = signed_in(staff, password)
    client.post(reverse("logout"))
    assert not SignedInSession.objects.filter(user=staff).exists()


def test_deactivating_an_account_ends_every_session_at_once(staff, password, django_user_model):
    tablet, phone = signed_in(staff, password), signed_in(staff, password, agent="phone")
    admin = django_user_model.objects.create_superuser("root", "root@example.jp", password)
    admin_client = Client()
    admin_client.force_login(admin)
    form = admin_client.get(reverse("admin:auth_user_change", args=[staff.pk]))
    data = {k: v for k, v in form.context["adminform"].form.initial.items() if v is not None and k != "password"}
    data.update({"username": staff.username, "is_active": "", "date_joined_0": "2026-01-01",
                 "date_joined_1": "09:00:00", "groups": [g.pk for g in staff.groups.all()]})
    data.pop("last_login", None)
    data.pop("user_permissions", None)
    response = admin_client.post(reverse("admin:auth_user_change", args=[staff.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    staff.refresh_from_db()
    assert not staff.is_active
    assert not SignedInSession.objects.filter(user=staff).exists()
    assert Session.objects.filter(session_key__in=[c.session.session_key for c in (tablet, phone)]).count() == 0


@pytest.mark.parametrize("keep", [False, True])
def test_sessions_end_returns_how_many_ended(staff, password, keep):
    clients = [signed_in(staff, password, agent=str(i)) for i in range(2)]
    kept = clients[0].session.session_key if keep else None
    assert sessions_end(user=staff, keep=kept) == (1 if keep else 2)
