"""Record a consent and withdraw one from the student page: the withdrawn record is kept."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from classroom.factories import GuardianFactory, StudentFactory
from classroom.models import Consent, ConsentPurpose


def add_url(student):
    return reverse("classroom:consent_add", args=[student.pk])


def withdraw_url(consent):
    return reverse("classroom:consent_withdraw", args=[consent.student_id, consent.pk])


def consent_data(guardian, **overrides):
    return {"purpose": ConsentPurpose.PHOTOS, "guardian": str(guardian.pk), "partners": "",
            "given_on": timezone.localdate().isoformat(), "valid_until": "", **overrides}


def test_add_consent_without_javascript(staff_client, student, guardian):
    assert staff_client.get(add_url(student)).status_code == 200
    response = staff_client.post(add_url(student), consent_data(guardian, partners="ＪＡふかや"))
    assert response.status_code == 302 and response["Location"] == reverse("classroom:student_detail", args=[student.pk])
    assert student.consents.filter(purpose=ConsentPurpose.PHOTOS, partners="ＪＡふかや").exists()


def test_add_consent_through_htmx_returns_the_consent_section(staff_client, student, guardian):
    response = staff_client.post(add_url(student), consent_data(guardian), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="consents")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="consents"')
    assert student.consents.count() == 2


def test_invalid_consent_shows_errors_in_the_fragment(staff_client, student, guardian):
    today = timezone.localdate()
    data = consent_data(guardian, valid_until=(today - dt.timedelta(days=1)).isoformat())
    response = staff_client.post(add_url(student), data, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="consents")
    assert response.status_code == 200
    assert response.context["consent_form"].errors["valid_until"]
    assert "field__error" in response.content.decode() and " open" in response.content.decode()
    assert student.consents.count() == 1


def test_guardian_of_another_household_is_refused(staff_client, student):
    stranger = GuardianFactory()
    response = staff_client.post(add_url(student), consent_data(stranger))
    assert response.status_code == 200 and response.context["form"].errors["guardian"]
    assert student.consents.count() == 1


def test_withdraw_keeps_the_record(staff_client, student):
    consent = student.consents.get()
    response = staff_client.post(withdraw_url(consent), {"withdrawn_on": timezone.localdate().isoformat()},
                                 HTTP_HX_REQUEST="true", HTTP_HX_TARGET="consents")
    assert response.status_code == 200
    consent.refresh_from_db()
    assert consent.withdrawn_on == timezone.localdate()
    html = response.content.decode()
    assert "consent--withdrawn" in html and withdraw_url(consent) not in html
    assert Consent.objects.filter(pk=consent.pk).exists()


def test_withdraw_without_javascript_and_twice(staff_client, student):
    consent = student.consents.get()
    assert staff_client.get(withdraw_url(consent)).status_code == 200
    day = timezone.localdate().isoformat()
    response = staff_client.post(withdraw_url(consent), {"withdrawn_on": day})
    assert response.status_code == 302
    again = staff_client.post(withdraw_url(consent), {"withdrawn_on": day})
    assert again.status_code == 200 and again.context["form"].errors


def test_withdraw_before_given_is_refused(staff_client, student):
    consent = student.consents.get()
    before = (consent.given_on - dt.timedelta(days=1)).isoformat()
    response = staff_client.post(withdraw_url(consent), {"withdrawn_on": before}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="consents")
    assert response.status_code == 200
    assert "field__error" in response.content.decode()
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


@pytest.mark.parametrize("client_fixture", ["coordinator_client", "volunteer_client", "outsider_client"])
def test_only_staff_may_record_or_withdraw(request, client_fixture, student, guardian):
    client = request.getfixturevalue(client_fixture)
    consent = student.consents.get()
    assert client.get(add_url(student)).status_code == 404
    assert client.post(add_url(student), consent_data(guardian)).status_code == 404
    assert client.post(withdraw_url(consent), {"withdrawn_on": "2026-11-01"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="consents").status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_on is None and student.consents.count() == 1


def test_another_sites_consent_is_404(staff_client, other_site):
    stranger = StudentFactory(site=other_site)
    guardian = GuardianFactory(household=stranger.household)
    consent = Consent.objects.create(student=stranger, guardian=guardian, purpose=ConsentPurpose.PHOTOS,
                                     given_on=timezone.localdate())
    assert staff_client.post(withdraw_url(consent), {"withdrawn_on": "2026-11-01"}).status_code == 404
    assert staff_client.post(add_url(stranger), consent_data(guardian)).status_code == 404


def test_consent_of_another_student_via_this_students_url_is_404(staff_client, student, site):
    other = StudentFactory(site=site)
    guardian = GuardianFactory(household=other.household)
    consent = Consent.objects.create(student=other, guardian=guardian, purpose=ConsentPurpose.PHOTOS,
                                     given_on=timezone.localdate())
    url = reverse("classroom:consent_withdraw", args=[student.pk, consent.pk])
    assert staff_client.post(url, {"withdrawn_on": "2026-11-01"}).status_code == 404
