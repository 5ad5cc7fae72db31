"""Reading an office's sheet as it is: .xlsx, .xls, .ods (python-calamine) or CSV in UTF-8,
UTF-8 with BOM or GB18030, row by row with the row numbers the spreadsheet shows.

Cells keep the type the spreadsheet gave them (text, number, date), so the importers can tell
an ID that Excel turned into a number from one typed as text. Hidden columns and rows are
read from the workbook's own XML (calamine does not report them). Everything is bounded: the
file's size, the unpacked size of a workbook (a zip bomb is refused after reading at most the
limit, a chunk at a time) and the number of rows.
"""

from __future__ import annotations

import codecs
import csv
import re
import struct
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from csoffice.errors import CsofficeError
from csoffice.i18n import _

FORMATS = (".csv", ".txt", ".xlsx", ".xlsm", ".xls", ".ods")
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_UNPACKED_BYTES = 800 * 1024 * 1024
DEFAULT_ROW_LIMIT = 500_000
_CHUNK = 1 << 20


@dataclass
class SheetRow:
    """A row that is not blank: its number as the spreadsheet shows it and its cells
    (index 0 is column A; text, int, float, date or datetime)."""

    number: int
    cells: list[Any]
    hidden: bool = False


@dataclass
class Sheet:
    rows: list[SheetRow]
    hidden_columns: set[int] = field(default_factory=set)
    format: str = ""
    name: str = ""


class TooLarge(CsofficeError):
    """The file, its unpacked contents or its rows go past a limit."""


def file_filter() -> str:
    """The name filter for a file dialog offering every format that can be imported."""
    return _("Spreadsheets (*.xlsx *.xls *.ods *.csv);;All files (*)")


def read_sheet(
    path: Path,
    row_limit: int = DEFAULT_ROW_LIMIT,
    unpacked_limit: int = MAX_UNPACKED_BYTES,
    file_limit: int = MAX_FILE_BYTES,
) -> Sheet:
    """The first worksheet of ``path``; raises CsofficeError with a plain reason."""
    path = Path(path)
    if not path.is_file():
        raise CsofficeError(_("No such file: {path}").format(path=path))
    size = path.stat().st_size
    if size > file_limit:
        raise TooLarge(
            _("The file is too large to import (over {mb} MB).").format(mb=file_limit >> 20)
        )
    with path.open("rb") as fh:
        head = fh.read(8)
    suffix = path.suffix.lower()
    if head.startswith(b"PK\x03\x04"):
        return _read_zipped(path, row_limit, unpacked_limit)
    if head.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2: the .xls of Excel 97–2003 and WPS
        return _read_calamine(path, "xls", row_limit, _xls_layout(path))
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        raise CsofficeError(
            _("“{name}” is not a workbook that can be read; open it and save it again.").format(
                name=path.name
            )
        )
    return _read_csv(path, row_limit)


# --- CSV ------------------------------------------------------------------------------------


def _encoding(path: Path) -> str:
    """utf-8-sig, utf-8 or gb18030, found by decoding the whole file a chunk at a time."""
    with path.open("rb") as fh:
        first = fh.read(_CHUNK)
        if b"\x00" in first[:4096]:
            raise CsofficeError(_("The file is not a CSV text file or a workbook."))
        if first.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        decoder = codecs.getincrementaldecoder("utf-8")()
        chunk = first
        try:
            while chunk:
                decoder.decode(chunk)
                chunk = fh.read(_CHUNK)
            decoder.decode(b"", final=True)
            return "utf-8"
        except UnicodeDecodeError:
            pass
        fh.seek(0)
        decoder = codecs.getincrementaldecoder("gb18030")()
        try:
            while chunk := fh.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return "gb18030"
        except UnicodeDecodeError:
            raise CsofficeError(
                _("The file is neither UTF-8 nor GB18030 text; save it again as CSV or XLSX.")
            ) from None


class _Dialect(csv.excel):
    """Excel's CSV (doubled quotes inside quoted cells) with the delimiter the file uses."""


def _dialect(sample: str) -> type[csv.Dialect]:
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",\t;，").delimiter
    except csv.Error:
        delimiter = ","
    # Only the delimiter is taken from the sniffer: it guesses doublequote=False whenever the
    # sample holds no doubled quote, and then misreads 上海"东方"贸易 written by Excel or by us.
    return type("SniffedDialect", (_Dialect,), {"delimiter": delimiter})


def _read_csv(path: Path, row_limit: int) -> Sheet:
    encoding = _encoding(path)
    with path.open("r", encoding=encoding, newline="") as fh:
        sample = fh.read(16384)
        fh.seek(0)
        rows: list[SheetRow] = []
        reader = csv.reader(fh, _dialect(sample))
        try:
            for cells in reader:
                if any(cell.strip() for cell in cells):
                    rows.append(SheetRow(reader.line_num, [_unguard(c) for c in cells]))
                    if len(rows) > row_limit:
                        raise _too_many_rows(row_limit)
        except csv.Error as exc:
            raise CsofficeError(
                _("The CSV file cannot be read (line {line}): {reason}").format(
                    line=reader.line_num, reason=exc
                )
            ) from exc
    return Sheet(rows, set(), "csv-" + encoding, path.stem)


def _unguard(text: str) -> str:
    """A cell our own CSV export guarded against formula injection, as it was stored."""
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r":
        return text[1:]
    return text


def _too_many_rows(limit: int) -> TooLarge:
    return TooLarge(
        _("The sheet has more than {n} rows; split it into smaller files.").format(n=limit)
    )


# --- Workbooks ------------------------------------------------------------------------------


def _read_zipped(path: Path, row_limit: int, unpacked_limit: int) -> Sheet:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise CsofficeError(
            _("“{name}” is not a workbook that can be read; open it and save it again.").format(
                name=path.name
            )
        ) from None
    with archive:
        names = set(archive.namelist())
        declared = sum(info.file_size for info in archive.infolist())
        if declared > unpacked_limit:
            raise _unpacked_too_large(unpacked_limit)
        if "content.xml" in names:
            kind, part = "ods", "content.xml"
        elif "xl/workbook.xml" in names:
            kind, part = "xlsx", _first_sheet_part(archive)
        else:
            raise CsofficeError(
                _("“{name}” is not a workbook that can be read; open it and save it again.").format(
                    name=path.name
                )
            )
        # Every member is unpacked once, a chunk at a time, before calamine sees the file: the
        # sizes written in a zip can lie, and a bomb must be refused before it is in memory.
        total = 0
        layout = _Layout()
        for info in archive.infolist():
            scan = layout.scanner(kind) if info.filename == part else None
            try:
                with archive.open(info) as member:
                    tail = ""
                    while chunk := member.read(_CHUNK):
                        total += len(chunk)
                        if total > unpacked_limit:
                            raise _unpacked_too_large(unpacked_limit)
                        if scan is not None:
                            text = tail + chunk.decode("utf-8", "ignore")
                            cut = text.rfind(">") + 1
                            scan(text[:cut])
                            tail = text[cut:]
                            if layout.rows > row_limit:
                                raise _too_many_rows(row_limit)
            except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
                raise CsofficeError(
                    _("The workbook cannot be read: {reason}").format(reason=exc)
                ) from exc
    sheet = _read_calamine(path, kind, row_limit, layout)
    return sheet


def _unpacked_too_large(limit: int) -> TooLarge:
    return TooLarge(
        _(
            "The workbook unpacks to more than {mb} MB; it is refused (split it or save it as CSV)."
        ).format(mb=limit >> 20)
    )


_ATTR = r'{name}\s*=\s*"([^"]*)"'


def _attr(name: str, text: str) -> str | None:
    found = re.search(_ATTR.format(name=name), text)
    return found.group(1) if found else None


def _first_sheet_part(archive: zipfile.ZipFile) -> str:
    """The XML part of the workbook's first sheet (the one calamine reads as index 0)."""
    try:
        workbook = archive.read("xl/workbook.xml")[:1_000_000].decode("utf-8", "ignore")
        rels = archive.read("xl/_rels/workbook.xml.rels")[:1_000_000].decode("utf-8", "ignore")
    except KeyError:
        return "xl/worksheets/sheet1.xml"
    sheet = re.search(r"<(?:\w+:)?sheet\b[^>]*>", workbook)
    rel_id = _attr(r"r:id", sheet.group(0)) if sheet else None
    for rel in re.finditer(r"<(?:\w+:)?Relationship\b[^>]*>", rels):
        if _attr("Id", rel.group(0)) == rel_id:
            target = _attr("Target", rel.group(0)) or ""
            return target.lstrip("/") if target.startswith("/") else "xl/" + target
    return "xl/worksheets/sheet1.xml"


def _column_number(reference: str) -> int:
    number = 0
    for char in reference:
        if not char.isalpha():
            break
        number = number * 26 + ord(char.upper()) - 64
    return number


class _Layout:
    """Hidden columns and rows and the row count, gathered while the sheet's XML streams by."""

    def __init__(self) -> None:
        self.hidden_columns: set[int] = set()
        self.hidden_rows: set[int] = set()
        self.rows = 0
        self._ods_row = 0
        self._ods_column = 0
        self._ods_done = False

    def scanner(self, kind: str) -> Callable[[str], None]:
        return self._scan_xlsx if kind == "xlsx" else self._scan_ods

    _XLSX = re.compile(r"<(?:\w+:)?(col|row)\b([^>]*)>")

    def _scan_xlsx(self, text: str) -> None:
        for match in self._XLSX.finditer(text):
            attrs = match.group(2)
            if match.group(1) == "row":
                self.rows += 1
                if 'hidden="1"' in attrs or 'hidden="true"' in attrs:
                    number = _attr("r", attrs)
                    if number and number.isdigit():
                        self.hidden_rows.add(int(number))
            elif 'hidden="1"' in attrs or 'hidden="true"' in attrs:
                low, high = int(_attr("min", attrs) or 0), int(_attr("max", attrs) or 0)
                # A hidden range to the last column (16384) is a sheet's unused tail.
                self.hidden_columns |= set(range(low - 1, min(high, low + 1000)))

    _ODS = re.compile(
        r"<(table:table-column|table:table-row|/table:table|table:table-cell|"
        r"table:covered-table-cell)\b([^>]*)>"
    )

    def _scan_ods(self, text: str) -> None:
        for match in self._ODS.finditer(text):
            if self._ods_done:
                return
            tag, attrs = match.groups()
            if tag == "/table:table":
                self._ods_done = True  # only the first sheet
                continue
            if tag in ("table:table-cell", "table:covered-table-cell"):
                continue
            repeat_attr = (
                "table:number-columns-repeated"
                if tag == "table:table-column"
                else "table:number-rows-repeated"
            )
            repeat = int(_attr(repeat_attr, attrs) or 1)
            hidden = 'table:visibility="collapse"' in attrs or 'visibility="filter"' in attrs
            if tag == "table:table-column":
                if hidden:
                    self.hidden_columns |= set(
                        range(self._ods_column, self._ods_column + min(repeat, 1000))
                    )
                self._ods_column += repeat
            else:
                if hidden:
                    start = self._ods_row + 1
                    self.hidden_rows |= set(range(start, start + min(repeat, 100_000)))
                self._ods_row += repeat
                if repeat < 1000:  # trailing empty rows are written as one huge repeat
                    self.rows += repeat


def _xls_layout(path: Path) -> _Layout:
    """Hidden columns and rows of an .xls workbook's first sheet, from its BIFF8 records
    (COLINFO and ROW) inside the OLE2 compound file; empty when the file is not as expected."""
    layout = _Layout()
    try:
        data = path.read_bytes()
        stream = _ole_stream(data, ("Workbook", "Book"))
        if stream:
            _biff_layout(stream, layout)
    except (struct.error, IndexError, ValueError):
        pass  # calamine reports a damaged file; the layout only marks what it can
    return layout


def _ole_stream(data: bytes, names: tuple[str, ...]) -> bytes:
    sector = 1 << struct.unpack_from("<H", data, 0x1E)[0]
    mini_sector = 1 << struct.unpack_from("<H", data, 0x20)[0]
    (first_dir,) = struct.unpack_from("<I", data, 0x30)
    cutoff, first_minifat, _n, first_difat, difat_count = struct.unpack_from("<5I", data, 0x38)

    def read_sector(number: int) -> bytes:
        start = (number + 1) * sector
        return data[start : start + sector]

    fat_sectors = [n for n in struct.unpack_from("<109I", data, 0x4C) if n < 0xFFFFFFFA]
    next_difat = first_difat
    for _step in range(difat_count):
        if next_difat >= 0xFFFFFFFA:
            break
        block = struct.unpack(f"<{sector // 4}I", read_sector(next_difat))
        fat_sectors += [n for n in block[:-1] if n < 0xFFFFFFFA]
        next_difat = block[-1]
    fat: list[int] = []
    for number in fat_sectors:
        fat.extend(struct.unpack(f"<{sector // 4}I", read_sector(number)))

    def chain(start: int, table: list[int], read: Callable[[int], bytes]) -> bytes:
        parts, seen = [], set()
        while start < 0xFFFFFFFA and start not in seen and start < len(table):
            seen.add(start)
            parts.append(read(start))
            start = table[start]
        return b"".join(parts)

    directory = chain(first_dir, fat, read_sector)
    entries = []
    for offset in range(0, len(directory) - 127, 128):
        length = struct.unpack_from("<H", directory, offset + 64)[0]
        name = directory[offset : offset + max(0, length - 2)].decode("utf-16-le", "ignore")
        start, size = struct.unpack_from("<II", directory, offset + 116)
        entries.append((name, start, size))
    for name, start, size in entries:
        if name not in names:
            continue
        if size >= cutoff:
            return chain(start, fat, read_sector)[:size]
        mini_stream = chain(entries[0][1], fat, read_sector)
        minifat_bytes = chain(first_minifat, fat, read_sector)
        minifat = list(struct.unpack(f"<{len(minifat_bytes) // 4}I", minifat_bytes))
        return chain(
            start,
            minifat,
            lambda n, stream=mini_stream: stream[n * mini_sector : (n + 1) * mini_sector],
        )[:size]
    return b""


def _biff_layout(stream: bytes, layout: _Layout) -> None:
    def records(offset: int) -> Iterator[tuple[int, bytes]]:
        while offset + 4 <= len(stream):
            kind, length = struct.unpack_from("<HH", stream, offset)
            yield kind, stream[offset + 4 : offset + 4 + length]
            offset += 4 + length
            if kind == 0x000A:  # EOF of the substream
                return

    first_sheet = None
    for kind, body in records(0):
        if kind == 0x0085:  # BOUNDSHEET: where the first sheet's records begin
            first_sheet = struct.unpack_from("<I", body, 0)[0]
            break
    if first_sheet is None:
        return
    for kind, body in records(first_sheet):
        if kind == 0x007D and len(body) >= 10:  # COLINFO
            low, high, _width, _xf, flags = struct.unpack_from("<5H", body, 0)
            if flags & 1:
                layout.hidden_columns |= set(range(low, min(high, low + 1000) + 1))
        elif kind == 0x0208 and len(body) >= 16:  # ROW
            row = struct.unpack_from("<H", body, 0)[0]
            if struct.unpack_from("<H", body, 12)[0] & 0x20:
                layout.hidden_rows.add(row + 1)


def _read_calamine(path: Path, kind: str, row_limit: int, layout: _Layout | None) -> Sheet:
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own kinds for every damage
        raise CsofficeError(_("The workbook cannot be read: {reason}").format(reason=exc)) from exc
    try:
        if not book.sheet_names:
            raise CsofficeError(_("The file is empty."))
        sheet = book.get_sheet_by_index(0)
        rows = list(_calamine_rows(sheet, row_limit))
        name = sheet.name
    except CsofficeError:
        raise
    except Exception as exc:
        raise CsofficeError(_("The workbook cannot be read: {reason}").format(reason=exc)) from exc
    finally:
        book.close()
        _give_back_memory()
    hidden_rows = layout.hidden_rows if layout else set()
    for row in rows:
        row.hidden = row.number in hidden_rows
    return Sheet(rows, set(layout.hidden_columns) if layout else set(), kind, name)


def _give_back_memory() -> None:
    """Hand the memory calamine freed back to the system (glibc keeps it otherwise), so an
    import's peak is the sheet's cells, not the workbook's too."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc (Windows, macOS): their allocators return memory by themselves


def _calamine_rows(sheet: Any, row_limit: int) -> Iterator[SheetRow]:
    if sheet.start is None:
        return
    # The whole area from A1, so list positions are the sheet's own rows and columns.
    count = 0
    for index, values in enumerate(sheet.to_python(skip_empty_area=False)):
        if not any(value != "" and value is not None for value in values):
            continue
        count += 1
        if count > row_limit:
            raise _too_many_rows(row_limit)
        yield SheetRow(index + 1, values)
