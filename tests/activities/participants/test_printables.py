"""Printables: the lead's participant list and the guardians' invitation letter with its consent slip."""

import pytest
from django.utils import translation

from activities.factories import ParticipantFactory
from activities.models import Answer, ParticipantRole

from .conftest import ja


def test_participant_list(staff_client, activity, family):
    activity.food_involved = True
    activity.consent_required = True
    activity.save()
    ParticipantFactory(activity=activity, student=family["student"], household=family["household"],
                       allergy_notes="卵アレルギー", consent_received_on=activity.date)
    ParticipantFactory(activity=activity, role=ParticipantRole.OTHER_YOUTH, student=None, name="小川 大輝",
                       phone="070-1111-2222")
    ParticipantFactory(activity=activity, student=family["sibling"], answer=Answer.DECLINED)
    with translation.override("ja"):
        response = staff_client.get(f"/activities/{activity.pk}/print/participants/", HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 200
    html = response.content.decode()
    assert "css/print.css" in html and "main-nav" not in html
    assert "山田 花子" in html and "小川 大輝" in html and "山田 太郎" not in html  # only those going
    assert "090-1234-5678" in html and "070-1111-2222" in html
    assert "卵アレルギー" in html
    assert ja("Participant list") in html and ja("Check") in html


def test_participant_list_hides_allergies_without_food(staff_client, activity, family):
    ParticipantFactory(activity=activity, student=family["student"], allergy_notes="卵アレルギー")
    html = staff_client.get(f"/activities/{activity.pk}/print/participants/").content.decode()
    assert "卵アレルギー" not in html and "090-1234-5678" in html


def test_invitation_letter(staff_client, activity):
    activity.fee = 1500
    activity.save()
    response = staff_client.get(f"/activities/{activity.pk}/print/invitation/", HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 200
    html = response.content.decode()
    assert "css/print.css" in html and "main-nav" not in html
    for text in (ja("To all guardians"), ja("Application and consent form"), "野菜の収穫体験", activity.what_to_bring,
                 activity.meeting_point, activity.site.name, "1,500"):
        assert text in html, text


def test_invitation_reply_by(staff_client, activity):
    html = staff_client.get(f"/activities/{activity.pk}/print/invitation/?reply_by=2026-12-01",
                            HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2026" in html and "12" in html


@pytest.mark.parametrize("name", ["participants", "invitation"])
@pytest.mark.parametrize("persona", ["volunteer", "outsider"])
def test_forbidden(request, client, activity, persona, name):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(f"/activities/{activity.pk}/print/{name}/").status_code == 404


def test_the_japanese_headings_are_the_expected_ones():
    from django.utils import translation

    with translation.override("ja"):
        assert translation.gettext("To all guardians") == "保護者の皆様へ"
        assert translation.gettext("Application and consent form") == "参加申込書・同意書"
        assert translation.gettext("Participant list") == "参加者名簿"
