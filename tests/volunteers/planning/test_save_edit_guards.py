"""A pair changed in the plan moves the record's version: a record form opened before never saves the old tutor back."""

from django.test import Client
from django.urls import reverse

from classroom.factories import TutoringRecordFactory
from classroom.models import TutoringRecord
from tests.edit_guards import open_form
from tests.volunteers.planning.test_save import url


def test_a_record_form_opened_before_a_re_pairing_does_not_undo_it(coordinator_client, staff, day, make_children,
                                                                   make_volunteer):
    child = make_children(1)[0]
    first, second = make_volunteer(), make_volunteer()
    TutoringRecordFactory(class_day=day, student=child, tutor=first.user)
    staff_client = Client()
    staff_client.force_login(staff)
    record_url = reverse("classroom:tutoring_record_edit", args=[day.pk, child.pk])
    stale = open_form(staff_client, record_url)
    coordinator_client.post(url(day), {f"pair-{child.pk}": str(second.pk)})
    stale["homework"] = "ワーク p.20"
    response = staff_client.post(record_url, stale)
    assert response.status_code == 200
    record = TutoringRecord.objects.get(class_day=day, student=child)
    assert record.tutor_id == second.user_id and record.homework == ""
    assert "tutor" in {row["name"] for row in response.context["form"].conflict_rows}
