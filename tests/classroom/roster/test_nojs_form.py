"""The roster without JavaScript: one plain form, a radio group per child, one save button."""

from django.urls import reverse

from classroom.factories import AttendanceFactory
from classroom.models import Attendance, AttendanceStatus
from tests.neighbours import ours

from .conftest import other_weekday


def test_saving_the_whole_form(staff_client, class_day, make_students):
    children = make_students(4)
    visitor = make_students(1, usual_weekdays=other_weekday())[0]
    AttendanceFactory(class_day=class_day, student=children[3], status=AttendanceStatus.PRESENT, note="元気")
    response = staff_client.post(reverse("classroom:roster", args=[class_day.pk]), {
        f"status-{children[0].pk}": "present",
        f"status-{children[1].pk}": "late",
        f"status-{children[2].pk}": "",  # left unmarked
        f"status-{children[3].pk}": "absent_notice",
        f"status-{visitor.pk}": "present",  # from the "other children" section
    })
    assert response.status_code == 302
    assert response["Location"] == reverse("classroom:roster", args=[class_day.pk])
    stored = {a.student_id: a for a in ours(Attendance).all()}
    assert {pk: a.status for pk, a in stored.items()} == {
        children[0].pk: "present", children[1].pk: "late", children[3].pk: "absent_notice", visitor.pk: "present",
    }
    assert stored[children[1].pk].arrived_at is not None
    assert stored[children[3].pk].note == "元気"


def test_unchanged_rows_are_left_alone_and_unmarked_clears(staff_client, class_day, make_students):
    children = make_students(2)
    AttendanceFactory(class_day=class_day, student=children[0], status=AttendanceStatus.PRESENT)
    AttendanceFactory(class_day=class_day, student=children[1], status=AttendanceStatus.PRESENT)
    before = ours(Attendance).get(student=children[0]).recorded_at
    staff_client.post(reverse("classroom:roster", args=[class_day.pk]), {
        f"status-{children[0].pk}": "present", f"status-{children[1].pk}": "",
    })
    assert list(ours(Attendance).values_list("student_id", flat=True)) == [children[0].pk]
    assert ours(Attendance).get().recorded_at == before


def test_refused_rows_show_their_error_at_200(staff_client, future_day, make_students):
    children = make_students(2, usual_weekdays=str(future_day.date.weekday()))
    response = staff_client.post(reverse("classroom:roster", args=[future_day.pk]), {
        f"status-{children[0].pk}": "present", f"status-{children[1].pk}": "absent_notice",
    })
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("tap-row__error") == 1
    assert list(ours(Attendance).values_list("student_id", "status")) == [(children[1].pk, "absent_notice")]


def test_an_unknown_status_is_an_error(staff_client, class_day, make_students):
    child = make_students(1)[0]
    response = staff_client.post(reverse("classroom:roster", args=[class_day.pk]), {f"status-{child.pk}": "asleep"})
    assert response.status_code == 200
    assert "tap-row__error" in response.content.decode()
    assert not ours(Attendance).exists()
