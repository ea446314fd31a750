"""Inviting: students by grade (kana order) with their guardians and siblings; someone not on the roster by name."""

import pytest

from activities.models import Answer, Participant, ParticipantRole
from activities.services.participants import participants_invite
from classroom.factories import GuardianFactory, StudentFactory
from classroom.grades import Grade

from .conftest import HX


def url(activity):
    return f"/activities/{activity.pk}/participants/invite/"


def test_page_lists_students_by_grade_in_kana_order(staff_client, activity, site, other_site):
    StudentFactory(site=site, school_grade=Grade.J2, family=("渡辺", "ワタナベ"), given=("翔", "ショウ"))
    StudentFactory(site=site, school_grade=Grade.J2, family=("青木", "アオキ"), given=("結衣", "ユイ"))
    StudentFactory(site=site, school_grade=Grade.H1, family=("石井", "イシイ"), given=("陸", "リク"))
    StudentFactory(site=other_site, school_grade=Grade.J2)  # not the staff's site
    response = staff_client.get(url(activity), {"grade": "j2", "site": "", "q": ""})
    assert response.status_code == 200
    names = [s.full_name for s in response.context["students"]]
    assert names == ["青木 結衣", "渡辺 翔"]
    fragment = staff_client.get(url(activity), {"grade": "", "q": "いしい"}, **HX)
    html = fragment.content.decode()
    assert html.lstrip().startswith('<div id="invite-students"') and "石井 陸" in html and "渡辺" not in html


def test_invite_with_guardians_and_siblings(staff_client, activity, family):
    father = GuardianFactory(household=family["household"], relationship="父")
    response = staff_client.post(url(activity), {"students": [family["student"].pk], "with_guardians": "on",
                                                 "with_siblings": "on"})
    assert response.status_code == 302
    rows = {(p.role, p.student_id or p.guardian_id) for p in Participant.objects.filter(activity=activity)}
    assert rows == {
        (ParticipantRole.STUDENT, family["student"].pk),
        (ParticipantRole.SIBLING, family["sibling"].pk),
        (ParticipantRole.GUARDIAN, family["mother"].pk),
        (ParticipantRole.GUARDIAN, father.pk),
    }
    assert set(Participant.objects.values_list("answer", flat=True)) == {Answer.INVITED}
    # Inviting again adds nobody.
    staff_client.post(url(activity), {"students": [family["student"].pk], "with_guardians": "on"})
    assert Participant.objects.filter(activity=activity).count() == 4


def test_one_click_guardians_of_invited_students(coordinator_client, coordinator, activity, family):
    participants_invite(activity=activity, students=[family["student"]], by=coordinator)
    response = coordinator_client.post(f"/activities/{activity.pk}/participants/invite/guardians/")
    assert response.status_code == 302
    assert Participant.objects.filter(activity=activity, role=ParticipantRole.GUARDIAN,
                                      guardian=family["mother"]).exists()


def test_invite_needs_a_student_and_changes_nothing(staff_client, activity):
    response = staff_client.post(url(activity), {"with_guardians": "on"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Participant.objects.exists()


def test_cannot_invite_a_student_of_another_site(staff_client, activity, other_site):
    stranger = StudentFactory(site=other_site)
    response = staff_client.post(url(activity), {"students": [stranger.pk]})
    assert response.status_code == 200
    assert not Participant.objects.exists()


def test_invite_someone_not_on_the_roster(staff_client, activity):
    response = staff_client.post(f"/activities/{activity.pk}/participants/invite/named/", {
        "role": "other_youth", "name": "小川 大輝", "name_kana": "オガワ ダイキ", "phone": "070-1111-2222",
        "allergy_notes": "", "note": "就労支援事業からの紹介",
    })
    assert response.status_code == 302
    person = Participant.objects.get()
    assert (person.role, person.name, person.phone, person.answer) == (
        ParticipantRole.OTHER_YOUTH, "小川 大輝", "070-1111-2222", Answer.INVITED)
    bad = staff_client.post(f"/activities/{activity.pk}/participants/invite/named/", {"role": "student", "name": ""})
    assert bad.status_code == 200 and bad.context["named_form"].errors
    assert Participant.objects.count() == 1


@pytest.mark.parametrize("persona", ["volunteer", "outsider"])
def test_forbidden(request, client, activity, family, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url(activity)).status_code == 404
    assert client.post(url(activity), {"students": [family["student"].pk]}).status_code == 404
    assert not Participant.objects.exists()
