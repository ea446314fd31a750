"""GET /api/classroom/students and /students/{id}: the list's filters, visibility and schema per role."""

import pytest

from classroom.factories import StudentFactory
from classroom.grades import Grade
from classroom.models import EnrollmentReason

from .conftest import GUARDIAN_PHONE, HEALTH_NOTE

LIST = "/api/classroom/students"
SENSITIVE_KEYS = {"reasons", "health_notes", "household_id", "household", "consents", "sibling_ids"}


def detail(student):
    return f"{LIST}/{student.pk}"


def test_staff_list_with_sensitive_fields(staff_client, student, other_site):
    StudentFactory(site=other_site)
    response = staff_client.get(LIST)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and body["page"] == 1 and body["pages"] == 1
    item = body["items"][0]
    assert item["family_name_kana"] == "ヤマダ" and item["usual_weekdays"] == [1, 3]
    assert sorted(item["reasons"]) == ["public_assistance", "single_parent"]
    assert item["health_notes"] == HEALTH_NOTE and item["household_id"] == student.household_id


def test_coordinator_list_has_no_sensitive_field(coordinator_client, student):
    response = coordinator_client.get(LIST)
    assert response.status_code == 200
    item = response.json()["items"][0]
    assert item["family_name"] == "山田" and item["grade"] == student.grade
    assert not SENSITIVE_KEYS & set(item)
    assert HEALTH_NOTE not in response.content.decode()


def test_filters_search_grade_and_pages(staff_client, site):
    StudentFactory(site=site, family_name="勅使河原", given_name="蓮", family_name_kana="テシガワラ", given_name_kana="レン",
                   school_grade=Grade.J2)
    StudentFactory.create_batch(30, site=site, school_grade=Grade.H1)
    assert [s["family_name"] for s in staff_client.get(LIST, {"q": "てしがわら"}).json()["items"]] == ["勅使河原"]
    assert staff_client.get(LIST, {"grade": Grade.J2}).json()["count"] == 1
    body = staff_client.get(LIST, {"grade": Grade.H1, "page": 2}).json()
    assert body["count"] == 30 and body["pages"] == 2 and len(body["items"]) == 5
    kana = [s["family_name_kana"] + s["given_name_kana"] for s in staff_client.get(LIST).json()["items"]]
    assert kana == sorted(kana)


def test_reason_filter_is_staff_only(staff_client, coordinator, client, student, site):
    StudentFactory(site=site, reasons=[EnrollmentReason.OTHER])
    assert staff_client.get(LIST, {"reason": EnrollmentReason.PUBLIC_ASSISTANCE}).json()["count"] == 1
    client.force_login(coordinator)
    # Ignored for a coordinator: filtering by a reason would reveal it.
    assert client.get(LIST, {"reason": EnrollmentReason.PUBLIC_ASSISTANCE}).json()["count"] == 2


def test_invalid_filter_is_422(staff_client, student):
    assert staff_client.get(LIST, {"grade": "nonsense"}).status_code == 422


def test_staff_detail_with_household(staff_client, student, sibling):
    body = staff_client.get(detail(student)).json()
    assert body["household"]["guardians"][0]["phone"] == GUARDIAN_PHONE
    assert body["household"]["contacts"][0]["kind"] == "caseworker"
    assert body["sibling_ids"] == [sibling.pk]
    assert body["consents"][0]["purpose"] == "info_sharing"
    assert body["consents"][0]["recipient_kinds"] == ["caseworker", "school"]


def test_coordinator_detail_without_sensitive_fields(coordinator_client, student):
    response = coordinator_client.get(detail(student))
    assert response.status_code == 200
    assert not SENSITIVE_KEYS & set(response.json())
    assert GUARDIAN_PHONE not in response.content.decode()


@pytest.mark.parametrize("client_fixture", ["volunteer_client", "outsider_client"])
def test_volunteer_and_outsider_see_nothing(request, client_fixture, student):
    client = request.getfixturevalue(client_fixture)
    body = client.get(LIST).json()
    assert body["count"] == 0 and body["items"] == []
    assert client.get(detail(student)).status_code == 404


def test_another_sites_student_is_404(staff_client, other_site):
    assert staff_client.get(detail(StudentFactory(site=other_site))).status_code == 404


def test_anonymous_is_refused(client, student):
    assert client.get(LIST).status_code == 401
