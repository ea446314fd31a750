"""Every read of a child's record leaves an entry: the student page for every role that opens it (staff:
"read contacts and health notes", coordinators: "viewed"), the student list's export (one entry per child
in the file), and the API's student detail."""

from django.test import Client
from django.urls import reverse

from classroom.access_log import CONTACTS, EXPORT, VIEW
from classroom.factories import StudentFactory
from classroom.models import AccessLog


def test_the_student_page_is_logged_for_staff_and_coordinators(staff, coordinator, site):
    child = StudentFactory(site=site)
    for user in (staff, coordinator):
        client = Client()
        client.force_login(user)
        assert client.get(reverse("classroom:student_detail", args=[child.pk])).status_code == 200
    assert set(AccessLog.objects.filter(student=child).values_list("user", "action")) == {
        (staff.pk, CONTACTS), (coordinator.pk, VIEW)}


def test_the_student_export_logs_each_child_in_the_file(staff_client, staff, site, other_site):
    children = [StudentFactory(site=site) for _ in range(3)]
    StudentFactory(site=other_site)
    response = staff_client.get(reverse("classroom:student_export"), {"format": "csv"})
    assert response.status_code == 200
    logged = AccessLog.objects.filter(user=staff, action=EXPORT)
    assert set(logged.values_list("student_id", flat=True)) == {c.pk for c in children}


def test_the_api_student_detail_is_logged(coordinator_client, coordinator, site):
    child = StudentFactory(site=site)
    assert coordinator_client.get(f"/api/classroom/students/{child.pk}").status_code == 200
    assert AccessLog.objects.filter(user=coordinator, student=child, action=VIEW).exists()
