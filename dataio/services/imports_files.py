"""The files an import hands out: the template of each kind, and the failed rows to fix and upload again.

Both are Excel workbooks with every cell written as text, so that a phone number keeps its
leading zero and an id its form when the file is opened and saved again (a CSV opened in Excel
loses them).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from dataio.models import ImportRun
from dataio.services import imports_columns as cols
from dataio.services.imports import failed_rows
from lib import exports

XLSX = exports.XLSX_TYPE


def template_workbook(kind: str) -> bytes:
    """The kind's headings (Japanese, as a city writes them), example rows, and a sheet explaining each column.
    Every cell is formatted as text, so what a person types there (a phone's leading zero) stays as typed."""
    columns = cols.columns(kind)
    shown = [c for c in columns if c.key not in ("family_name", "given_name", "family_name_kana", "given_name_kana")]
    data = [[c.heading for c in shown], *([example.get(c.key, "") for c in shown] for example in cols.EXAMPLES[kind])]
    notes = [
        _("Replace the example rows with your own; one row per person (for students: one row per child)."),
        _("An empty cell leaves what is stored unchanged. Importing the same file again changes nothing."),
        _("Nothing is written until you confirm the preview; rows in error are skipped and can be downloaded, "
          "fixed and uploaded again."),
    ]
    help_rows = [[_("Column"), _("Other headings accepted"), _("What to write")],
                 *([column.heading, "、".join(column.headings[1:]), column.help or column.label] for column in columns),
                 [], *([note] for note in notes)]
    return exports.xlsx_sheets_bytes([
        exports.Sheet(title=_("Data"), rows=data, text_cells=True),
        exports.Sheet(title=_("How to fill in"), rows=help_rows, max_width=80, wrap=True),
    ])


def errors_workbook(run: ImportRun) -> bytes:
    """The failed rows as uploaded, with an error column first: fix them and upload this file again."""
    rows = [[_("Error"), *run.headings], *([message, *cells] for cells, message in failed_rows(run))]
    return exports.xlsx_sheets_bytes([exports.Sheet(title=_("Errors"), rows=rows, freeze="B2", text_cells=True)])
