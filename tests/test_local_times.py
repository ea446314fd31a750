"""Every record a person reads shows its Japan date and time, near midnight too.

The process time zone of the suite is America/Los_Angeles (``tests/conftest.py``), so a value
formatted without going through ``lib.localtime`` shows a UTC or Los Angeles time here:
each record type is rendered at 00:30 and 23:45 Japan time and the page must read the Japan
date and time.
"""

import datetime as dt
import os
import pathlib
import re
import zoneinfo

import icalendar
import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from ninja import Schema

from casework import warnings
from casework.models import Contact, FollowUpAction, HomeVisit, InformationShare, RecordStatus
from classroom import rules
from classroom.factories import AttendanceFactory, ClassDayFactory, StudentFactory
from classroom.models import AccessLog, DropIn
from classroom.services import attendance as attendance_services
from classroom.services import dropins as dropin_services
from classroom.templatetags import yorisoi
from lib import exports, localtime
from volunteers.factories import VolunteerFactory
from volunteers.models import SignUp, SignUpAnswer

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
# Monday 2 November 2026, half past midnight in Japan: still Sunday 1 November in UTC and in Los Angeles.
EARLY = dt.datetime(2026, 11, 2, 0, 30, tzinfo=TOKYO)
# The same Monday at 23:45 in Japan: 14:45 UTC.
LATE = dt.datetime(2026, 11, 2, 23, 45, tzinfo=TOKYO)
LONG_DAY = "2026年11月2日（月）"
SHORT_DAY = "11/2（月）"


def utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC)


@pytest.fixture
def clock(monkeypatch):
    """``clock(instant)``: ``timezone.now()`` answers that instant (given in UTC, as Django keeps it)."""

    def _set(instant: dt.datetime):
        monkeypatch.setattr(timezone, "now", lambda: utc(instant))

    return _set


@pytest.fixture
def child(site, staff):
    return StudentFactory(site=site, family_name="森", given_name="大地", staff_in_charge=staff,
                          enrolled_on=dt.date(2025, 4, 1))


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_suite_runs_in_a_foreign_process_time_zone():
    assert os.environ["TZ"] == "America/Los_Angeles"
    assert dt.datetime.fromtimestamp(EARLY.timestamp()).day == 1  # the process clock says Sunday


# --- The formatter -------------------------------------------------------------------------------
def test_formatter_converts_utc_to_japan_time():
    assert localtime.hm(utc(EARLY)) == "00:30"
    assert localtime.local_date(utc(EARLY)) == dt.date(2026, 11, 2)
    assert localtime.long_date(utc(EARLY)) == LONG_DAY
    assert localtime.short_date(utc(LATE)) == SHORT_DAY
    assert localtime.date_time(utc(LATE)) == f"{LONG_DAY} 23:45"
    assert localtime.stamp(utc(EARLY)) == "2026-11-02 00:30"
    assert localtime.iso(utc(EARLY)) == "2026-11-02T00:30:00+09:00"
    # Dates and times of day carry no zone: unchanged.
    assert localtime.hm(dt.time(23, 45)) == "23:45"
    assert localtime.long_date(dt.date(2026, 11, 2)) == LONG_DAY
    assert localtime.hm(None) == localtime.long_date(None) == localtime.stamp(None) == ""


def test_template_filters_convert_to_japan_time():
    assert yorisoi.hm(utc(EARLY)) == "00:30"
    assert yorisoi.long_date(utc(EARLY)) == LONG_DAY
    assert yorisoi.short_date(utc(EARLY)) == SHORT_DAY
    assert yorisoi.date_time(utc(LATE)) == f"{LONG_DAY} 23:45"
    template = Template("{% load yorisoi %}{{ at|long_date }} {{ at|hm }}|{{ at|date:'Y-m-d H:i' }}")
    assert template.render(Context({"at": utc(EARLY)})) == f"{LONG_DAY} 00:30|2026-11-02 00:30"


# --- Casework records ----------------------------------------------------------------------------
@pytest.mark.parametrize("instant, time", [(EARLY, "00:30"), (LATE, "23:45")])
def test_home_visit_list_detail_and_student_page(staff_client, child, staff, instant, time):
    visit = HomeVisit.objects.create(student=child, visited_at=utc(instant), status=RecordStatus.DONE,
                                     purpose="regular", family_met=True, created_by=staff)
    visit.staff.add(staff)
    assert f"{SHORT_DAY} {time}" in page(staff_client, reverse("casework:visit_list"))
    assert f"{LONG_DAY} {time}" in page(staff_client, reverse("casework:visit_detail", args=[visit.pk]))
    assert LONG_DAY in page(staff_client, reverse("classroom:student_detail", args=[child.pk]))  # the latest visit
    assert str(visit).endswith("2026-11-02")


@pytest.mark.parametrize("instant, time", [(EARLY, "00:30"), (LATE, "23:45")])
def test_contact_list_and_detail(staff_client, child, staff, instant, time):
    contact = Contact.objects.create(student=child, kind="phone", contacted_at=utc(instant), status=RecordStatus.DONE,
                                     staff=staff, notes="母親と電話で話した")
    assert f"{SHORT_DAY} {time}" in page(staff_client, reverse("casework:contact_list"))
    assert f"{LONG_DAY} {time}" in page(staff_client, reverse("casework:contact_detail", args=[contact.pk]))


@pytest.mark.parametrize("instant, time", [(EARLY, "00:30"), (LATE, "23:45")])
def test_information_share_list_and_detail(staff_client, child, staff, instant, time):
    share = InformationShare.objects.create(
        student=child, recipient_name="深谷市 生活福祉課", what="欠席が続いている", shared_at=utc(instant),
        shared_by=staff, basis="child_welfare", exception_reason="児童の安全のため")
    assert f"{SHORT_DAY} {time}" in page(staff_client, reverse("casework:share_list", args=[child.pk]))
    assert f"{LONG_DAY} {time}" in page(staff_client, reverse("casework:share_detail", args=[share.pk]))


def test_access_log_shows_japan_time(staff_client, child, staff):
    AccessLog.objects.create(user=staff, student=child, action="view", path="/visits/1/", at=utc(EARLY))
    staff.groups.add(Group.objects.get_or_create(name=rules.STAFF_ADMIN)[0])  # the log is the staff administrator's
    assert f"{SHORT_DAY} 00:30" in page(staff_client, reverse("oversight:access_log"))
    assert str(AccessLog.objects.get(at=utc(EARLY))).startswith("2026-11-02 00:30")


def test_timeline_puts_a_late_night_visit_on_its_japan_day(staff_client, child, staff):
    visit = HomeVisit.objects.create(student=child, visited_at=utc(EARLY), status=RecordStatus.DONE,
                                     purpose="regular", family_met=True, created_by=staff)
    visit.staff.add(staff)
    response = staff_client.get(reverse("classroom:student_timeline", args=[child.pk]))
    entry = next(e for e in response.context["page"].entries if e.kind == "visit")
    assert entry.day == dt.date(2026, 11, 2)
    html = response.content.decode()
    assert "00:30" in html and "15:30" not in html


def test_follow_up_done_at_half_past_midnight_is_done_that_japan_day(staff_client, child, staff, clock):
    contact = Contact.objects.create(student=child, kind="phone", contacted_at=utc(EARLY) - dt.timedelta(days=3),
                                     status=RecordStatus.DONE, staff=staff)
    action = FollowUpAction.objects.create(student=child, contact=contact, description="担任に連絡", owner=staff,
                                           due_on=dt.date(2026, 11, 5))
    clock(EARLY)
    response = staff_client.post(reverse("casework:followup_done", args=[action.pk]), {"done_on": ""})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.done_on == dt.date(2026, 11, 2)


def test_warning_names_the_japan_day_of_the_last_contact(site, child, staff):
    Contact.objects.create(student=child, kind="phone", contacted_at=utc(EARLY), status=RecordStatus.DONE, staff=staff)
    report = warnings.compute([site], dt.date(2027, 1, 30))
    no_contact = [e for e in report.warnings if e.kind == warnings.NO_CONTACT and e.student == child]
    assert no_contact and "11/2" in no_contact[0].reason


def test_warning_email_sent_after_midnight_is_dated_that_japan_day(site, child, staff, clock):
    staff.email = "sato@example.jp"
    staff.save()
    clock(EARLY)
    call_command("send_warnings", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1
    assert LONG_DAY in mail.outbox[0].subject and "2026-11-02" not in mail.outbox[0].subject
    assert LONG_DAY in mail.outbox[0].body


# --- Classroom records ---------------------------------------------------------------------------
def test_roster_tap_at_23_45_records_and_shows_23_45(staff_client, site, child, staff, clock):
    class_day = ClassDayFactory(site=site, date=dt.date(2026, 11, 2), start_time=dt.time(22, 0),
                                end_time=dt.time(23, 59), status="held")
    clock(LATE)
    attendance = attendance_services.attendance_set(class_day=class_day, student=child, status="late", by=staff)
    assert attendance.arrived_at == dt.time(23, 45)
    assert "23:45" in page(staff_client, reverse("classroom:roster", args=[class_day.pk]))
    assert "23:45" in page(staff_client, reverse("classroom:student_detail", args=[child.pk]))


def test_drop_in_at_half_past_midnight_is_on_that_japan_day(staff_client, site, child, staff, clock):
    clock(EARLY)
    dropin_services.drop_in_check_in(student=child, by=staff)
    visit = DropIn.objects.get(student=child)
    assert (visit.date, visit.checked_in_at) == (dt.date(2026, 11, 2), dt.time(0, 30))
    html = page(staff_client, reverse("classroom:dropin_board") + f"?site={site.pk}")
    assert "00:30" in html


def test_tutoring_record_and_class_day_page_keep_the_class_times(staff_client, site, child):
    class_day = ClassDayFactory(site=site, date=dt.date(2026, 11, 2), start_time=dt.time(23, 0),
                                end_time=dt.time(23, 45), status="held")
    AttendanceFactory(class_day=class_day, student=child, status="present")
    html = page(staff_client, reverse("classroom:class_day_detail", args=[class_day.pk]))
    assert "23:00–23:45" in html
    html = page(staff_client, reverse("classroom:tutoring_record_edit", args=[class_day.pk, child.pk]))
    assert LONG_DAY in html


# --- Volunteers: schedule and iCal ----------------------------------------------------------------
def test_ical_feed_gives_the_japan_start_and_end(client, site, volunteer, clock):
    me = VolunteerFactory(user=volunteer, sites=[site])
    class_day = ClassDayFactory(site=site, date=dt.date(2026, 11, 2), start_time=dt.time(23, 0),
                                end_time=dt.time(23, 45), status="held")
    SignUp.objects.create(volunteer=me, class_day=class_day, answer=SignUpAnswer.CAN_COME)
    token = me.renew_calendar_token()
    clock(EARLY - dt.timedelta(days=1))
    response = client.get(reverse("volunteers:calendar_feed", args=[token]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "DTSTART;TZID=Asia/Tokyo:20261102T230000" in body
    event = next(iter(icalendar.Calendar.from_ical(response.content).walk("VEVENT")))
    assert event.decoded("DTSTART") == dt.datetime(2026, 11, 2, 23, 0, tzinfo=TOKYO)
    assert event.decoded("DTEND").astimezone(dt.UTC) == dt.datetime(2026, 11, 2, 14, 45, tzinfo=dt.UTC)
    stamp = event.decoded("DTSTAMP")
    assert stamp.utcoffset() == dt.timedelta(0) and stamp == utc(EARLY - dt.timedelta(days=1))


# --- Exports and the API -------------------------------------------------------------------------
def test_exports_write_japan_time():
    assert "2026-11-02 00:30" in exports.csv_bytes([["訪問", utc(EARLY)]]).decode("utf-8-sig")
    assert "2026-11-02 23:45" in exports.csv_bytes([["訪問", utc(LATE)]]).decode("utf-8-sig")


def test_api_datetimes_carry_the_japan_offset():
    from classroom.schemas import LocalDateTime

    class Probe(Schema):
        at: LocalDateTime

    assert Probe(at=utc(EARLY)).model_dump(mode="json") == {"at": "2026-11-02T00:30:00+09:00"}


def _schema_classes():
    import activities.schemas
    import classroom.schemas
    import volunteers.schemas

    seen = []
    for module in (classroom.schemas, activities.schemas, volunteers.schemas):
        seen += [v for v in vars(module).values()
                 if isinstance(v, type) and issubclass(v, Schema) and v.__module__ == module.__name__]
    return seen


def test_every_api_datetime_goes_through_the_formatter():
    """A datetime field in a response schema must be ``LocalDateTime`` (serialised with +09:00)."""
    from classroom.schemas import LocalDateTime

    for schema in _schema_classes():
        for name, field in schema.model_fields.items():
            if field.annotation is dt.datetime or field.annotation == (dt.datetime | None):
                pytest.fail(f"{schema.__name__}.{name} is a bare datetime: use LocalDateTime")
            if dt.datetime in getattr(field.annotation, "__args__", ()):
                assert LocalDateTime in (field.annotation, *getattr(field.annotation, "__args__", ()))


# --- Nothing bypasses the formatter --------------------------------------------------------------
ROOT = pathlib.Path(__file__).resolve().parent.parent
APPS = ("classroom", "casework", "volunteers", "activities", "reporting", "config")
# The process clock and unconverted formatting: each reads or prints the server's zone, not Japan's.
FORBIDDEN = [
    (re.compile(r"\.strftime\("), "strftime (use lib.localtime)"),
    (re.compile(r"\bdate\.today\(\)"), "date.today() (use timezone.localdate())"),
    (re.compile(r"\bdatetime\.(?:now|utcnow|today)\("), "datetime.now() (use timezone.now())"),
    (re.compile(r"timezone\.now\(\)\.date\(\)"), "timezone.now().date() is the UTC day (use timezone.localdate())"),
    (re.compile(r"""f["'][^"']*\{[^}]*_at:%"""), "formatting a stored datetime without converting it"),
]


def test_no_code_formats_dates_outside_the_formatter():
    found = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts or path.name == "localtime.py":
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                for pattern, why in FORBIDDEN:
                    if pattern.search(line):
                        found.append(f"{path.relative_to(ROOT)}:{number}: {why}")
    assert not found, "\n".join(found)


def test_volunteer_schedule_shows_the_japan_day_and_times(client, site, volunteer, clock):
    me = VolunteerFactory(user=volunteer, sites=[site])
    class_day = ClassDayFactory(site=site, date=dt.date(2026, 11, 2), start_time=dt.time(23, 0),
                                end_time=dt.time(23, 45))
    SignUp.objects.create(volunteer=me, class_day=class_day, answer=SignUpAnswer.CAN_COME)
    clock(EARLY - dt.timedelta(days=1))  # Sunday 1 November, 00:30 in Japan
    client.force_login(volunteer)
    html = page(client, reverse("volunteers:home_volunteer"))
    assert "23:00–23:45" in html
    assert "11月2日" in html or SHORT_DAY in html


def test_activity_page_and_printable_show_the_japan_day_and_times(staff_client, site, staff):
    from activities.factories import ActivityFactory

    activity = ActivityFactory(site=site, lead=staff, date=dt.date(2026, 11, 2), start_time=dt.time(23, 0),
                               end_time=dt.time(23, 45))
    assert f"{LONG_DAY} 23:00–23:45" in page(staff_client, reverse("activities:activity_detail", args=[activity.pk]))
    printable = page(staff_client, reverse("activities:activity_print_invitation", args=[activity.pk]))
    assert f"{LONG_DAY} 23:00–23:45" in printable


def test_xlsx_export_writes_japan_time():
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(exports.xlsx_bytes([["訪問", "日時"], ["家庭訪問", utc(EARLY)]], title="t"))).active
    assert sheet["B2"].value == "2026-11-02 00:30"


def test_a_range_of_days_is_japan_days_whatever_the_process_zone(monkeypatch):
    """「11月1日から30日まで」 means Japan-time days: from 00:00 JST on the 1st to before 00:00 JST on
    December 1st, under any process time zone."""
    import datetime as dt
    import time

    from lib import localtime

    monkeypatch.setenv("TZ", "America/Los_Angeles")
    time.tzset()
    try:
        bounds = localtime.within_days("at", dt.date(2026, 11, 1), dt.date(2026, 11, 30))
        values = dict(bounds.children)
        assert values["at__gte"] == dt.datetime(2026, 10, 31, 15, 0, tzinfo=dt.UTC)
        assert values["at__lt"] == dt.datetime(2026, 11, 30, 15, 0, tzinfo=dt.UTC)
        assert localtime.within_days("at", None, None).children == []
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
