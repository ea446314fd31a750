"""Cancelling a class day with a reason, and restoring it."""

import pytest

from classroom.factories import AttendanceFactory, ClassDayFactory
from classroom.models import AttendanceStatus, ClassDayStatus


@pytest.fixture
def class_day(site):
    return ClassDayFactory(site=site)


def url(day, action="cancel"):
    return f"/class-days/{day.pk}/{action}/"


@pytest.mark.parametrize("persona, expected", [("staff", 200), ("coordinator", 404), ("volunteer", 404),
                                               ("outsider", 404)])
def test_cancel_access_by_role(client, request, class_day, persona, expected):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url(class_day)).status_code == expected


def test_coordinator_cannot_cancel_or_restore(coordinator_client, class_day):
    assert coordinator_client.post(url(class_day), {"reason": "台風"}).status_code == 404
    assert coordinator_client.post(url(class_day, "restore")).status_code == 404
    class_day.refresh_from_db()
    assert class_day.status == ClassDayStatus.SCHEDULED


def test_another_sites_class_day_answers_404(staff_client, other_site):
    theirs = ClassDayFactory(site=other_site)
    assert staff_client.post(url(theirs), {"reason": "台風"}).status_code == 404
    assert staff_client.post(url(theirs, "restore")).status_code == 404


def test_staff_cancels_with_a_reason(staff_client, class_day):
    page = staff_client.get(url(class_day)).content.decode()
    assert 'name="reason"' in page
    response = staff_client.post(url(class_day), {"reason": "台風接近のため休室"})
    assert response.status_code == 302
    class_day.refresh_from_db()
    assert (class_day.status, class_day.cancel_reason) == (ClassDayStatus.CANCELLED, "台風接近のため休室")
    listed = staff_client.get("/class-days/", {"status": "cancelled"}).content.decode()
    assert "台風接近のため休室" in listed


def test_a_reason_is_required(staff_client, class_day):
    response = staff_client.post(url(class_day), {"reason": ""}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith('<form id="class-day-cancel-form"')
    assert 'class="field__error"' in content
    class_day.refresh_from_db()
    assert class_day.status == ClassDayStatus.SCHEDULED


def test_a_held_day_with_attendance_cannot_be_cancelled(staff_client, site):
    day = ClassDayFactory(site=site, status=ClassDayStatus.HELD)
    AttendanceFactory(class_day=day, status=AttendanceStatus.PRESENT)
    response = staff_client.post(url(day), {"reason": "誤登録"})
    assert response.status_code == 200
    assert 'class="form-errors"' in response.content.decode()
    day.refresh_from_db()
    assert day.status == ClassDayStatus.HELD


def test_restore(staff_client, site):
    day = ClassDayFactory(site=site, status=ClassDayStatus.CANCELLED, cancel_reason="台風")
    assert staff_client.get(url(day, "restore")).status_code == 405
    response = staff_client.post(url(day, "restore"))
    assert response.status_code == 302
    day.refresh_from_db()
    assert (day.status, day.cancel_reason) == (ClassDayStatus.SCHEDULED, "")
