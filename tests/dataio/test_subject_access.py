"""A child's own data (a subject access request): a ZIP of JSON and one readable page, holding that child's
records and their household's, and nobody else's (dataio.services.subject_access)."""

import datetime as dt
import io
import json
import re
import zipfile

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from activities.factories import ActivityFactory, ParticipantFactory
from activities.models import ActivityPhoto
from casework.factories import (
    ContactFactory,
    FollowUpActionFactory,
    HomeVisitFactory,
    InformationShareFactory,
    WarningNoticeFactory,
)
from classroom.access_log import CONTACTS, EXPORT
from classroom.factories import (
    AttendanceFactory,
    ClassDayFactory,
    ConsentFactory,
    DropInFactory,
    GuardianFactory,
    HouseholdContactFactory,
    HouseholdFactory,
    OutcomeFactory,
    StudentFactory,
    TutoringRecordFactory,
    UserFactory,
)
from classroom.models import AccessLog
from dataio.services.subject_access import LEFT_OUT, SECTIONS
from volunteers.factories import VolunteerFactory
from volunteers.models import PairingPreference

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


def records_of(student, staff, mark: str, n: int = 1):
    """``n`` records of every kind about ``student``, each carrying ``mark`` where it has free text."""
    for i in range(n):
        day = ClassDayFactory(site=student.site, date=timezone.localdate() - dt.timedelta(days=7 * (i + 1)))
        AttendanceFactory(class_day=day, student=student, note=f"{mark}出欠{i}")
        TutoringRecordFactory(class_day=day, student=student, studied=f"{mark}学習{i}")
        DropInFactory(student=student, date=day.date)
        visit = HomeVisitFactory(student=student, living_environment=f"{mark}訪問{i}")
        visit.staff.add(staff)
        ContactFactory(student=student, notes=f"{mark}連絡{i}")
        FollowUpActionFactory(student=student, description=f"{mark}対応{i}")
        InformationShareFactory(student=student, what=f"{mark}共有{i}")
        WarningNoticeFactory(student=student, key=f"{mark}警告{i}")
        ParticipantFactory(student=student, note=f"{mark}参加{i}")
        PairingPreference.objects.create(student=student, volunteer=VolunteerFactory(), kind="prefer",
                                         note=f"{mark}ペア{i}")
        OutcomeFactory(student=student, fiscal_year=2020 + i, note=f"{mark}進路{i}")
        ConsentFactory(student=student, partners=f"{mark}同意{i}")
        AccessLog.objects.create(user=staff, student=student, action=CONTACTS, path=f"/students/{student.pk}/?{i}")


@pytest.fixture
def family(site, other_site, staff):
    """The child, their sibling (same household) and a child of another site, each with records of every kind."""
    household = HouseholdFactory(address="深谷市本人町1-1", note="本人世帯メモ")
    GuardianFactory(household=household, family_name="秋山", given_name="恵子")
    HouseholdContactFactory(household=household, name="本人担当ケースワーカー")
    child = StudentFactory(site=site, household=household, family_name="秋山", given_name="陽菜",
                           health_notes="本人の健康メモ", reasons=["public_assistance"])
    sibling = StudentFactory(site=site, household=household, family_name="秋山", given_name="蒼太",
                             health_notes="兄弟の健康メモ")
    other = StudentFactory(site=other_site, family_name="別所", given_name="大翔", health_notes="他人の健康メモ")
    records_of(child, staff, "本人")
    records_of(sibling, staff, "兄弟")
    records_of(other, staff, "他人")
    activity = ActivityFactory(site=site, title="和菓子づくり")
    ParticipantFactory(activity=activity, student=child)
    photo = ActivityPhoto(activity=activity, caption="本人の活動写真")
    photo.image.save("sweets.png", ContentFile(PNG), save=True)
    ActivityPhoto(activity=ActivityFactory(site=site), caption="兄弟だけの活動写真").image.save(
        "other.png", ContentFile(PNG), save=True)
    return {"child": child, "sibling": sibling, "other": other}


def download(client, user, student) -> zipfile.ZipFile:
    client.force_login(user)
    response = client.post(reverse("dataio:subject_access_download", args=[student.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip" and response["Cache-Control"] == "no-store"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_archive_holds_every_kind_of_the_childs_records(client, staff_admin, family):
    archive = download(client, staff_admin, family["child"])
    assert set(archive.namelist()) == {f"{s.key}.json" for s in SECTIONS} | {"index.html", "README.txt"}
    data = {s.key: json.loads(archive.read(f"{s.key}.json"))["records"] for s in SECTIONS}
    assert data["child"][0]["health_notes"] == "本人の健康メモ"
    assert data["household"][0]["note"] == "本人世帯メモ"
    assert data["guardians"][0]["given_name"] == "恵子"
    assert data["household_contacts"][0]["name"] == "本人担当ケースワーカー"
    assert [r["reason_label"] for r in data["reasons"]] == ["生活保護受給世帯"]  # in Japanese, whatever the request's language
    for key, field, text in [("attendance", "note", "本人出欠0"), ("tutoring_records", "studied", "本人学習0"),
                             ("home_visits", "living_environment", "本人訪問0"), ("contacts", "notes", "本人連絡0"),
                             ("follow_ups", "description", "本人対応0"), ("information_shares", "what", "本人共有0"),
                             ("early_warning_notices", "key", "本人警告0"), ("activities", "note", "本人参加0"),
                             ("pairing_preferences", "note", "本人ペア0"), ("outcomes", "note", "本人進路0"),
                             ("consents", "partners", "本人同意0")]:
        assert text in [r[field] for r in data[key]], key
    assert len(data["drop_ins"]) == 1 and len(data["access_log"]) == 1
    assert [r["caption"] for r in data["activity_photos"]] == ["本人の活動写真"]
    visit = data["home_visits"][0]
    assert visit["staff"] and visit["visited_at"].endswith("+09:00") and visit["status_label"]


def test_nothing_of_another_child_is_in_it(client, staff_admin, family):
    archive = download(client, staff_admin, family["child"])
    everything = "".join(archive.read(name).decode() for name in archive.namelist())
    assert "本人出欠0" in everything
    for mark in ("兄弟", "他人"):
        assert mark not in everything, re.findall(mark + r"\w*", everything)[:5]
    assert "蒼太" not in everything and "大翔" not in everything


def test_the_page_is_readable_and_self_contained(client, staff_admin, family):
    archive = download(client, staff_admin, family["child"])
    page = archive.read("index.html").decode()
    assert '<html lang="ja">' in page and "秋山 陽菜さんについて保有している記録" in page
    for text in ("本人の健康メモ", "本人訪問0", "本人連絡0", "本人共有0", "本人の活動写真", "出欠", "家庭訪問"):
        assert text in page
    assert "<script" not in page and "<link" not in page and "<img" not in page
    assert not re.search(r"(src|href)=\"(https?:)?//", page)  # nothing loaded from elsewhere
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日", page)  # dates as people read them, in Japan time


def test_the_download_is_access_logged(client, staff_admin, family):
    download(client, staff_admin, family["child"])
    entry = AccessLog.objects.get(action=EXPORT)
    assert entry.user == staff_admin and entry.student == family["child"]


def test_a_staff_administrator_exports_a_child_of_any_site(client, staff_admin, family):
    archive = download(client, staff_admin, family["other"])  # staff_admin is not a member of other_site
    assert json.loads(archive.read("child.json"))["records"][0]["given_name"] == "大翔"


def test_every_model_about_a_child_or_household_is_a_section_or_left_out():
    """A new model that points at a child or a household must be in the child's export, or left out on purpose."""
    student, household = apps.get_model("classroom.Student"), apps.get_model("classroom.Household")
    pointing = {m._meta.label_lower for m in apps.get_models(include_auto_created=True)
                for f in m._meta.concrete_fields if f.is_relation and f.related_model in (student, household)}
    covered = {s.model for s in SECTIONS} | set(LEFT_OUT)
    # Participants point at a household too (a guardian's or sibling's), but only the child's own are theirs.
    assert pointing - covered == set(), sorted(pointing - covered)


def test_the_queries_do_not_grow_with_the_records(client, staff_admin, site, staff, count_queries):
    counts = []
    for n in (1, 4):
        child = StudentFactory(site=site, household=HouseholdFactory())
        GuardianFactory.create_batch(n, household=child.household)
        records_of(child, UserFactory(roles=["staff"], sites=[site]), f"n{n}", n=n)
        client.force_login(staff_admin)
        url = reverse("dataio:subject_access_download", args=[child.pk])
        client.post(url)
        with count_queries() as queries:
            response = client.post(url)
            b"".join(response.streaming_content)
        counts.append(queries.count)
    assert counts[0] == counts[1], counts


def test_a_child_without_a_household_or_records_exports_too(client, staff_admin, site):
    child = StudentFactory(site=site, household=None)
    archive = download(client, staff_admin, child)
    assert json.loads(archive.read("household.json"))["records"] == []
    assert json.loads(archive.read("guardians.json"))["records"] == []
    assert "記録はありません" in archive.read("index.html").decode()
