"""Reading and writing tables as CSV or XLSX, the way Chinese Excel and WPS save and open them.

Writing: the format follows the file's extension; CSV is UTF-8 with a BOM so Excel opens it
in Chinese. Reading: XLSX, or CSV in UTF-8, UTF-8 with BOM or GB18030 (detected).
Writes go to a temporary file renamed into place, so a cancelled export leaves no half file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from csoffice.errors import CsofficeError
from csoffice.i18n import _

FORMATS = (".csv", ".xlsx")
MAX_IMPORT_BYTES = 200 * 1024 * 1024


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


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return value


def write_table(
    path: Path,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    progress: Callable[[int], None] | None = None,
    sheet_title: str = "",
) -> int:
    """Write ``headers`` and ``rows`` to ``path``; returns the number of data rows."""
    path = Path(path)
    suffix = check_export_path(path)
    partial = path.with_name(path.name + ".partial")
    count = 0
    try:
        if suffix == ".csv":
            with partial.open("w", encoding="utf-8-sig", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow(headers)
                for row in rows:
                    # Long digit strings (phones, IDs, card numbers) stay text in Excel.
                    writer.writerow([_csv_text(_cell(v)) for v in row])
                    count += 1
                    if progress and count % 1000 == 0:
                        progress(count)
        else:
            from openpyxl import Workbook
            from openpyxl.styles import Font

            book = Workbook(write_only=True)
            sheet = book.create_sheet(title=(sheet_title or "Sheet1")[:31])
            bold = Font(bold=True)
            from openpyxl.cell import WriteOnlyCell

            header_cells = []
            for title in headers:
                cell = WriteOnlyCell(sheet, value=title)
                cell.font = bold
                header_cells.append(cell)
            sheet.append(header_cells)
            for row in rows:
                sheet.append([_xlsx_value(_cell(v)) for v in row])
                count += 1
                if progress and count % 1000 == 0:
                    progress(count)
            book.save(partial)
        partial.replace(path)
    finally:
        if partial.exists():
            partial.unlink()
    return count


def _csv_text(value: Any) -> Any:
    if isinstance(value, str) and len(value) >= 11 and value.isdigit():
        return f"{value}\t"  # a trailing tab keeps Excel from turning it into 1.38E+10
    return value


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@")):
        return "'" + value  # never let a customer's text become a formula
    return value


@dataclass
class Table:
    """A table read from a file: the header row and the data rows (each a list of text)."""

    headers: list[str]
    rows: list[list[str]]
    encoding: str = ""


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise CsofficeError(
            _("The file is neither UTF-8 nor GB18030 text; save it again as CSV or XLSX.")
        ) from None


def read_table(path: Path) -> Table:
    """Read a CSV or XLSX file into text cells; raises CsofficeError with a plain reason."""
    path = Path(path)
    if not path.exists() or not path.is_file():
        raise CsofficeError(_("No such file: {path}").format(path=path))
    if path.stat().st_size > MAX_IMPORT_BYTES:
        raise CsofficeError(_("The file is too large to import (over 200 MB)."))
    suffix = path.suffix.lower()
    data = path.read_bytes()
    if suffix == ".xlsx" or data[:4] == b"PK\x03\x04":
        return _read_xlsx(path)
    if b"\x00" in data[:4096]:
        raise CsofficeError(_("The file is not a CSV text file or an XLSX workbook."))
    text, encoding = _decode(data)
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;，") if sample else csv.excel
    except csv.Error:
        dialect = csv.excel
    try:
        lines = [
            row
            for row in csv.reader(io.StringIO(text), dialect)
            if any(cell.strip() for cell in row)
        ]
    except csv.Error as exc:
        raise CsofficeError(_("The CSV file cannot be read: {reason}").format(reason=exc)) from exc
    if not lines:
        raise CsofficeError(_("The file is empty."))
    return Table(
        [h.strip() for h in lines[0]], [[c.strip() for c in row] for row in lines[1:]], encoding
    )


def _read_xlsx(path: Path) -> Table:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise CsofficeError(_("The workbook cannot be read: {reason}").format(reason=exc)) from exc
    try:
        sheet = book.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            cells = ["" if v is None else _xlsx_text(v) for v in values]
            if any(cell.strip() for cell in cells):
                rows.append([cell.strip() for cell in cells])
    finally:
        book.close()
    if not rows:
        raise CsofficeError(_("The file is empty."))
    return Table(rows[0], rows[1:], "xlsx")


def _xlsx_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
