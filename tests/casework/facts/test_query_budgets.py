"""The staff home, /warnings/ and the roster cost the same with one year and with five years of
history: the early warnings read the maintained facts of the children who may warn and the
attendance of the rate's 56-day window, never a child's whole history."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from casework import warnings
from classroom.factories import StudentFactory
from classroom.models import Attendance, ClassDay, ClassDayStatus

CHILDREN = 8


def weeks_of_history(site, children, *, first_week: int, last_week: int) -> None:
    """A held class day every week from ``first_week`` to ``last_week`` weeks ago (excluded), every
    child present: bulk inserts (the facts are refreshed once per insert)."""
    today = timezone.localdate()
    days = ClassDay.objects.bulk_create([
        ClassDay(site=site, date=today - dt.timedelta(weeks=w), status=ClassDayStatus.HELD, start_time=dt.time(17),
                 end_time=dt.time(19))
        for w in range(first_week, last_week)
    ])
    Attendance.objects.bulk_create([Attendance(class_day=d, student=c, status="present") for d in days
                                    for c in children], batch_size=2000)


@pytest.fixture
def children(site, staff):
    today = timezone.localdate()
    return [StudentFactory(site=site, enrolled_on=today - dt.timedelta(days=6 * 366), staff_in_charge=staff,
                           usual_weekdays=str(today.weekday())) for _ in range(CHILDREN)]


def absent_twice(site, child) -> None:
    """Two class days this week (two days and one day ago), both missed without notice."""
    today = timezone.localdate()
    for days_ago in (2, 1):
        day = ClassDay.objects.create(site=site, date=today - dt.timedelta(days=days_ago), status=ClassDayStatus.HELD)
        Attendance.objects.create(class_day=day, student=child, status="absent")


def measure(client, url, count_queries) -> int:
    client.get(url)  # warm-up: the session and the roles
    with count_queries() as q:
        assert client.get(url).status_code == 200
    return q.count


@pytest.mark.parametrize("url_name", ["home_staff", "warning_list", "roster"])
def test_one_and_five_years_of_history_cost_the_same_queries(staff_client, site, children, count_queries,
                                                             url_name):
    weeks_of_history(site, children, first_week=1, last_week=53)
    absent_twice(site, children[0])
    roster_day = ClassDay.objects.create(site=site, date=timezone.localdate())
    url = {
        "home_staff": reverse("classroom:home_staff"),
        "warning_list": reverse("casework:warning_list"),
        "roster": reverse("classroom:roster", args=[roster_day.pk]),
    }[url_name]
    one_year = measure(staff_client, url, count_queries)
    weeks_of_history(site, children, first_week=53, last_week=5 * 53)
    five_years = measure(staff_client, url, count_queries)
    assert Attendance.objects.filter(student=children[1]).count() == 5 * 53 - 1
    assert one_year == five_years


def test_the_warnings_read_only_the_children_who_may_warn(site, children, monkeypatch):
    """Rows read: the children whose facts may warn (here one, absent twice), not the whole site."""
    weeks_of_history(site, children, first_week=1, last_week=5 * 53)
    absent_twice(site, children[0])
    read = []
    real = warnings.with_facts

    def spy(queryset, today):
        loaded = real(queryset, today)
        read.extend(loaded)
        return loaded

    monkeypatch.setattr(warnings, "with_facts", spy)
    report = warnings.compute([site])
    assert [w.student.pk for w in report.warnings] == [children[0].pk]
    assert [c.pk for c in read] == [children[0].pk]
