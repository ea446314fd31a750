"""Mark all unmarked present, and close the class day after a confirmation."""

import pytest
from django.urls import reverse

from classroom.factories import AttendanceFactory
from classroom.models import Attendance, AttendanceStatus, ClassDayStatus
from tests.neighbours import ours

from .conftest import other_weekday

HX = {"HTTP_HX_REQUEST": "true"}


def mark_all_url(class_day):
    return reverse("roster_mark_all_present", args=[class_day.pk])


def close_url(class_day):
    return reverse("roster_close", args=[class_day.pk])


def test_mark_all_present_with_htmx_answers_the_roster_body(staff_client, class_day, make_students):
    children = make_students(4)
    make_students(1, usual_weekdays=other_weekday())
    AttendanceFactory(class_day=class_day, student=children[0], status=AttendanceStatus.ABSENT_NOTICE)
    response = staff_client.post(mark_all_url(class_day), **HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="roster-body"')
    counts = {c["key"]: c["value"] for c in response.context["counts"]}
    assert counts["present"] == 3 and counts["absent_notice"] == 1 and counts["unmarked"] == 0
    assert response.context["notice"]
    assert ours(Attendance).filter(status=AttendanceStatus.PRESENT).count() == 3
    assert ours(Attendance).get(student=children[0]).status == AttendanceStatus.ABSENT_NOTICE


def test_mark_all_present_without_javascript_redirects(staff_client, class_day, make_students):
    make_students(3)
    response = staff_client.post(mark_all_url(class_day))
    assert response.status_code == 302
    assert response["Location"] == reverse("roster", args=[class_day.pk])
    assert ours(Attendance).filter(status=AttendanceStatus.PRESENT).count() == 3
    page = staff_client.get(response["Location"])
    assert b"message--success" in page.content


def test_mark_all_present_is_refused_before_the_day(staff_client, future_day, make_students):
    make_students(2, usual_weekdays=str(future_day.date.weekday()))
    response = staff_client.post(mark_all_url(future_day), **HX)
    assert response.status_code == 200
    assert not ours(Attendance).exists()


@pytest.mark.parametrize("persona", ["coordinator_client", "volunteer_client", "outsider_client"])
def test_mark_all_present_is_for_staff_only(request, persona, class_day, make_students):
    make_students(2)
    client = request.getfixturevalue(persona)
    assert client.post(mark_all_url(class_day)).status_code == 404
    assert not ours(Attendance).exists()


def test_mark_all_present_on_a_cancelled_or_foreign_day_is_404(staff_client, cancelled_day, other_day):
    assert staff_client.post(mark_all_url(cancelled_day)).status_code == 404
    assert staff_client.post(mark_all_url(other_day)).status_code == 404


def test_close_asks_first_and_lists_who_becomes_absent(staff_client, class_day, make_students):
    children = make_students(3)
    AttendanceFactory(class_day=class_day, student=children[0], status=AttendanceStatus.PRESENT)
    response = staff_client.get(close_url(class_day))
    assert response.status_code == 200
    assert [s.pk for s in response.context["to_mark"]] == sorted(
        [children[1].pk, children[2].pk], key=lambda pk: next(c.full_name_kana for c in children if c.pk == pk))
    html = response.content.decode()
    assert children[1].full_name in html and children[0].full_name not in html
    assert f'action="{close_url(class_day)}"' in html
    assert ours(Attendance).count() == 1  # nothing happens before the confirmation


def test_close_marks_the_unmarked_absent_and_holds_the_day(staff_client, class_day, make_students):
    children = make_students(3)
    AttendanceFactory(class_day=class_day, student=children[0], status=AttendanceStatus.LATE)
    response = staff_client.post(close_url(class_day))
    assert response.status_code == 302
    assert dict(ours(Attendance).values_list("student_id", "status")) == {
        children[0].pk: AttendanceStatus.LATE, children[1].pk: AttendanceStatus.ABSENT,
        children[2].pk: AttendanceStatus.ABSENT,
    }
    class_day.refresh_from_db()
    assert class_day.status == ClassDayStatus.HELD


def test_close_of_a_future_day_is_refused(staff_client, future_day):
    assert b"message--warning" in staff_client.get(close_url(future_day)).content
    staff_client.post(close_url(future_day))
    future_day.refresh_from_db()
    assert future_day.status == ClassDayStatus.SCHEDULED


@pytest.mark.parametrize("persona", ["coordinator_client", "volunteer_client", "outsider_client"])
def test_close_is_for_staff_only(request, persona, class_day):
    client = request.getfixturevalue(persona)
    assert client.get(close_url(class_day)).status_code == 404
    assert client.post(close_url(class_day)).status_code == 404


def test_close_of_a_cancelled_or_foreign_day_is_404(staff_client, cancelled_day, other_day):
    assert staff_client.get(close_url(cancelled_day)).status_code == 404
    assert staff_client.get(close_url(other_day)).status_code == 404
