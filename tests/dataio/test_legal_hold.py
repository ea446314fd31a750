"""The legal hold on the student page: a staff administrator sets and clears it with a reason; other staff see
it; everyone else gets 404; an anonymised child's page says so and still opens."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from classroom import rules
from classroom.access_log import UPDATE
from classroom.factories import StudentFactory, UserFactory
from classroom.models import AccessLog, Student
from dataio.services.retention import retention_apply
from tests.edit_guards import form_values


@pytest.fixture
def staff_admin(site):
    return UserFactory(username="staffadmin-persona", roles=[rules.STAFF, rules.STAFF_ADMIN], sites=[site])


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin_client(staff_admin):
    return signed_in(staff_admin)


@pytest.fixture
def student(site):
    return StudentFactory(site=site, family_name="保留", given_name="花子")


def hold_url(student) -> str:
    return reverse("dataio:student_legal_hold", args=[student.pk])


def page(client, student) -> str:
    response = client.get(reverse("classroom:student_detail", args=[student.pk]))
    assert response.status_code == 200
    return response.content.decode()


def hold_form(client, student) -> dict:
    html = page(client, student)
    data = form_values(html[html.index('id="legal-hold"'):])
    data.pop("csrfmiddlewaretoken", None)
    return data


def test_a_staff_administrator_puts_the_records_under_a_hold_with_a_reason(admin_client, student, staff_admin):
    data = hold_form(admin_client, student)
    assert data["edit_version"] == str(student.version)
    response = admin_client.post(hold_url(student), {**data, "legal_hold": "on", "legal_hold_reason": "訴訟対応"})
    assert response.status_code == 302
    assert response["Location"] == reverse("classroom:student_detail", args=[student.pk]) + "#legal-hold"
    saved = Student.objects.get(pk=student.pk)
    assert (saved.legal_hold, saved.legal_hold_reason, saved.version) == (True, "訴訟対応", student.version + 1)
    assert AccessLog.objects.filter(user=staff_admin, student=student, action=UPDATE).exists()
    html = page(admin_client, student)
    assert "訴訟対応" in html and "の記録を法的保存の対象にしました" in html


def test_clearing_the_hold_forgets_its_reason(admin_client, student):
    Student.objects.filter(pk=student.pk).update(legal_hold=True, legal_hold_reason="監査")
    data = hold_form(admin_client, student)
    assert data["legal_hold"] == "on" and data["legal_hold_reason"] == "監査"
    del data["legal_hold"]
    admin_client.post(hold_url(student), data)
    saved = Student.objects.get(pk=student.pk)
    assert (saved.legal_hold, saved.legal_hold_reason) == (False, "")


def test_a_hold_needs_its_reason_and_nothing_changes_without_one(admin_client, student):
    data = hold_form(admin_client, student)
    response = admin_client.post(hold_url(student), {**data, "legal_hold": "on", "legal_hold_reason": "  "})
    assert response.status_code == 200
    assert "法的保存の理由を入力してください" in response.content.decode()
    assert Student.objects.get(pk=student.pk).legal_hold is False


def test_htmx_swaps_the_section_in_place(admin_client, student):
    data = hold_form(admin_client, student)
    response = admin_client.post(hold_url(student), {**data, "legal_hold": "on", "legal_hold_reason": "訴訟対応"},
                                 HTTP_HX_REQUEST="true", HTTP_HX_TARGET="legal-hold")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section class="card legal-hold-section" id="legal-hold"')
    assert "<html" not in html and "訴訟対応" in html
    # The form now carries the new version: a second save from it goes through.
    again = form_values(html)
    again.pop("csrfmiddlewaretoken", None)
    assert again["edit_version"] == str(student.version + 1)


def test_a_save_from_an_older_version_changes_nothing_and_shows_both(admin_client, student):
    data = hold_form(admin_client, student)
    Student.objects.filter(pk=student.pk).update(legal_hold=True, legal_hold_reason="別の理由", version=student.version + 1)
    response = admin_client.post(hold_url(student), {**data, "legal_hold": "on", "legal_hold_reason": "訴訟対応"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-edit-conflict" in html and "別の理由" in html
    assert Student.objects.get(pk=student.pk).legal_hold_reason == "別の理由"


def test_other_staff_see_the_hold_but_cannot_change_it(staff, coordinator, student):
    staff_client, coordinator_client = signed_in(staff), signed_in(coordinator)
    Student.objects.filter(pk=student.pk).update(legal_hold=True, legal_hold_reason="訴訟対応")
    html = page(staff_client, student)
    assert "訴訟対応" in html and hold_url(student) not in html
    assert "訴訟対応" not in page(coordinator_client, student)
    for client in (staff_client, coordinator_client):
        response = client.post(hold_url(student), {"legal_hold": "", "legal_hold_reason": ""})
        assert response.status_code == 404
    assert Student.objects.get(pk=student.pk).legal_hold is True


def test_without_a_hold_other_staff_see_no_section(staff_client, student):
    assert 'id="legal-hold"' not in page(staff_client, student)


def test_a_staff_administrator_of_another_site_gets_404(client, other_site, student):
    client.force_login(UserFactory(roles=[rules.STAFF, rules.STAFF_ADMIN], sites=[other_site]))
    response = client.post(hold_url(student), {"legal_hold": "on", "legal_hold_reason": "x"})
    assert response.status_code == 404
    assert Student.objects.get(pk=student.pk).legal_hold is False


def test_only_a_post_is_answered(admin_client, client, student):
    assert admin_client.get(hold_url(student)).status_code == 405
    client.logout()
    assert client.post(hold_url(student), {}).status_code == 302  # to the login page


def test_an_anonymised_childs_page_says_so_and_opens_for_every_role(admin_client, staff, coordinator, site):
    staff_client, coordinator_client = signed_in(staff), signed_in(coordinator)
    left = StudentFactory(site=site, status="left", left_on=timezone.localdate().replace(year=2015, month=6, day=1),
                          enrolled_on=timezone.localdate().replace(year=2014, month=4, day=1))
    retention_apply()
    left.refresh_from_db()
    assert left.anonymised_on == timezone.localdate()
    for client in (admin_client, staff_client, coordinator_client):
        html = page(client, left)
        assert "匿名化済み" in html and "匿名" in html
    assert "匿名化しました" in page(staff_client, left)  # the section tells staff what was removed
    response = admin_client.post(hold_url(left), {"legal_hold": "on", "legal_hold_reason": "遅すぎた保存",
                                                  "edit_version": str(left.version)})
    assert response.status_code == 200
    assert "匿名化された記録" in response.content.decode()
    assert Student.objects.get(pk=left.pk).legal_hold is False
