"""``backup`` and ``restore``: a round trip into a fresh database gives every table back, row for row,
with the uploaded files; a restore that cannot be right is refused before anything is written.

On SQLite the fresh database is a new file; on PostgreSQL a database this test creates beside the
test database (``<test database>_restore``) and drops afterwards.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from classroom.models import Student
from dataio.services import backup

# Transactional: pg_dump and SQLite's backup read what is committed. The roles are rows of a data
# migration; keep them for the tests after this one.
pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.postgres]

ROOT = Path(__file__).resolve().parents[2]


def _value(value):
    if isinstance(value, memoryview | bytes):
        return bytes(value).hex()
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def _raw_connection(name: str):
    """A DB-API connection of our own to database ``name`` (the default's vendor and server)."""
    params = connection.get_connection_params()
    params["database" if connection.vendor == "sqlite" else "dbname"] = name
    return connection.Database.connect(**params)


def table_fingerprints(name: str) -> dict[str, tuple[int, str]]:
    """Every table's row count and a SHA-256 of its rows (sorted, so the order rows come in does not matter)."""
    raw = _raw_connection(name)
    try:
        cursor = raw.cursor()
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        else:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        result = {}
        for (table,) in cursor.fetchall():
            cursor.execute(f'SELECT * FROM "{table}"')
            rows = sorted(json.dumps([_value(v) for v in row], ensure_ascii=False, default=str)
                          for row in cursor.fetchall())
            result[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
        return result
    finally:
        raw.close()


def media_fingerprints(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@contextlib.contextmanager
def fresh_database(tmp_path):
    """A new, empty database of the default's vendor, and its DATABASE_URL; dropped afterwards."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(tmp_path / "restored.sqlite3")
        yield name, f"sqlite:///{name}"
        return
    name = f"{db['NAME']}_restore"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    try:
        yield name, f"postgres://{quote(db['USER'])}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(*args, database_url: str, media_root: Path) -> subprocess.CompletedProcess:
    """Run a management command as an operator would: a process of its own, on another database."""
    env = {**os.environ, "DATABASE_URL": database_url, "MEDIA_ROOT": str(media_root),
           "DJANGO_SETTINGS_MODULE": "config.settings_test"}
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), *map(str, args)], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture
def seeded(settings):
    call_command("seed_demo", students=8, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Student.objects.count() == 8
    assert media_fingerprints(Path(settings.MEDIA_ROOT)), "the demo uploads activity photos"


def test_backup_then_restore_into_a_fresh_database_gives_every_table_and_file_back(seeded, settings, tmp_path):
    path = tmp_path / "yorisoi.backup"
    call_command("backup", path, stdout=open("/dev/null", "w"))  # noqa: SIM115
    before = table_fingerprints(connection.settings_dict["NAME"])
    media_before = media_fingerprints(Path(settings.MEDIA_ROOT))

    with tarfile.open(path) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = set(tar.getnames())
    assert manifest["vendor"] == connection.vendor
    assert manifest["created_at"].endswith("+09:00")  # Japan time
    assert manifest["django_version"] and manifest["app_version"]
    assert "classroom.0012_external_ids_retention" in manifest["migrations"]
    assert set(manifest["files"]) | {"manifest.json"} == names
    assert oct(path.stat().st_mode & 0o777) == "0o600"

    with fresh_database(tmp_path) as (name, url):
        done = manage("restore", path, database_url=url, media_root=tmp_path / "restored-media")
        assert done.returncode == 0, done.stderr
        assert "Restored the backup" in done.stdout
        after = table_fingerprints(name)
    assert len(before) > 40
    assert sum(count for count, _digest in before.values()) > 1000
    assert after == before
    assert media_fingerprints(tmp_path / "restored-media") == media_before


def test_restore_refuses_a_database_that_is_not_empty(seeded, tmp_path):
    path = backup.backup_create(path=tmp_path / "yorisoi.backup").path
    before = table_fingerprints(connection.settings_dict["NAME"])
    with pytest.raises(CommandError, match="The database is not empty"):
        call_command("restore", path)
    assert table_fingerprints(connection.settings_dict["NAME"]) == before


def _rewritten(path: Path, out: Path, change) -> Path:
    with tarfile.open(path) as tar, tarfile.open(out, "w") as new:
        for member in tar.getmembers():
            data = change(member.name, tar.extractfile(member).read())
            member.size = len(data)
            new.addfile(member, io.BytesIO(data))
    return out


def _manifest_with(**changes):
    def change(name, data):
        return json.dumps({**json.loads(data), **changes}).encode() if name == "manifest.json" else data
    return change


def test_restore_refuses_a_backup_of_another_database_vendor(seeded, tmp_path):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    path = backup.backup_create(path=tmp_path / "yorisoi.backup").path
    bad = _rewritten(path, tmp_path / "bad.backup", _manifest_with(vendor=other))
    with pytest.raises(CommandError, match=f"backup is of a {other} database"):
        call_command("restore", bad)


def test_restore_refuses_a_backup_from_a_newer_migration_state(seeded, tmp_path):
    path = backup.backup_create(path=tmp_path / "yorisoi.backup").path
    newer = [*backup.backup_manifest(path=path)["migrations"], "classroom.9999_from_the_future"]
    bad = _rewritten(path, tmp_path / "bad.backup", _manifest_with(migrations=newer))
    with pytest.raises(CommandError, match="newer version of Yorisoi .*classroom.9999_from_the_future"):
        call_command("restore", bad)


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    path = tmp_path / "notes.tar"
    with tarfile.open(path, "w") as tar:
        tar.addfile(tarfile.TarInfo("notes.txt"), io.BytesIO(b""))
    with pytest.raises(CommandError, match="not a Yorisoi backup"):
        call_command("restore", path)
    (tmp_path / "text.txt").write_text("hello")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("restore", tmp_path / "text.txt")


def test_restore_refuses_a_damaged_file_and_writes_nothing(seeded, tmp_path):
    path = backup.backup_create(path=tmp_path / "yorisoi.backup").path

    def flip_a_bit(name, data):
        return data[:-1] + bytes([data[-1] ^ 1]) if name.startswith("media/") else data

    damaged = _rewritten(path, tmp_path / "damaged.backup", flip_a_bit)
    with fresh_database(tmp_path) as (name, url):
        done = manage("restore", damaged, database_url=url, media_root=tmp_path / "restored-media")
        assert done.returncode != 0
        assert "does not match its checksum" in done.stderr
        assert table_fingerprints(name) == {}
    assert not (tmp_path / "restored-media").exists()


def test_backup_never_overwrites_a_file(seeded, tmp_path):
    path = tmp_path / "exists.backup"
    path.write_bytes(b"keep me")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", path)
    assert path.read_bytes() == b"keep me"
