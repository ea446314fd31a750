"""Downloading the volunteer hours report is an export like any other: it leaves an access-log entry."""

import pytest
from django.urls import reverse

from classroom.access_log import EXPORT
from classroom.models import AccessLog

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_hours_export_is_logged(staff_client, staff, export_format):
    response = staff_client.get(reverse("volunteers:volunteer_hours_export"), {"format": export_format})
    assert response.status_code == 200
    row = AccessLog.objects.get(user=staff)
    assert (row.action, row.student_id) == (EXPORT, None) and row.path.startswith("/volunteers/hours/export/")


def test_an_unknown_format_is_refused_and_not_logged(staff_client):
    assert staff_client.get(reverse("volunteers:volunteer_hours_export"), {"format": "pdf"}).status_code == 404
    assert not AccessLog.objects.exists()
