"""``apply_retention``: children who left more than the retention period ago, and their households once
every child of it is due, lose every name, contact, address, note and free text, while every
fiscal-year report gives the same figures before and after; a child under a legal hold and a child
who left recently are untouched; a second run changes nothing; a dry run lists and writes nothing.

The classroom is built over the fiscal years around "now" (the real today, as cron runs it): with
the default five years kept, a child who left in fiscal year ``NOW - 6`` or before is due.
"""

from __future__ import annotations

import datetime as dt
import io
import time
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import models
from django.utils import timezone

from activities.factories import ActivityFactory, ParticipantFactory
from activities.models import ActivityPhoto, ActivityStatus, Answer, ParticipantRole
from casework.factories import (
    ContactFactory,
    FollowUpActionFactory,
    HomeVisitFactory,
    InformationShareFactory,
)
from casework.models import ShareBasis
from classroom import rules
from classroom.factories import (
    AttendanceFactory,
    ClassDayFactory,
    ConsentFactory,
    DropInFactory,
    GuardianFactory,
    HouseholdContactFactory,
    HouseholdFactory,
    OutcomeFactory,
    SiteFactory,
    StudentFactory,
    TutoringRecordFactory,
    UserFactory,
    birth_date_for,
)
from classroom.grades import Grade, fiscal_year_of
from classroom.models import (
    AttendanceStatus,
    Guardian,
    Household,
    OutgoingMessage,
    Student,
)
from classroom.models.outcomes import OutcomeResult, OutcomeStage
from reporting import figures
from volunteers.factories import VolunteerFactory
from volunteers.models import PairingPreference

TOKYO = ZoneInfo("Asia/Tokyo")
NOW = fiscal_year_of(timezone.localdate())
OLD = NOW - 7  # left long ago: due
EDGE = NOW - 6  # the last fiscal year that is due with five kept
RECENT = NOW - 2


# Names no two people here share (each is searched for on its own after the run).
NAMES = {
    "old": ("鬼頭原", "キトウハラ", "颯一朗", "ソウイチロウ", "きとそう"),
    "edge": ("百々瀬", "ドドセ", "琥珀丸", "コハクマル", "こはまる"),
    "old_of_kept": ("五百旗頭", "イオキベ", "澪音", "ミオネ", "みおねん"),
    "recent": ("勘解由小路", "カデノコウジ", "湊斗丸", "ミナトマル", "かでみな"),
    "held": ("東海林", "ショウジ", "凛空斗", "リクト", "しょうりく"),
    "active": ("小鳥遊", "タカナシ", "陽葵乃", "ヒマリノ", "たかひま"),
}
GUARDIAN_NAMES = {
    "gone": [("猪熊", "イノクマ", "千代美", "チヨミ"), ("鰐淵", "ワニブチ", "多恵子", "タエコ")],
    "kept": [("忽那", "クツナ", "菊乃", "キクノ"), ("釈迦堂", "シャカドウ", "寿美礼", "スミレ")],
    "held": [("一尺八寸", "カマツカ", "富士子", "フジコ"), ("四十八願", "ヨイナラ", "静香", "シズカ")],
    "active": [("御手洗", "ミタライ", "加寿子", "カズコ"), ("十二月田", "シワスダ", "八重", "ヤエ")],
}


def jst(day: dt.date, hour: int = 17) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=TOKYO)


class Classroom:
    """The children, each with a record of every kind, and every recognisable string written about them."""

    def __init__(self):
        self.site = SiteFactory(name="ぱるスタ本教室")
        self.other_site = SiteFactory(name="ぱるスタ分室")
        self.staff = UserFactory(roles=[rules.STAFF], sites=[self.site, self.other_site])
        self.volunteer = VolunteerFactory()
        self.secrets: dict[str, list[str]] = {}
        self.photo_names: list[str] = []
        n = iter(range(1, 10_000))

        def note(owner: str, what: str) -> str:
            text = f"{what}の記録{next(n):04d}号（{owner}）"
            self.secrets.setdefault(owner, []).append(text)
            return text

        self.note = note
        # A household whose two children are both due: it is anonymised with them.
        self.home_gone = self.household("gone", postal="999-0001")
        self.old = self.child("old", self.home_gone, site=self.site, left=dt.date(OLD + 1, 2, 20), grade=Grade.J2,
                              first=OLD - 1)
        self.edge = self.child("edge", self.home_gone, site=self.site, left=dt.date(EDGE + 1, 3, 31), grade=Grade.J3,
                               first=OLD)
        # A household with a child due and a child who left recently: only the first child goes.
        self.home_kept = self.household("kept", postal="999-0002")
        self.old_of_kept = self.child("old_of_kept", self.home_kept, site=self.other_site, left=dt.date(OLD, 7, 1),
                                      grade=Grade.H1, first=OLD - 1)
        self.recent = self.child("recent", self.home_kept, site=self.other_site, left=dt.date(RECENT, 9, 30),
                                 grade=Grade.J1, first=RECENT - 1)
        # Under a legal hold: left long ago, never anonymised, nor its household.
        self.home_held = self.household("held", postal="999-0003")
        self.held = self.child("held", self.home_held, site=self.site, left=dt.date(OLD, 10, 1), grade=Grade.J3,
                               first=OLD - 1, legal_hold=True, legal_hold_reason="訴訟対応のため保存")
        # Still coming.
        self.active = self.child("active", self.household("active", postal="999-0004"), site=self.site, left=None,
                                 grade=Grade.J1, first=NOW - 1)
        # An activity only the due children took part in (its photos go), and one with the held child (they stay).
        self.activity_gone = self.activity([self.old, self.edge], self.home_gone, day=dt.date(OLD, 8, 3))
        self.activity_kept = self.activity([self.old, self.held], self.home_held, day=dt.date(OLD, 11, 3))
        # Text elsewhere naming the child: a class day's note, a queued email, the admin's history.
        ClassDayFactory(site=self.site, date=dt.date(OLD, 6, 1), note=f"{self.old.full_name}の保護者から電話あり")
        OutgoingMessage.objects.create(
            subject="明日の教室", body=f"担当: {self.old.nickname}、{self.old.full_name}",
            recipients=[self.home_gone.guardians.first().email, "staff@example.jp"])
        LogEntry.objects.create(user=self.staff, content_type=ContentType.objects.get_for_model(Student),
                                object_id=str(self.old.pk), object_repr=str(self.old), action_flag=CHANGE,
                                change_message="[]")

    def household(self, owner: str, *, postal: str) -> Household:
        home = HouseholdFactory(postal_code=postal, address=f"埼玉県深谷市{owner}町{postal[-1]}-2-3",
                                note=self.note(owner, "世帯メモ"))
        for i, (family, family_kana, given, given_kana) in enumerate(GUARDIAN_NAMES[owner]):
            guardian = GuardianFactory(household=home, relationship="母祖母"[i], family_name=family,
                                       family_name_kana=family_kana, given_name=given, given_name_kana=given_kana,
                                       phone=f"090-{postal[-4:]}-{i:04d}", phone2=f"048-{postal[-4:]}-000{i}",
                                       email=f"{owner}.{i}@example.net")
            self.secrets.setdefault(owner, []).extend([family, family_kana, given, given_kana, guardian.phone,
                                                       guardian.phone2, guardian.email])
        contact = HouseholdContactFactory(household=home, name=f"ケースワーカー{owner}", phone=f"048-555-{postal[-4:]}",
                                          email=f"cw.{owner}@example.lg.jp", organisation=f"{owner}福祉事務所")
        self.secrets[owner].extend([home.address, home.postal_code, contact.name, contact.phone, contact.email,
                                    contact.organisation])
        return home

    def child(self, owner, household, *, site, left, grade, first, **extra) -> Student:
        family, family_kana, given, given_kana, nickname = NAMES[owner]
        student = StudentFactory(
            family_name=family, family_name_kana=family_kana, given_name=given, given_name_kana=given_kana,
            nickname=nickname, school=f"私立{family}学園", site=site, household=household, birth_date=birth_date_for(grade, dt.date(first, 4, 1)),
            enrolled_on=dt.date(first, 4, 15), status="left" if left else "active", left_on=left,
            leaving_outcome="moved" if left else "", health_notes=self.note(owner, "健康"),
            learning_goals=self.note(owner, "目標"), external_id=f"EXT-{owner}",
            reasons=["public_assistance"] if owner != "edge" else ["single_parent"], **extra)
        student.refresh_from_db()
        self.secrets.setdefault(owner, []).extend([family, family_kana, given, given_kana, nickname, student.school,
                                                   f"EXT-{owner}"])
        guardian = household.guardians.first()
        last = left or timezone.localdate()
        days = [dt.date(first, 5, 10), dt.date(first, 10, 4), dt.date(fiscal_year_of(last), 4, 20)]
        for i, day in enumerate(d for d in days if d <= last):
            class_day = ClassDayFactory(site=site, date=day, status="held")
            AttendanceFactory(class_day=class_day, student=student, note=self.note(owner, "出欠"),
                              status=[AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.PRESENT][i])
            TutoringRecordFactory(class_day=class_day, student=student, subjects="maths,english",
                                  studied=self.note(owner, "学習内容"), homework=self.note(owner, "宿題"),
                                  handover_note=self.note(owner, "引き継ぎ"), written_at=jst(day, 19),
                                  tutor=self.volunteer.user)
            DropInFactory(student=student, date=day + dt.timedelta(days=1))
            visit = HomeVisitFactory(student=student, visited_at=jst(day + dt.timedelta(days=2)),
                                     living_environment=self.note(owner, "生活環境"),
                                     parent_child=self.note(owner, "親子関係"),
                                     child_condition=self.note(owner, "様子"),
                                     parenting_consultation=self.note(owner, "養育相談"),
                                     created_by=self.staff)
            FollowUpActionFactory(student=student, visit=visit, contact=None, description=self.note(owner, "対応"),
                                  owner=self.staff, due_on=day + dt.timedelta(days=9), done_on=day + dt.timedelta(days=8))
            contact = ContactFactory(student=student, contacted_at=jst(day + dt.timedelta(days=3)),
                                     with_whom=self.note(owner, "相手"), notes=self.note(owner, "連絡"), staff=self.staff)
            FollowUpActionFactory(student=student, contact=contact, description=self.note(owner, "対応"),
                                  owner=self.staff, due_on=day + dt.timedelta(days=10), done_on=None)
        consent = ConsentFactory(student=student, guardian=guardian, given_on=dt.date(first, 4, 15),
                                 partners=self.note(owner, "同意先"))
        InformationShareFactory(student=student, consent=consent, shared_at=jst(dt.date(first, 6, 1)),
                                recipient_name=self.note(owner, "共有先"), what=self.note(owner, "共有内容"),
                                shared_by=self.staff)
        InformationShareFactory(student=student, consent=None, basis=ShareBasis.LIFE,
                                shared_at=jst(dt.date(first, 7, 1)), recipient_name=self.note(owner, "共有先"),
                                what=self.note(owner, "共有内容"), exception_reason=self.note(owner, "例外理由"),
                                shared_by=self.staff)
        OutcomeFactory(student=student, fiscal_year=first, stage=OutcomeStage.HIGH_SCHOOL_ENTRY,
                       result=OutcomeResult.FULL_TIME, school=self.note(owner, "進学先"), note=self.note(owner, "進路"))
        PairingPreference.objects.create(student=student, volunteer=self.volunteer, kind="prefer",
                                         note=self.note(owner, "ペア"))
        return student

    def activity(self, children, household, *, day):
        activity = ActivityFactory(site=self.site, date=day, status=ActivityStatus.DONE,
                                   reflection=f"{children[0].full_name}さんが大活躍")
        for child in children:
            owner = next(k for k, v in vars(self).items() if v is child)
            ParticipantFactory(activity=activity, student=child, answer=Answer.GOING, attendance="present",
                               phone=f"080-{child.pk:04d}-1111", allergy_notes=self.note(owner, "アレルギー"),
                               note=self.note(owner, "参加メモ"), consent_override_reason=self.note(owner, "同意なし理由"))
            self.secrets[owner].append(f"080-{child.pk:04d}-1111")
        guardian = household.guardians.first()
        ParticipantFactory(activity=activity, student=None, guardian=guardian, household=household,
                           role=ParticipantRole.GUARDIAN, answer=Answer.GOING, attendance="present",
                           name=f"{guardian.family_name} {guardian.given_name}", phone=guardian.phone)
        photo = ActivityPhoto.objects.create(activity=activity, image=ContentFile(b"\xff\xd8photo", name="p.jpg"),
                                             caption=f"{children[0].full_name}さんと収穫")
        self.photo_names.append(photo.image.name)
        return activity


@pytest.fixture
def classroom(db):
    return Classroom()


def every_report(user, sites) -> dict:
    """Every table of every fiscal year's report (all sites, and each site), as plain values."""
    result = {}
    for fy in range(OLD - 2, NOW + 1):
        for name, chosen, all_sites in [("all", sites, True), *[(s.name, [s], False) for s in sites]]:
            report = figures.report(user, period=figures.Period(fy), sites=chosen, all_sites=all_sites)
            result[(fy, name)] = [(t.key, [c.key for c in t.columns], [(r.key, r.values) for r in t.rows])
                                  for t in report.tables]
    return result


def text_columns():
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField | models.JSONField):
                yield model, field


def every_text() -> list[tuple[str, str]]:
    """Every text value of every column of every table, with where it is: (table.column#pk, text)."""
    texts = []
    for model, field in text_columns():
        for pk, value in model._base_manager.exclude(**{field.name: ""}).values_list("pk", field.name):
            if value not in (None, "", [], {}):
                texts.append((f"{model._meta.db_table}.{field.name}#{pk}", str(value)))
    return texts


def places_of(text: str, texts: list[tuple[str, str]]) -> list[str]:
    return [where for where, value in texts if text in value]


def snapshot(student: Student) -> dict:
    """Every row about ``student`` and their household, as stored."""
    rows = {"student": Student.objects.filter(pk=student.pk).values().get(),
            "household": Household.objects.filter(pk=student.household_id).values().get(),
            "guardians": list(Guardian.objects.filter(household=student.household_id).order_by("pk").values())}
    for relation in student._meta.related_objects:
        if relation.one_to_many and relation.related_model._meta.app_label in {"classroom", "casework", "volunteers",
                                                                               "activities"}:
            rows[relation.name] = list(relation.related_model._base_manager
                                       .filter(**{relation.field.name: student}).order_by("pk").values())
    return rows


def all_rows() -> dict:
    return {model._meta.label: list(model._base_manager.order_by("pk").values()) for model in apps.get_models()}


def test_retention_anonymises_who_is_due_and_keeps_every_figure(classroom, django_capture_on_commit_callbacks,
                                                                 settings):
    c = classroom
    sites = [c.site, c.other_site]
    kept = {"held": snapshot(c.held), "recent": snapshot(c.recent), "active": snapshot(c.active)}
    call_command("rebuild_warning_facts", "--check", stdout=io.StringIO())
    before = every_report(c.staff, sites)
    assert any(v for rows in before.values() for _k, _c, table in rows for _r, values in table for v in values
               if v), "the reports have figures to compare"
    texts = every_text()
    for owner in ("old", "edge", "old_of_kept", "gone"):
        for text in c.secrets[owner]:
            assert places_of(text, texts), f"{owner}: {text} is written somewhere before"

    out = io.StringIO()
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("apply_retention", stdout=out)
    print(f"apply_retention took {time.monotonic() - started:.2f} s")
    assert "Anonymised 3 children and 1 households" in out.getvalue()

    after = every_report(c.staff, sites)
    differing = [(key, table_before[0], row_before, row_after)
                 for key in before for table_before, table_after in zip(before[key], after[key], strict=True)
                 for row_before, row_after in zip(table_before[2], table_after[2], strict=True)
                 if row_before != row_after]
    assert differing == []
    assert after == before
    call_command("rebuild_warning_facts", "--check", stdout=io.StringIO())
    texts = every_text()
    for owner in ("old", "edge", "old_of_kept", "gone"):
        for text in c.secrets[owner]:
            assert places_of(text, texts) == [], f"{owner}: {text} is still there"
    for student in (c.old, c.edge, c.old_of_kept):
        student.refresh_from_db()
        assert student.anonymised_on == timezone.localdate()
        assert (student.family_name, student.family_name_kana) == ("匿名", "トクメイ")
        assert student.full_clean(exclude=["site", "household", "staff_in_charge"]) is None  # still a valid record
        assert (student.birth_date, student.status, student.leaving_outcome) != (None, "", "")
    c.home_gone.refresh_from_db()
    assert c.home_gone.anonymised_on == timezone.localdate()
    c.home_kept.refresh_from_db()
    assert c.home_kept.anonymised_on is None
    assert {"held": snapshot(c.held), "recent": snapshot(c.recent), "active": snapshot(c.active)} == kept
    for text in c.secrets["kept"] + c.secrets["held"] + c.secrets["recent"] + c.secrets["active"]:
        assert places_of(text, texts), f"{text} of a record that is kept is gone"
    # The photos of the activity only due children took part in are gone, files too; the other's stay.
    assert not ActivityPhoto.objects.filter(activity=c.activity_gone).exists()
    assert ActivityPhoto.objects.filter(activity=c.activity_kept).count() == 1
    assert not (settings.MEDIA_ROOT / c.photo_names[0]).exists()
    assert (settings.MEDIA_ROOT / c.photo_names[1]).exists()
    # The queued email keeps its other recipient.
    assert OutgoingMessage.objects.get().recipients == ["staff@example.jp"]

    # A second run finds nothing to do and changes nothing.
    everything = all_rows()
    out = io.StringIO()
    call_command("apply_retention", stdout=out)
    assert "Anonymised 0 children and 0 households" in out.getvalue()
    assert all_rows() == everything


def test_the_dry_run_lists_what_would_change_and_writes_nothing(classroom):
    c = classroom
    everything = all_rows()
    out = io.StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    text = out.getvalue()
    assert all_rows() == everything
    assert "Children to anonymise: 3" in text
    assert f"child {c.old.pk}\tsite ぱるスタ本教室\tleft {c.old.left_on.isoformat()}\tdue from fiscal year {OLD + 6}" in text
    assert f"child {c.edge.pk}\t" in text and f"due from fiscal year {NOW}" in text
    assert f"child {c.old_of_kept.pk}\tsite ぱるスタ分室" in text
    for student in (c.held, c.recent, c.active):
        assert f"child {student.pk}\t" not in text
    assert f"Households to anonymise: 1\n  household {c.home_gone.pk}" in text
    assert c.old.full_name not in text  # the listing names no one


def test_more_years_kept_leave_the_edge_child_alone(classroom):
    c = classroom
    call_command("apply_retention", "--years", "6", stdout=io.StringIO())
    c.edge.refresh_from_db()
    c.old.refresh_from_db()
    c.home_gone.refresh_from_db()
    assert c.old.anonymised_on and not c.edge.anonymised_on
    assert c.home_gone.anonymised_on is None  # a child of it is still kept
    assert c.home_gone.address


def test_a_household_goes_once_its_last_child_is_due(classroom):
    c = classroom
    call_command("apply_retention", "--years", "6", stdout=io.StringIO())
    call_command("apply_retention", stdout=io.StringIO())
    c.home_gone.refresh_from_db()
    assert c.home_gone.anonymised_on == timezone.localdate()
    assert not c.home_gone.address and not c.home_gone.note
    assert set(Guardian.objects.filter(household=c.home_gone).values_list("family_name", "phone", "email")) == {
        ("匿名", "", "")}


def test_a_legal_hold_cleared_later_lets_the_child_go(classroom):
    c = classroom
    call_command("apply_retention", stdout=io.StringIO())
    Student.objects.filter(pk=c.held.pk).update(legal_hold=False, legal_hold_reason="")
    call_command("apply_retention", stdout=io.StringIO())
    c.held.refresh_from_db()
    c.home_held.refresh_from_db()
    assert c.held.anonymised_on and c.home_held.anonymised_on
    texts = every_text()
    for text in c.secrets["held"]:
        assert places_of(text, texts) == [], text


def test_a_volunteers_own_reading_is_never_swept(classroom):
    """A volunteer whose name reads like a due child's (a namesake, or the child's parent who tutors) keeps their
    reading, as they keep their name on their account: it is theirs, not the child's (IDENTITY_COLUMNS)."""
    c = classroom
    reading = f"{c.old.family_name_kana} {c.old.given_name_kana}"
    c.volunteer.name_kana = reading
    c.volunteer.save()
    call_command("apply_retention", stdout=io.StringIO())
    c.old.refresh_from_db()
    c.volunteer.refresh_from_db()
    assert c.old.anonymised_on and c.old.family_name_kana != reading.split()[0]
    assert c.volunteer.name_kana == reading
