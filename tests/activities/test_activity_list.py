"""Activity list (upcoming/past, filters, counts) and month calendar."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.factories import ActivityFactory, ParticipantFactory, PartnerFactory
from activities.models import ActivityKind, ActivityStatus, Answer, PartnerKind

from .conftest import HX

pytestmark = pytest.mark.django_db


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def test_upcoming_by_default_and_past_on_toggle(coordinator_client, partner):
    ActivityFactory(title="これからの収穫", partner=partner, date=days(5))
    ActivityFactory(title="去年の和菓子", partner=partner, date=days(-30), status=ActivityStatus.DONE)
    upcoming = coordinator_client.get(reverse("activities:activity_list"))
    assert upcoming.status_code == 200
    assert "これからの収穫" in upcoming.text and "去年の和菓子" not in upcoming.text
    past = coordinator_client.get(reverse("activities:activity_list"), {"when": "past"})
    assert "去年の和菓子" in past.text and "これからの収穫" not in past.text


def test_row_shows_going_capacity_and_waitlist(staff_client, activity):
    for _ in range(3):
        ParticipantFactory(activity=activity, answer=Answer.GOING)
    ParticipantFactory(activity=activity, answer=Answer.WAITLISTED)
    ParticipantFactory(activity=activity, answer=Answer.DECLINED)
    response = staff_client.get(reverse("activities:activity_list"))
    assert "3 / 10" in response.text
    row = response.text[response.text.index("野菜の収穫体験"):].split("</tr>")[0]
    assert re.search(r'<td [^>]*>\s*1\s*</td>', row), row


@pytest.mark.parametrize(("param", "keep"), [("kind", "food"), ("status", "open")])
def test_filters(coordinator_client, param, keep):
    ActivityFactory(title="和菓子づくり", kind=ActivityKind.FOOD, status=ActivityStatus.OPEN, date=days(3))
    ActivityFactory(title="工場見学", kind=ActivityKind.WORK, status=ActivityStatus.PLANNING, date=days(4))
    response = coordinator_client.get(reverse("activities:activity_list"), {param: keep})
    assert "和菓子づくり" in response.text and "工場見学" not in response.text


def test_partner_filter(coordinator_client):
    shop = PartnerFactory(name="菓匠あかね", kind=PartnerKind.SHOP)
    ActivityFactory(title="和菓子づくり", partner=shop, date=days(3))
    ActivityFactory(title="収穫体験", date=days(4))
    response = coordinator_client.get(reverse("activities:activity_list"), {"partner": shop.pk})
    assert "和菓子づくり" in response.text and "収穫体験" not in response.text


def test_unknown_values_fall_back(coordinator_client, activity):
    response = coordinator_client.get(reverse("activities:activity_list"), {"when": "someday", "page": "x", "status": "zzz"})
    assert response.status_code == 200


def test_fragment_for_filter_form(coordinator_client, activity):
    response = coordinator_client.get(reverse("activities:activity_list"), {"when": "upcoming"}, HTTP_HX_TARGET="activity-table",
                                      **HX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="activity-table"')
    assert activity.title in response.text


def test_cancelled_is_marked(coordinator_client, activity):
    activity.status = ActivityStatus.CANCELLED
    activity.save()
    response = coordinator_client.get(reverse("activities:activity_list"))
    assert "row--muted" in response.text and "badge--danger" in response.text


def _rows(n: int, partner) -> None:
    for i in range(n):
        activity = ActivityFactory(title=f"活動{i}", partner=partner, date=days(1 + i % 20))
        ParticipantFactory(activity=activity, answer=Answer.GOING)
        ParticipantFactory(activity=activity, answer=Answer.WAITLISTED)


def test_query_budget_same_at_5_and_50(coordinator_client, partner, count_queries):
    coordinator_client.get(reverse("activities:activity_list"))  # warm-up: the session is saved on the first request
    _rows(5, partner)
    with count_queries() as few:
        assert coordinator_client.get(reverse("activities:activity_list")).status_code == 200
    _rows(45, partner)
    with count_queries() as many:
        response = coordinator_client.get(reverse("activities:activity_list"))
    assert "50" in response.text
    assert few.count == many.count, many.sql


@pytest.mark.parametrize("persona", ["volunteer_client", "outsider_client"])
def test_forbidden(request, persona, activity):
    client = request.getfixturevalue(persona)
    assert client.get(reverse("activities:activity_list")).status_code == 404
    assert client.get(reverse("activities:activity_calendar")).status_code == 404


# --- Calendar --------------------------------------------------------------------------------
def test_calendar_month(coordinator_client, partner):
    today = timezone.localdate()
    ActivityFactory(title="今月の収穫", partner=partner, date=today)
    ActivityFactory(title="中止した活動", partner=partner, date=today, status=ActivityStatus.CANCELLED)
    response = coordinator_client.get(reverse("activities:activity_calendar"))
    assert response.status_code == 200
    assert "今月の収穫" in response.text and "act-event--cancelled" in response.text


def test_calendar_other_month_fragment(coordinator_client, partner):
    later = (timezone.localdate().replace(day=1) + dt.timedelta(days=40)).replace(day=10)
    ActivityFactory(title="来月の和菓子", partner=partner, date=later)
    response = coordinator_client.get(reverse("activities:activity_calendar"), {"month": f"{later:%Y-%m}"},
                                      HTTP_HX_TARGET="calendar", **HX)
    assert response.status_code == 200
    assert "来月の和菓子" in response.text and "<html" not in response.text
