"""CSV and XLSX downloads of the volunteer hours report: the rows the screen shows, as values.

CSV is UTF-8 with a byte-order mark (``classroom.exports.csv_bytes``) so that Excel in Japan
opens it; the XLSX keeps hours as numbers so that they can be summed.
"""

from __future__ import annotations

import io

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from classroom.exports import CSV_TYPE, XLSX_TYPE, csv_bytes


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def xlsx_bytes(rows: list[list], *, title: str, bold_rows: set[int] = frozenset()) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    for row in rows:
        sheet.append(row)
    for index in {0, *bold_rows}:
        if index < len(rows):
            for cell in sheet[index + 1]:
                cell.font = Font(bold=True)
    sheet.freeze_panes = "B2"
    width = max((len(row) for row in rows), default=0)
    for column in range(width):
        longest = max((len(_cell_text(row[column])) for row in rows if column < len(row)), default=4)
        sheet.column_dimensions[get_column_letter(column + 1)].width = min(max(longest * 2 + 2, 6), 40)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rows_response(rows: list[list], *, export_format: str, filename: str, title: str,
                  bold_rows: set[int] = frozenset()) -> HttpResponse:
    if export_format == "xlsx":
        response = HttpResponse(xlsx_bytes(rows, title=title, bold_rows=bold_rows), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(csv_bytes([[_cell_text(v) for v in row] for row in rows]), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{export_format}"'
    response["Cache-Control"] = "no-store"
    return response
