"""Backups of the whole program (database and uploaded files) in one file, and their restore.

A backup is one uncompressed tar file holding

``manifest.json``
    what the backup is: its format, the app's and Django's versions, the database vendor, the
    migrations applied, the time it was made (Japan time) and the SHA-256 of every other member;
``database.sqlite3`` or ``database.pgdump``
    SQLite: a copy made with SQLite's online backup API from the live file (consistent while the
    app keeps writing; WAL included). PostgreSQL: ``pg_dump --format=custom`` (one snapshot);
``media/...``
    every file under ``MEDIA_ROOT`` (activity photos), copied after the database, so a photo
    uploaded meanwhile is at worst an extra file, never a row without its file.

``restore`` brings a backup back into an *empty* database (no tables: created, not migrated) of
the same vendor, at a migration state this code knows; anything else is refused before a byte is
written, with the reason. After a restore from an older version, ``migrate`` brings it up to date.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import django
from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from lib import localtime

FORMAT = "yorisoi-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/bin"))


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    vendor: str
    migrations: int
    media_files: int
    size: int


@dataclass(frozen=True)
class RestoreSummary:
    vendor: str
    created_at: str
    media_files: int
    migrations_missing: list[str]


def app_version() -> str:
    """The version in pyproject.toml (the project is run from its checkout, not installed)."""
    import tomllib

    pyproject = Path(settings.BASE_DIR) / "pyproject.toml"
    try:
        return tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _applied(alias: str) -> list[str]:
    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connections[alias]).applied_migrations())


def _known_migrations() -> set[str]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {f"{app}.{name}" for app, name in loader.disk_migrations}


def _pg_env(db: dict) -> tuple[list[str], dict]:
    """Connection options for pg_dump/pg_restore from DATABASES: the password only in the environment."""
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    env.pop("PGPASSWORD", None)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(argv: list[str], env: dict, what: str) -> None:
    try:
        done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise BackupError(f"Could not run {argv[0]}: {exc}. Install the PostgreSQL client tools or set PG_BIN.") \
            from exc
    if done.returncode != 0:
        raise BackupError(f"{what} failed (exit {done.returncode}): {done.stderr.strip()[-2000:]}")


def _dump_database(alias: str, target: Path) -> None:
    connection = connections[alias]
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        if not Path(db["NAME"]).is_file():
            raise BackupError(f"The database file {db['NAME']} does not exist.")
        source = sqlite3.connect(db["NAME"], timeout=20)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # SQLite's online backup: a consistent snapshot while others write
        finally:
            copy.close()
            source.close()
    elif connection.vendor == "postgresql":
        args, env = _pg_env(db)
        _run([str(PG_BIN / "pg_dump"), "--format=custom", "--file", str(target), *args, "--dbname", db["NAME"]],
             env, "pg_dump")
    else:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")


def _media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def backup_create(*, path: Path, alias: str = "default") -> BackupSummary:
    """Write a backup of database ``alias`` and MEDIA_ROOT to ``path`` (a new file; never overwritten)."""
    path = Path(path)
    if path.exists():
        raise BackupError(f"{path} already exists: choose a new file name (a backup never overwrites a file).")
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist.")
    connection = connections[alias]
    vendor = connection.vendor
    if vendor not in DUMP_NAMES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    migrations = _applied(alias)
    created_at = timezone.now()
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="yorisoi-backup-") as work:
        dump = Path(work) / DUMP_NAMES[vendor]
        _dump_database(alias, dump)
        media = _media_files(media_root)
        members = {DUMP_NAMES[vendor]: (dump, _sha256(dump))}
        for file in media:
            members[str(PurePosixPath(MEDIA, *file.relative_to(media_root).parts))] = (file, _sha256(file))
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "app_version": app_version(),
            "django_version": django.get_version(),
            "vendor": vendor,
            "migrations": migrations,
            "created_at": localtime.iso(created_at),
            "files": {name: digest for name, (_file, digest) in members.items()},
        }
        partial = path.with_name(path.name + ".partial")
        try:
            with tarfile.open(partial, "w") as tar:
                data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(created_at.timestamp()), 0o600
                tar.addfile(info, io.BytesIO(data))
                for name, (file, _digest) in members.items():
                    tar.add(file, arcname=name, recursive=False)
            os.chmod(partial, 0o600)  # children's records: readable by the owner only
            partial.replace(path)  # a backup is either whole or absent
        finally:
            partial.unlink(missing_ok=True)
    return BackupSummary(path=path, vendor=vendor, migrations=len(migrations), media_files=len(media),
                         size=path.stat().st_size)


def _read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(tar.extractfile(MANIFEST))
    except (KeyError, AttributeError, ValueError) as exc:
        raise BackupError("This file is not a Yorisoi backup (no readable manifest.json).") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError("This file is not a Yorisoi backup (its manifest names another format).")
    if manifest.get("format_version", 0) > FORMAT_VERSION:
        raise BackupError("This backup was made by a newer version of Yorisoi: update the code first.")
    return manifest


@contextlib.contextmanager
def _opened(path: Path) -> Iterator[tarfile.TarFile]:
    try:
        tar = tarfile.open(path, "r:")  # noqa: SIM115 (closed below; open errors become a BackupError)
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"Cannot read {path}: {exc}") from exc
    with tar:
        yield tar


def backup_manifest(*, path: Path) -> dict:
    """The manifest of the backup at ``path`` (to show what a file holds before restoring it)."""
    with _opened(path) as tar:
        return _read_manifest(tar)


def _tables(alias: str) -> list[str]:
    connection = connections[alias]
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def _check_restorable(manifest: dict, alias: str, media_root: Path, media_members: list[str]) -> list[str]:
    vendor = connections[alias].vendor
    if manifest["vendor"] != vendor:
        raise BackupError(f"This backup is of a {manifest['vendor']} database and this one is {vendor}: "
                          "restore it into a database of the same kind (use the full export to move between them).")
    unknown = sorted(set(manifest["migrations"]) - _known_migrations())
    if unknown:
        raise BackupError("This backup was made by a newer version of Yorisoi (migrations this code does not have: "
                          f"{', '.join(unknown[:5])}{' ...' if len(unknown) > 5 else ''}): update the code first.")
    tables = _tables(alias)
    if tables:
        raise BackupError(f"The database is not empty ({len(tables)} tables, e.g. {tables[0]}): a backup is "
                          "restored only into a new, empty database. Create one (do not run migrate) and point "
                          "DATABASE_URL at it.")
    clashes = [name for name in media_members
               if (media_root / PurePosixPath(name).relative_to(MEDIA)).exists()]
    if clashes:
        raise BackupError(f"MEDIA_ROOT ({media_root}) already holds {len(clashes)} of the backup's files, e.g. "
                          f"{clashes[0]}: restore into an empty MEDIA_ROOT.")
    return sorted(_known_migrations() - set(manifest["migrations"]))


def _safe_member(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and not PurePosixPath(name).is_absolute() and ".." not in parts


def _restore_database(vendor: str, alias: str, dump: Path) -> None:
    connection = connections[alias]
    db = connection.settings_dict
    connection.close()
    if vendor == "sqlite":
        source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
        target = sqlite3.connect(db["NAME"], timeout=20)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    else:
        args, env = _pg_env(db)
        _run([str(PG_BIN / "pg_restore"), "--no-owner", "--no-privileges", "--single-transaction",
              "--exit-on-error", *args, "--dbname", db["NAME"], str(dump)], env, "pg_restore")


def backup_restore(*, path: Path, alias: str = "default") -> RestoreSummary:
    """Restore the backup at ``path`` into database ``alias`` (empty) and MEDIA_ROOT (without those files).

    Every check runs before anything is written; each member is verified against the manifest's
    checksum on the way out of the archive.
    """
    path = Path(path)
    media_root = Path(settings.MEDIA_ROOT)
    with _opened(path) as tar, tempfile.TemporaryDirectory(prefix="yorisoi-restore-") as work:
        manifest = _read_manifest(tar)
        files: dict[str, str] = manifest.get("files", {})
        if not all(_safe_member(name) for name in files):
            raise BackupError("This backup names files outside its own folders: refused.")
        media_members = [name for name in files if name.startswith(MEDIA + "/")]
        missing = _check_restorable(manifest, alias, media_root, media_members)
        dump_name = DUMP_NAMES[manifest["vendor"]]
        if dump_name not in files:
            raise BackupError("This backup holds no database dump.")
        extracted = Path(work) / "files"
        for name, digest in files.items():
            try:
                source = tar.extractfile(name)
            except KeyError:
                source = None
            if source is None:
                raise BackupError(f"The backup is incomplete: {name} is missing.")
            target = extracted / PurePosixPath(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as out:
                shutil.copyfileobj(source, out)
            if _sha256(target) != digest:
                raise BackupError(f"The backup is damaged: {name} does not match its checksum.")
        _restore_database(manifest["vendor"], alias, extracted / dump_name)
        for name in media_members:
            target = media_root / PurePosixPath(name).relative_to(MEDIA)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(extracted / PurePosixPath(name), target)
    return RestoreSummary(vendor=manifest["vendor"], created_at=manifest["created_at"],
                          media_files=len(media_members), migrations_missing=missing)
