"""The school attendance statement (出席扱い): staff choose a month and print an A4 statement for the
child's school; each opening is in the access log."""

import datetime as dt
import pathlib

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation

from classroom import rules
from classroom.access_log import STATEMENT
from classroom.factories import (
    AttendanceFactory,
    ClassDayFactory,
    SiteFactory,
    StudentFactory,
    TutoringRecordFactory,
    UserFactory,
)
from classroom.models import AccessLog, AttendanceStatus, ClassDayKind, ClassDayStatus
from classroom.statements import attendance_statement, minutes_between
from lib.durations import format_hours

from .conftest import GUARDIAN_PHONE, HEALTH_NOTE, HOUSEHOLD_ADDRESS


def choose_url(student):
    return reverse("classroom:student_statement", args=[student.pk])


def print_url(student):
    return reverse("classroom:student_statement_print", args=[student.pk])


@pytest.fixture
def classroom(site):
    site.address = "埼玉県深谷市西島町3-1-10"
    site.phone = "048-574-0000"
    site.save()
    return site


@pytest.fixture
def child(classroom, household):
    """花子, 中2 until March 2026 and 中3 from April 1 (born in September 2011)."""
    return StudentFactory(site=classroom, household=household, family_name="山田", given_name="花子",
                          family_name_kana="ヤマダ", given_name_kana="ハナコ", birth_date=dt.date(2011, 9, 15),
                          school="深谷市立明戸中学校", health_notes=HEALTH_NOTE)


@pytest.fixture
def tutor():
    return UserFactory(last_name="田中", first_name="由美子", roles=["volunteer"])


def came(child, date, *, status=AttendanceStatus.PRESENT, arrived=None, left=None, kind=ClassDayKind.GROUP,
         start=dt.time(17, 0), end=dt.time(19, 0), day_status=ClassDayStatus.HELD):
    day = ClassDayFactory(site=child.site, date=date, start_time=start, end_time=end, status=day_status, kind=kind)
    return AttendanceFactory(class_day=day, student=child, status=status, arrived_at=arrived, left_at=left)


@pytest.fixture
def march_and_april(child, tutor):
    """Two days in March 2026 (one with its own times), March 31 and April 1 across the fiscal year,
    a day absent, and a cancelled class day with an attendance row that must not count."""
    first = came(child, dt.date(2026, 3, 3))
    TutoringRecordFactory(class_day=first.class_day, student=child, tutor=tutor, subjects="maths,english",
                          studied="一次関数のグラフ\n英単語テスト")
    came(child, dt.date(2026, 3, 10), status=AttendanceStatus.LATE, arrived=dt.time(17, 40))
    came(child, dt.date(2026, 3, 17), status=AttendanceStatus.ABSENT)
    came(child, dt.date(2026, 3, 24), day_status=ClassDayStatus.CANCELLED)
    last = came(child, dt.date(2026, 3, 31), status=AttendanceStatus.LEFT_EARLY, left=dt.time(18, 15),
                kind=ClassDayKind.ONLINE)
    TutoringRecordFactory(class_day=last.class_day, student=child, tutor=tutor, subjects="japanese", studied="古文の音読")
    april = came(child, dt.date(2026, 4, 1), start=dt.time(10, 0), end=dt.time(12, 30))
    TutoringRecordFactory(class_day=april.class_day, student=child, tutor=tutor, subjects="maths", studied="二次方程式")


# --- The statement itself --------------------------------------------------------------------------------
def test_march_lists_the_days_the_child_came_with_hours_and_totals(child, march_and_april):
    statement = attendance_statement(student=child, month=dt.date(2026, 3, 1), issued_on=dt.date(2026, 4, 2))
    assert [d.date for d in statement.days] == [dt.date(2026, 3, 3), dt.date(2026, 3, 10), dt.date(2026, 3, 31)]
    assert [(d.start, d.end, d.minutes, d.times_recorded) for d in statement.days] == [
        (dt.time(17, 0), dt.time(19, 0), 120, False),   # no times of its own: the class day's
        (dt.time(17, 40), dt.time(19, 0), 80, True),    # late: from the arrival
        (dt.time(17, 0), dt.time(18, 15), 75, True),    # left early: until the leaving
    ]
    assert statement.total_days == 3 and statement.total_minutes == 275
    assert statement.days[0].subjects and statement.days[0].studied == "一次関数のグラフ\n英単語テスト"
    assert statement.days[1].subjects == "" and statement.days[1].studied == ""
    assert all(d.tutor_name == "" for d in statement.days)


def test_the_fiscal_year_change_splits_march_31_and_april_1_and_the_grade_moves(child, march_and_april):
    with translation.override("ja"):
        march = attendance_statement(student=child, month=dt.date(2026, 3, 1), issued_on=dt.date(2026, 4, 2))
        april = attendance_statement(student=child, month=dt.date(2026, 4, 1), issued_on=dt.date(2026, 4, 2))
    assert march.days[-1].date == dt.date(2026, 3, 31) and dt.date(2026, 4, 1) not in [d.date for d in march.days]
    assert [d.date for d in april.days] == [dt.date(2026, 4, 1)]
    assert april.days[0].minutes == 150 and april.total_hours in ("2時間30分", "2 h 30 min")
    assert (march.grade_label, april.grade_label) == ("中2", "中3")


def test_tutors_names_only_when_asked(child, march_and_april, count_queries):
    with count_queries() as q:
        statement = attendance_statement(student=child, month=dt.date(2026, 3, 1), include_tutors=True,
                                         issued_on=dt.date(2026, 4, 2))
    assert q.count == 2
    assert [d.tutor_name for d in statement.days] == ["田中 由美子", "", "田中 由美子"]


def test_hours_and_durations():
    assert minutes_between(dt.time(17, 0), dt.time(19, 0)) == 120
    assert minutes_between(dt.time(19, 0), dt.time(17, 0)) == 0  # a leaving time before the arrival
    with translation.override("ja"):
        assert (format_hours(150), format_hours(120), format_hours(0)) == ("2時間30分", "2時間", "0時間")
    with translation.override("en"):
        assert format_hours(275) == "4 h 35 min"


# --- The pages -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("client_fixture, shown", [("staff_client", True), ("coordinator_client", False)])
def test_the_student_page_links_to_the_statement_for_staff_only(request, client_fixture, shown, child):
    client = request.getfixturevalue(client_fixture)
    html = client.get(reverse("classroom:student_detail", args=[child.pk])).content.decode()
    assert (choose_url(child) in html) is shown


def test_the_choice_page_offers_the_months_the_child_came(staff_client, child, march_and_april, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 4, 20))
    response = staff_client.get(choose_url(child))
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["months"] == [(dt.date(2026, 4, 1), 1), (dt.date(2026, 3, 1), 3)]
    assert f"{print_url(child)}?month=2026-03" in html and f"{print_url(child)}?month=2026-04" in html
    assert 'type="month"' in html and 'value="2026-04"' in html  # this month by default
    assert "令和8年3月" in html


def test_the_statement_page_is_a_print_ready_a4_sheet(staff_client, staff, child, march_and_april, classroom):
    response = staff_client.get(print_url(child), {"month": "2026-03"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "css/print.css" in html and "css/statement.css" in html and "js/print.js" in html
    assert 'class="main-nav' not in html and "site-header" not in html  # no navigation on the sheet
    assert "data-print hidden" in html  # the print button, shown by print.js
    assert "令和8年3月3日" in html and "令和8年3月31日" in html and "令和8年4月1日" not in html
    assert "令和8年3月1日 – 令和8年3月31日" in html  # the period
    assert "17:40–19:00" in html and "17:00–18:15" in html
    assert "一次関数のグラフ<br>英単語テスト" in html and "古文の音読" in html
    assert "3日、4時間35分" in html  # the totals
    assert "深谷市立明戸中学校" in html and "山田 花子" in html and "中2" in html
    for value in (classroom.name, classroom.address, classroom.phone, "佐藤 美咲"):
        assert value in html
    assert "田中" not in html  # tutors' names left off
    for secret in (HEALTH_NOTE, GUARDIAN_PHONE, HOUSEHOLD_ADDRESS):
        assert secret not in html
    css = pathlib.Path(settings.BASE_DIR, "static", "css", "print.css").read_text(encoding="utf-8")
    assert "@page { size: A4" in css


def test_the_statement_names_the_tutors_when_ticked(staff_client, child, march_and_april):
    html = staff_client.get(print_url(child), {"month": "2026-03", "include_tutors": "on"}).content.decode()
    assert html.count("田中 由美子") == 2


def test_a_month_without_attendance_says_so(staff_client, child):
    html = staff_client.get(print_url(child), {"month": "2025-08"}).content.decode()
    assert "令和7年8月" in html and "<table" not in html
    with translation.override("ja"):
        assert translation.gettext("The child did not come to the classroom in this month.") in html


def test_the_issue_date_is_todays_in_the_era(staff_client, child, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 5, 1))
    html = staff_client.get(print_url(child), {"month": "2026-04"}).content.decode()
    assert "令和8年5月1日" in html


def test_opening_the_statement_is_in_the_access_log(staff_client, staff, child):
    staff_client.get(choose_url(child))
    assert not AccessLog.objects.exists()  # choosing a month shows nothing of the statement yet
    staff_client.get(print_url(child), {"month": "2026-03", "include_tutors": "on"})
    entry = AccessLog.objects.get()
    assert (entry.user, entry.student, entry.action) == (staff, child, STATEMENT)
    assert "month=2026-03" in entry.path
    staff.groups.add(Group.objects.get_or_create(name=rules.STAFF_ADMIN)[0])  # the log is the staff administrator's
    log = staff_client.get(reverse("oversight:access_log"), {"student": child.pk}).content.decode()
    with translation.override("ja"):
        assert translation.gettext("Opened the school attendance statement") in log


@pytest.mark.parametrize("month", ["0000-13", "2026-13", "2026-00", "0000-01", "1900-04", "9999-12", "2026-4-1",
                                   "abc", "", "2026-02-30", "あ" * 10_000, "٢٠٢٦-٠٤"])
def test_an_impossible_month_gets_a_message_not_a_statement(staff_client, child, month):
    response = staff_client.get(print_url(child), {"month": month})
    html = response.content.decode()
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert 'class="field__error"' in html and "statement__days" not in html
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("month", ["2026-3", "２０２６－０３", " 2026-03 "])
def test_a_month_typed_without_its_zero_or_in_full_width_is_understood(staff_client, child, march_and_april, month):
    html = staff_client.get(print_url(child), {"month": month}).content.decode()
    assert "令和8年3月3日" in html


@pytest.mark.parametrize("client_fixture", ["coordinator_client", "volunteer_client", "outsider_client"])
def test_only_staff_open_the_statement(request, client_fixture, child, march_and_april):
    client = request.getfixturevalue(client_fixture)
    assert client.get(choose_url(child)).status_code == 404
    assert client.get(print_url(child), {"month": "2026-03"}).status_code == 404
    assert not AccessLog.objects.exists()


def test_another_sites_child_answers_404(staff_client):
    stranger = StudentFactory(site=SiteFactory(name="よその教室"))
    assert staff_client.get(choose_url(stranger)).status_code == 404
    assert staff_client.get(print_url(stranger), {"month": "2026-03"}).status_code == 404
    assert not AccessLog.objects.exists()


def test_the_statement_costs_the_same_queries_for_5_and_20_days(staff_client, child, tutor, count_queries):
    def add(first: int, count: int):
        for offset in range(first, first + count):
            attendance = came(child, dt.date(2026, 1, 1) + dt.timedelta(days=offset))
            TutoringRecordFactory(class_day=attendance.class_day, student=child, tutor=tutor, studied=f"内容{offset}")

    def measure():
        staff_client.get(print_url(child), {"month": "2026-01", "include_tutors": "on"})
        with count_queries() as q:
            assert staff_client.get(print_url(child), {"month": "2026-01", "include_tutors": "on"}).status_code == 200
        return q.count

    add(0, 5)
    at_5 = measure()
    add(5, 15)
    assert measure() == at_5
