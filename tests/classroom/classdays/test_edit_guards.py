"""Class days: an edit from an older form never overwrites a later one; a new class day sent twice is added once."""

import pytest
from django.test import Client
from django.urls import reverse

from classroom import rules
from classroom.factories import ClassDayFactory, UserFactory
from classroom.models import ClassDay
from tests.classroom.classdays.test_create_edit import NEW, form_data
from tests.edit_guards import open_form

pytestmark = pytest.mark.django_db


def test_a_class_day_saved_from_an_older_form_keeps_the_later_save(staff_client, site):
    colleague = Client()
    colleague.force_login(UserFactory(username="colleague", roles=[rules.STAFF], sites=[site]))
    day = ClassDayFactory(site=site, note="")
    url = reverse("classroom:class_day_edit", args=[day.pk])
    form_a, form_b = open_form(staff_client, url), open_form(colleague, url)
    form_a["note"] = "保護者会あり"
    assert staff_client.post(url, form_a).status_code == 302
    form_b["end_time"] = "19:30"
    response = colleague.post(url, form_b)
    assert response.status_code == 200
    day.refresh_from_db()
    assert day.note == "保護者会あり" and f"{day.end_time:%H:%M}" == "19:00"
    rows = {row["name"]: (row["mine"], row["saved"]) for row in response.context["form"].conflict_rows}
    assert rows == {"end_time": ("19:30", "19:00"), "note": ("", "保護者会あり")}


def test_a_new_class_day_sent_twice_is_added_once_and_shown(staff_client, site):
    data = open_form(staff_client, NEW)
    data.update(form_data(site))
    first, second = staff_client.post(NEW, data), staff_client.post(NEW, data)
    day = ClassDay.objects.get()
    assert first["Location"] == second["Location"] == f"/class-days/{day.pk}/"  # not "this slot is taken"
