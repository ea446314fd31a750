"""The API root: session auth, the same access rules as the screens."""

import pytest


def test_api_requires_a_signed_in_user(client, db):
    assert client.get("/api/classroom/me").status_code == 401


@pytest.mark.parametrize("persona", ["staff", "coordinator", "volunteer", "outsider"])
def test_me_reports_the_users_roles(client, request, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    body = client.get("/api/classroom/me").json()
    assert body["username"] == user.username
    assert body["roles"] == ([] if persona == "outsider" else [persona])


def test_sites_lists_only_the_users_sites(staff_client, site, other_site):
    assert [s["name"] for s in staff_client.get("/api/classroom/sites").json()] == [site.name]


@pytest.mark.parametrize("persona", ["volunteer", "outsider"])
def test_sites_are_empty_for_roles_without_classroom_access(client, request, persona, site):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/api/classroom/sites").json() == []


def test_api_writes_need_the_csrf_token(staff, site):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(staff)
    assert strict.post("/api/classroom/me").status_code in {403, 405}


def test_api_docs_are_for_signed_in_users_and_served_locally(client, staff):
    assert client.get("/api/docs").status_code == 302
    client.force_login(staff)
    response = client.get("/api/docs")
    content = response.content.decode()
    assert response.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in content
    assert "cdn." not in content and "https://" not in content
