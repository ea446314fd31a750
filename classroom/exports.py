"""CSV and XLSX downloads of a django-tables2 Table: every row the filter shows, in the table's order."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _text(value) -> str:
    return "" if value is None else str(value)


def table_rows(table) -> list[list[str]]:
    """The header row, then one row of plain text per record (``value_*`` methods, no HTML)."""
    return [[_text(cell) for cell in row] for row in table.as_values()]


def csv_bytes(rows: Iterable[list[str]]) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel in Japan opens it without mojibake."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(rows: list[list[str]], *, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    for row in rows:
        sheet.append(row)
    if rows:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for index in range(len(rows[0])):
            # East Asian characters are about twice as wide as the width unit.
            width = max((len(row[index]) for row in rows if index < len(row)), default=4) * 2 + 2
            sheet.column_dimensions[get_column_letter(index + 1)].width = min(max(width, 6), 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_response(table, *, export_format: str, filename: str, title: str) -> HttpResponse:
    rows = table_rows(table)
    if export_format == "xlsx":
        response = HttpResponse(xlsx_bytes(rows, title=title), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(csv_bytes(rows), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{export_format}"'
    response["Cache-Control"] = "no-store"
    return response
