"""A consent sent twice (a double tap on the student page, with or without htmx) is recorded once."""

import pytest

from tests.classroom.students.test_consent import add_url, consent_data

pytestmark = pytest.mark.django_db
TOKEN = "c" * 32  # the token of one rendered form


def test_a_consent_sent_twice_is_recorded_once(staff_client, student, guardian):
    before = student.consents.count()
    data = consent_data(guardian, partners="ＪＡふかや", form_token=TOKEN)
    assert staff_client.post(add_url(student), data).status_code == 302
    again = staff_client.post(add_url(student), data, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="consents")
    assert again.status_code == 200 and again["HX-Redirect"].endswith(f"/students/{student.pk}/")
    assert student.consents.count() == before + 1
