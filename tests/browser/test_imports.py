"""An import in a real browser: upload a file, see the preview with an error, fix the file, confirm."""

import re

import pytest
from playwright.sync_api import expect

from classroom.models import Student
from tests.dataio.import_files import STUDENT_HEADINGS, csv_bytes, student_rows

# The roles are rows made by a data migration; keep them across these transactional tests.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _upload(page, live_server, path):
    page.goto(f"{live_server.url}/students/")
    page.get_by_role("link", name="表計算ファイルから取り込む").click()
    expect(page.locator('input[name="kind"][value="students"]')).to_be_checked()
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="アップロードして確認").click()
    page.wait_for_url(re.compile(r"/imports/\d+/$"))


def test_staff_uploads_sees_the_error_fixes_the_file_and_confirms(page, live_server, sign_in, staff, site, tmp_path):
    rows = student_rows(4)
    rows[2][3] = "令和7年2月30日"
    bad = tmp_path / "名簿.csv"
    bad.write_bytes(csv_bytes(STUDENT_HEADINGS, rows, encoding="cp932"))
    sign_in(page, staff)
    _upload(page, live_server, bad)

    expect(page.locator("h1")).to_have_text("取り込みの確認")
    error = page.locator(".imp-row--error")
    expect(error).to_have_count(1)
    expect(error).to_contain_text("4行目")
    expect(error).to_contain_text("D列（生年月日）")
    expect(error).to_contain_text("存在しない日付")
    expect(page.locator(".imp-row--new")).to_have_count(3)
    assert not Student.objects.exists()

    rows[2][3] = "令和7年2月28日"
    fixed = tmp_path / "名簿-修正.csv"
    fixed.write_bytes(csv_bytes(STUDENT_HEADINGS, rows, encoding="cp932"))
    page.get_by_role("button", name="破棄").click()
    page.wait_for_url(re.compile(r"/imports/$"))
    _upload(page, live_server, fixed)
    expect(page.locator(".imp-row--error")).to_have_count(0)
    page.get_by_role("button", name=re.compile("確定して取り込む")).click()
    expect(page.locator(".messages")).to_contain_text("取り込みました: 新規4件")
    assert Student.objects.count() == 4

    page.go_back()  # the preview again, from the history: a second confirmation writes nothing
    page.reload()
    expect(page.get_by_role("button", name=re.compile("確定して取り込む"))).to_have_count(0)
    page.goto(f"{live_server.url}/imports/")
    expect(page.locator(".imp-run")).to_have_count(2)
    expect(page.locator(".imp-run").first).to_contain_text("名簿-修正.csv")
    assert Student.objects.count() == 4
