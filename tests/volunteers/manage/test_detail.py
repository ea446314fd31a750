"""The volunteer page: profile, sign-ups, pairs history, hours, exceptions and preferences (HTMX), access."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from classroom.factories import ClassDayFactory, StudentFactory, TutoringRecordFactory
from classroom.grades import fiscal_year_of
from volunteers.models import AvailabilityException, PairingPreference, SignUp

from .conftest import came


def url(v):
    return reverse("volunteers:volunteer_detail", args=[v.pk])


def test_page_shows_profile_sign_ups_pairs_and_hours(staff_client, site, tutor, today):
    tutor.note = "土曜は午前のみ"
    tutor.save()
    past = ClassDayFactory(site=site, date=today - dt.timedelta(days=1))
    future = ClassDayFactory(site=site, date=today + dt.timedelta(days=7))
    SignUp.objects.create(volunteer=tutor, class_day=future, answer="can", confirmed_at=timezone.now())
    SignUp.objects.create(volunteer=tutor, class_day=past, answer="can")
    child = StudentFactory(site=site, family_name="山田", given_name="花子")
    TutoringRecordFactory(class_day=past, student=child, tutor=tutor.user, written_at=timezone.now())
    came(tutor, past, dt.time(17, 0), dt.time(18, 30))
    response = staff_client.get(url(tutor))
    html = response.content.decode()
    assert response.status_code == 200
    assert "鈴木 一郎" in html and "土曜は午前のみ" in html
    assert "山田 花子" in html  # staff may see the child's name in the pairs history
    if fiscal_year_of(past.date) == fiscal_year_of(today):
        assert response.context["hours_year"] == "1時間30分"
    assert len(response.context["upcoming_sign_ups"]) == 1 and len(response.context["recent_sign_ups"]) == 1
    assert 'id="preferences"' in html and 'id="exceptions"' in html


def test_coordinator_sees_the_page_without_preferences(coordinator_client, tutor):
    html = coordinator_client.get(url(tutor)).content.decode()
    assert "鈴木 一郎" in html and 'id="preferences"' not in html and 'id="exceptions"' in html


@pytest.mark.parametrize("persona", ["volunteer", "outsider"])
def test_other_roles_get_404(client, request, persona, tutor):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url(tutor)).status_code == 404


@pytest.mark.parametrize("persona", ["staff", "coordinator"])
def test_another_sites_volunteer_is_404(client, request, persona, other_tutor):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url(other_tutor)).status_code == 404
    assert client.get(reverse("volunteers:volunteer_edit", args=[other_tutor.pk])).status_code == 404
    assert client.post(reverse("volunteers:volunteer_set_active", args=[other_tutor.pk]), {"active": "0"}).status_code == 404
    assert client.post(reverse("volunteers:availability_exception_add", args=[other_tutor.pk]),
                       {"date": "2030-01-01", "available": "0"}).status_code == 404


def test_add_and_remove_an_exception_with_htmx(staff_client, tutor, today):
    day = today + dt.timedelta(days=10)
    add = reverse("volunteers:availability_exception_add", args=[tutor.pk])
    response = staff_client.post(add, {"date": day.isoformat(), "available": "0", "note": "法事"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<section id="exceptions"')
    exception = AvailabilityException.objects.get(volunteer=tutor)
    assert exception.date == day and not exception.available and "法事" in html
    # The same date again: the last answer wins, still one row.
    staff_client.post(add, {"date": day.isoformat(), "available": "1"}, HTTP_HX_REQUEST="true")
    assert AvailabilityException.objects.get(volunteer=tutor).available
    remove = reverse("volunteers:availability_exception_remove", args=[tutor.pk, exception.pk])
    assert staff_client.post(remove, HTTP_HX_REQUEST="true").status_code == 200
    assert not AvailabilityException.objects.exists()
    assert staff_client.post(remove, HTTP_HX_REQUEST="true").status_code == 200  # idempotent


def test_bad_exception_changes_nothing(staff_client, tutor):
    add = reverse("volunteers:availability_exception_add", args=[tutor.pk])
    response = staff_client.post(add, {"date": "not-a-date", "available": "0"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    assert not AvailabilityException.objects.exists()
    response = staff_client.post(add, {"date": "2030-02-30", "available": "0"})
    assert response.status_code == 200 and not AvailabilityException.objects.exists()


def test_exception_without_js_redirects_to_the_page(coordinator_client, tutor, today):
    add = reverse("volunteers:availability_exception_add", args=[tutor.pk])
    response = coordinator_client.post(add, {"date": (today + dt.timedelta(days=3)).isoformat(), "available": "1"})
    assert response.status_code == 302 and response["Location"] == url(tutor)
    assert coordinator_client.get(add).status_code == 200


def test_staff_adds_and_removes_a_pairing_preference(staff_client, site, tutor):
    child = StudentFactory(site=site, family_name="山田", given_name="花子")
    add = reverse("volunteers:pairing_preference_add", args=[tutor.pk])
    response = staff_client.post(add, {"student": child.pk, "kind": "avoid", "note": "相性"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response.content.decode().lstrip().startswith('<section id="preferences"')
    pref = PairingPreference.objects.get()
    assert (pref.student, pref.volunteer, pref.kind, pref.note) == (child, tutor, "avoid", "相性")
    staff_client.post(add, {"student": child.pk, "kind": "preferred"}, HTTP_HX_REQUEST="true")
    assert PairingPreference.objects.get().kind == "preferred"
    response = staff_client.post(reverse("volunteers:pairing_preference_remove", args=[tutor.pk, pref.pk]))
    assert response.status_code == 302 and not PairingPreference.objects.exists()


def test_preference_with_a_child_of_another_site_changes_nothing(staff_client, staff, other_site, tutor):
    staff.sites.add(other_site)
    stranger = StudentFactory(site=other_site)
    response = staff_client.post(reverse("volunteers:pairing_preference_add", args=[tutor.pk]),
                                 {"student": stranger.pk, "kind": "preferred"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    assert not PairingPreference.objects.exists()


def test_coordinator_cannot_edit_preferences(coordinator_client, site, tutor):
    child = StudentFactory(site=site)
    response = coordinator_client.post(reverse("volunteers:pairing_preference_add", args=[tutor.pk]),
                                       {"student": child.pk, "kind": "avoid"})
    assert response.status_code == 404 and not PairingPreference.objects.exists()


def test_deactivate_and_reactivate(coordinator_client, tutor):
    toggle = reverse("volunteers:volunteer_set_active", args=[tutor.pk])
    assert coordinator_client.post(toggle, {"active": "0"}).status_code == 302
    tutor.refresh_from_db()
    assert not tutor.is_active
    assert coordinator_client.get(toggle).status_code == 405
    coordinator_client.post(toggle, {"active": "1"})
    tutor.refresh_from_db()
    assert tutor.is_active


def test_query_budget_is_the_same_at_5_and_50_rows(staff_client, site, tutor, today, count_queries):
    staff_client.get(url(tutor))

    def add_rows(n, offset):
        for i in range(n):
            day = ClassDayFactory(site=site, date=today - dt.timedelta(days=offset + i))
            SignUp.objects.create(volunteer=tutor, class_day=day, answer="can")
            TutoringRecordFactory(class_day=day, tutor=tutor.user)
            came(tutor, day)
            AvailabilityException.objects.create(volunteer=tutor, date=today + dt.timedelta(days=offset + i))
            PairingPreference.objects.create(volunteer=tutor, student=StudentFactory(site=site), kind="preferred")

    add_rows(5, 1)
    with count_queries() as five:
        staff_client.get(url(tutor))
    add_rows(45, 10)
    with count_queries() as fifty:
        staff_client.get(url(tutor))
    assert five.count == fifty.count, fifty.sql
