"""What a volunteer sees is theirs alone: their answers, their pairs, their child's own handover note;
and the windows that end what they see, on each side of every boundary.

Every test here runs beside the neighbours (tests/neighbours.py): another volunteer's answers,
another child's handover notes, another site's days, all of which must stay untouched and unseen.
"""

import datetime as dt

import pytest
from django.urls import reverse

from classroom import rules
from classroom.factories import ClassDayFactory, TutoringRecordFactory
from classroom.models import ClassDayStatus
from tests.neighbours import BESIDE_HANDOVER, HANDOVER
from tests.volunteers.me.conftest import days
from volunteers.models import SignUpAnswer
from volunteers.services import schedule as services

URL = reverse("volunteers:home_volunteer")


def card(html: str, day) -> str:
    """The schedule card of ``day`` in the page."""
    start = html.index(f'<article id="day-{day.pk}"')
    end = html.find('<article id="day-', start + 1)
    return html[start:end if end != -1 else None]


# --- Scope: beside another volunteer and another child -----------------------------------------
@pytest.mark.parametrize("answer", [SignUpAnswer.CAN_COME, SignUpAnswer.CANNOT_COME])
def test_another_volunteers_answer_is_not_mine(volunteer_client, me, upcoming_day, neighbours, answer):
    neighbours.beside(upcoming_day, answer, confirmed=answer == SignUpAnswer.CAN_COME)
    day = services.site_class_days(me).get(pk=upcoming_day.pk)
    assert (day.my_answer, day.my_confirmed_at) == (None, None)
    html = card(volunteer_client.get(URL).content.decode(), upcoming_day)
    assert 'aria-pressed="true"' not in html
    assert 'class="badge badge--warn"' in html  # not answered yet


def test_my_answer_beside_another_volunteers(volunteer_client, me, upcoming_day, neighbours):
    neighbours.beside(upcoming_day, SignUpAnswer.CAN_COME, confirmed=True)
    volunteer_client.post(reverse("volunteers:my_sign_up", args=[upcoming_day.pk]), {"answer": SignUpAnswer.CANNOT_COME})
    day = services.site_class_days(me).get(pk=upcoming_day.pk)
    assert (day.my_answer, day.my_confirmed_at) == (SignUpAnswer.CANNOT_COME, None)
    neighbours.assert_untouched()


def test_the_handover_note_is_the_childs_own(volunteer_client, pair, neighbours):
    neighbours.note_before(pair.class_day.date)  # another child's note, written after this child's
    [record] = rules.paired_records(pair.tutor).with_previous_handover()
    assert record.previous_handover == "一次関数の文章題で止まりがち。図を描くと進む。"
    html = volunteer_client.get(URL).content.decode()
    assert "一次関数の文章題で止まりがち" in html
    assert BESIDE_HANDOVER not in html and HANDOVER not in html
    record_page = volunteer_client.get(reverse("volunteers:my_tutoring_record", args=[pair.pk])).content.decode()
    assert BESIDE_HANDOVER not in record_page


def test_a_child_without_a_note_shows_none_of_anothers(volunteer_client, me, child, upcoming_day, neighbours):
    record = TutoringRecordFactory(class_day=upcoming_day, student=child, tutor=me.user)
    neighbours.note_before(upcoming_day.date)
    [annotated] = rules.paired_records(me.user).filter(pk=record.pk).with_previous_handover()
    assert annotated.previous_handover is None


def test_only_my_own_pairs(me, pair, neighbours):
    assert list(rules.paired_records(me.user)) == [pair]
    assert list(rules.own_records(me.user)) == [pair]
    assert [r.student for r in rules.paired_records(me.user)] == [pair.student]
    assert neighbours.far_record not in rules.own_records(neighbours.far_volunteer.user).none()


def test_only_my_sites_class_days(me, upcoming_day, neighbours):
    days_seen = set(services.site_class_days(me).values_list("site_id", flat=True))
    assert days_seen == {upcoming_day.site_id}


# --- Boundaries: the seven-day window, the record window, the schedule's last day ---------------
@pytest.mark.parametrize(("days_ago", "visible"), [(-3, True), (0, True), (6, True), (7, True), (8, False),
                                                   (30, False)])
def test_a_pair_is_visible_until_seven_days_after_the_class_day(volunteer_client, me, child, days_ago, visible):
    day = ClassDayFactory(site=child.site, date=days(-days_ago))
    record = TutoringRecordFactory(class_day=day, student=child, tutor=me.user)
    assert rules.is_paired_on(day.date) is visible
    assert (record in rules.paired_records(me.user)) is visible
    assert (child in [r.student for r in rules.paired_records(me.user)]) is visible
    assert rules.paired_since() == days(-7)
    response = volunteer_client.get(reverse("volunteers:my_tutoring_record", args=[record.pk]))
    assert response.status_code == 200
    assert ("ケンくん" in response.content.decode()) is visible


@pytest.mark.parametrize(("days_ago", "window"), [(-1, "before"), (0, "open"), (7, "open"), (8, "closed")])
def test_the_record_can_be_written_from_the_day_until_seven_days_after(me, child, days_ago, window):
    record = TutoringRecordFactory(class_day=ClassDayFactory(site=child.site, date=days(-days_ago)), student=child,
                                   tutor=me.user)
    assert rules.record_window(record) == window


def test_a_cancelled_day_has_no_record_window(me, child):
    day = ClassDayFactory(site=child.site, date=days(-1), status=ClassDayStatus.CANCELLED, cancel_reason="台風")
    record = TutoringRecordFactory(class_day=day, student=child, tutor=me.user)
    assert rules.record_window(record) == "cancelled"


@pytest.mark.parametrize(("offset", "shown"), [(-1, False), (0, True), (7 * services.SCHEDULE_WEEKS - 1, True),
                                               (7 * services.SCHEDULE_WEEKS, False)])
def test_the_schedule_runs_from_today_for_eight_weeks(volunteer_client, me, site, offset, shown):
    day = ClassDayFactory(site=site, date=days(offset), start_time=dt.time(9, 0), end_time=dt.time(10, 0))
    assert (day in services.schedule_class_days(me)) is shown
    assert (f'id="day-{day.pk}"' in volunteer_client.get(URL).content.decode()) is shown


def test_the_schedule_is_in_date_order_then_time(me, site):
    later = ClassDayFactory(site=site, date=days(5), start_time=dt.time(9, 0), end_time=dt.time(10, 0))
    sooner = ClassDayFactory(site=site, date=days(2), start_time=dt.time(17, 0), end_time=dt.time(19, 0))
    morning = ClassDayFactory(site=site, date=days(2), start_time=dt.time(10, 0), end_time=dt.time(12, 0))
    assert list(services.schedule_class_days(me)) == [morning, sooner, later]


@pytest.mark.parametrize(("today_offset", "visible"), [(7, True), (8, False)])
def test_the_window_is_counted_from_the_day_asked_about(me, child, today_offset, visible):
    record = TutoringRecordFactory(class_day=ClassDayFactory(site=child.site, date=days(0)), student=child,
                                   tutor=me.user)
    assert (record in rules.paired_records(me.user, today=days(today_offset))) is visible
