"""The files an import hands out: the template of each kind, and the failed rows to fix and upload again.

Both are Excel workbooks with every cell written as text, so that a phone number keeps its
leading zero and an id its form when the file is opened and saved again (a CSV opened in Excel
loses them).
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from dataio.models import ImportRun
from dataio.services import imports_columns as cols
from dataio.services.imports import failed_rows

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADING_FILL = PatternFill("solid", fgColor="DDEFE6")
ERROR_FILL = PatternFill("solid", fgColor="F9DEDC")


def _text_row(sheet, values, *, fill=None, bold=False) -> None:
    sheet.append([str(v) for v in values])
    for cell in sheet[sheet.max_row]:
        cell.number_format = "@"
        if fill:
            cell.fill = fill
        if bold:
            cell.font = Font(bold=True)


def _bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_workbook(kind: str) -> bytes:
    """The kind's headings (Japanese, as a city writes them), example rows, and a sheet explaining each column."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Data")
    columns = cols.columns(kind)
    shown = [c for c in columns if c.key not in ("family_name", "given_name", "family_name_kana", "given_name_kana")]
    _text_row(sheet, [c.heading for c in shown], fill=HEADING_FILL, bold=True)
    for example in cols.EXAMPLES[kind]:
        _text_row(sheet, [example.get(c.key, "") for c in shown])
    for i, column in enumerate(shown, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=i).column_letter].width = max(12, len(column.heading) * 2 + 4)
    sheet.freeze_panes = "A2"
    help_sheet = book.create_sheet(_("How to fill in"))
    _text_row(help_sheet, [_("Column"), _("Other headings accepted"), _("What to write")], fill=HEADING_FILL, bold=True)
    for column in columns:
        _text_row(help_sheet, [column.heading, "、".join(column.headings[1:]), column.help or column.label])
    notes = [
        _("Replace the example rows with your own; one row per person (for students: one row per child)."),
        _("An empty cell leaves what is stored unchanged. Importing the same file again changes nothing."),
        _("Nothing is written until you confirm the preview; rows in error are skipped and can be downloaded, "
          "fixed and uploaded again."),
    ]
    help_sheet.append([])
    for note in notes:
        help_sheet.append([note])
    help_sheet.column_dimensions["A"].width = 24
    help_sheet.column_dimensions["B"].width = 36
    help_sheet.column_dimensions["C"].width = 80
    for row in help_sheet.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    return _bytes(book)


def errors_workbook(run: ImportRun) -> bytes:
    """The failed rows as uploaded, with an error column first: fix them and upload this file again."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Errors")
    _text_row(sheet, [_("Error"), *run.headings], fill=HEADING_FILL, bold=True)
    for cells, message in failed_rows(run):
        _text_row(sheet, [message, *cells])
        sheet.cell(row=sheet.max_row, column=1).fill = ERROR_FILL
    sheet.column_dimensions["A"].width = 60
    sheet.freeze_panes = "B2"
    return _bytes(book)
