"""The tutor's own record and the staff's record page edit one row: neither overwrites the other silently."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from classroom.models import TutoringRecord
from tests.edit_guards import form_values, open_form

pytestmark = pytest.mark.django_db


def test_a_record_staff_wrote_meanwhile_is_not_overwritten_by_the_tutor(volunteer_client, staff, pair):
    """Staff add to the record while the tutor's page is open: the tutor's save shows both versions."""
    staff_client = Client()
    staff_client.force_login(staff)
    pair.class_day.date = timezone.localdate()
    pair.class_day.save()
    url = reverse("volunteers:my_tutoring_record", args=[pair.pk])
    mine = open_form(volunteer_client, url)
    staff_url = reverse("classroom:tutoring_record_edit", args=[pair.class_day_id, pair.student_id])
    by_staff = open_form(staff_client, staff_url)
    by_staff["handover_note"] = "保護者から：数学の宿題を見てほしい"
    assert staff_client.post(staff_url, by_staff).status_code == 302
    mine["studied"] = "一次関数 p.42-45"
    response = volunteer_client.post(url, mine)
    assert response.status_code == 200
    record = TutoringRecord.objects.get(pk=pair.pk)
    assert record.handover_note == "保護者から：数学の宿題を見てほしい" and record.studied == ""
    assert "上書きはしていません" in response.content.decode()
    assert 'value="' in response.content.decode() and "一次関数 p.42-45" in response.content.decode()


def test_the_tutor_saving_twice_from_one_page_is_no_conflict(volunteer_client, pair):
    pair.class_day.date = timezone.localdate()
    pair.class_day.save()
    url = reverse("volunteers:my_tutoring_record", args=[pair.pk])
    data = open_form(volunteer_client, url)
    data["studied"] = "一次関数"
    response = volunteer_client.post(url, data, HTTP_HX_REQUEST="true")  # the page stays open
    again = form_values(response.content.decode())
    again.pop("csrfmiddlewaretoken", None)
    again["homework"] = "ワーク p.20"
    assert volunteer_client.post(url, again, HTTP_HX_REQUEST="true").status_code == 200
    record = TutoringRecord.objects.get(pk=pair.pk)
    assert (record.studied, record.homework) == ("一次関数", "ワーク p.20")
