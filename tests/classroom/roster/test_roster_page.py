"""The roster page: who is listed where, what each role sees, and its query budget."""

import datetime as dt

import pytest
from django.urls import reverse

from classroom.factories import AttendanceFactory, TutoringRecordFactory
from classroom.models import AttendanceStatus, StudentStatus

from .conftest import other_weekday


def url(class_day):
    return reverse("classroom:roster", args=[class_day.pk])


def test_page_lists_the_days_class_in_kana_order_and_no_other_child(staff_client, class_day, make_students):
    """Issue 11: the roster is the day's class; the site's other active children come by a search
    (this test listed them in a folded section before)."""
    make_students(1, family=("渡辺", "ワタナベ"), given=("翔", "ショウ"))
    make_students(1, family=("青木", "アオキ"), given=("結衣", "ユイ"))
    make_students(1, family=("小川", "オガワ"), given=("蓮", "レン"), usual_weekdays=other_weekday())
    make_students(1, family=("石井", "イシイ"), given=("陽", "ヒナタ"), status=StudentStatus.LEFT)
    response = staff_client.get(url(class_day))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("青木 結衣") < html.index("渡辺 翔")
    assert "アオキ ユイ" in html  # furigana
    assert "小川 蓮" not in html  # active, but neither expected nor marked: found by a search
    assert "石井 陽" not in html  # left the program and not marked that day
    assert html.count("data-tap-row ") == 2


def test_marked_children_are_listed_even_when_not_expected(staff_client, class_day, make_students):
    visitor = make_students(1, usual_weekdays=other_weekday())[0]
    AttendanceFactory(class_day=class_day, student=visitor, status=AttendanceStatus.PRESENT)
    assert visitor.full_name in response_html(staff_client, class_day)


def response_html(client, class_day):
    response = client.get(url(class_day))
    assert response.status_code == 200
    return response.content.decode()


def test_header_counts_and_buttons(staff_client, class_day, make_students):
    children = make_students(4)
    AttendanceFactory(class_day=class_day, student=children[0], status=AttendanceStatus.LATE, arrived_at=dt.time(17, 25),
                      note="電車遅延")
    AttendanceFactory(class_day=class_day, student=children[1], status=AttendanceStatus.ABSENT_NOTICE)
    response = staff_client.get(url(class_day))
    counts = {c["key"]: c["value"] for c in response.context["counts"]}
    assert counts == {"present": 0, "late": 1, "left_early": 0, "absent_notice": 1, "absent": 0, "unmarked": 2}
    html = response.content.decode()
    assert class_day.site.name in html
    assert 'id="roster-counts"' in html
    assert html.count('aria-pressed="true"') == 2
    assert 'value="17:25"' in html  # the arrival time, editable inline
    assert "電車遅延" in html
    assert reverse("classroom:attendance_set", args=[class_day.pk, children[0].pk]) in html
    assert reverse("classroom:tutoring_record_edit", args=[class_day.pk, children[0].pk]) in html
    assert reverse("classroom:roster_mark_all_present", args=[class_day.pk]) in html
    assert reverse("classroom:roster_close", args=[class_day.pk]) in html
    assert 'data-tap-key="p"' in html and 'data-tap-key="n"' in html
    # Without JavaScript: each row's buttons post the roster's one form, named by the child.
    assert f'form="roster-form" name="status-{children[0].pk}"' in html
    assert f'action="{url(class_day)}"' in html


def test_fragment(staff_client, class_day, make_students):
    make_students(2)
    response = staff_client.get(url(class_day), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="roster-body"')
    assert "<html" not in html


def test_future_day_offers_only_absent_with_notice(staff_client, future_day, make_students):
    make_students(2, usual_weekdays=str(future_day.date.weekday()))
    html = response_html(staff_client, future_day)
    assert 'value="absent_notice"' in html
    assert 'name="status" value="present"' not in html
    assert reverse("classroom:roster_mark_all_present", args=[future_day.pk]) not in html
    assert reverse("classroom:roster_close", args=[future_day.pk]) not in html


def test_cancelled_day_is_read_only(staff_client, cancelled_day, make_students):
    make_students(2)
    html = response_html(staff_client, cancelled_day)
    assert "台風接近のため休室" in html
    assert "aria-pressed" not in html
    assert 'id="roster-form"' not in html


def test_coordinator_reads_statuses_and_counts_without_buttons_or_notes(coordinator_client, class_day, make_students):
    children = make_students(2)
    AttendanceFactory(class_day=class_day, student=children[0], status=AttendanceStatus.ABSENT_NOTICE, note="通院のため")
    TutoringRecordFactory(class_day=class_day, student=children[0])
    response = coordinator_client.get(url(class_day))
    assert response.status_code == 200
    html = response.content.decode()
    assert children[0].full_name in html and children[1].full_name in html
    assert "tap-status--absent_notice" in html
    assert 'id="roster-counts"' in html
    assert "aria-pressed" not in html
    assert "<form" not in html.split('id="main"')[1].split("site-footer")[0]
    assert "通院のため" not in html
    assert reverse("classroom:roster_mark_all_present", args=[class_day.pk]) not in html
    assert reverse("classroom:tutoring_record_edit", args=[class_day.pk, children[0].pk]) in html


@pytest.mark.parametrize("persona", ["volunteer_client", "outsider_client"])
def test_volunteers_and_outsiders_get_404(request, persona, class_day):
    client = request.getfixturevalue(persona)
    assert client.get(url(class_day)).status_code == 404
    assert client.get(url(class_day), HTTP_HX_REQUEST="true").status_code == 404


def test_anonymous_is_sent_to_sign_in(client, class_day):
    response = client.get(url(class_day))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_class_day_of_another_site_is_404(staff_client, coordinator_client, other_day):
    assert staff_client.get(url(other_day)).status_code == 404
    assert coordinator_client.get(url(other_day)).status_code == 404


def test_coordinator_cannot_post_the_form(coordinator_client, class_day, student):
    response = coordinator_client.post(url(class_day), {f"status-{student.pk}": "present"})
    assert response.status_code == 404


def test_query_budget_is_the_same_at_5_and_50_children(staff_client, class_day, make_students, count_queries):
    def measure():
        staff_client.get(url(class_day))  # warm the session: the measured request writes nothing
        with count_queries() as q:
            assert staff_client.get(url(class_day)).status_code == 200
        return q.count

    children = make_students(5)
    AttendanceFactory(class_day=class_day, student=children[0], status=AttendanceStatus.LATE, arrived_at=dt.time(17, 5))
    TutoringRecordFactory(class_day=class_day, student=children[1])
    make_students(1, usual_weekdays=other_weekday())
    at_5 = measure()
    more = make_students(45)
    for child in more[:10]:
        AttendanceFactory(class_day=class_day, student=child, status=AttendanceStatus.PRESENT)
        TutoringRecordFactory(class_day=class_day, student=child)
    make_students(10, usual_weekdays=other_weekday())
    at_50 = measure()
    assert at_5 == at_50
    assert at_50 <= 10
