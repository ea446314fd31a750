"""Two staff (here twenty requests) tapping the same child at once: no error, one row, the later write wins."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from classroom.models import Attendance, AttendanceStatus

# The roles are rows made by a data migration; keep them across this transactional test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

STATUSES = (
    [AttendanceStatus.PRESENT] * 6 + [AttendanceStatus.LATE] * 5 + [AttendanceStatus.ABSENT] * 4
    + [AttendanceStatus.ABSENT_NOTICE] * 3 + [AttendanceStatus.LEFT_EARLY] * 2
)


def test_twenty_simultaneous_taps_leave_one_row(staff, class_day, student):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL: SQLite serialises every write behind one lock")
    url = reverse("classroom:attendance_set", args=[class_day.pk, student.pk])
    clients = []
    for _ in STATUSES:
        client = Client()
        client.force_login(staff)
        clients.append(client)
    start = threading.Barrier(len(STATUSES))
    results: list[tuple[int, str]] = []
    failures: list[BaseException] = []

    def tap(client, status):
        try:
            start.wait(timeout=30)
            response = client.post(url, {"status": status}, HTTP_HX_REQUEST="true")
            results.append((response.status_code, response.content.decode()))
        except BaseException as error:  # reported below, in the test's thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=tap, args=(c, s)) for c, s in zip(clients, STATUSES, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not failures
    assert len(results) == len(STATUSES)
    assert all(code == 200 for code, _ in results)
    assert not any("tap-row__error" in html for _, html in results)
    rows = list(Attendance.objects.filter(class_day=class_day, student=student))
    assert len(rows) == 1
    assert rows[0].status in set(STATUSES)
