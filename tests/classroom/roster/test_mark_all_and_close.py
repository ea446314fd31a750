"""Mark all unmarked present, and close the class day after a confirmation."""

import pytest
from django.urls import reverse

from classroom.factories import AttendanceFactory
from classroom.models import Attendance, AttendanceStatus, ClassDayStatus
from tests.neighbours import ours

from .conftest import other_weekday

HX = {"HTTP_HX_REQUEST": "true"}


def mark_all_url(class_day):
    return reverse("classroom:roster_mark_all_present", args=[class_day.pk])


def close_url(class_day):
    return reverse("classroom:roster_close", args=[class_day.pk])


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
    # The roster again, carrying the stamp its undo needs (issue 9, point 5).
    assert response["Location"].startswith(reverse("classroom:roster", args=[class_day.pk]) + "?marked_at=")
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


# --- Issue 9, point 5: mark all has a count and one undo that restores every row exactly ----------
def undo_url(class_day):
    return reverse("classroom:roster_mark_all_undo", args=[class_day.pk])


def test_the_button_says_how_many_it_will_mark(staff_client, class_day, make_students):
    from .conftest import ja
    children = make_students(5)
    AttendanceFactory(class_day=class_day, student=children[0], status=AttendanceStatus.LATE)
    html = staff_client.get(reverse("classroom:roster", args=[class_day.pk])).content.decode()
    assert ja("Mark the %(count)s unmarked present") % {"count": 4} in html
    assert "未記録の4人を出席にする" in html
    # After one tap, the button (swapped out of band) counts one fewer.
    tap = staff_client.post(reverse("classroom:attendance_set", args=[class_day.pk, children[1].pk]),
                            {"status": "present"}, **HX).content.decode()
    assert 'id="roster-mark-all"' in tap and "未記録の3人を出席にする" in tap


@pytest.mark.parametrize("htmx", [True, False])
def test_one_undo_restores_exactly_the_rows_mark_all_made(staff_client, staff, class_day, make_students,
                                                          neighbours, htmx):
    from casework import warnings
    children = make_students(4)
    # Before: one child late (kept), one with two absences in a row (an early warning), two unmarked.
    late = AttendanceFactory(class_day=class_day, student=children[0], status=AttendanceStatus.LATE, note="電車遅延")
    for days_ago in (7, 14):
        neighbours.history_of(children[1], days_ago=days_ago, status=AttendanceStatus.ABSENT)
    neighbours.history_of(children[2], days_ago=7)  # the same child on another class day
    warned = {w.student.pk for w in warnings.compute([class_day.site]).of_kind(warnings.ABSENCES)}
    assert children[1].pk in warned
    before = {(a.pk, a.student_id, a.status, a.note, a.recorded_at) for a in Attendance.objects.all()}

    headers = HX if htmx else {}
    response = staff_client.post(mark_all_url(class_day), **headers)
    page = response if htmx else staff_client.get(response["Location"])
    html = page.content.decode()
    assert ours(Attendance).filter(class_day=class_day, status=AttendanceStatus.PRESENT).count() == 3
    assert children[1].pk not in {w.student.pk for w in warnings.compute([class_day.site]).of_kind(warnings.ABSENCES)}
    assert f'action="{undo_url(class_day)}"' in html
    assert "3人を未記録に戻す" in html  # the undo says what it undoes
    assert children[1].full_name in html and "早期" in html  # the warning it cleared is named, not silent

    marked_at = page.context["mark_all_undo"]["marked_at"]
    response = staff_client.post(undo_url(class_day), {"marked_at": marked_at}, **headers)
    if htmx:
        assert response.status_code == 200 and response.content.decode().lstrip().startswith('<div id="roster-body"')
    else:
        assert response.status_code == 302
    after = {(a.pk, a.student_id, a.status, a.note, a.recorded_at) for a in Attendance.objects.all()}
    assert after == before
    late.refresh_from_db()
    assert late.status == AttendanceStatus.LATE and late.note == "電車遅延"
    assert children[1].pk in {w.student.pk for w in warnings.compute([class_day.site]).of_kind(warnings.ABSENCES)}
    neighbours.assert_untouched()


def test_undo_keeps_a_row_changed_after_mark_all_and_is_idempotent(staff_client, staff, class_day, make_students):
    children = make_students(3)
    response = staff_client.post(mark_all_url(class_day), **HX)
    marked_at = response.context["mark_all_undo"]["marked_at"]
    staff_client.post(reverse("classroom:attendance_set", args=[class_day.pk, children[0].pk]), {"status": "late"}, **HX)
    staff_client.post(undo_url(class_day), {"marked_at": marked_at}, **HX)
    assert dict(ours(Attendance).values_list("student_id", "status")) == {children[0].pk: AttendanceStatus.LATE}
    staff_client.post(undo_url(class_day), {"marked_at": marked_at}, **HX)
    assert ours(Attendance).count() == 1


def test_undo_touches_no_other_class_day_site_or_staff(staff_client, staff, site, class_day, make_students,
                                                       neighbours):
    from classroom.factories import ClassDayFactory, UserFactory
    from classroom.services.attendance import roster_mark_all_present
    make_students(2)
    other_day = ClassDayFactory(site=site, date=class_day.date, start_time=class_day.end_time.replace(hour=20),
                                end_time=class_day.end_time.replace(hour=21))
    colleague = UserFactory(roles=["staff"], sites=[site])
    response = staff_client.post(mark_all_url(class_day), **HX)
    marked_at = response.context["mark_all_undo"]["marked_at"]
    # The same stamp, another day of the same site, and another member of staff's rows: never undone.
    roster_mark_all_present(class_day=other_day, by=staff)
    far = roster_mark_all_present(class_day=neighbours.far_today, by=colleague)
    neighbours.take_snapshot()
    staff_client.post(undo_url(class_day), {"marked_at": marked_at}, **HX)
    assert not Attendance.objects.filter(class_day=class_day).exists()
    assert Attendance.objects.filter(class_day=other_day).count() == 2
    assert Attendance.objects.filter(class_day=neighbours.far_today, student__in=far).count() == len(far) > 0
    neighbours.assert_untouched()
    # Another day's URL with this day's stamp undoes nothing there.
    staff_client.post(undo_url(other_day), {"marked_at": marked_at}, **HX)
    assert Attendance.objects.filter(class_day=other_day).count() == 2


@pytest.mark.parametrize("value", ["", "yesterday", "2026-13-45T99:00:00", "\x00", "9" * 40])
def test_undo_with_a_bad_stamp_changes_nothing(staff_client, class_day, make_students, value):
    make_students(2)
    staff_client.post(mark_all_url(class_day), **HX)
    response = staff_client.post(undo_url(class_day), {"marked_at": value}, **HX)
    assert response.status_code in (200, 400)  # 400: the hostile-input guard refuses NUL bytes and huge numbers
    assert ours(Attendance).count() == 2


@pytest.mark.parametrize("persona", ["coordinator_client", "volunteer_client", "outsider_client"])
def test_undo_is_for_staff_only(request, staff, persona, class_day, make_students):
    from classroom.services.attendance import roster_mark_all_present
    make_students(2)
    roster_mark_all_present(class_day=class_day, by=staff)
    stamp = Attendance.objects.first().recorded_at.isoformat()
    client = request.getfixturevalue(persona)
    assert client.post(undo_url(class_day), {"marked_at": stamp}).status_code == 404
    assert ours(Attendance).count() == 2
