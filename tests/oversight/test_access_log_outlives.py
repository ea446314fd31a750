"""The access log outlives what it points to: deleting a child keeps every entry about them, with the
child's id and name as read; each entry says from which address; the log's page shows a deleted child."""

from django.urls import reverse

from classroom.factories import StudentFactory
from classroom.models import AccessLog, Student


def test_deleting_a_child_keeps_the_entries_with_id_label_and_address(staff_admin_client, site):
    child = StudentFactory(site=site, family_name="削除", given_name="花子")
    staff_admin_client.get(reverse("classroom:student_detail", args=[child.pk]), REMOTE_ADDR="203.0.113.9")
    entries = AccessLog.objects.filter(student_id=child.pk)
    assert entries.exists()
    pk = child.pk
    Student.objects.filter(pk=pk).delete()
    kept = AccessLog.objects.filter(student_id=pk)
    assert kept.count() == entries.count() > 0
    assert set(kept.values_list("student_label", flat=True)) <= {"削除 花子", ""}
    assert "削除 花子" in set(kept.values_list("student_label", flat=True))
    assert set(kept.values_list("address", flat=True)) == {"203.0.113.9"}
    page = staff_admin_client.get(reverse("oversight:access_log")).content.decode()
    assert "削除 花子" in page and "削除済み" in page and "203.0.113.9" in page
