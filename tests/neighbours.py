"""Neighbours: rows beside a test's own data that every scoped query must leave alone and never show.

A query that loses one of its scope filters (the site, the class day, the child, the volunteer)
usually still passes a test that built only the rows it asks about. A test that takes the
``neighbours`` fixture runs beside:

* **a third site** (隣町教室) that no persona belongs to, whose children are expected on every
  weekday: a class day today with one child marked present and two unmarked, class days one and
  two weeks ago with attendance (one child absent twice without notice), a tutoring record with a
  handover note written yesterday, a home visit and a contact yesterday, an overdue follow-up, a
  child never contacted, and a volunteer of that site who answered for its class days;
* on demand, **beside the test's own rows**: ``beside(class_day)`` adds another volunteer's answer
  on a class day the test made, ``history_of(student)`` gives the test's child attendance on
  another class day, ``note_before(student, day)`` another child's handover note just before it.

``assert_untouched()`` compares every neighbour row (and any row that has appeared about them)
with the snapshot taken when they were made; ``assert_unseen(text)`` checks that none of their
names or notes is in a page, a fragment, a feed or an API answer. The fixture checks both when the
test ends, for every response any Django test client received during the test, so a test that
takes it asserts them even when it says nothing about them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.db.models import Q
from django.test.client import Client
from django.utils import timezone

from casework.models import Contact, FollowUpAction, HomeVisit, RecordStatus, WarningNotice
from classroom import rules
from classroom.factories import AttendanceFactory, ClassDayFactory, SiteFactory, StudentFactory, UserFactory
from classroom.models import (
    AccessLog,
    Attendance,
    AttendanceStatus,
    ClassDay,
    ClassDayStatus,
    DropIn,
    Site,
    Student,
    TutoringRecord,
)
from volunteers.factories import VolunteerFactory
from volunteers.models import PairingPreference, SignUp, SignUpAnswer, Volunteer, VolunteerAttendance

EVERY_WEEKDAY = "0123456"
FAR_SITE = "隣町教室"
HANDOVER = "【隣町の引き継ぎ】分数の割り算でつまずく"
VISIT_NOTE = "【隣町の家庭訪問】母親と面談"
CONTACT_NOTE = "【隣町の連絡】父親から電話"
FOLLOW_UP = "【隣町の宿題】学校と相談する"
BESIDE_HANDOVER = "【隣の子の引き継ぎ】英語の音読を続ける"
# Strings that only the neighbours carry: none may reach a persona's screen.
MARKERS = ("隣町", "隣野", "となりの", "隣の子")


def _days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


@dataclass
class Neighbours:
    site: Site  # the persona site, for ``beside`` and ``history_of``
    far_site: Site
    far_staff: object
    far_children: list[Student]
    far_today: ClassDay
    far_past: list[ClassDay]
    far_volunteer: Volunteer
    far_record: TutoringRecord
    near_volunteer: Volunteer | None = None
    extra_attendance: set[int] = field(default_factory=set)
    extra_records: set[int] = field(default_factory=set)
    extra_children: set[int] = field(default_factory=set)
    snapshot: dict = field(default_factory=dict)
    responses: list = field(default_factory=list)

    # --- Rows beside the test's own ----------------------------------------------------
    def beside(self, class_day: ClassDay, answer: str = SignUpAnswer.CAN_COME, *, confirmed: bool = False) -> SignUp:
        """Another volunteer of the persona site answers for ``class_day`` (a row only they own)."""
        if self.near_volunteer is None:
            user = UserFactory(username="neighbour-volunteer", last_name="近藤", first_name="隣子",
                               roles=[rules.VOLUNTEER])
            self.near_volunteer = VolunteerFactory(user=user, sites=[self.site], teaching=[("maths", "junior_high")])
        sign_up = SignUp.objects.create(volunteer=self.near_volunteer, class_day=class_day, answer=answer,
                                        confirmed_at=timezone.now() if confirmed else None)
        self.take_snapshot()
        return sign_up

    def history_of(self, student: Student, *, days_ago: int = 7,
                   status: str = AttendanceStatus.PRESENT) -> Attendance:
        """``student`` attended another class day of their site: no write about today may touch it."""
        day = ClassDayFactory(site=student.site, date=_days(-days_ago), start_time=dt.time(10, 0),
                              end_time=dt.time(12, 0), status=ClassDayStatus.HELD)
        row = AttendanceFactory(class_day=day, student=student, status=status)
        self.extra_attendance.add(row.pk)
        self.take_snapshot()
        return row

    def note_before(self, day: dt.date, *, site: Site | None = None) -> TutoringRecord:
        """Another child of ``site`` has a handover note written the day before ``day``."""
        site = site or self.site
        child = StudentFactory(site=site, family_name="隣野", given_name="二葉", family_name_kana="となりの",
                               given_name_kana="ふたば", nickname="隣の子ちゃん", usual_weekdays="")
        record = TutoringRecord.objects.create(
            class_day=ClassDayFactory(site=site, date=day - dt.timedelta(days=1), start_time=dt.time(9, 0),
                                      end_time=dt.time(10, 0)),
            student=child, tutor=self.far_volunteer.user, subjects="english", handover_note=BESIDE_HANDOVER,
            written_at=timezone.now())
        self.extra_children.add(child.pk)
        self.extra_records.add(record.pk)
        self.take_snapshot()
        return record

    # --- Checks ------------------------------------------------------------------------
    def rows(self) -> dict[str, list[dict]]:
        """Every row that belongs to the neighbours or is about them, in a stable order."""
        children = [c.pk for c in self.far_children] + sorted(self.extra_children)
        volunteers = [self.far_volunteer.pk] + ([self.near_volunteer.pk] if self.near_volunteer else [])
        far = self.far_site
        queries = {
            "site": Site.objects.filter(pk=far.pk),
            "students": Student.objects.filter(Q(site=far) | Q(pk__in=children)),
            "class_days": ClassDay.objects.filter(site=far),
            "attendance": Attendance.objects.filter(
                Q(student__in=children) | Q(class_day__site=far) | Q(pk__in=self.extra_attendance)),
            "tutoring": TutoringRecord.objects.filter(
                Q(student__in=children) | Q(class_day__site=far) | Q(tutor=self.far_volunteer.user)
                | Q(pk__in=self.extra_records)),
            "sign_ups": SignUp.objects.filter(Q(volunteer__in=volunteers) | Q(class_day__site=far)),
            "volunteer_attendance": VolunteerAttendance.objects.filter(
                Q(volunteer__in=volunteers) | Q(class_day__site=far)),
            "visits": HomeVisit.objects.filter(student__in=children),
            "contacts": Contact.objects.filter(student__in=children),
            "follow_ups": FollowUpAction.objects.filter(student__in=children),
            "preferences": PairingPreference.objects.filter(Q(student__in=children) | Q(volunteer__in=volunteers)),
            "notices": WarningNotice.objects.filter(Q(student__in=children) | Q(recipient=self.far_staff)),
            "drop_ins": DropIn.objects.filter(Q(student__in=children) | Q(site=far)),
            "access_log": AccessLog.objects.filter(student__in=children),
        }
        return {name: list(query.order_by("pk").values()) for name, query in queries.items()}

    def take_snapshot(self) -> None:
        self.snapshot = self.rows()

    def assert_untouched(self) -> None:
        now = self.rows()
        changed = {name: {"before": self.snapshot[name], "after": rows}
                   for name, rows in now.items() if rows != self.snapshot[name]}
        assert not changed, f"the neighbours' rows changed: {changed}"

    def names(self) -> list[str]:
        return list(MARKERS)

    def assert_unseen(self, content) -> None:
        """None of the neighbours' names, notes or site is in ``content`` (text, bytes or a response)."""
        text = _text_of(content)
        if text is None:
            return
        found = [marker for marker in MARKERS if marker in text]
        assert not found, f"a neighbour is shown: {found}"

    def assert_unseen_in_responses(self) -> None:
        for response in self.responses:
            self.assert_unseen(response)


def _text_of(content) -> str | None:
    if isinstance(content, str):
        return content
    if isinstance(content, bytes):
        return content.decode("utf-8", "replace")
    response = content
    if getattr(response, "streaming", False):
        return None
    kind = response.get("Content-Type", "")
    if not any(t in kind for t in ("text/", "json", "calendar", "xml")):
        return None  # spreadsheets are checked by their own tests
    return response.content.decode(response.charset or "utf-8", "replace")


def build(site: Site) -> Neighbours:
    """The third site and everything about its children (see the module docstring)."""
    far_site = SiteFactory(name=FAR_SITE, address="埼玉県深谷市隣町1-1-1")
    far_staff = UserFactory(username="neighbour-staff", last_name="隣野", first_name="主任", roles=[rules.STAFF],
                            sites=[far_site])
    long_ago = _days(-400)
    came, absent, never = (
        StudentFactory(site=far_site, family_name="隣野", given_name=given, family_name_kana="となりの",
                       given_name_kana=kana, nickname=f"隣野{n}ちゃん", usual_weekdays=EVERY_WEEKDAY,
                       enrolled_on=long_ago, focus_subjects="maths")
        for n, (given, kana) in enumerate([("一郎", "いちろう"), ("二郎", "じろう"), ("三郎", "さぶろう")]))
    far_today = ClassDayFactory(site=far_site, date=_days(0))
    AttendanceFactory(class_day=far_today, student=came, status=AttendanceStatus.PRESENT)
    far_past = [ClassDayFactory(site=far_site, date=_days(-n), status=ClassDayStatus.HELD) for n in (14, 7)]
    for day in far_past:
        AttendanceFactory(class_day=day, student=came, status=AttendanceStatus.PRESENT)
        AttendanceFactory(class_day=day, student=absent, status=AttendanceStatus.ABSENT)
    far_volunteer = VolunteerFactory(
        user=UserFactory(username="neighbour-tutor", last_name="隣野", first_name="先生", roles=[rules.VOLUNTEER]),
        sites=[far_site], teaching=[("maths", "junior_high"), ("maths", "high_school")])
    for day, answer in ((far_today, SignUpAnswer.CAN_COME), (far_past[1], SignUpAnswer.CANNOT_COME)):
        SignUp.objects.create(volunteer=far_volunteer, class_day=day, answer=answer, confirmed_at=timezone.now())
    for n in (3, 10):  # days still to come, answered "can come": a schedule shows answers
        SignUp.objects.create(volunteer=far_volunteer, class_day=ClassDayFactory(site=far_site, date=_days(n)),
                              answer=SignUpAnswer.CAN_COME)
    far_record = TutoringRecord.objects.create(
        class_day=ClassDayFactory(site=far_site, date=_days(-1), start_time=dt.time(10, 0), end_time=dt.time(12, 0)),
        student=came, tutor=far_volunteer.user, subjects="maths", handover_note=HANDOVER, written_at=timezone.now())
    TutoringRecord.objects.create(class_day=far_today, student=came, tutor=far_volunteer.user, subjects="maths")
    visit = HomeVisit.objects.create(student=came, visited_at=_at(_days(-1), 16), status=RecordStatus.DONE,
                                     purpose="regular", child_condition=VISIT_NOTE, created_by=far_staff,
                                     next_visit_due=_days(-2))
    visit.staff.add(far_staff)
    Contact.objects.create(student=came, kind="phone", contacted_at=_at(_days(-1), 10), status=RecordStatus.DONE,
                           staff=far_staff, notes=CONTACT_NOTE)
    FollowUpAction.objects.create(student=absent, visit=visit, description=FOLLOW_UP, owner=far_staff,
                                  due_on=_days(-3))
    # ``never``: enrolled 400 days ago and never contacted, a "no contact" warning of the far site.
    neighbours = Neighbours(site=site, far_site=far_site, far_staff=far_staff, far_children=[came, absent, never],
                            far_today=far_today, far_past=far_past, far_volunteer=far_volunteer,
                            far_record=far_record)
    neighbours.take_snapshot()
    return neighbours


def recording_client(monkeypatch, neighbours: Neighbours) -> None:
    """Keep every response a Django test client receives, for the unseen check at the end."""
    original = Client.request

    def request(self, **kwargs):
        response = original(self, **kwargs)
        neighbours.responses.append(response)
        return response

    monkeypatch.setattr(Client, "request", request)


@pytest.fixture
def neighbours(site, monkeypatch) -> Neighbours:
    """Rows beside the test's own: at the end of the test they are unchanged and no response showed them."""
    found = build(site)
    recording_client(monkeypatch, found)
    yield found
    found.assert_untouched()
    found.assert_unseen_in_responses()


_FAR_SITE_PATH = {
    Attendance: "class_day__site__name", TutoringRecord: "class_day__site__name", SignUp: "class_day__site__name",
    HomeVisit: "student__site__name", Contact: "student__site__name", FollowUpAction: "student__site__name",
}


def ours(model):
    """``model``'s rows outside the neighbours' site: what a test's own "exactly these rows" checks read.

    The neighbours' own rows are checked apart, by ``assert_untouched``.
    """
    return model._default_manager.exclude(**{_FAR_SITE_PATH[model]: FAR_SITE})
