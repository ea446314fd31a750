"""Each role's home page shows what that role has today, and only that."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from casework.factories import HomeVisitFactory
from classroom.factories import (
    AttendanceFactory,
    ClassDayFactory,
    DropInFactory,
    StudentFactory,
    TutoringRecordFactory,
    birth_date_for,
)
from classroom.grades import Grade
from classroom.models import AttendanceStatus
from volunteers.factories import VolunteerFactory
from volunteers.integrations import short_of_volunteers
from volunteers.models import SignUp, SignUpAnswer, VolunteerAttendance

HOMES = {"staff": "/staff/", "coordinator": "/coordinator/", "volunteer": "/volunteer/"}


@pytest.mark.parametrize("persona", ["staff", "coordinator", "volunteer", "outsider"])
@pytest.mark.parametrize("home", list(HOMES))
def test_home_pages_answer_404_to_other_roles(client, request, persona, home):
    client.force_login(request.getfixturevalue(persona))
    expected = 200 if persona == home else 404
    assert client.get(HOMES[home]).status_code == expected


def test_staff_home_shows_sites_today_and_the_early_warning_card(staff_client, site):
    today = timezone.localdate()
    student = StudentFactory(site=site, family_name="青木", given_name="陽向")
    StudentFactory(site=site)
    for days_ago in (2, 5):
        class_day = ClassDayFactory(site=site, date=today - dt.timedelta(days=days_ago), status="held")
        AttendanceFactory(class_day=class_day, student=student, status=AttendanceStatus.ABSENT)
    ClassDayFactory(site=site, date=today)
    content = staff_client.get("/staff/").content.decode()
    assert site.name in content
    assert "今日の教室" in content
    assert "青木 陽向" in content  # two absences without notice in a row: on the early-warning card
    assert 'href="/warnings/' in content
    assert ">2</span>" in content  # active students


def test_staff_home_shows_nothing_of_other_sites(staff_client, other_site):
    StudentFactory(site=other_site, family_name="別所", given_name="花子")
    content = staff_client.get("/staff/").content.decode()
    assert other_site.name not in content
    assert "別所" not in content


def test_coordinator_home_lists_the_next_two_weeks_with_planned_pairs(coordinator_client, site):
    today = timezone.localdate()
    day = ClassDayFactory(site=site, date=today + dt.timedelta(days=3))
    TutoringRecordFactory(class_day=day)
    ClassDayFactory(site=site, date=today + dt.timedelta(days=20))
    content = coordinator_client.get("/coordinator/").content.decode()
    assert "今後2週間" in content
    assert len(re.findall(r'<td data-label="[^"]*" class="num">1</td>', content)) == 1  # labelled for the phone's cards


@pytest.mark.parametrize(("persona", "url"), [("staff", "/staff/"), ("coordinator", "/coordinator/")])
def test_home_query_count_does_not_grow_with_rows(client, request, site, count_queries, persona, url):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    today = timezone.localdate()

    def add_rows(n):
        """Children (half of them in 中3 or 高3 without an outcome), each expected on an upcoming class day with a
        volunteer signed up, marked on a past one with a written record, a drop-in, a home visit, volunteer hours."""
        for i in range(n):
            grade = (Grade.J3, Grade.H3, Grade.J1, Grade.E5)[i % 4]
            day = ClassDayFactory(site=site, date=today + dt.timedelta(days=1 + i % 10),
                                  start_time=dt.time(10 + i // 10, 0), end_time=dt.time(20, 0))
            student = StudentFactory(site=site, birth_date=birth_date_for(grade), usual_weekdays=str(day.date.weekday()))
            TutoringRecordFactory(class_day=day, student=student, tutor=user)
            past = ClassDayFactory(site=site, date=today - dt.timedelta(days=1 + i % 10),
                                   start_time=dt.time(10 + i // 10, 0), end_time=dt.time(20, 0))
            AttendanceFactory(class_day=past, student=student, status=AttendanceStatus.ABSENT)
            TutoringRecordFactory(class_day=past, student=student, tutor=user, written_at=timezone.now())
            DropInFactory(student=student, date=today - dt.timedelta(days=i % 10))
            HomeVisitFactory(student=student, visited_at=timezone.now())  # this month's count, even on the 1st
            volunteer = VolunteerFactory(sites=[site])
            SignUp.objects.create(volunteer=volunteer, class_day=day, answer=SignUpAnswer.CAN_COME,
                                  confirmed_at=timezone.now() if i % 2 else None)
            VolunteerAttendance.objects.create(volunteer=volunteer, class_day=past, arrived_at=dt.time(17),
                                               left_at=dt.time(19))

    add_rows(5)
    client.get(url)
    with count_queries() as small:
        assert client.get(url).status_code == 200
    add_rows(45)
    with count_queries() as large:
        response = client.get(url)
    assert response.status_code == 200
    assert small.count == large.count, large.sql
    html = response.content.decode()
    short = short_of_volunteers(user, today)
    assert len(short) > 10 and html.count('class="coverage-short"') == len(short)  # every short day listed
    if persona == "staff":
        assert '未記録の進路 <span class="badge badge--' in html
        assert "家庭訪問</dt><dd>0</dd>" not in html
