"""The homes' volunteer coverage (class days of the next two weeks with fewer confirmed volunteers than expected
children, as the pairing plan counts them) and the coordinator's volunteer hours by kind."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from classroom.factories import AttendanceFactory, ClassDayFactory
from classroom.models import AttendanceStatus, ClassDayStatus
from volunteers.factories import VolunteerFactory
from volunteers.integrations import hours_by_kind, short_of_volunteers
from volunteers.models import SignUpAnswer, VolunteerAttendance


def test_short_days_have_fewer_confirmed_volunteers_than_expected_children(coordinator, site, day, other_day,
                                                                          make_children, make_volunteer):
    children = make_children(3)
    AttendanceFactory(class_day=day, student=children[0], status=AttendanceStatus.ABSENT_NOTICE)  # 2 expected
    make_volunteer()
    make_volunteer(confirmed=False)  # signed up, not confirmed: not counted
    make_volunteer(answer=SignUpAnswer.CANNOT_COME)
    today = timezone.localdate()
    # On the same weekday (the children are expected): cancelled, and three weeks ahead.
    cancelled = ClassDayFactory(site=site, date=day.date, start_time=dt.time(10), end_time=dt.time(12),
                                status=ClassDayStatus.CANCELLED)
    later = ClassDayFactory(site=site, date=day.date + dt.timedelta(days=14))
    [short] = short_of_volunteers(coordinator, today)
    assert (short.pk, short.confirmed, short.expected) == (day.pk, 1, 2)
    assert {cancelled.pk, later.pk, other_day.pk}.isdisjoint(d.pk for d in short_of_volunteers(coordinator, today))
    make_volunteer()
    assert short_of_volunteers(coordinator, today) == []


def test_the_fourteenth_day_is_in_and_the_fifteenth_is_not(coordinator, site, day, make_children):
    today = timezone.localdate()
    days = {n: ClassDayFactory(site=site, date=today + dt.timedelta(days=n)) for n in (0, 14, 15)}
    for class_day in days.values():
        make_children(1, usual_weekdays=str(class_day.date.weekday()))
    listed = {d.pk for d in short_of_volunteers(coordinator, today)}
    assert listed == {days[0].pk, day.pk, days[14].pk}  # ``day``: a week ahead, its children expected too


def test_the_staff_home_links_each_short_day_to_its_pairing_plan(staff_client, day, other_day, make_children):
    make_children(2)
    html = staff_client.get(reverse("classroom:home_staff")).content.decode()
    assert "Short of volunteers" in html
    assert reverse("volunteers:pairing_plan", args=[day.pk]) in html
    assert reverse("volunteers:pairing_plan", args=[other_day.pk]) not in html
    assert '<span class="coverage-short">0</span> / 2' in html


def test_enough_volunteers_says_so(coordinator_client, day, make_children, make_volunteer):
    make_children(1)
    make_volunteer()
    html = coordinator_client.get(reverse("classroom:home_coordinator")).content.decode()
    assert "Every class day of the next two weeks has enough confirmed volunteers." in html


def came(volunteer, class_day, hours):
    VolunteerAttendance.objects.create(volunteer=volunteer, class_day=class_day, arrived_at=dt.time(15, 0),
                                       left_at=dt.time(15 + hours, 30))


def test_hours_by_kind_this_month_and_this_fiscal_year(coordinator, site, other_site):
    today = dt.date(2026, 5, 20)
    student = VolunteerFactory(kind="university_student", sites=[site])
    teacher = VolunteerFactory(kind="retired_teacher", sites=[site, other_site])
    came(student, ClassDayFactory(site=site, date=dt.date(2026, 5, 2)), 1)  # this month: 1h30
    came(student, ClassDayFactory(site=site, date=dt.date(2026, 4, 1)), 2)  # this fiscal year: 2h30
    came(teacher, ClassDayFactory(site=site, date=dt.date(2026, 5, 20)), 3)  # today: 3h30
    came(teacher, ClassDayFactory(site=site, date=dt.date(2026, 3, 31)), 4)  # last fiscal year
    came(teacher, ClassDayFactory(site=site, date=dt.date(2026, 5, 21)), 1)  # tomorrow: not yet
    came(teacher, ClassDayFactory(site=other_site, date=dt.date(2026, 5, 2)), 1)  # another site's
    hours = hours_by_kind(coordinator, today)
    lines = {line["label"]: (line["month"], line["year"]) for line in hours["lines"]}
    assert lines["University student"] == ("1 h 30 min", "4 h")
    assert lines["Retired teacher"] == ("3 h 30 min", "3 h 30 min")
    assert lines["Working adult"] == ("0 h", "0 h")
    assert (hours["month"], hours["year"], hours["fiscal_year"]) == ("5 h", "7 h 30 min", 2026)


def test_the_coordinator_home_shows_coverage_and_hours(coordinator_client, site, day, make_children):
    make_children(1)
    volunteer = VolunteerFactory(kind="working_adult", sites=[site])
    came(volunteer, ClassDayFactory(site=site, date=timezone.localdate()), 2)
    html = coordinator_client.get(reverse("classroom:home_coordinator")).content.decode()
    assert reverse("volunteers:pairing_plan", args=[day.pk]) in html
    assert "Volunteer hours" in html and "2 h 30 min" in html
    assert f'href="{reverse("volunteers:volunteer_hours")}"' in html


@pytest.mark.parametrize("persona", ["staff_client", "coordinator_client"])
def test_the_homes_cost_the_same_at_5_and_50(request, persona, site, count_queries, make_children):
    client = request.getfixturevalue(persona)
    url = reverse("classroom:home_staff" if persona == "staff_client" else "classroom:home_coordinator")
    today = timezone.localdate()
    client.get(url)  # warm-up: the first request saves the session

    def add(n):
        for i in range(n):
            class_day = ClassDayFactory(site=site, date=today + dt.timedelta(days=i % 14),
                                        start_time=dt.time(9 + i // 14, 0), end_time=dt.time(21, 0))
            make_children(1, usual_weekdays=str(class_day.date.weekday()))
            volunteer = VolunteerFactory(sites=[site])
            came(volunteer, ClassDayFactory(site=site, date=today - dt.timedelta(days=i % 20),
                                            start_time=dt.time(9 + i // 20, 0), end_time=dt.time(21, 0)), 1)

    add(5)
    with count_queries() as small:
        assert client.get(url).status_code == 200
    add(45)
    with count_queries() as large:
        assert client.get(url).status_code == 200
    assert small.count == large.count, large.sql
