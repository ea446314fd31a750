"""Create, edit and duplicate (a yearly repeat) an activity."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.factories import ActivityFactory, ParticipantFactory
from activities.models import Activity, ActivityKind, ActivityStatus, PhotoPolicy
from activities.services.activities import COPIED_FIELDS, duplicate_initial, one_year_later

from .conftest import HX, ja

pytestmark = pytest.mark.django_db


def form_data(partner, site, staff, **overrides) -> dict:
    data = {
        "title": "さつまいも掘り", "kind": ActivityKind.FARMING, "partner": partner.pk, "site": site.pk,
        "date": f"{timezone.localdate() + dt.timedelta(days=20):%Y-%m-%d}", "start_time": "10:00",
        "end_time": "12:00", "place": "大塚ファーム", "meeting_point": "深谷駅 北口", "capacity": "10", "fee": "0",
        "what_to_bring": "軍手", "description": "収穫体験", "target_grades": ["j1", "j2"], "lead": staff.pk,
        "consent_required": "on", "photo_policy": PhotoPolicy.WITH_CONSENT,
    }
    data.update(overrides)
    return data


def test_create_page_and_fragment(coordinator_client):
    assert coordinator_client.get(reverse("activities:activity_create")).status_code == 200
    response = coordinator_client.get(reverse("activities:activity_create"), **HX)
    assert response.status_code == 200 and "<html" not in response.text and 'id="activity-form"' in response.text


def test_create_prefills_the_date_from_the_calendar(coordinator_client):
    response = coordinator_client.get(reverse("activities:activity_create"), {"date": "2027-05-10"})
    assert 'value="2027-05-10"' in response.text


def test_create(coordinator_client, partner, site, staff):
    response = coordinator_client.post(reverse("activities:activity_create"), form_data(partner, site, staff))
    activity = Activity.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("activities:activity_detail", args=[activity.pk])
    assert activity.title == "さつまいも掘り" and activity.target_grades == "j1,j2"
    assert activity.status == ActivityStatus.PLANNING and activity.consent_required and not activity.food_involved


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"end_time": "09:00"}, "end_time", "The end time must be after the start time."),
    ({"capacity": "0"}, "capacity", None),
    ({"title": ""}, "title", "This field is required."),
    ({"date": "2027-02-30"}, "date", None),
])
def test_create_invalid_changes_nothing(coordinator_client, partner, site, staff, overrides, field, message):
    response = coordinator_client.post(reverse("activities:activity_create"), form_data(partner, site, staff, **overrides),
                                       HTTP_ACCEPT_LANGUAGE="ja", **HX)
    assert response.status_code == 200
    assert "field__error" in response.text
    if message:
        assert ja(message) in response.text
    assert not Activity.objects.exists()


def test_edit(staff_client, activity, partner, site, staff):
    response = staff_client.get(reverse("activities:activity_edit", args=[activity.pk]))
    assert response.status_code == 200 and activity.title in response.text
    response = staff_client.post(reverse("activities:activity_edit", args=[activity.pk]),
                                 form_data(partner, site, staff, title="秋の収穫体験", capacity="15"), **HX)
    assert response.status_code == 200 and response["HX-Redirect"] == reverse("activities:activity_detail", args=[activity.pk])
    activity.refresh_from_db()
    assert activity.title == "秋の収穫体験" and activity.capacity == 15
    assert activity.status == ActivityStatus.OPEN  # the form never changes the status


def test_edit_invalid_changes_nothing(staff_client, activity, partner, site, staff):
    response = staff_client.post(reverse("activities:activity_edit", args=[activity.pk]),
                                 form_data(partner, site, staff, title="", capacity="-1"))
    assert response.status_code == 200
    activity.refresh_from_db()
    assert activity.title == "野菜の収穫体験" and activity.capacity == 10


# --- Duplicate -----------------------------------------------------------------------------
def test_one_year_later():
    assert one_year_later(dt.date(2026, 9, 28)) == dt.date(2027, 9, 28)
    assert one_year_later(dt.date(2028, 2, 29)) == dt.date(2029, 2, 28)


def test_duplicate_form_is_prefilled(coordinator_client, activity):
    activity.target_grades = "j3,h1"
    activity.save()
    response = coordinator_client.get(reverse("activities:activity_duplicate", args=[activity.pk]))
    assert response.status_code == 200
    assert f'value="{one_year_later(activity.date):%Y-%m-%d}"' in response.text
    assert 'value="野菜の収穫体験"' in response.text
    assert 'value="j3" id="id_target_grades_8" checked' in response.text


def test_duplicate_feb_29_initial(activity):
    activity.date = dt.date(2028, 2, 29)
    assert duplicate_initial(activity)["date"] == dt.date(2029, 2, 28)


def test_duplicate_copies_fields_not_people(coordinator_client, activity, helping):
    activity.status = ActivityStatus.DONE
    activity.reflection = "楽しかった"
    activity.food_involved = True
    activity.fee = 500
    activity.target_grades = "j1,hs_age"
    activity.save()
    ParticipantFactory(activity=activity)
    ParticipantFactory(activity=activity)
    initial = duplicate_initial(activity)
    data = {key: value for key, value in initial.items() if value is not None}
    data.update({"date": f"{initial['date']:%Y-%m-%d}", "start_time": "10:00", "end_time": "12:00",
                 "target_grades": initial["target_grades"], "consent_required": "on", "food_involved": "on"})
    response = coordinator_client.post(reverse("activities:activity_duplicate", args=[activity.pk]), data)
    assert response.status_code == 302
    copy = Activity.objects.exclude(pk=activity.pk).get()
    for name in COPIED_FIELDS:
        if name != "lead":
            assert getattr(copy, name) == getattr(activity, name), name
    assert copy.lead is None  # a coordinator's copy waits for the staff to choose its lead (issue 9, point 11)
    assert copy.date == one_year_later(activity.date)
    assert copy.status == ActivityStatus.PLANNING and copy.reflection == "" and copy.cancel_reason == ""
    assert not copy.participants.exists() and not copy.helpers.exists()
    assert activity.participants.count() == 2 and activity.helpers.count() == 1


def test_duplicate_date_is_editable(coordinator_client, activity, partner, site, staff):
    response = coordinator_client.post(reverse("activities:activity_duplicate", args=[activity.pk]),
                                       form_data(partner, site, staff, date="2027-10-03"))
    assert response.status_code == 302
    assert Activity.objects.exclude(pk=activity.pk).get().date == dt.date(2027, 10, 3)


def test_duplicate_invalid_changes_nothing(coordinator_client, activity, partner, site, staff):
    response = coordinator_client.post(reverse("activities:activity_duplicate", args=[activity.pk]),
                                       form_data(partner, site, staff, date=""), **HX)
    assert response.status_code == 200 and "field__error" in response.text
    assert Activity.objects.count() == 1


@pytest.mark.parametrize("persona", ["volunteer_client", "outsider_client"])
def test_forbidden(request, persona, activity, partner, site, staff):
    client = request.getfixturevalue(persona)
    for url in (reverse("activities:activity_create"), reverse("activities:activity_edit", args=[activity.pk]),
                reverse("activities:activity_duplicate", args=[activity.pk])):
        assert client.get(url).status_code == 404, url
        assert client.post(url, form_data(partner, site, staff, title="乗っ取り")).status_code == 404, url
    assert not Activity.objects.filter(title="乗っ取り").exists()


def test_lead_choices_are_staff_and_coordinators(staff_client, coordinator, volunteer):
    response = staff_client.get(reverse("activities:activity_create"))
    assert "田中 由美子" not in response.text  # the volunteer persona
    assert f'<option value="{coordinator.pk}">高橋 健一</option>' in response.text


def test_factory_fields_are_copied_by_name():
    # Guard: the copied fields all exist on the model.
    names = {f.name for f in Activity._meta.get_fields()}
    assert set(COPIED_FIELDS) <= names
    assert ActivityFactory._meta.model is Activity
