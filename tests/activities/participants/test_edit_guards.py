"""A participant's phone and allergy notes, edited by two people: the later save from an older form is refused."""

import pytest
from django.urls import reverse

from activities.factories import ParticipantFactory
from activities.models import Participant
from tests.edit_guards import form_values, open_form

pytestmark = pytest.mark.django_db


def test_an_allergy_note_added_meanwhile_is_not_lost(staff_client, activity):
    participant = ParticipantFactory(activity=activity, allergy_notes="", phone="")
    url = reverse("activities:activity_participant_edit", args=[activity.pk, participant.pk])
    form_a, form_b = open_form(staff_client, url), open_form(staff_client, url)
    form_a["allergy_notes"] = "えび・かに"
    assert staff_client.post(url, form_a).status_code == 302
    form_b["phone"] = "090-1234-5678"
    response = staff_client.post(url, form_b)
    assert response.status_code == 200
    participant = Participant.objects.get(pk=participant.pk)
    assert (participant.allergy_notes, participant.phone) == ("えび・かに", "")
    rows = {row["name"]: (row["mine"], row["saved"]) for row in response.context["form"].conflict_rows}
    assert rows == {"allergy_notes": ("", "えび・かに"), "phone": ("090-1234-5678", "")}
    again = form_values(response.content.decode())
    again.pop("csrfmiddlewaretoken", None)
    again["allergy_notes"] = "えび・かに"
    assert staff_client.post(url, again).status_code == 302
    participant.refresh_from_db()
    assert (participant.allergy_notes, participant.phone) == ("えび・かに", "090-1234-5678")


def test_someone_invited_by_name_twice_is_invited_once(staff_client, activity):
    url = f"/activities/{activity.pk}/participants/invite/named/"
    data = {"role": "other_youth", "name": "小川 大輝", "name_kana": "オガワ ダイキ", "phone": "070-1111-2222",
            "allergy_notes": "", "note": "", "form_token": "d" * 32}
    first, second = staff_client.post(url, data), staff_client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert Participant.objects.filter(activity=activity, name="小川 大輝").count() == 1


def test_reflection_notes_written_meanwhile_are_not_overwritten(staff_client, activity):
    url = reverse("activities:activity_report", args=[activity.pk])
    form_a, form_b = open_form(staff_client, url), open_form(staff_client, url)
    form_a["reflection"] = "収穫の後、全員で試食した"
    assert staff_client.post(url, form_a).status_code == 302
    form_b["reflection"] = "雨で一時中断"
    response = staff_client.post(url, form_b, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    activity.refresh_from_db()
    assert activity.reflection == "収穫の後、全員で試食した"
    assert "雨で一時中断" in response.content.decode() and "上書きはしていません" in response.content.decode()
