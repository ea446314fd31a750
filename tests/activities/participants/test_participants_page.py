"""The participants page: lists by answer, capacity bar, private details, forbidden cases, query budget."""

import pytest

from activities.factories import ActivityFactory, ParticipantFactory
from activities.models import Answer, ParticipantRole
from classroom.factories import GuardianFactory
from volunteers.factories import VolunteerFactory

from .conftest import HX


def url(activity):
    return f"/activities/{activity.pk}/participants/"


def test_page_lists_going_waitlist_invited_declined(staff_client, activity, family, add_people):
    activity.food_involved = True
    activity.save()
    ParticipantFactory(activity=activity, student=family["student"], household=family["household"],
                       allergy_notes="卵アレルギー")
    ParticipantFactory(activity=activity, role=ParticipantRole.GUARDIAN, student=None, guardian=family["mother"],
                       household=family["household"])
    add_people(activity, 2, answer=Answer.WAITLISTED)
    add_people(activity, 1, answer=Answer.INVITED)
    add_people(activity, 1, answer=Answer.DECLINED)
    response = staff_client.get(url(activity))
    assert response.status_code == 200
    html = response.content.decode()
    assert "山田 花子" in html and "ヤマダ ハナコ" in html
    assert "090-1234-5678" in html  # the guardian's phone, for the student and the guardian
    assert "卵アレルギー" in html
    capacity = response.context["capacity"]
    assert (capacity.going, capacity.waitlisted, capacity.capacity) == (2, 2, 10)
    sections = {s["key"]: len(s["rows"]) for s in response.context["sections"]}
    assert sections == {"going": 2, "waitlisted": 2, "invited": 1, "declined": 1}
    assert 'data-going="2"' in html and 'data-waitlisted="2"' in html


def test_allergies_only_when_food_is_involved(staff_client, activity, family):
    ParticipantFactory(activity=activity, student=family["student"], allergy_notes="そばアレルギー")
    assert "そばアレルギー" not in staff_client.get(url(activity)).content.decode()


def test_fragment(coordinator_client, activity, add_people):
    add_people(activity, 2)
    response = coordinator_client.get(url(activity), **HX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="participants-body"') and "<html" not in html


@pytest.mark.parametrize("persona", ["volunteer", "outsider"])
def test_forbidden(request, client, activity, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    assert client.get(url(activity)).status_code == 404
    person = ParticipantFactory(activity=activity, answer=Answer.INVITED)
    assert client.post(f"/activities/{activity.pk}/participants/{person.pk}/answer/",
                       {"answer": "going"}).status_code == 404
    person.refresh_from_db()
    assert person.answer == Answer.INVITED


def test_helping_volunteer_lead_is_still_404_here(client, volunteer, activity):
    from activities.factories import HelperFactory

    HelperFactory(activity=activity, volunteer=VolunteerFactory(user=volunteer))
    client.force_login(volunteer)
    assert client.get(url(activity)).status_code == 404


def test_anonymous_redirects_to_login(client, activity):
    response = client.get(url(activity))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_participant_of_another_activity_is_404(staff_client, activity, site):
    other = ParticipantFactory(activity=ActivityFactory(site=site), answer=Answer.INVITED)
    assert staff_client.post(f"/activities/{activity.pk}/participants/{other.pk}/answer/",
                             {"answer": "going"}).status_code == 404


def test_edit_phone_and_allergies(staff_client, activity, add_people):
    person = add_people(activity, 1)[0]
    edit = f"/activities/{activity.pk}/participants/{person.pk}/edit/"
    assert staff_client.get(edit).status_code == 200
    response = staff_client.post(edit, {"phone": "080-0000-1111", "allergy_notes": "乳製品", "note": ""})
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.phone, person.allergy_notes) == ("080-0000-1111", "乳製品")
    bad = staff_client.post(edit, {"phone": "x" * 40, "allergy_notes": "", "note": ""})
    assert bad.status_code == 200
    person.refresh_from_db()
    assert person.phone == "080-0000-1111"


@pytest.mark.parametrize("htmx", [False, True])
def test_query_budget_is_the_same_at_5_and_50(staff_client, site, staff, count_queries, add_people, htmx):
    counts = []
    for n in (5, 50):
        activity = ActivityFactory(site=site, lead=staff, capacity=30, food_involved=True)
        for person in add_people(activity, n // 2):
            GuardianFactory(household=person.student.household)  # the emergency phone comes from here
        add_people(activity, n - n // 2, role=ParticipantRole.OTHER, answer=Answer.INVITED)
        staff_client.get(url(activity))  # warm-up: the session is saved on the first request
        with count_queries() as q:
            response = staff_client.get(url(activity), **(HX if htmx else {}))
        assert response.status_code == 200
        counts.append(q.count)
    assert counts[0] == counts[1], counts


def test_coordinator_does_not_see_the_emergency_phone_or_allergies(coordinator_client, activity, family):
    """As everywhere in Yorisoi, guardians' contacts and health notes are for staff (and the lead)."""
    activity.food_involved = True
    activity.save()
    ParticipantFactory(activity=activity, student=family["student"], household=family["household"],
                       allergy_notes="えびアレルギー")
    html = coordinator_client.get(url(activity)).content.decode()
    assert "090-1234-5678" not in html and "えびアレルギー" not in html


def test_a_coordinator_who_leads_the_activity_sees_them(coordinator_client, coordinator, activity, family):
    activity.food_involved = True
    activity.lead = coordinator
    activity.save()
    ParticipantFactory(activity=activity, student=family["student"], household=family["household"],
                       allergy_notes="えびアレルギー")
    html = coordinator_client.get(url(activity)).content.decode()
    assert "090-1234-5678" in html and "えびアレルギー" in html
