"""The planning index: upcoming class days of the user's sites with their planning counts."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from classroom.factories import AttendanceFactory, ClassDayFactory, TutoringRecordFactory
from classroom.models import AttendanceStatus, ClassDayStatus
from volunteers.models import SignUpAnswer

URL = reverse("volunteers:pairing_plan_index")


def test_lists_the_next_four_weeks_with_counts(coordinator_client, site, day, other_day, make_children, make_volunteer):
    children = make_children(4)
    make_children(1, usual_weekdays=str((day.date.weekday() + 1) % 7))  # another weekday: not expected
    AttendanceFactory(class_day=day, student=children[0], status=AttendanceStatus.ABSENT_NOTICE)
    confirmed = make_volunteer()
    make_volunteer(confirmed=False)
    make_volunteer(answer=SignUpAnswer.CANNOT_COME)
    TutoringRecordFactory(class_day=day, student=children[1], tutor=confirmed.user)
    past = ClassDayFactory(site=site, date=timezone.localdate() - dt.timedelta(days=1))
    later = ClassDayFactory(site=site, date=timezone.localdate() + dt.timedelta(weeks=5))
    cancelled = ClassDayFactory(site=site, date=timezone.localdate() + dt.timedelta(days=3),
                                status=ClassDayStatus.CANCELLED)

    response = coordinator_client.get(URL)
    assert response.status_code == 200
    days = {d.pk: d for d in response.context["days"]}
    assert set(days) == {day.pk, cancelled.pk}
    assert (days[day.pk].expected, days[day.pk].can_come, days[day.pk].confirmed, days[day.pk].pairs) == (3, 2, 1, 1)
    assert days[cancelled.pk].expected == 0
    html = response.content.decode()
    assert reverse("volunteers:pairing_plan", args=[day.pk]) in html
    assert reverse("volunteers:pairing_plan", args=[cancelled.pk]) not in html
    for hidden in (other_day, past, later):
        assert reverse("volunteers:pairing_plan", args=[hidden.pk]) not in html


def test_staff_see_it_too_and_the_fragment(staff_client, day):
    response = staff_client.get(URL, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="plan-days"')
    assert "<html" not in html


def test_empty(coordinator_client):
    response = coordinator_client.get(URL)
    assert "No class days in the next four weeks at your sites." in response.content.decode()


@pytest.mark.parametrize("persona", ["volunteer_client", "outsider_client"])
def test_volunteers_and_outsiders_get_404(request, persona):
    assert request.getfixturevalue(persona).get(URL).status_code == 404


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_query_budget_is_the_same_at_5_and_50(coordinator_client, site, count_queries, make_children, make_volunteer):
    coordinator_client.get(URL)  # warm-up: the first request saves the session

    def measure():
        with count_queries() as q:
            assert coordinator_client.get(URL).status_code == 200
        return q.count

    days = [ClassDayFactory(site=site, date=timezone.localdate() + dt.timedelta(days=n)) for n in range(1, 6)]
    make_children(5)
    for _ in range(5):
        make_volunteer()
    small = measure()
    for n in range(6, 28):
        days.append(ClassDayFactory(site=site, date=timezone.localdate() + dt.timedelta(days=n)))
    make_children(45)
    for _ in range(45):
        make_volunteer()
    assert measure() == small
