"""Reading and writing tables as CSV or XLSX, the way Chinese Excel and WPS save and open them.

Writing: the format follows the file's extension; CSV is UTF-8 with a BOM so Excel opens it
in Chinese, values exactly as stored, formula-like text behind a '; XLSX through xlsx_writer.
Reading: sheet_reader (XLSX, XLS, ODS, CSV in UTF-8, UTF-8 with BOM or GB18030).
Writes go to a temporary file renamed into place, so a cancelled export leaves no half file.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from csoffice.errors import CsofficeError
from csoffice.files import partial_file
from csoffice.i18n import _
from csoffice.xlsx_writer import is_formula_like

FORMATS = (".csv", ".xlsx")


def check_export_path(path: Path) -> str:
    """The format for ``path`` ('.csv' or '.xlsx'), or an error naming what is wrong."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise CsofficeError(
            _("Export to a .csv or .xlsx file (not “{name}”).").format(name=path.name)
        )
    if not path.parent.exists():
        raise CsofficeError(_("The folder {path} does not exist.").format(path=path.parent))
    return suffix


_WIDTH_SAMPLE = 500


def csv_value(value: Any) -> str:
    """A value as CSV text: exactly as stored; formula-like text behind a leading '."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    text = str(value)
    return "'" + text if is_formula_like(text) else text


def write_table(
    path: Path,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    progress: Callable[[int], None] | None = None,
    sheet_title: str = "",
) -> int:
    """Write ``headers`` and ``rows`` to ``path``; returns the number of data rows.

    CSV: UTF-8 with BOM, values exactly as stored (LibreOffice and scripts read them as they
    are; XLSX is the format for Excel). XLSX: typed cells, a bold frozen header with an
    autofilter, sized columns, print set-up, a sheet named after what it holds."""
    path = Path(path)
    suffix = check_export_path(path)
    count = 0
    with partial_file(path) as partial:
        if suffix == ".csv":
            with partial.open("w", encoding="utf-8-sig", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow([csv_value(h) for h in headers])
                for row in rows:
                    writer.writerow([csv_value(v) for v in row])
                    count += 1
                    if progress and count % 1000 == 0:
                        progress(count)
        else:
            from csoffice.xlsx_writer import XlsxWriter

            rows = iter(rows)
            sample = [list(row) for row in itertools.islice(rows, _WIDTH_SAMPLE)]
            with XlsxWriter(partial, _("Yes"), _("No")) as book:
                count = book.add_sheet(
                    sheet_title,
                    headers,
                    itertools.chain(sample, rows),
                    sample,
                    (lambda n: progress(n)) if progress else None,
                )
    return count


@dataclass
class Table:
    """A table read from a file: the header row and the data rows (each a list of text)."""

    headers: list[str]
    rows: list[list[str]]
    encoding: str = ""


def read_table(path: Path) -> Table:
    """The first sheet of a CSV, XLSX, XLS or ODS file as text cells, its first non-blank
    row as the header (the importers find the header themselves: see sheet_import)."""
    from csoffice.sheet_import import text_of
    from csoffice.sheet_reader import read_sheet

    sheet = read_sheet(Path(path))
    if not sheet.rows:
        raise CsofficeError(_("The file is empty."))
    rows = [[text_of(cell) for cell in row.cells] for row in sheet.rows]
    return Table(rows[0], rows[1:], sheet.format)
