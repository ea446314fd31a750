"""Archive a student who left; delete only a mistaken entry without history."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from classroom.factories import (
    AttendanceFactory,
    ClassDayFactory,
    DropInFactory,
    StudentFactory,
    TutoringRecordFactory,
)
from classroom.models import Household, Student, StudentStatus


def test_archive_form_and_write(staff_client, student):
    url = reverse("classroom:student_archive", args=[student.pk])
    assert staff_client.get(url).status_code == 200
    response = staff_client.post(url, {"left_on": timezone.localdate().isoformat(), "leaving_outcome": "high_school"})
    assert response.status_code == 302 and response["Location"] == reverse("classroom:student_detail", args=[student.pk])
    student.refresh_from_db()
    assert student.status == StudentStatus.LEFT and student.leaving_outcome == "high_school"
    assert student.left_on == timezone.localdate()


def test_archive_refuses_a_date_before_enrollment(staff_client, student):
    url = reverse("classroom:student_archive", args=[student.pk])
    before = (student.enrolled_on - dt.timedelta(days=1)).isoformat()
    response = staff_client.post(url, {"left_on": before, "leaving_outcome": "moved"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    response = staff_client.post(url, {"left_on": "", "leaving_outcome": ""})
    assert response.status_code == 200 and set(response.context["form"].errors) == {"left_on", "leaving_outcome"}
    student.refresh_from_db()
    assert student.status == StudentStatus.ACTIVE


def test_delete_a_mistaken_entry(staff_client, student):
    url = reverse("classroom:student_delete", args=[student.pk])
    page = staff_client.get(url).content.decode()
    assert 'class="delete-form"' in page
    response = staff_client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("classroom:student_list")
    assert not Student.objects.filter(pk=student.pk).exists()
    assert not Household.objects.exists()  # the household entered with the mistake goes too


def test_delete_keeps_a_household_shared_with_a_sibling(staff_client, student, sibling):
    staff_client.post(reverse("classroom:student_delete", args=[student.pk]))
    assert Household.objects.filter(pk=sibling.household_id).exists()


@pytest.mark.parametrize("kind", ["attendance", "tutoring", "dropin"])
def test_no_delete_with_history(staff_client, student, kind):
    day = ClassDayFactory(site=student.site, date=timezone.localdate())
    {"attendance": lambda: AttendanceFactory(class_day=day, student=student),
     "tutoring": lambda: TutoringRecordFactory(class_day=day, student=student),
     "dropin": lambda: DropInFactory(student=student)}[kind]()
    url = reverse("classroom:student_delete", args=[student.pk])
    page = staff_client.get(url).content.decode()
    assert reverse("classroom:student_archive", args=[student.pk]) in page and 'class="delete-form"' not in page
    response = staff_client.post(url)
    assert response.status_code == 200
    assert Student.objects.filter(pk=student.pk).exists()


@pytest.mark.parametrize("client_fixture", ["coordinator_client", "volunteer_client", "outsider_client"])
def test_only_staff_may_archive_or_delete(request, client_fixture, student):
    client = request.getfixturevalue(client_fixture)
    for name in ("classroom:student_archive", "classroom:student_delete"):
        url = reverse(name, args=[student.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"left_on": "2026-11-01", "leaving_outcome": "moved"}).status_code == 404
    student.refresh_from_db()
    assert student.status == StudentStatus.ACTIVE


def test_another_sites_student_cannot_be_archived_or_deleted(staff_client, other_site):
    stranger = StudentFactory(site=other_site)
    assert staff_client.post(reverse("classroom:student_archive", args=[stranger.pk]),
                             {"left_on": "2026-11-01", "leaving_outcome": "moved"}).status_code == 404
    assert staff_client.post(reverse("classroom:student_delete", args=[stranger.pk])).status_code == 404
    assert Student.objects.filter(pk=stranger.pk).exists()


def test_a_student_who_left_cannot_be_archived_again(staff_client, site):
    left = StudentFactory(site=site, status=StudentStatus.LEFT, left_on=timezone.localdate(), leaving_outcome="work")
    response = staff_client.post(reverse("classroom:student_archive", args=[left.pk]),
                                 {"left_on": timezone.localdate().isoformat(), "leaving_outcome": "moved"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    left.refresh_from_db()
    assert left.leaving_outcome == "work"
