"""The benchmark's seed and bare views (not timed): the data is consistent and the bare views answer."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils import timezone

from bench.seed import CLASS_SIZE, seed
from classroom.models import Attendance, ClassDay, ClassDayStatus, Student, StudentStatus, TutoringRecord
from volunteers.models import SignUp


@pytest.fixture
def manifest(db):
    return seed("tiny", seed=7)


def test_todays_class_has_thirty_expected_children_and_no_row_yet(manifest):
    class_day = ClassDay.objects.get(pk=manifest["class_day"])
    assert class_day.date == timezone.localdate() and class_day.status == ClassDayStatus.SCHEDULED
    expected = Student.objects.expected_on(class_day)
    assert expected.count() == CLASS_SIZE
    assert sorted(expected.values_list("pk", flat=True)) == sorted(manifest["class_children"])
    assert not Attendance.objects.filter(class_day=class_day).exists()
    assert SignUp.objects.filter(class_day=class_day, confirmed_at__isnull=False).exists()


def test_history_is_consistent(manifest):
    today = timezone.localdate()
    rows = Attendance.objects.select_related("class_day", "student")
    assert rows.exists()
    assert not rows.values("class_day", "student").annotate(n=Count("pk")).filter(n__gt=1).exists()
    for row in rows:
        assert row.class_day.date < today and row.class_day.status == ClassDayStatus.HELD
        assert row.student.site_id == row.class_day.site_id and row.student.comes_on(row.class_day.date)
        assert row.student.enrolled_on <= row.class_day.date
        assert row.student.left_on is None or row.class_day.date <= row.student.left_on
    attended = set(rows.attended().values_list("class_day_id", "student_id"))
    assert set(TutoringRecord.objects.values_list("class_day_id", "student_id")) <= attended
    assert Student.objects.filter(status=StudentStatus.LEFT, left_on__isnull=True).count() == 0
    assert ClassDay.objects.filter(date__gt=today + dt.timedelta(days=28)).count() == 0


def _client(client, manifest, role):
    client.force_login(get_user_model().objects.get(username=manifest["logins"][role]))
    return client


@pytest.mark.urls("bench.urls")
def test_bare_views_answer_and_the_upsert_writes_one_row(client, manifest):
    staff = _client(client, manifest, "staff")
    day, site, weekday = manifest["class_day"], manifest["site"], manifest["weekday"]
    page = staff.get(f"/bench/bare/roster/{day}/{site}/{weekday}/")
    assert page.status_code == 200 and page.content.decode().count("<li ") == CLASS_SIZE
    child = manifest["class_children"][0]
    for status in ("present", "late"):
        assert staff.post(f"/bench/bare/tap/{day}/{child}/", {"status": status}).status_code == 200
    assert list(Attendance.objects.filter(class_day_id=day).values_list("student_id", "status")) == [(child, "late")]


@pytest.mark.urls("bench.urls")
def test_the_screens_measured_answer_for_their_roles(client, manifest):
    day = manifest["class_day"]
    staff = _client(client, manifest, "staff")
    for path in (f"/class-days/{day}/roster/", "/staff/", "/warnings/", "/students/",
                 f"/students/{manifest['students'][0]}/"):
        assert staff.get(path).status_code == 200, path
    tap = staff.post(f"/class-days/{day}/roster/{manifest['class_children'][0]}/", {"status": "present"},
                     headers={"HX-Request": "true"})
    assert tap.status_code == 200
    assert _client(client, manifest, "coordinator").get(f"/volunteers/plan/{day}/").status_code == 200
    assert _client(client, manifest, "volunteer").get("/volunteer/").status_code == 200
    client.logout()
    assert client.get(f"/calendar/{manifest['calendar_token']}.ics").status_code == 200


def test_the_short_mode_leaves_the_documented_figures_alone_unless_asked():
    from bench.__main__ import parse_args

    short = parse_args(["--short"])
    assert short.no_docs and short.scales == ["classroom", "five_years"] and short.databases == ["sqlite"]
    assert short.run_time == 5
    assert not parse_args(["--short", "--docs"]).no_docs
    full = parse_args([])
    assert not full.no_docs and full.run_time == 30 and full.databases == ["sqlite", "postgres"]
