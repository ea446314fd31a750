"""The import screens: staff only (404 for everyone else), hostile files, the preview, one write per
confirmation, the record of past imports, the templates and the error file."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from classroom import rules
from classroom.access_log import EXPORT
from classroom.factories import UserFactory
from classroom.models import AccessLog, Student
from dataio.models import ImportMapping, ImportRun, ImportStatus
from tests.dataio.import_files import STUDENT_HEADINGS, csv_bytes, student_rows

pytestmark = pytest.mark.django_db


def post_file(client, site, data: bytes, *, name="名簿.csv", kind="students"):
    return client.post(reverse("dataio:import_new"), {
        "kind": kind, "site": site.pk, "file": SimpleUploadedFile(name, data)})


def test_staff_upload_preview_and_confirm(staff_client, site):
    response = post_file(staff_client, site, csv_bytes(STUDENT_HEADINGS, student_rows(3), encoding="cp932"))
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response.url == reverse("dataio:import_detail", args=[run.pk])
    page = staff_client.get(response.url).content.decode()
    assert "取り込みの確認" in page and "佐藤 陽翔0" in page and "確定して取り込む（3行）" in page
    assert not Student.objects.exists()
    response = staff_client.post(reverse("dataio:import_confirm", args=[run.pk]), follow=True)
    assert "取り込みました: 新規3件" in response.content.decode()
    assert Student.objects.count() == 3


def test_a_double_confirm_writes_once(staff_client, site):
    post_file(staff_client, site, csv_bytes(STUDENT_HEADINGS, student_rows(3)))
    run = ImportRun.objects.get()
    url = reverse("dataio:import_confirm", args=[run.pk])
    staff_client.post(url)
    response = staff_client.post(url, follow=True)  # the other tab, or back and confirm again
    assert "すでに確定または破棄" in response.content.decode()
    assert Student.objects.count() == 3


@pytest.mark.parametrize("data, name, words", [
    (b"%PDF-1.4\n\x00\x01binary", "report.pdf", "NUL文字"),
    (b"", "empty.csv", "空"),
    (b"PK\x03\x04" + b"\x00" * 100, "broken.xlsx", "Excelブック"),
    ("氏名,ふりがな,生年月日\n山田 太郎,やまだ たろう,0001/01/01\n".encode(), "y1.csv", None),
    ("氏名,ふりがな,生年月日\n山田 太郎\x00,やまだ たろう,2012/1/1\n".encode(), "nul.csv", "NUL文字"),
])
def test_hostile_files_get_a_japanese_message_and_write_nothing(staff_client, site, data, name, words):
    response = post_file(staff_client, site, data, name=name)
    if words:
        assert response.status_code == 200 and words in response.content.decode()
        assert not ImportRun.objects.exists()
    else:  # year 0001: a row error, in words, at its column
        run = ImportRun.objects.get()
        assert run.error_count == 1 and run.plan[0]["errors"][0][0] == 2
        assert "生年月日" in staff_client.get(reverse("dataio:import_detail", args=[run.pk])).content.decode()
    assert not Student.objects.exists()


def test_a_ten_megabyte_file_is_refused(staff_client, site):
    data = csv_bytes(STUDENT_HEADINGS, student_rows(1)) + b"x" * (10 * 1024 * 1024)
    response = post_file(staff_client, site, data)
    assert "5MBを超えています" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_ten_thousand_character_cell_is_a_row_error(staff_client, site):
    rows = student_rows(2)
    rows[1][5] = "長" * 10000
    post_file(staff_client, site, csv_bytes(STUDENT_HEADINGS, rows))
    run = ImportRun.objects.get()
    assert [r["action"] for r in run.plan] == ["new", "error"]
    assert "長すぎます" in run.plan[1]["errors"][0][1]
    page = staff_client.get(reverse("dataio:import_detail", args=[run.pk]) + "?show=error").content.decode()
    assert "F列（学校名）" in page


def test_only_staff_of_the_chosen_site_may_import_into_it(staff_client, site, other_site):
    response = post_file(staff_client, other_site, csv_bytes(STUDENT_HEADINGS, student_rows(1)))
    assert response.status_code == 200 and "正しく選択してください" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_another_sites_staff_get_404_on_the_run(client, staff_client, site, other_site):
    post_file(staff_client, site, csv_bytes(STUDENT_HEADINGS, student_rows(1)))
    run = ImportRun.objects.get()
    elsewhere = UserFactory(username="staff-elsewhere", roles=[rules.STAFF], sites=[other_site])
    client.force_login(elsewhere)
    for name in ("import_detail", "import_columns", "import_errors"):
        assert client.get(reverse(f"dataio:{name}", args=[run.pk])).status_code == 404
    assert client.post(reverse("dataio:import_confirm", args=[run.pk])).status_code == 404
    assert not Student.objects.exists()


@pytest.mark.parametrize("persona", ["coordinator_client", "volunteer_client", "outsider_client"])
def test_everyone_but_staff_gets_404_on_every_import_url(request, staff_client, site, persona):
    post_file(staff_client, site, csv_bytes(STUDENT_HEADINGS, student_rows(1)))
    run = ImportRun.objects.get()
    client = request.getfixturevalue(persona)
    urls = [reverse("dataio:import_list"), reverse("dataio:import_new"),
            reverse("dataio:import_template", args=["students"])]
    urls += [reverse(f"dataio:{name}", args=[run.pk]) for name in
             ("import_detail", "import_columns", "import_confirm", "import_discard", "import_errors")]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code in (404, 405), url
    assert post_file(client, site, csv_bytes(STUDENT_HEADINGS, student_rows(1))).status_code == 404
    assert not Student.objects.exists()


def test_the_record_lists_past_imports_with_who_when_file_and_counts(staff_client, staff, site):
    post_file(staff_client, site, csv_bytes(STUDENT_HEADINGS, student_rows(2)), name="令和7年度名簿.csv")
    run = ImportRun.objects.get()
    staff_client.post(reverse("dataio:import_confirm", args=[run.pk]))
    page = staff_client.get(reverse("dataio:import_list")).content.decode()
    assert "令和7年度名簿.csv" in page and "取り込み済み" in page and "佐藤 美咲" in page
    assert "新規 2 ・ 更新 0 ・ 変更なし 0 ・ エラー 0" in page
    run.refresh_from_db()
    assert run.confirmed_by == staff and run.confirmed_at and run.rows == []


def test_columns_matched_by_hand_are_remembered(staff_client, site):
    data = csv_bytes(["番号", "こどもの名前", "よみ", "誕生日"], [["1", "山田 太郎", "やまだ たろう", "2012/4/5"]])
    response = post_file(staff_client, site, data)
    run = ImportRun.objects.get()
    assert response.url == reverse("dataio:import_columns", args=[run.pk])
    page = staff_client.get(response.url).content.decode()
    assert "次の項目の列が必要です" in page
    response = staff_client.post(response.url, {"0": "external_id", "1": "name", "2": "name_kana", "3": "birth_date"})
    assert response.url == reverse("dataio:import_detail", args=[run.pk])
    run.refresh_from_db()
    assert run.new_count == 1
    assert ImportMapping.objects.filter(site=site, kind="students").count() == 4
    post_file(staff_client, site, data)
    assert ImportRun.objects.first().mapping == run.mapping, "the next file of these headings is matched at once"


def test_the_error_file_and_the_templates_download(staff_client, site):
    rows = student_rows(3)
    rows[1][3] = "2025/2/30"
    post_file(staff_client, site, csv_bytes(STUDENT_HEADINGS, rows))
    run = ImportRun.objects.get()
    response = staff_client.get(reverse("dataio:import_errors", args=[run.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    listed = list(sheet.iter_rows(values_only=True))
    assert len(listed) == 2 and listed[1][1] == rows[1][0] and "存在しない日付" in listed[1][0]
    # The failed rows leave as a file: an export like any other, in the access log.
    assert AccessLog.objects.filter(action=EXPORT, path=reverse("dataio:import_errors", args=[run.pk])).count() == 1
    for kind in ("students", "volunteers", "partners"):
        response = staff_client.get(reverse("dataio:import_template", args=[kind]))
        assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    assert staff_client.get(reverse("dataio:import_template", args=["nope"])).status_code == 404


def test_discard_drops_the_rows(staff_client, site):
    post_file(staff_client, site, csv_bytes(STUDENT_HEADINGS, student_rows(2)))
    run = ImportRun.objects.get()
    staff_client.post(reverse("dataio:import_discard", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == ImportStatus.CANCELLED and run.rows == []
    staff_client.post(reverse("dataio:import_confirm", args=[run.pk]))
    assert not Student.objects.exists()


@pytest.mark.parametrize("url_name, kind", [("classroom:student_list", "students"),
                                            ("volunteers:volunteer_list", "volunteers"),
                                            ("activities:partner_list", "partners")])
def test_the_lists_link_to_the_import_for_staff_only(client, staff, coordinator, url_name, kind):
    link = f'{reverse("dataio:import_new")}?kind={kind}'
    client.force_login(staff)
    assert link in client.get(reverse(url_name)).content.decode()
    client.force_login(coordinator)
    assert link not in client.get(reverse(url_name)).content.decode()
