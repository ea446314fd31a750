"""A volunteer offers to help at open activities and sees the ones they help at: nicknames and roles only."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.factories import ActivityFactory, HelperFactory, ParticipantFactory
from activities.models import ActivityStatus, Answer, Helper, HelperStatus, ParticipantRole
from activities.services.activities import volunteer_activities
from classroom.factories import GuardianFactory, StudentFactory

from .conftest import HX

pytestmark = pytest.mark.django_db


def later(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


# --- Offering to help ----------------------------------------------------------------------
def test_offer_page_lists_open_upcoming_of_my_sites(volunteer_client, volunteer_profile, activity, site, other_site):
    ParticipantFactory(activity=activity, student=StudentFactory(nickname="ミカちゃん"))
    ActivityFactory(title="計画中の活動", site=site, status=ActivityStatus.PLANNING, date=later(5))
    ActivityFactory(title="終わった活動", site=site, status=ActivityStatus.OPEN, date=later(-5))
    ActivityFactory(title="よその教室の活動", site=other_site, date=later(5))
    ActivityFactory(title="教室を問わない活動", site=None, date=later(6))
    response = volunteer_client.get(reverse("activities:activity_offer_help"))
    assert response.status_code == 200
    assert activity.title in response.text and activity.description in response.text
    assert "教室を問わない活動" in response.text
    for absent in ("計画中の活動", "終わった活動", "よその教室の活動", "ミカちゃん"):
        assert absent not in response.text


def test_offer_and_withdraw_htmx(volunteer_client, volunteer_profile, activity):
    response = volunteer_client.post(reverse("activities:help_offer", args=[activity.pk]), **HX)
    assert response.status_code == 200 and f'id="offer-{activity.pk}"' in response.text
    helper = Helper.objects.get(activity=activity, volunteer=volunteer_profile)
    assert helper.status == HelperStatus.OFFERED
    volunteer_client.post(reverse("activities:help_offer", args=[activity.pk]), **HX)  # a double tap changes nothing
    assert Helper.objects.filter(activity=activity).count() == 1
    response = volunteer_client.post(reverse("activities:help_withdraw", args=[activity.pk]), **HX)
    assert response.status_code == 200
    assert not Helper.objects.filter(activity=activity).exists()


def test_offer_without_js(volunteer_client, volunteer_profile, activity):
    response = volunteer_client.post(reverse("activities:help_offer", args=[activity.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("activities:activity_offer_help")
    assert Helper.objects.filter(activity=activity, volunteer=volunteer_profile).exists()


def test_confirmed_helper_cannot_withdraw_alone(volunteer_client, helping, activity):
    response = volunteer_client.post(reverse("activities:help_withdraw", args=[activity.pk]), **HX)
    assert response.status_code == 200 and "field__error" in response.text
    assert Helper.objects.filter(pk=helping.pk).exists()


@pytest.mark.parametrize("status", [ActivityStatus.PLANNING, ActivityStatus.CLOSED, ActivityStatus.CANCELLED])
def test_offer_only_to_open_activities(volunteer_client, volunteer_profile, activity, status):
    activity.status = status
    activity.save()
    assert volunteer_client.post(reverse("activities:help_offer", args=[activity.pk])).status_code == 404
    assert not Helper.objects.exists()


def test_offer_to_another_site_is_404(volunteer_client, volunteer_profile, other_site):
    elsewhere = ActivityFactory(site=other_site)
    assert volunteer_client.post(reverse("activities:help_offer", args=[elsewhere.pk])).status_code == 404
    assert not Helper.objects.exists()


def test_volunteer_without_profile_is_404(volunteer_client, activity):
    assert volunteer_client.get(reverse("activities:activity_offer_help")).status_code == 404
    assert volunteer_client.post(reverse("activities:help_offer", args=[activity.pk])).status_code == 404


@pytest.mark.parametrize("persona", ["staff_client", "coordinator_client", "outsider_client"])
def test_offer_pages_are_for_volunteers(request, persona, activity):
    client = request.getfixturevalue(persona)
    assert client.get(reverse("activities:activity_offer_help")).status_code == 404
    assert client.post(reverse("activities:help_offer", args=[activity.pk])).status_code == 404
    assert client.get(reverse("activities:my_activities")).status_code == 404
    assert not Helper.objects.exists()


# --- The activities I help at ----------------------------------------------------------------
@pytest.fixture
def people(activity):
    """A student with an allergy and a guardian with a phone, going; someone declined."""
    student = StudentFactory(nickname="ハルくん", family_name="鈴木", given_name="陽翔")
    guardian = GuardianFactory(household=student.household, family_name="鈴木", given_name="真理子",
                               phone="090-1111-2222")
    ParticipantFactory(activity=activity, student=student, allergy_notes="えびアレルギー", phone="048-555-0101")
    ParticipantFactory(activity=activity, student=None, guardian=guardian, role=ParticipantRole.GUARDIAN,
                       allergy_notes="", note="送迎あり")
    ParticipantFactory(activity=activity, student=None, role=ParticipantRole.OTHER_YOUTH, name="森 翔太",
                       phone="090-3333-4444")
    ParticipantFactory(activity=activity, student=StudentFactory(nickname="ユイちゃん"), answer=Answer.DECLINED)
    return {"student": student, "guardian": guardian}


def test_mine_shows_nicknames_and_roles_only(volunteer_client, helping, activity, people):
    response = volunteer_client.get(reverse("activities:my_activities"))
    assert response.status_code == 200
    text = response.text
    assert activity.title in text and activity.meeting_point in text and "ハルくん" in text
    for secret in ("鈴木", "陽翔", "真理子", "090-1111-2222", "えびアレルギー", "048-555-0101", "森 翔太",
                   "090-3333-4444", "送迎あり", "ユイちゃん", people["student"].school):
        assert secret not in text, secret


def test_mine_only_my_activities(volunteer_client, helping, activity, site):
    other = ActivityFactory(title="ほかの人の活動", site=site)
    HelperFactory(activity=other)
    response = volunteer_client.get(reverse("activities:my_activities"))
    assert activity.title in response.text and "ほかの人の活動" not in response.text


def test_mine_offered_shows_no_participants(volunteer_client, helping, activity, people):
    helping.status = HelperStatus.OFFERED
    helping.save()
    response = volunteer_client.get(reverse("activities:my_activities"))
    assert activity.title in response.text and "ハルくん" not in response.text


def test_mine_shows_cancelled(volunteer_client, helping, activity):
    activity.status = ActivityStatus.CANCELLED
    activity.cancel_reason = "台風のため"
    activity.save()
    response = volunteer_client.get(reverse("activities:my_activities"))
    assert "台風のため" in response.text and "act-card--cancelled" in response.text


def test_lead_volunteer_gets_the_participants_pages(volunteer_client, helping, activity, volunteer, people):
    activity.lead = volunteer
    activity.save()
    response = volunteer_client.get(reverse("activities:my_activities"))
    assert response.status_code == 200
    assert "act-people" not in response.text  # the lead works from the participants page instead
    assert reverse("activities:activity_participants", args=[activity.pk]) in response.text
    page = volunteer_client.get(reverse("activities:activity_participants", args=[activity.pk]))
    assert page.status_code == 200
    assert reverse("activities:activity_invite", args=[activity.pk]) not in page.text  # reads, does not change
    assert volunteer_client.get(reverse("activities:activity_print_participants", args=[activity.pk])).status_code == 200
    assert volunteer_client.get(reverse("activities:activity_invite", args=[activity.pk])).status_code == 404


def test_a_volunteer_who_does_not_lead_gets_404_on_the_participants_page(volunteer_client, helping, activity):
    assert volunteer_client.get(reverse("activities:activity_participants", args=[activity.pk])).status_code == 404
    assert volunteer_client.get(reverse("activities:activity_print_participants", args=[activity.pk])).status_code == 404


def test_volunteer_activities_for_the_schedule(helping, activity, volunteer):
    ActivityFactory(title="昔の活動", date=later(-10)).helpers.create(volunteer=helping.volunteer)
    assert list(volunteer_activities(volunteer)) == [activity]


def test_mine_query_budget(volunteer_client, helping, activity, count_queries):
    volunteer_client.get(reverse("activities:my_activities"))
    for _ in range(5):
        ParticipantFactory(activity=activity)
    with count_queries() as few:
        volunteer_client.get(reverse("activities:my_activities"))
    for _ in range(45):
        ParticipantFactory(activity=activity)
    with count_queries() as many:
        volunteer_client.get(reverse("activities:my_activities"))
    assert few.count == many.count, many.sql


def test_schedule_include_renders(rf, helping, activity, volunteer):
    from django.template.loader import render_to_string

    html = render_to_string("activities/volunteer/_upcoming.html",
                            {"activities": volunteer_activities(volunteer)})
    assert activity.title in html and reverse("activities:activity_offer_help") in html
