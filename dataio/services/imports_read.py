"""Reading the spreadsheets a city keeps: XLSX (openpyxl) and CSV (UTF-8 with or without BOM, or
Shift_JIS/CP932), into a table of text cells; and the values Japanese spreadsheets hold in them
(dates written four ways, Excel serial dates, kana, phone numbers).

Every refusal is an ``ImportFileError`` with a message for the person who uploaded the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

from classroom.exceptions import DomainError

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 60
MAX_CELL = 2000
HEADER_SEARCH_ROWS = 10


class ImportFileError(DomainError):
    """The file cannot be read as a table: nothing was recorded."""


@dataclass
class Table:
    headings: list[str]
    rows: list[list[str]]
    first_row: int  # the spreadsheet's row number of rows[0]


def normalise_heading(text: str) -> str:
    """「 生年月日（必須）」 and 「生年月日※」 both read 「生年月日」: the form a heading is matched in."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = re.sub(r"[\s　]+", "", text)
    text = re.sub(r"\((必須|任意|required|optional)\)", "", text)
    return text.strip("*※:：・")


def cell_text(value) -> str:
    """One cell as text: dates as YYYY-MM-DD, whole numbers without ".0", nothing as ""."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def read_table(data: bytes, *, is_known_heading) -> Table:
    """The file's table: the heading row is the one among the first rows with the most headings
    ``is_known_heading`` recognises (a title row above it is skipped); a second heading row below
    it (a group heading merged over two columns, with its sub-headings) is folded in."""
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise ImportFileError(_("The file is larger than 5 MB. Split it into several files."))
    grid = _xlsx_grid(data) if data[:4] == b"PK\x03\x04" else _csv_grid(data)
    while grid and not any(grid[-1]):
        grid.pop()
    if not grid:
        raise ImportFileError(_("The file has no rows."))
    width = max(len(row) for row in grid)
    if width > MAX_COLUMNS:
        raise ImportFileError(_("The file has more than %(count)s columns. Is it the right file?") % {"count": MAX_COLUMNS})
    grid = [row + [""] * (width - len(row)) for row in grid]
    scores = [sum(1 for cell in row if is_known_heading(cell)) for row in grid[:HEADER_SEARCH_ROWS]]
    best = max(range(len(scores)), key=lambda i: (scores[i], -i))
    if scores[best] == 0:
        best = next(i for i, row in enumerate(grid) if any(row))
    headings = list(grid[best])
    start = best + 1
    if start < len(grid):
        pairs = list(zip(headings, grid[start], strict=True))
        differing = [(top, sub) for top, sub in pairs if sub and sub != top]
        # A second heading row: every cell that differs from the row above is a heading (a data row is not).
        if differing and all(is_known_heading(top + sub) or is_known_heading(sub) for top, sub in differing):
            headings, start = [_fold(top, sub, is_known_heading) for top, sub in pairs], start + 1
    rows = grid[start:]
    if len(rows) > MAX_ROWS:
        raise ImportFileError(_("The file has more than %(count)s rows. Split it into several files.") % {"count": MAX_ROWS})
    if not any(any(row) for row in rows):
        raise ImportFileError(_("The file has headings but no rows below them."))
    return Table(headings=[h or _("(column %(n)s)") % {"n": i + 1} for i, h in enumerate(headings)],
                 rows=rows, first_row=start + 1)


def _fold(top: str, sub: str, is_known_heading) -> str:
    """A heading of two rows: 「保護者」 over 「氏名」 reads 「保護者氏名」 when that is known, else the sub-heading."""
    if not sub or sub == top:
        return top
    if is_known_heading(top + sub):
        return top + sub
    return sub if is_known_heading(sub) or not top else top


def _xlsx_grid(data: bytes) -> list[list[str]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError) as error:
        raise ImportFileError(_("This file could not be read as an Excel workbook (.xlsx).")) from error
    sheet = book.worksheets[0]
    if sheet.max_row > MAX_ROWS + HEADER_SEARCH_ROWS:
        raise ImportFileError(_("The file has more than %(count)s rows. Split it into several files.") % {"count": MAX_ROWS})
    if sheet.max_column > MAX_COLUMNS:
        raise ImportFileError(_("The file has more than %(count)s columns. Is it the right file?") % {"count": MAX_COLUMNS})
    grid = [[cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    # A merged cell holds its value in its top-left cell only: every cell of the range reads it.
    for merged in sheet.merged_cells.ranges:
        value = grid[merged.min_row - 1][merged.min_col - 1] if merged.min_row <= len(grid) else ""
        for r in range(merged.min_row - 1, min(merged.max_row, len(grid))):
            for c in range(merged.min_col - 1, min(merged.max_col, len(grid[r]))):
                grid[r][c] = value
    return grid


def decode(data: bytes) -> str:
    """UTF-8 (with or without a BOM), else Shift_JIS as Windows writes it (CP932)."""
    if b"\x00" in data:
        raise ImportFileError(_(
            "This file is not a CSV or Excel file Yorisoi can read (it contains NUL characters). "
            "Save it from Excel as “CSV UTF-8” or as an Excel workbook (.xlsx)."))
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_(
        "The file's characters could not be read. Save it from Excel as “CSV UTF-8” or as an Excel workbook (.xlsx)."))


def _csv_grid(data: bytes) -> list[list[str]]:
    text = decode(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    try:
        return [[cell_text(cell) for cell in row] for row in csv.reader(io.StringIO(text, newline=""), dialect)]
    except csv.Error as error:
        raise ImportFileError(_("This file could not be read as CSV.")) from error


# --- Values ------------------------------------------------------------------------------------
ERAS = {"令和": 2018, "平成": 1988, "昭和": 1925, "r": 2018, "h": 1988, "s": 1925}
_ERA_DATE = re.compile(r"^(令和|平成|昭和|[rhs])\s*(元|\d{1,2})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?$")
_WESTERN_DATE = re.compile(r"^(\d{1,4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?(?:[ t]00:00(?::00)?)?$")
EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_date(text: str) -> dt.date | None:
    """2025/4/1, 2025-04-01, 2025年4月1日, 令和7年4月1日 (R7.4.1), or an Excel serial date (45748).

    None for an empty cell; ``ValueError`` with a message for anything else."""
    text = unicodedata.normalize("NFKC", text or "").strip().lower()
    if not text:
        return None
    try:
        if match := _ERA_DATE.match(text):
            era, year, month, day = match.groups()
            return dt.date(ERAS[era] + (1 if year == "元" else int(year)), int(month), int(day))
        if match := _WESTERN_DATE.match(text):
            return dt.date(*(int(part) for part in match.groups()))
        if re.fullmatch(r"\d{1,5}(\.0+)?", text):
            serial = int(float(text))
            if 1 <= serial <= 2958465:
                return EXCEL_EPOCH + dt.timedelta(days=serial)
    except (ValueError, OverflowError):
        raise ValueError(_("“%(value)s” is not a date that exists.") % {"value": text}) from None
    raise ValueError(_("“%(value)s” is not a date. Write it as 2025/4/1, 2025-04-01 or 令和7年4月1日.") % {"value": text})


def normalise_phone(text: str) -> str:
    """Full-width digits and hyphens made plain; a number Excel stored without its leading zero gets it back."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    text = re.sub(r"[ー‐−–—―]", "-", text)
    if re.fullmatch(r"[1-9]\d{8,9}", text):  # every Japanese number starts with 0: Excel dropped it
        text = "0" + text
    return text


def split_name(text: str) -> tuple[str, str]:
    """「山田 太郎」 or 「山田　太郎」 into family and given name; no space: all of it is the family name."""
    parts = re.split(r"[\s　]+", (text or "").strip(), maxsplit=1)
    return (parts[0], parts[1]) if len(parts) == 2 else (parts[0], "")
