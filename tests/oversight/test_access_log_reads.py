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


def test_the_log_is_searched_by_who_and_day_and_exported(staff_admin_client, staff_admin, staff, coordinator, site):
    import datetime as dt

    from django.utils import timezone

    child = StudentFactory(site=site, family_name="検索", given_name="花子")
    tokyo = timezone.get_default_timezone()
    AccessLog.objects.create(user=coordinator, student=child, action=VIEW, path="/a/",
                             at=dt.datetime(2026, 4, 1, 0, 10, tzinfo=tokyo))
    AccessLog.objects.create(user=staff, student=child, action=CONTACTS, path="/b/",
                             at=dt.datetime(2026, 4, 2, 23, 50, tzinfo=tokyo))
    url = reverse("oversight:access_log")
    page = staff_admin_client.get(url, {"who": coordinator.pk, "from": "2026-04-01", "to": "2026-04-01"}).content.decode()
    assert "/a/" in page and "/b/" not in page
    page = staff_admin_client.get(url, {"from": "2026-04-02", "to": "2026-04-02"}).content.decode()
    assert "/b/" in page and "/a/" not in page
    # Hostile filters are ignored, never an error.
    assert staff_admin_client.get(url, {"who": "x", "from": "0001-01-01", "to": "2026-02-30"}).status_code == 200
    response = staff_admin_client.get(url, {"who": coordinator.pk, "format": "csv"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    text = response.content.decode("utf-8-sig")
    assert "検索 花子" in text and "/a/" in text and "/b/" not in text and "2026-04-01" in text.replace("/", "-")
    assert AccessLog.objects.filter(user=staff_admin, action=EXPORT, path__startswith=url).exists()
    assert staff_admin_client.get(url, {"format": "pdf"}).status_code == 404


def test_the_student_page_links_a_staff_administrator_to_the_childs_log(client, staff_admin, staff, site):
    child = StudentFactory(site=site)
    link = reverse("oversight:access_log") + f"?student={child.pk}"
    client.force_login(staff_admin)
    assert link in client.get(reverse("classroom:student_detail", args=[child.pk])).content.decode()
    client.force_login(staff)
    page = client.get(reverse("classroom:student_detail", args=[child.pk])).content.decode()
    assert reverse("oversight:access_log") not in page
    assert client.get(link).status_code == 404  # plain staff: the log is the staff administrator's
