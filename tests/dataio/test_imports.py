"""Imports from real-world files: a CP932 CSV, an XLSX with Excel serial dates and merged heading
cells, 5 bad rows among 300, a re-import of the same file; volunteers and partners."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from activities.models import Partner, PartnerKind
from classroom.factories import GuardianFactory, HouseholdFactory, StudentFactory
from classroom.models import Guardian, Household, Student
from dataio.models import ImportRun, ImportStatus
from dataio.services import imports as service
from dataio.services.imports_files import errors_workbook, template_workbook
from dataio.services.imports_read import ImportFileError, parse_date
from tests.dataio.import_files import STUDENT_HEADINGS, csv_bytes, student_row, student_rows, xlsx_bytes
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db


def upload(user, site, data, *, kind="students", name="名簿.csv") -> ImportRun:
    return service.import_upload(kind=kind, site=site, file_name=name, data=data, by=user)


def confirm(run, user):
    run, written = service.import_confirm(run_id=run.pk, user=user)
    assert written
    return run


def test_a_cp932_csv_is_read_and_written_with_households_and_guardians(staff, site):
    run = upload(staff, site, csv_bytes(STUDENT_HEADINGS, student_rows(6), encoding="cp932"))
    assert [row["action"] for row in run.plan] == ["new"] * 6
    assert not Student.objects.exists(), "the preview writes nothing"
    confirm(run, staff)
    child = Student.objects.get(external_id="C00000")
    assert (child.family_name, child.given_name, child.family_name_kana, child.given_name_kana) == (
        "佐藤", "陽翔0", "サトウ", "ハルト")
    sibling = Student.objects.get(external_id="C00001")
    assert sibling.household_id == child.household_id, "the same household key: one household"
    assert Household.objects.count() == 3
    guardian = Guardian.objects.get(household=child.household)
    assert (guardian.family_name_kana, guardian.phone, guardian.relationship) == ("サトウ", "090-0000-0001", "母")


def test_utf8_without_bom_and_a_phone_excel_stored_as_a_number(staff, site):
    row = student_row(0)
    row[12] = "9012345678"  # Excel dropped the leading zero of 090-...
    confirm(upload(staff, site, csv_bytes(STUDENT_HEADINGS, [row], encoding="utf-8")), staff)
    assert Guardian.objects.get().phone == "09012345678"


def test_an_xlsx_with_serial_dates_and_merged_heading_cells(staff, site):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["令和7年度 学習支援 利用者名簿"])
    sheet.merge_cells("A1:G1")
    sheet.append(["児童ID", "氏名", "ふりがな", "生年月日", "保護者", None, "登録日"])
    sheet.merge_cells("E2:F2")  # 「保護者」 over its two sub-headings
    sheet.append([None, None, None, None, "氏名", "ふりがな", None])
    sheet.merge_cells("A2:A3")
    sheet.merge_cells("B2:B3")
    sheet.append(["X1", "深谷 はると", "ふかや はると", 41408, "深谷 さくら", "ふかや さくら", "令和7年4月1日"])
    sheet.append(["X2", "深谷 ゆい", "ﾌｶﾔ ﾕｲ", dt.datetime(2014, 11, 2), "深谷 さくら", "ふかや さくら", "2025/4/1"])
    sheet["D4"].number_format = "General"  # a serial date, as Excel shows a date column formatted as a number
    out = io.BytesIO()
    book.save(out)
    run = upload(staff, site, out.getvalue(), name="名簿.xlsx")
    assert run.mapping["4"] == "guardian_name" and run.mapping["5"] == "guardian_kana"
    assert [row["action"] for row in run.plan] == ["new", "new"], run.plan
    assert [row["errors"] for row in run.plan] == [[], []]
    confirm(run, staff)
    haruto, yui = Student.objects.order_by("external_id")
    assert haruto.birth_date == dt.date(2013, 5, 14)
    assert yui.birth_date == dt.date(2014, 11, 2) and yui.given_name_kana == "ユイ"
    assert haruto.enrolled_on == yui.enrolled_on == dt.date(2025, 4, 1)
    assert haruto.household_id == yui.household_id, "same guardian and address: one household"


@pytest.mark.parametrize("text, day", [
    ("2025/4/1", dt.date(2025, 4, 1)), ("2025-04-01", dt.date(2025, 4, 1)), ("令和7年4月1日", dt.date(2025, 4, 1)),
    ("令和元年5月1日", dt.date(2019, 5, 1)), ("平成24年5月14日", dt.date(2012, 5, 14)), ("R7.4.1", dt.date(2025, 4, 1)),
    ("２０２５／４／１", dt.date(2025, 4, 1)), ("45748", dt.date(2025, 4, 1)), ("2025年4月1日", dt.date(2025, 4, 1)),
])
def test_dates_as_cities_write_them(text, day):
    assert parse_date(text) == day


@pytest.mark.parametrize("text", ["2025/2/30", "来年", "令和7年13月1日"])
def test_an_impossible_date_is_refused_in_words(text):
    with pytest.raises(ValueError):
        parse_date(text)


def test_five_bad_rows_among_three_hundred(staff, site):
    rows = student_rows(300)
    bad = {17: 3, 60: 3, 121: 2, 200: 1, 299: 3}  # row index -> column made wrong
    rows[17][3] = "2025/2/30"
    rows[60][3] = "0001/1/1"
    rows[121][2] = "sato haruto"
    rows[200][1] = "佐藤"  # no given name
    rows[299][3] = "いつか"
    run = upload(staff, site, csv_bytes(STUDENT_HEADINGS, rows))
    assert (run.new_count, run.error_count) == (295, 5)
    errors = {row["n"] - 2: row["errors"] for row in run.plan if row["action"] == "error"}
    assert set(errors) == set(bad)
    for index, column in bad.items():
        assert errors[index][0][0] == column, (index, errors[index])
    assert not Student.objects.exists(), "nothing is written until confirmed"

    sheet = openpyxl.load_workbook(io.BytesIO(errors_workbook(run))).active
    listed = list(sheet.iter_rows(values_only=True))
    assert listed[0][1:] == tuple(STUDENT_HEADINGS)
    assert sorted(row[1] for row in listed[1:]) == sorted(rows[i][0] for i in bad)
    assert all(row[0] for row in listed[1:]), "each failed row says why"
    assert "生年月日" in next(row[0] for row in listed[1:] if row[1] == rows[60][0])

    run = confirm(run, staff)
    assert Student.objects.count() == 295
    assert run.status == ImportStatus.DONE and len(run.rows) == 5, "after the write only the failed rows stay"
    assert len(list(openpyxl.load_workbook(io.BytesIO(errors_workbook(run))).active.iter_rows())) == 6

    # The error file, fixed and uploaded again, adds the five.
    fixed = [list(row[1:]) for row in listed[1:]]
    for row in fixed:
        index = int(row[0][1:])
        row[:] = student_row(index)
    confirm(upload(staff, site, xlsx_bytes(["エラー", *STUDENT_HEADINGS], [["", *r] for r in fixed])), staff)
    assert Student.objects.count() == 300


def test_reimporting_the_same_file_changes_nothing(staff, site):
    data = csv_bytes(STUDENT_HEADINGS, student_rows(40), encoding="cp932")
    confirm(upload(staff, site, data), staff)
    before = list(Student.objects.order_by("pk").values_list("pk", "version", "updated_at", "household_id"))
    households, guardians = Household.objects.count(), Guardian.objects.count()
    run = upload(staff, site, data)
    assert (run.new_count, run.update_count, run.unchanged_count, run.error_count) == (0, 0, 40, 0)
    confirm(run, staff)
    assert list(Student.objects.order_by("pk").values_list("pk", "version", "updated_at", "household_id")) == before
    assert (Household.objects.count(), Guardian.objects.count()) == (households, guardians)


def test_an_update_names_what_changes_and_grades_come_from_the_birth_date(staff, site):
    rows = student_rows(2)
    confirm(upload(staff, site, csv_bytes(STUDENT_HEADINGS, rows)), staff)
    rows[0][5] = "深谷市立北中学校"
    rows[0][4] = "小1"  # the file's grade is not read
    rows[1][12] = "048-555-0000"
    run = upload(staff, site, csv_bytes(STUDENT_HEADINGS, rows))
    assert [row["action"] for row in run.plan] == ["update", "update"]
    assert run.plan[0]["changes"] == ["学校"]
    assert run.plan[0]["grade"] != "小1"
    assert run.plan[1]["changes"] == ["電話番号"]
    confirm(run, staff)
    assert Student.objects.get(external_id="C00000").school == "深谷市立北中学校"
    assert Guardian.objects.get().phone == "048-555-0000"


def test_a_child_without_id_is_matched_by_name_reading_and_birth_date(staff, site):
    child = StudentFactory(site=site, family_name="深谷", given_name="はると", family_name_kana="フカヤ",
                           given_name_kana="ハルト", birth_date=dt.date(2012, 5, 14), school="南中")
    data = csv_bytes(["氏名", "ふりがな", "生年月日", "学校名"], [["深谷 はると", "ふかや はると", "平成24年5月14日", "北中"]])
    run = upload(staff, site, data)
    assert run.plan[0]["action"] == "update"
    confirm(run, staff)
    child.refresh_from_db()
    assert child.school == "北中" and Student.objects.count() == 1


def test_a_new_sibling_joins_the_household_of_the_same_guardian_and_address(staff, site):
    household = HouseholdFactory(address="埼玉県深谷市仲町1-1")
    GuardianFactory(household=household, family_name="深谷", given_name="さくら", family_name_kana="フカヤ",
                    given_name_kana="サクラ")
    StudentFactory(site=site, household=household)
    data = csv_bytes(["氏名", "ふりがな", "生年月日", "住所", "保護者氏名", "保護者ふりがな", "続柄"],
                     [["深谷 ゆい", "ふかや ゆい", "2014/11/2", "埼玉県深谷市仲町1-1", "深谷 さくら", "ふかや さくら", "母"]])
    confirm(upload(staff, site, data), staff)
    assert Student.objects.get(given_name="ゆい").household_id == household.pk
    assert household.guardians.count() == 1


def test_a_row_for_another_sites_child_or_site_is_an_error(staff, site, other_site):
    StudentFactory(site=other_site, external_id="C00000")
    rows = student_rows(2)
    data = csv_bytes([*STUDENT_HEADINGS, "拠点"], [[*rows[0], site.name], [*rows[1], other_site.name]])
    run = upload(staff, site, data)
    assert [row["action"] for row in run.plan] == ["error", "error"]
    assert "別の教室" in run.plan[0]["errors"][0][1]
    assert "別の教室" in run.plan[1]["errors"][0][1]
    confirm(run, staff)
    assert Student.objects.filter(site=site).count() == 0


def test_a_second_confirmation_writes_nothing_more(staff, site):
    run = upload(staff, site, csv_bytes(STUDENT_HEADINGS, student_rows(4)))
    confirm(run, staff)
    run, written = service.import_confirm(run_id=run.pk, user=staff)
    assert not written and Student.objects.count() == 4


def test_a_confirmation_after_the_records_changed_shows_the_new_preview(staff, site):
    run = upload(staff, site, csv_bytes(STUDENT_HEADINGS, student_rows(2)))
    StudentFactory(site=site, external_id="C00001")  # someone registered the child meanwhile
    with pytest.raises(service.ImportChanged):
        service.import_confirm(run_id=run.pk, user=staff)
    run.refresh_from_db()
    assert run.status == ImportStatus.PREVIEW and [r["action"] for r in run.plan] == ["new", "update"]
    assert Student.objects.count() == 1


def test_the_file_is_refused_in_japanese(staff, site):
    for data, words in [(b"", "空"), (b"\x89PNG\r\n\x1a\n\x00\x00", "NUL"), (b"PK\x03\x04garbage", "Excel"),
                        ("氏名\n".encode(), "行がありません")]:
        with pytest.raises(ImportFileError, match=words):
            upload(staff, site, data)
    assert not ImportRun.objects.exists()


def test_volunteers_get_an_account_without_a_usable_password(staff, site):
    headings = ["ボランティアID", "氏名", "メールアドレス", "電話番号", "区分", "活動曜日", "誓約書提出日", "保険期限"]
    rows = [["V1", "岡部 誠", "okabe@example.jp", "080-1111-2222", "元教員", "火木", "2025/4/1", "2026/3/31"],
            ["V2", "花園 みどり", "", "08011112223", "大学生", "水", "2025/4/1", "2026/3/31"]]
    run = upload(staff, site, csv_bytes(headings, rows), kind="volunteers")
    assert [row["action"] for row in run.plan] == ["new", "new"], run.plan
    confirm(run, staff)
    okabe = Volunteer.objects.select_related("user").get(external_id="V1")
    assert okabe.user.username == "okabe" and not okabe.user.has_usable_password()
    assert okabe.usual_weekdays == "13" and okabe.kind == "retired_teacher" and list(okabe.sites.all()) == [site]
    assert Volunteer.objects.get(external_id="V2").user.username == "v2"
    again = upload(staff, site, csv_bytes(headings, rows), kind="volunteers")
    assert again.unchanged_count == 2


def test_volunteers_readings_are_imported_in_katakana_from_one_column_or_two(staff, site):
    """The reading of a volunteer's name (issue 15): ふりがな, or 姓/名 in two columns; a reading in Latin
    letters is an error at its column, in Japanese."""
    one = upload(staff, site, csv_bytes(["氏名", "ふりがな"], [["岡部 誠", "おかべ まこと"], ["花園 みどり", "Hanazono"]]),
                 kind="volunteers")
    assert [row["action"] for row in one.plan] == ["new", "error"], one.plan
    assert "ひらがなかカタカナ" in str(one.plan[1]["errors"])
    two = upload(staff, site, csv_bytes(["姓", "名", "姓(ふりがな)", "名(ふりがな)"], [["岡部", "誠", "おかべ", "まこと"]]),
                 kind="volunteers")
    confirm(two, staff)
    assert Volunteer.objects.get(user__last_name="岡部").name_kana == "オカベ マコト"
    again = upload(staff, site, csv_bytes(["氏名", "ふりがな"], [["岡部 誠", "オカベ マコト"]]), kind="volunteers")
    assert again.unchanged_count == 1, again.plan


def test_partners_are_matched_by_id_then_name(staff, site):
    Partner.objects.create(name="花園農園", kind=PartnerKind.FARM)
    data = csv_bytes(["名称", "種別", "電話番号"], [["花園農園", "農家", "048-555-0101"], ["和菓子 松屋", "商店", ""]])
    run = upload(staff, site, data, kind="partners")
    assert [row["action"] for row in run.plan] == ["update", "new"]
    confirm(run, staff)
    assert Partner.objects.get(name="花園農園").phone == "048-555-0101"
    assert Partner.objects.get(name="和菓子 松屋").kind == PartnerKind.SHOP


@pytest.mark.parametrize("kind", ["students", "volunteers", "partners"])
def test_the_template_imports_as_it_is(staff, site, kind):
    run = upload(staff, site, template_workbook(kind), kind=kind, name="template.xlsx")
    assert run.error_count == 0 and run.new_count >= 1, run.plan


def test_a_new_sibling_updates_the_household_it_joins(staff, site):
    rows = student_rows(1)
    confirm(upload(staff, site, csv_bytes(STUDENT_HEADINGS, rows)), staff)
    moved = [student_row(0), student_row(1)]
    for row in moved:
        row[8] = "埼玉県深谷市新しい町1-1"  # the household moved
    run = upload(staff, site, csv_bytes(STUDENT_HEADINGS, moved))
    assert [row["action"] for row in run.plan] == ["update", "new"] and run.plan[0]["changes"] == ["住所"]
    confirm(run, staff)
    household = Household.objects.get()
    assert household.address == "埼玉県深谷市新しい町1-1" and household.students.count() == 2

    # Only the new child's row, without the household key: same guardian and address; a new phone.
    third = student_row(1)
    third[0], third[1], third[6], third[8], third[12] = "C09999", "佐藤 蓮", "", "埼玉県深谷市新しい町1-1", "080-9999-0000"
    run = upload(staff, site, csv_bytes(STUDENT_HEADINGS, [third]))
    assert run.plan[0]["action"] == "new"
    confirm(run, staff)
    assert Household.objects.get().students.count() == 3
    assert Guardian.objects.get().phone == "080-9999-0000"
