"""The activity page: every field, counts, helpers, links; status changes; query budget."""

import pytest
from django.urls import reverse

from activities.factories import HelperFactory, ParticipantFactory, StaffHelperFactory
from activities.models import ActivityStatus, Answer, ParticipantRole
from classroom.factories import GuardianFactory, StudentFactory
from volunteers.factories import VolunteerFactory

from .conftest import HX

pytestmark = pytest.mark.django_db


def test_page_shows_fields_counts_and_helpers(coordinator_client, activity, helping, staff):
    activity.fee = 300
    activity.food_involved = True
    activity.target_grades = "j1,j2"
    activity.save()
    student = ParticipantFactory(activity=activity, answer=Answer.GOING,
                                 student=StudentFactory(family_name="鈴木", given_name="陽翔")).student
    GuardianFactory(household=student.household)
    ParticipantFactory(activity=activity, student=None, guardian=student.household.guardians.first(),
                       role=ParticipantRole.GUARDIAN, answer=Answer.GOING)
    ParticipantFactory(activity=activity, answer=Answer.WAITLISTED)
    ParticipantFactory(activity=activity, answer=Answer.INVITED)
    ParticipantFactory(activity=activity, answer=Answer.DECLINED)
    StaffHelperFactory(activity=activity, staff=staff, role="引率")
    response = coordinator_client.get(reverse("activities:activity_detail", args=[activity.pk]))
    assert response.status_code == 200
    text = response.text
    for value in ("野菜の収穫体験", activity.place, activity.meeting_point, "軍手", activity.partner.name, "300"):
        assert value in text
    assert '<span class="act-going__n">2</span> / 10' in text
    assert "田中 由美子" in text and "受付" in text and "佐藤 美咲" in text and "引率" in text
    # Counts only: no participant's name or contact on this page.
    assert "鈴木" not in text and "陽翔" not in text


def test_offered_helper_can_be_confirmed_from_the_page(staff_client, activity, site):
    offered = HelperFactory(activity=activity, volunteer=VolunteerFactory(sites=[site]), status="offered")
    response = staff_client.get(reverse("activities:activity_detail", args=[activity.pk]))
    assert reverse("activities:helper_confirm", args=[activity.pk, offered.pk]) in response.text


def test_query_budget_same_at_5_and_50(coordinator_client, activity, site, count_queries):
    url = reverse("activities:activity_detail", args=[activity.pk])
    coordinator_client.get(url)

    def add(n):
        for _ in range(n):
            ParticipantFactory(activity=activity, answer=Answer.GOING)
            HelperFactory(activity=activity, volunteer=VolunteerFactory(sites=[site]))

    add(5)
    with count_queries() as few:
        assert coordinator_client.get(url).status_code == 200
    add(45)
    with count_queries() as many:
        response = coordinator_client.get(url)
    assert '<span class="act-going__n">50</span>' in response.text
    assert few.count == many.count, many.sql


@pytest.mark.parametrize(("start", "target"), [
    (ActivityStatus.PLANNING, ActivityStatus.OPEN),
    (ActivityStatus.OPEN, ActivityStatus.CLOSED),
    (ActivityStatus.CLOSED, ActivityStatus.OPEN),
    (ActivityStatus.CLOSED, ActivityStatus.DONE),
])
def test_status_change(coordinator_client, activity, start, target):
    activity.status = start
    activity.save()
    response = coordinator_client.post(reverse("activities:activity_status", args=[activity.pk]), {"status": target})
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.status == target


@pytest.mark.parametrize(("start", "target"), [
    (ActivityStatus.PLANNING, ActivityStatus.DONE),
    (ActivityStatus.CANCELLED, ActivityStatus.OPEN),
    (ActivityStatus.OPEN, ActivityStatus.CANCELLED),  # cancelling needs a reason: its own form
    (ActivityStatus.OPEN, "nonsense"),
])
def test_impossible_status_change_changes_nothing(staff_client, activity, start, target):
    activity.status = start
    activity.save()
    response = staff_client.post(reverse("activities:activity_status", args=[activity.pk]), {"status": target}, follow=True)
    assert response.status_code == 200
    activity.refresh_from_db()
    assert activity.status == start


def test_status_needs_post(staff_client, activity):
    assert staff_client.get(reverse("activities:activity_status", args=[activity.pk])).status_code == 405


@pytest.mark.parametrize("persona", ["volunteer_client", "outsider_client"])
def test_forbidden(request, persona, activity, volunteer_profile):
    client = request.getfixturevalue(persona)
    HelperFactory(activity=activity, volunteer=volunteer_profile)  # even a helper: the staff page is not theirs
    assert client.get(reverse("activities:activity_detail", args=[activity.pk])).status_code == 404
    assert client.get(reverse("activities:activity_detail", args=[activity.pk]), **HX).status_code == 404
    response = client.post(reverse("activities:activity_status", args=[activity.pk]), {"status": ActivityStatus.CLOSED})
    assert response.status_code == 404
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.OPEN


def test_unknown_activity_is_404(staff_client):
    assert staff_client.get(reverse("activities:activity_detail", args=[999999])).status_code == 404
