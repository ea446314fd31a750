"""Every mail Yorisoi queues writes its dates in Japanese, on the Japan day (issue 9, point 1).

Each kind of message is queued through the service that really queues it, at 00:30 in Japan
(still the previous day in UTC and in the suite's foreign process time zone), and every subject
and body in the outbox is checked: no ISO date (``2026-11-10``), and the Japanese date is there.
"""

import datetime as dt
import re
import zoneinfo

import pytest
from django.utils import timezone

from activities.factories import ActivityFactory, HelperFactory, ParticipantFactory
from activities.models import Answer
from activities.services.activities import activity_cancel
from activities.services.participants import participant_remove
from casework.services.warnings import warnings_send
from classroom.factories import ClassDayFactory, StudentFactory, TutoringRecordFactory, UserFactory
from classroom.models import MessageKind, OutgoingMessage
from classroom.services.students import student_release_future_pairs
from volunteers.factories import VolunteerFactory
from volunteers.models import SignUp, SignUpAnswer
from volunteers.services.manage import volunteer_set_active
from volunteers.services.schedule import reminders_send, sign_up_answer

pytestmark = pytest.mark.django_db

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
# Monday 2 November 2026, 00:30 in Japan: Sunday 1 November in UTC and in Los Angeles.
EARLY = dt.datetime(2026, 11, 2, 0, 30, tzinfo=TOKYO)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_DAY = re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{4}/\d{1,2}/\d{1,2}\b")


@pytest.fixture
def at_early(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: EARLY.astimezone(dt.UTC))


def day(n: int) -> dt.date:
    return dt.date(2026, 11, n)


def queue_every_kind(site, staff, coordinator):
    """One message of each kind, through the services that queue them in the app."""
    staff.email, coordinator.email = "sato@example.jp", "coord@example.jp"
    staff.save()
    coordinator.save()

    # Activity cancelled (10 Nov, a Tuesday), to its helper.
    cancelled = ActivityFactory(site=site, lead=staff, date=day(10), title="野菜の収穫体験", consent_required=False)
    HelperFactory(activity=cancelled, volunteer=VolunteerFactory(
        sites=[site], user=UserFactory(roles=["volunteer"], email="helper@example.jp")))
    activity_cancel(activity=cancelled, reason="台風接近のため", by=staff)

    # Waitlist promotion (11 Nov, a Wednesday), to the lead.
    outing = ActivityFactory(site=site, lead=staff, date=day(11), capacity=1, consent_required=False)
    going = ParticipantFactory(activity=outing, answer=Answer.GOING, student=StudentFactory(site=site))
    ParticipantFactory(activity=outing, answer=Answer.WAITLISTED, student=StudentFactory(site=site))
    participant_remove(participant=going, by=staff)

    # Early warnings (today, 2 Nov in Japan), to the staff in charge.
    StudentFactory(site=site, staff_in_charge=staff, enrolled_on=dt.date(2025, 4, 1))
    warnings_send()

    # A confirmed volunteer who can no longer come (4 Nov, a Wednesday), to the coordinators.
    leaving = VolunteerFactory(sites=[site], user=UserFactory(roles=["volunteer"], email="v1@example.jp"))
    fourth = ClassDayFactory(site=site, date=day(4))
    SignUp.objects.create(volunteer=leaving, class_day=fourth, answer=SignUpAnswer.CAN_COME, confirmed_at=timezone.now())
    sign_up_answer(volunteer=leaving, class_day=fourth, answer=SignUpAnswer.CANNOT_COME, by=leaving.user)

    # The reminder for tomorrow (3 Nov, a Tuesday), to the volunteer.
    reminded = VolunteerFactory(sites=[site], user=UserFactory(roles=["volunteer"], email="v2@example.jp"))
    SignUp.objects.create(volunteer=reminded, class_day=ClassDayFactory(site=site, date=day(3)),
                          answer=SignUpAnswer.CAN_COME, confirmed_at=timezone.now())
    reminders_send()

    # A deactivated volunteer's pair (5 Nov, a Thursday), and a child who left (6 Nov, a Friday).
    ended = VolunteerFactory(sites=[site], user=UserFactory(roles=["volunteer"], email="v3@example.jp"))
    TutoringRecordFactory(class_day=ClassDayFactory(site=site, date=day(5)), tutor=ended.user,
                          student=StudentFactory(site=site))
    volunteer_set_active(volunteer=ended, active=False)
    child = StudentFactory(site=site)
    TutoringRecordFactory(class_day=ClassDayFactory(site=site, date=day(6)), tutor=reminded.user, student=child)
    student_release_future_pairs(student=child)


# kind -> the Japanese day the message is about, in its subject and body.
EXPECTED = {
    MessageKind.ACTIVITY_CANCELLED: ("2026年11月10日（火）", "2026年11月10日（火）"),
    MessageKind.WAITLIST_PROMOTED: (None, "2026年11月11日（水）"),
    MessageKind.EARLY_WARNINGS: ("2026年11月2日（月）", "2026年11月2日（月）"),
    MessageKind.VOLUNTEER_CANCELLATION: ("11/4（水）", "2026年11月4日（水）"),
    MessageKind.VOLUNTEER_REMINDER: ("11/3（火）", "2026年11月3日（火）"),
}
NOTICE_DAYS = {"2026年11月5日（木）", "2026年11月6日（金）"}


def test_every_queued_mail_has_japanese_dates_on_the_japan_day(site, staff, coordinator, at_early):
    queue_every_kind(site, staff, coordinator)
    messages = list(OutgoingMessage.objects.order_by("pk"))
    kinds = {m.kind for m in messages}
    assert kinds == set(MessageKind.values) - {MessageKind.OTHER}, "a kind of mail is not exercised here"
    for message in messages:
        text = f"{message.subject}\n{message.body}"
        assert not ISO_DAY.search(text), f"{message.kind}: a date not written by the formatter:\n{text}"
        assert not ISO_DATE.search(text), f"{message.kind}: an ISO date:\n{text}"
        assert "11月1日" not in text and "11/1（" not in text, f"{message.kind}: the UTC day:\n{text}"
        if message.kind in EXPECTED:
            in_subject, in_body = EXPECTED[message.kind]
            if in_subject:
                assert in_subject in message.subject, message.subject
            assert in_body in message.body, message.body
    notices = "".join(m.body for m in messages if m.kind == MessageKind.COORDINATOR_NOTICE)
    assert all(d in notices for d in NOTICE_DAYS), notices


def test_the_cancellation_subject_names_the_day_in_japanese(site, staff, at_early):
    activity = ActivityFactory(site=site, lead=staff, date=dt.date(2026, 12, 10), title="遠足")
    HelperFactory(activity=activity, volunteer=VolunteerFactory(
        sites=[site], user=UserFactory(roles=["volunteer"], email="helper@example.jp")))
    activity_cancel(activity=activity, reason="雨天のため", by=staff)
    assert OutgoingMessage.objects.get().subject == "【中止】遠足（2026年12月10日（木））"


ROOT = __import__("pathlib").Path(__file__).resolve().parents[3]
MAIL_BUILDERS = re.compile(r"message_enqueue\(|coordinators_notify\(|_queue\(")
UNFORMATTED = [
    (re.compile(r"""\{[^}]*:%[a-zA-Z]"""), "a date formatted in an f-string"),
    (re.compile(r"\.isoformat\("), "isoformat"),
    (re.compile(r"\bstamp\("), "localtime.stamp (for exports, not for people)"),
    (re.compile(r"str\([^)]*(date|day|_at|_on)\b"), "str() of a date"),
]


def test_no_mail_builder_formats_a_date_itself():
    """Every module that queues mail leaves dates to ``lib.localtime`` (the template filters
    or ``long_date`` / ``short_date``): no f-string formats, ``isoformat`` or ``str(date)``."""
    found = []
    for app in ("classroom", "casework", "activities", "volunteers"):
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts or path.name == "localtime.py":
                continue
            text = path.read_text()
            if not MAIL_BUILDERS.search(text):
                continue
            for number, line in enumerate(text.splitlines(), 1):
                found += [f"{path.relative_to(ROOT)}:{number}: {why}" for pattern, why in UNFORMATTED if pattern.search(line)]
    templates = [p for p in (ROOT / "templates").rglob("*") if p.is_file() and "email" in p.name + str(p.parent.name)]
    assert templates
    for path in templates:
        for number, line in enumerate(path.read_text().splitlines(), 1):
            # A date or time in a mail template goes through |long_date, |short_date, |date_time or |hm.
            formatted = set(re.findall(r"(\w+)=[\w.]+\|(?:long_date|short_date|date_time|hm)\b", line))
            for match in re.finditer(r"\{\{\s*([\w.]+)\s*\}\}", line):
                if re.search(r"(date|_at|_on|time|today)$", match.group(1)) and match.group(1) not in formatted:
                    found.append(f"{path.relative_to(ROOT)}:{number}: {{{{ {match.group(1)} }}}} without a formatter")
    assert not found, "\n".join(found)
