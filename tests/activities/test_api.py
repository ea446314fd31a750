"""The activities API router: the same filters, visibility and services as the screens."""

import datetime as dt

import pytest
from django.utils import timezone
from ninja.testing import TestClient

from activities.api import router
from activities.factories import ActivityFactory, ParticipantFactory
from activities.models import ActivityStatus, Answer

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def api():
    return TestClient(router)


def test_list_with_counts(api, coordinator, activity):
    ParticipantFactory(activity=activity, answer=Answer.GOING)
    ParticipantFactory(activity=activity, answer=Answer.WAITLISTED)
    ActivityFactory(title="昨年の収穫", date=timezone.localdate() - dt.timedelta(days=300))
    response = api.get("/", user=coordinator)
    assert response.status_code == 200
    [item] = response.json()["items"]
    assert item["title"] == activity.title and item["going"] == 1 and item["waitlisted"] == 1
    assert api.get("/?when=past", user=coordinator).json()["items"][0]["title"] == "昨年の収穫"


def test_detail_and_cancel(api, staff, activity, helping, mailoutbox, django_capture_on_commit_callbacks):
    assert api.get(f"/{activity.pk}", user=staff).json()["status"] == ActivityStatus.OPEN
    assert api.post(f"/{activity.pk}/cancel", json={"reason": " "}, user=staff).status_code == 422
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/{activity.pk}/cancel", json={"reason": "雨天"}, user=staff)
    assert response.status_code == 200 and response.json()["status"] == ActivityStatus.CANCELLED
    assert len(mailoutbox) == 1


def test_volunteer_and_outsider_get_404(api, volunteer, outsider, activity, helping):
    for user in (volunteer, outsider):
        assert api.get("/", user=user).status_code == 404
        assert api.get(f"/{activity.pk}", user=user).status_code == 404
        assert api.post(f"/{activity.pk}/cancel", json={"reason": "x"}, user=user).status_code == 404
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.OPEN
