"""``GET /api/volunteers/``: the router is tested directly (ninja's TestClient) and, once mounted, at its URL."""

import pytest
from django.urls import reverse
from ninja.testing import TestClient

from volunteers.api import router


@pytest.fixture
def api():
    return TestClient(router)


def names(response) -> list[str]:
    return [item["name"] for item in response.json()["items"]]


@pytest.mark.parametrize("persona", ["staff", "coordinator"])
def test_managers_get_the_volunteers_of_their_sites(api, request, persona, tutor, other_tutor):
    response = api.get("/", user=request.getfixturevalue(persona))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and names(response) == ["鈴木 一郎"]
    item = body["items"][0]
    assert item["kind"] == "retired_teacher" and {"subject": "maths", "level": "high_school"} in item["teaching"]
    assert "note" not in item and "emergency_contact_phone" not in item


def test_filters_apply(api, staff, tutor):
    assert api.get("/?subject=english", user=staff).json()["count"] == 0
    assert api.get("/?subject=maths&level=high_school", user=staff).json()["count"] == 1
    assert api.get("/?site=999999", user=staff).status_code == 422


def test_a_volunteer_gets_only_themself(api, volunteer, my_profile, tutor):
    response = api.get("/", user=volunteer)
    assert [item["id"] for item in response.json()["items"]] == [my_profile.pk]


def test_outsider_gets_nothing(api, outsider, tutor):
    assert api.get("/", user=outsider).json()["count"] == 0


def test_mounted_url_needs_a_signed_in_user(client, staff, tutor):
    url = reverse("api:volunteer_list")
    assert client.get(url).status_code == 401
    client.force_login(staff)
    assert client.get(url).json()["count"] == 1
