"""Every read and write of a child's outcome leaves an access-log entry, on the screens and through the API
(issue 14, point 2): opening its form or its delete page (viewed), saving (created/changed), deleting."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from classroom.access_log import CREATE, DELETE, UPDATE, VIEW
from classroom.factories import OutcomeFactory
from classroom.models import AccessLog, Outcome
from classroom.services.tokens import token_create
from tests.edit_guards import open_form

pytestmark = pytest.mark.django_db


def entries(user, student):
    return list(AccessLog.objects.filter(user=user, student=student).order_by("pk").values_list("action", flat=True))


def test_the_outcome_screens_log_each_read_and_write(staff_client, staff, student, this_year):
    create = reverse("classroom:outcome_create", args=[student.pk])
    form = open_form(staff_client, create)
    assert entries(staff, student) == []  # an empty form shows nothing of the child's outcomes
    values = {**form, "fiscal_year": this_year, "stage": "entry", "result": "full_time", "school": "県立深谷高校"}
    assert staff_client.post(create, values).status_code == 302
    assert entries(staff, student) == [CREATE]
    outcome = Outcome.objects.get(student=student)
    edit = reverse("classroom:outcome_edit", args=[outcome.pk])
    values = open_form(staff_client, edit)
    assert entries(staff, student) == [CREATE, VIEW]
    assert staff_client.post(edit, {**values, "result": "part_time"}).status_code == 302
    assert entries(staff, student) == [CREATE, VIEW, UPDATE]
    delete = reverse("classroom:outcome_delete", args=[outcome.pk])
    assert staff_client.post(delete, open_form(staff_client, delete)).status_code == 302
    assert entries(staff, student) == [CREATE, VIEW, UPDATE, VIEW, DELETE]
    assert not Outcome.objects.filter(pk=outcome.pk).exists()
    row = AccessLog.objects.filter(user=staff, action=DELETE).get()
    assert row.student_label == student.full_name and row.path == delete and "県立" not in row.path


def test_an_invalid_save_logs_the_view_only(staff_client, staff, student, this_year):
    outcome = OutcomeFactory(student=student, fiscal_year=this_year)
    edit = reverse("classroom:outcome_edit", args=[outcome.pk])
    values = open_form(staff_client, edit)
    AccessLog.objects.all().delete()
    assert staff_client.post(edit, {**values, "result": "\x00"}).status_code in (200, 400)
    assert UPDATE not in entries(staff, student)


def test_the_api_logs_reads_and_writes_of_outcomes(staff, student, this_year):
    from django.test import Client

    _token, key = token_create(user=staff, name="連携", expires_on=timezone.localdate() + dt.timedelta(days=30))
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    made = client.post(f"/api/classroom/students/{student.pk}/outcomes",
                       {"fiscal_year": this_year, "stage": "entry", "result": "full_time"}, content_type="application/json")
    assert made.status_code == 201, made.content
    assert client.get(f"/api/classroom/students/{student.pk}/outcomes").status_code == 200
    changed = client.put(f"/api/classroom/outcomes/{made.json()['id']}",
                         {"fiscal_year": this_year, "stage": "entry", "result": "part_time",
                          "version": made.json()["version"]}, content_type="application/json")
    assert changed.status_code == 200
    assert entries(staff, student) == [CREATE, VIEW, UPDATE]
    refused = client.post(f"/api/classroom/students/{student.pk}/outcomes",
                          {"fiscal_year": this_year, "stage": "entry", "result": "continuing"},
                          content_type="application/json")
    assert refused.status_code == 422 and entries(staff, student) == [CREATE, VIEW, UPDATE]


def test_a_volunteer_reading_outcomes_through_the_api_leaves_no_read_of_what_they_cannot_see(client, student):
    from classroom import rules
    from classroom.factories import UserFactory

    client.force_login(UserFactory(roles=[rules.VOLUNTEER]))
    assert client.get(f"/api/classroom/students/{student.pk}/outcomes").status_code == 404
    assert not AccessLog.objects.filter(student=student).exists()
