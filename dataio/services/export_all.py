"""The full export of the program's data: every table that holds it, as CSV and JSON, with the uploaded
files and a README of the columns, in one ZIP, so that the data can move to another system.

Built from the models' ``_meta``: a model added to one of ``EXPORTED_APPS`` (or a field added to one of
their models) is in the next export without a change here. A model that is deliberately not exported is
named in ``LEFT_OUT`` with the reason, and so is a column in ``LEFT_OUT_COLUMNS``; the README inside the
archive lists both. ``tests/dataio/test_export_all.py`` fails when a model of any installed app is in
neither the archive nor ``LEFT_OUT``.

Memory stays bounded whatever the number of rows: rows are read in chunks (``iterator``), each table's
CSV is written straight into the ZIP and its JSON through a spooled temporary file, and the ZIP itself
is written to a file object the caller gives (a temporary file for a download, a path for the command).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import posixpath
import shutil
import tempfile
import time
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import BinaryIO

from django.apps import apps
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.utils import timezone, translation

from lib import exports, localtime

# Every model of these apps is exported (auto-created many-to-many tables too).
EXPORTED_APPS = ("classroom", "casework", "volunteers", "activities", "dataio")
# Tables of Django's own apps needed to make sense of the program's data: the accounts named in its
# records (who recorded, who visited, who tutored), the roles (groups) and who holds them.
ACCOUNT_TABLES = ("auth.user", "auth.group", "auth.user_groups")

LEFT_OUT: dict[str, str] = {
    "axes.accessattempt": "Failed sign-in attempts being counted for throttling: security machinery, kept for minutes.",
    "axes.accessattemptexpiration": "When a counted sign-in attempt expires: security machinery.",
    "axes.accessfailurelog": "Failed sign-in attempts kept for security review, not a record of the program.",
    "axes.accesslog": "Sign-ins and sign-outs of accounts kept by the throttling: security machinery.",
    "otp_totp.totpdevice": "Secrets of two-factor authenticators: they would let the holder sign in as the person.",
    "otp_static.staticdevice": "Two-factor recovery code sets: secrets, like the authenticators.",
    "otp_static.statictoken": "Two-factor recovery codes: secrets, like the authenticators.",
    "auth.permission": "Django's permission catalogue: Yorisoi's roles are the groups, exported as auth.group.",
    "auth.group_permissions": "Permissions given to groups: Django's machinery, not used by Yorisoi's roles.",
    "auth.user_user_permissions": "Permissions given to single accounts: Django's machinery, not used by Yorisoi.",
    "contenttypes.contenttype": "Django's internal numbering of models; no program data points to it once form "
                                "tokens are left out.",
    "sessions.session": "Sign-in sessions: secrets that would let the holder act as the signed-in person.",
    "admin.logentry": "Django's admin-site change history (technical administration), not a record of the program; "
                      "the program's own access log (classroom.accesslog) is exported.",
    "classroom.formsubmission": "Idempotency tokens of submitted forms (against double submits): internal, "
                                "they expire and mean nothing outside Yorisoi.",
    "classroom.outgoingmessage": "The mail outbox: copies of notification emails waiting to be sent or failed, "
                                 "internal to delivery; what they tell comes from records exported here.",
    "classroom.presencefacts": "Derived: each child's last attendance and absences, recomputed from attendance "
                               "and drop-ins (exported).",
    "casework.casefacts": "Derived: each child's last visit and contact and next due dates, recomputed from "
                          "home visits, contacts and follow-ups (exported).",
}
LEFT_OUT_COLUMNS: dict[str, dict[str, str]] = {
    "auth.user": {"password": "The password hash: a secret, and useless to another system."},
    "volunteers.volunteer": {"calendar_token": "The secret address of the volunteer's calendar feed: whoever holds "
                                               "it reads their schedule."},
}

JSON_SPOOL_BYTES = 4 * 1024 * 1024
CHUNK_ROWS = 2000
CSV_BOM = "\ufeff"


@dataclass
class Table:
    """One exported table: its model and the columns written, in order."""

    model: type[models.Model]
    columns: list[models.Field]

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def file_columns(self) -> list[models.Field]:
        return [f for f in self.columns if isinstance(f, models.FileField)]


@dataclass
class Summary:
    """What an export wrote: rows per table, the files copied, the files named but missing, the time taken."""

    rows: dict[str, int] = field(default_factory=dict)
    files: int = 0
    missing_files: list[str] = field(default_factory=list)
    seconds: float = 0.0
    created_at: dt.datetime | None = None

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def _exported(model: type[models.Model]) -> bool:
    label = model._meta.label_lower
    if label in LEFT_OUT:
        return False
    return model._meta.app_label in EXPORTED_APPS or label in ACCOUNT_TABLES


def tables() -> list[Table]:
    """Every exported table, by app then model name; its concrete columns less ``LEFT_OUT_COLUMNS``."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        if not _exported(model) or model._meta.proxy:
            continue
        skipped = LEFT_OUT_COLUMNS.get(model._meta.label_lower, {})
        columns = [f for f in model._meta.concrete_fields if f.name not in skipped]
        found.append(Table(model=model, columns=columns))
    return sorted(found, key=lambda t: t.label)


def column_name(f: models.Field) -> str:
    """The column's name in the files: the database column (``site_id`` for a foreign key)."""
    return f.attname


# --- values ---------------------------------------------------------------------------------------
def json_value(value):
    """A value as JSON: datetimes in Japan time with their offset (ISO 8601), dates and times ISO 8601,
    decimals as text (exact), anything JSON already holds unchanged."""
    if isinstance(value, dt.datetime):
        return localtime.iso(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return value


def _rows(table: Table) -> Iterator[tuple]:
    names = [column_name(f) for f in table.columns]
    return table.model._default_manager.order_by("pk").values_list(*names).iterator(chunk_size=CHUNK_ROWS)


def _identity(value):
    return value


def _converters(table: Table) -> list:
    """Per column, the function that makes its value JSON (``json_value``, chosen once per column rather
    than tested per value: a table may hold hundreds of thousands of rows)."""
    iso = localtime.iso_converter()
    converters = []
    for f in table.columns:
        if isinstance(f, models.DateTimeField):
            converters.append(iso)
        elif isinstance(f, models.DateField | models.TimeField | models.DecimalField | models.UUIDField
                        | models.DurationField | models.BinaryField):
            converters.append(json_value)
        else:
            converters.append(_identity)
    return converters


def _csv_cell(value):
    """A JSON value as a CSV cell: empty for null, ``true``/``false``, lists and objects (a JSON column)
    as their JSON text; ``lib.exports`` then makes text that a spreadsheet would run inert."""
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


# --- the archive ----------------------------------------------------------------------------------
def _write_table(archive: zipfile.ZipFile, table: Table, summary: Summary) -> list[str]:
    """``tables/<label>.csv`` and ``tables/<label>.json``; answers the file names its file columns hold."""
    names = [column_name(f) for f in table.columns]
    converters = _converters(table)
    file_positions = [names.index(column_name(f)) for f in table.file_columns]
    files: list[str] = []
    count = 0
    with tempfile.SpooledTemporaryFile(max_size=JSON_SPOOL_BYTES, mode="w+b") as spool:
        json_text = io.TextIOWrapper(spool, encoding="utf-8", newline="\n")
        json_text.write("[")
        with archive.open(f"tables/{table.label}.csv", "w") as raw:
            csv_text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
            csv_text.write(CSV_BOM)

            def rows():
                nonlocal count
                yield names
                for row in _rows(table):
                    values = [convert(v) for convert, v in zip(converters, row, strict=True)]
                    json_text.write(("\n" if count == 0 else ",\n")
                                    + json.dumps(dict(zip(names, values, strict=True)), ensure_ascii=False))
                    files.extend(row[i] for i in file_positions if row[i])
                    count += 1
                    yield [_csv_cell(v) for v in values]

            exports.csv_write(rows(), csv_text)
            csv_text.flush()
            csv_text.detach()
        json_text.write("\n]\n" if count else "]\n")
        json_text.flush()
        json_text.detach()
        spool.seek(0)
        with archive.open(f"tables/{table.label}.json", "w") as raw:
            shutil.copyfileobj(spool, raw)
    summary.rows[table.label] = count
    return files


def _archive_name(name: str) -> str | None:
    """``files/<name>`` for a stored file's name, or ``None`` for a name that leaves the folder."""
    clean = posixpath.normpath(name.replace("\\", "/")).lstrip("/")
    if clean.startswith("..") or clean in {"", "."}:
        return None
    return f"files/{clean}"


def _write_files(archive: zipfile.ZipFile, names: list[str], summary: Summary) -> None:
    for name in sorted(set(names)):
        target = _archive_name(name)
        try:
            if target is None or not default_storage.exists(name):
                summary.missing_files.append(name)
                continue
            with default_storage.open(name, "rb") as source, archive.open(target, "w") as raw:
                shutil.copyfileobj(source, raw)
        except (SuspiciousFileOperation, OSError):
            summary.missing_files.append(name)
            continue
        summary.files += 1


def export_all(*, out: BinaryIO, by: str = "") -> Summary:
    """Write the ZIP of the program's data to ``out`` and answer what it holds.

    On PostgreSQL every table is read in one repeatable-read snapshot, so that the tables agree with
    each other even while people keep working; elsewhere (SQLite, whose writers would wait for the
    whole export) the tables are read one after another.
    """
    started = time.monotonic()
    summary = Summary(created_at=timezone.now())
    chosen = tables()
    with _snapshot(), zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        files: list[str] = []
        for table in chosen:
            files += _write_table(archive, table, summary)
        _write_files(archive, files, summary)
        summary.seconds = time.monotonic() - started
        archive.writestr("README.md", readme(chosen, summary, by=by))
    return summary


class _snapshot:
    """A read-only repeatable-read transaction on PostgreSQL when none is open yet; nothing elsewhere."""

    def __enter__(self):
        self.atomic = None
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        return self

    def __exit__(self, *exc):
        if self.atomic is not None:
            return self.atomic.__exit__(*exc)
        return False


# --- the README -----------------------------------------------------------------------------------
def _text(value, language: str) -> str:
    with translation.override(language):
        return str(value)


def _cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _type_of(f: models.Field) -> str:
    kind = f.get_internal_type()
    if f.is_relation and f.related_model is not None:
        target = f.related_model._meta
        return f"{kind} → {target.label_lower}.{f.target_field.attname}"
    if getattr(f, "max_length", None) and not isinstance(f, models.FileField):
        return f"{kind}({f.max_length})"
    return kind


def _notes(f: models.Field) -> str:
    notes = []
    if f.primary_key:
        notes.append("primary key / 主キー")
    if f.unique and not f.primary_key:
        notes.append("unique / 一意")
    if f.choices:
        choices = "; ".join(f"`{value}` = {_text(label, 'ja')} / {_text(label, 'en')}"
                            for value, label in f.flatchoices)
        notes.append(f"choices / 選択肢: {choices}")
    if isinstance(f, models.FileField):
        notes.append("file under files/ / ファイルは files/ に")
    if f.help_text:
        notes.append(f"{_text(f.help_text, 'ja')} / {_text(f.help_text, 'en')}")
    return "; ".join(notes)


def _describe(model: type[models.Model]) -> str:
    doc = (model.__doc__ or "").strip()
    if model._meta.auto_created or doc.startswith(f"{model.__name__}("):
        return ""
    return " ".join(doc.split("\n\n")[0].split())


README_HEAD = """# Yorisoi: the program's data / プログラムのデータ一式

Exported / 書出し日時: {created}{by}
Tables / 表: {tables}, rows / 行: {rows}, files / ファイル: {files}

## The files / ファイルの構成

- `tables/<app>.<table>.csv`: one table, UTF-8 with a byte-order mark (opens in Excel), CRLF line ends,
  the first row the column names. 表ごとの CSV（UTF-8、BOM 付き。Excel でそのまま開けます）。
- `tables/<app>.<table>.json`: the same rows as a JSON array of objects (the exact values; use these to
  move the data). 同じ行の JSON（正確な値。別のシステムへの移行にはこちらを）。
- `files/`: the uploaded files (activity photos and others), under the name their column holds.
  アップロードされたファイル（体験活動の写真など）。列の値がそのままファイル名です。

Values / 値の書き方:
- Date and time: ISO 8601 in Japan time with its offset (`2026-11-27T16:05:00+09:00`); dates `YYYY-MM-DD`;
  times of day `HH:MM:SS`. 日時は日本時間（+09:00 付き）、日付は YYYY-MM-DD。
- Empty cell in CSV / `null` in JSON: no value. true/false: yes/no. 空欄（null）は値なし。
- A foreign key column (`..._id`) holds the `id` of the row it points to in the table named in "Type".
  外部キー（…_id）は「型」欄の表の id を指します。
- A choice column holds the code; its labels are listed below. 選択肢の列にはコードが入り、意味は下の表のとおり。
- In CSV only, a text that a spreadsheet would run as a formula (starting with = + - @) carries a leading
  apostrophe `'`; the JSON holds the text unchanged. CSV のみ、数式と解釈されうる文字列の先頭に ' を付けています。

## Tables / 表
"""


def readme(chosen: list[Table], summary: Summary, *, by: str = "") -> str:
    """README.md: how the files are written, then every table with every column, then what is left out."""
    lines = [README_HEAD.format(
        created=localtime.iso(summary.created_at), by=f" ({by})" if by else "", tables=len(chosen),
        rows=summary.total_rows, files=summary.files)]
    lines.append("| table / 表 | 日本語 | English | rows / 行数 |")
    lines.append("| --- | --- | --- | ---: |")
    for table in chosen:
        meta = table.model._meta
        lines.append(f"| `{table.label}` | {_cell(_text(meta.verbose_name_plural, 'ja'))} | "
                     f"{_cell(_text(meta.verbose_name_plural, 'en'))} | {summary.rows.get(table.label, 0)} |")
    for table in chosen:
        meta = table.model._meta
        lines += ["", f"### `{table.label}`: {_text(meta.verbose_name_plural, 'ja')} / "
                      f"{_text(meta.verbose_name_plural, 'en')}", ""]
        if description := _describe(table.model):
            lines += [description, ""]
        lines.append(f"Files / ファイル: `tables/{table.label}.csv`, `tables/{table.label}.json`; "
                     f"rows / 行数: {summary.rows.get(table.label, 0)}")
        lines += ["", "| column / 列 | 日本語 | English | type / 型 | null | notes / 備考 |",
                  "| --- | --- | --- | --- | --- | --- |"]
        for f in table.columns:
            lines.append(f"| `{column_name(f)}` | {_cell(_text(f.verbose_name, 'ja'))} | "
                         f"{_cell(_text(f.verbose_name, 'en'))} | {_cell(_type_of(f))} | "
                         f"{'yes' if f.null else 'no'} | {_cell(_notes(f))} |")
        for name, reason in LEFT_OUT_COLUMNS.get(table.label, {}).items():
            lines.append(f"| ~~`{name}`~~ | 書き出していません | left out | | | {_cell(reason)} |")
    lines += ["", "## Left out and why / 書き出していない表とその理由", ""]
    lines += [f"- `{label}`: {reason}" for label, reason in sorted(LEFT_OUT.items())]
    for label, columns in sorted(LEFT_OUT_COLUMNS.items()):
        lines += [f"- column `{label}.{name}`: {reason}" for name, reason in columns.items()]
    if summary.missing_files:
        lines += ["", "## Files named but not found / 見つからなかったファイル", ""]
        lines += [f"- `{name}`" for name in summary.missing_files]
    lines += ["", f"Written in {summary.seconds:.1f} s. / 作成時間 {summary.seconds:.1f} 秒", ""]
    return "\n".join(lines)
