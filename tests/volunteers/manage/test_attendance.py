"""Volunteer attendance of a class day: fragment and page, one tap, times, add, access, query budget."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from classroom.factories import ClassDayFactory
from volunteers.factories import VolunteerFactory
from volunteers.models import SignUp, VolunteerAttendance

from .conftest import came


def page(day):
    return reverse("volunteers:volunteer_attendance", args=[day.pk])


def tap(day, v):
    return reverse("volunteers:volunteer_attendance_set", args=[day.pk, v.pk])


@pytest.fixture
def signed(tutor, class_day):
    SignUp.objects.create(volunteer=tutor, class_day=class_day, answer="can", confirmed_at=timezone.now())
    return tutor


def test_fragment_lists_sign_ups_confirmed_first(staff_client, site, class_day, signed):
    unconfirmed = VolunteerFactory(sites=[site], user__last_name="阿部")
    SignUp.objects.create(volunteer=unconfirmed, class_day=class_day, answer="can")
    declined = VolunteerFactory(sites=[site])
    SignUp.objects.create(volunteer=declined, class_day=class_day, answer="cannot")
    response = staff_client.get(page(class_day), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith('<div id="volunteer-attendance"')
    assert html.index(f'id="vattendance-row-{signed.pk}"') < html.index(f'id="vattendance-row-{unconfirmed.pk}"')
    assert f'id="vattendance-row-{declined.pk}"' not in html
    # The declined volunteer is offered in "another volunteer came".
    assert f'<option value="{declined.pk}">' in html


def test_full_page_works_without_js(staff_client, class_day, signed):
    html = staff_client.get(page(class_day)).content.decode()
    assert "<html" in html and f'action="{tap(class_day, signed)}"' in html


def test_one_tap_came_records_the_days_times_and_is_idempotent(staff_client, staff, class_day, signed):
    response = staff_client.post(tap(class_day, signed), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith(f'<li id="vattendance-row-{signed.pk}"')
    row = VolunteerAttendance.objects.get()
    assert (row.arrived_at, row.left_at, row.recorded_by) == (dt.time(17, 0), dt.time(19, 0), staff)
    staff_client.post(tap(class_day, signed), {"arrived_at": "17:30", "left_at": "19:15"}, HTTP_HX_REQUEST="true")
    row.refresh_from_db()
    assert (row.arrived_at, row.left_at) == (dt.time(17, 30), dt.time(19, 15))
    staff_client.post(tap(class_day, signed), HTTP_HX_REQUEST="true")  # a retried first tap keeps the edited times
    row.refresh_from_db()
    assert VolunteerAttendance.objects.count() == 1 and row.arrived_at == dt.time(17, 30)


def test_not_came_removes_it(staff_client, class_day, signed):
    came(signed, class_day)
    response = staff_client.post(tap(class_day, signed), {"came": "0"})
    assert response.status_code == 302 and response["Location"].startswith(page(class_day))
    assert not VolunteerAttendance.objects.exists()
    assert staff_client.post(tap(class_day, signed), {"came": "0"}).status_code == 302  # idempotent


@pytest.mark.parametrize("times", [{"arrived_at": "19:00", "left_at": "17:00"}, {"arrived_at": "25:00"}])
def test_bad_times_change_nothing(staff_client, class_day, signed, times):
    came(signed, class_day)
    response = staff_client.post(tap(class_day, signed), times, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    row = VolunteerAttendance.objects.get()
    assert (row.arrived_at, row.left_at) == (dt.time(17, 0), dt.time(19, 0))
    response = staff_client.post(tap(class_day, signed), times)  # without JS: the page with the error
    assert response.status_code == 200 and "<html" in response.content.decode()


def test_add_another_volunteer_of_the_site(staff_client, site, class_day, signed):
    walk_in = VolunteerFactory(sites=[site])
    response = staff_client.post(reverse("volunteers:volunteer_attendance_add", args=[class_day.pk]), {"volunteer": walk_in.pk},
                                 HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert VolunteerAttendance.objects.filter(volunteer=walk_in).exists()
    assert f'id="vattendance-row-{walk_in.pk}"' in response.content.decode()


def test_add_refuses_a_volunteer_of_another_site(staff_client, class_day, other_tutor):
    response = staff_client.post(reverse("volunteers:volunteer_attendance_add", args=[class_day.pk]),
                                 {"volunteer": other_tutor.pk})
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    assert not VolunteerAttendance.objects.exists()
    assert staff_client.post(tap(class_day, other_tutor)).status_code == 404


def test_future_and_cancelled_days_refuse(staff_client, site, tutor, today):
    future = ClassDayFactory(site=site, date=today + dt.timedelta(days=1))
    SignUp.objects.create(volunteer=tutor, class_day=future, answer="can")
    html = staff_client.get(page(future)).content.decode()
    assert f'action="{tap(future, tutor)}"' not in html
    response = staff_client.post(tap(future, tutor), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    cancelled = ClassDayFactory(site=site, date=today - dt.timedelta(days=1), status="cancelled")
    staff_client.post(tap(cancelled, tutor), HTTP_HX_REQUEST="true")
    assert not VolunteerAttendance.objects.exists()


def test_coordinator_reads_only(coordinator_client, class_day, signed):
    came(signed, class_day)
    html = coordinator_client.get(page(class_day)).content.decode()
    assert "鈴木 一郎" in html and f'action="{tap(class_day, signed)}"' not in html
    assert coordinator_client.post(tap(class_day, signed), {"came": "0"}).status_code == 404
    assert VolunteerAttendance.objects.exists()


@pytest.mark.parametrize("persona", ["volunteer", "outsider"])
def test_other_roles_get_404(client, request, persona, class_day, signed):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(page(class_day)).status_code == 404
    assert client.post(tap(class_day, signed)).status_code == 404
    assert not VolunteerAttendance.objects.exists()


def test_another_sites_class_day_is_404(staff_client, other_site, today):
    day = ClassDayFactory(site=other_site, date=today)
    assert staff_client.get(page(day)).status_code == 404


def test_query_budget_is_the_same_at_5_and_50_rows(staff_client, site, class_day, count_queries):
    staff_client.get(page(class_day))

    def add(n):
        for i in range(n):
            v = VolunteerFactory(sites=[site])
            SignUp.objects.create(volunteer=v, class_day=class_day, answer="can")
            if i % 2:
                came(v, class_day)
            VolunteerFactory(sites=[site])  # addable

    add(5)
    with count_queries() as five:
        staff_client.get(page(class_day), HTTP_HX_REQUEST="true")
    add(45)
    with count_queries() as fifty:
        staff_client.get(page(class_day), HTTP_HX_REQUEST="true")
    assert five.count == fifty.count, fifty.sql
