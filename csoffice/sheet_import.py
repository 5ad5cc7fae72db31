"""What every importer does with an office's sheet before its own rules: find the header row
below title and note rows, map header names (with their notes in brackets, full-width forms,
odd spacing) to fields, keep hidden columns from taking a field a visible one feeds, skip
totals, signature and note rows under the data, and read cells as the field needs them
(dates in every form offices type, phones and IDs that Excel stored as numbers)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

from csoffice import settings
from csoffice.errors import CsofficeError, ValidationError
from csoffice.i18n import _
from csoffice.sheet_reader import DEFAULT_ROW_LIMIT, Sheet, SheetRow, read_sheet

HEADER_SCAN_ROWS = 50
MAX_FIELD_CHARS = 4000

_NOTE = re.compile(r"[(\[【《<].*?[)\]】》>]|[(\[【《<].*$")
_JUNK = re.compile(r"[\s*:：_\-/\\.。、·'\"“”‘’]+")
_FOOTER = re.compile(
    r"^(合计|总计|小计|共计|累计|总数|填表人|填表日期|填表|制表人|制表|审核人|审核|审批|复核|"
    r"经办人|负责人|签字|签名|盖章|(备注|说明|注)\s*[:：])"
)


def header_key(text: Any) -> str:
    """A header name as it is compared: notes in brackets, spaces, marks and case dropped."""
    key = unicodedata.normalize("NFKC", str(text or "")).strip().lower()
    key = _NOTE.sub("", key)
    key = key.replace("必填", "").replace("选填", "")
    return _JUNK.sub("", key)


def _alias_index(aliases: dict[str, list[str]]) -> dict[str, str]:
    index: dict[str, str] = {}
    for name, words in aliases.items():
        for word in words:
            index.setdefault(header_key(word), name)
    return index


def _field_of(index: dict[str, str], header: Any) -> str:
    """The field a header names; "销售顾问/技师" names what either part names."""
    found = index.get(header_key(header), "")
    if not found:
        for part in re.split(r"[/、|｜]", str(header or "")):
            found = index.get(header_key(part), "")
            if found:
                break
    return found


def map_headers(
    headers: list[Any],
    aliases: dict[str, list[str]],
    hidden_columns: AbstractSet[int] = frozenset(),
) -> list[str]:
    """For each column, the field it feeds ('' for none). A field goes to its first visible
    column; a hidden column only takes a field no visible column feeds."""
    index = _alias_index(aliases)
    mapping = [""] * len(headers)
    used: set[str] = set()
    for hidden_pass in (False, True):
        for column, header in enumerate(headers):
            if (column in hidden_columns) != hidden_pass:
                continue
            found = _field_of(index, header)
            if found and found not in used:
                mapping[column] = found
                used.add(found)
    return mapping


def find_header(sheet: Sheet, aliases: dict[str, list[str]]) -> int:
    """The index in ``sheet.rows`` of the header: the first row naming at least two known
    fields (title rows, a date note and blank rows above it are passed over)."""
    index = _alias_index(aliases)
    best, best_count = 0, 0
    for position, row in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
        count = len({f for f in (_field_of(index, cell) for cell in row.cells) if f})
        if count >= 2:
            return position
        if count > best_count:
            best, best_count = position, count
    return best


def is_footer(row: SheetRow, name_column: int | None) -> bool:
    """A totals, signature or note row under the data (合计, 填表人, 审核, 备注：…)."""
    for column, value in enumerate(row.cells):
        text = str(value).strip() if value is not None else ""
        if not text:
            continue
        if not _FOOTER.match(unicodedata.normalize("NFKC", text).replace(" ", "")):
            return False
        if name_column is None or name_column == column:
            return True
        name = row.cells[name_column] if name_column < len(row.cells) else ""
        return not str(name).strip()
    return False


def column_letter(column: int) -> str:
    """A, B, … Z, AA for a column index from 0."""
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# --- Cells ----------------------------------------------------------------------------------


def text_of(value: Any) -> str:
    """A cell as the text a person sees (whole numbers without .0, dates as 2026-11-24)."""
    if type(value) is str:  # most cells: the fast path of a 100,000-row import
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value).strip()


def phone_text(value: Any) -> str:
    """A phone cell; a number Excel stored without its leading 0 gets it back."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        digits = text_of(value)
        if digits.isdigit() and not digits.startswith("1") and 9 <= len(digits) <= 11:
            from csoffice.validation import phone_is_valid

            if phone_is_valid("0" + digits):
                return "0" + digits
        return digits
    return text_of(value)


_SCIENTIFIC = re.compile(r"^\d(\.\d+)?e\+?\d+$", re.IGNORECASE)


def damaged_number(value: Any) -> bool:
    """An ID or card number that Excel stored as a number: it kept only 15 digits."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return len(text_of(value)) > 15 or (isinstance(value, float) and not value.is_integer())
    text = text_of(value)
    return ("e" in text or "E" in text) and bool(_SCIENTIFIC.match(text.replace(" ", "")))


def damaged_message() -> str:
    return _(
        "Excel stored this number as a number and lost its last digits "
        "(it keeps only 15). Set the column's format to Text and type the numbers "
        "again from the originals."
    )


_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_PARTS = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_date(value: Any, field: str) -> dt.date | None:
    """A date from a date cell, an Excel serial number in a date column, or text typed as
    1990-05-03, 1990年5月3日, 1990.5.3, 1990/05/03 or 19900503; None when empty."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value < 2958466:
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    text = unicodedata.normalize("NFKC", str(value)).strip()
    text = re.sub(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$", "", text)
    try:
        found = _DATE_PARTS.match(text)
        if found:
            return dt.date(*(int(part) for part in found.groups()))
        if re.fullmatch(r"\d{8}", text):
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        if re.fullmatch(r"\d{5}(\.0+)?", text) and 10000 <= float(text) < 80000:
            return _EXCEL_EPOCH + dt.timedelta(days=int(float(text)))
    except ValueError:
        pass
    raise ValidationError.single(
        field, _("“{value}” is not a date like 1990-05-03.").format(value=text)
    )


# --- The plan of an import ------------------------------------------------------------------


@dataclass
class SheetPlan:
    """A sheet read, its header row found and its columns mapped; the clerk may change
    ``header`` (an index into ``sheet.rows``) and ``mapping`` before the import runs."""

    path: Path
    sheet: Sheet
    aliases: dict[str, list[str]]
    header: int = 0
    mapping: list[str] = field(default_factory=list)
    consumed: bool = False

    @classmethod
    def read(cls, path: Path, aliases: dict[str, list[str]]) -> Self:
        sheet = read_sheet(Path(path), row_limit=row_limit())
        if not sheet.rows:
            raise CsofficeError(_("The file is empty."))
        plan = cls(Path(path), sheet, aliases)
        plan.set_header(find_header(sheet, aliases))
        return plan

    def set_header(self, index: int) -> None:
        """Take row ``index`` of ``sheet.rows`` as the header and map its columns again."""
        self.header = max(0, min(index, len(self.sheet.rows) - 1))
        self.mapping = map_headers(self.headers, self.aliases, self.sheet.hidden_columns)

    @property
    def headers(self) -> list[str]:
        cells = [text_of(c) for c in self.sheet.rows[self.header].cells] if self.sheet.rows else []
        width = max((len(r.cells) for r in self.sheet.rows[self.header :]), default=0)
        return cells + [""] * (width - len(cells))

    @property
    def header_number(self) -> int:
        return self.sheet.rows[self.header].number if self.sheet.rows else 0

    def column_of(self, name: str) -> int | None:
        return self.mapping.index(name) if name in self.mapping else None

    def rows(self, consume: bool = False) -> Iterator[tuple[int, dict[str, Any] | None]]:
        """(row number, {field: cell}) for each data row; None for a row to skip (totals,
        signatures and notes under the data). ``consume``: each row's cells are let go once
        read (a one-time import from the command line holds less memory); the plan cannot
        be read again."""
        if self.consumed:
            raise CsofficeError(_("The sheet has been imported already; open it again."))
        name_column = self.column_of(self.aliases_key_field())
        picks = [(i, name) for i, name in enumerate(self.mapping) if name]
        for row in self.sheet.rows[self.header + 1 :]:
            if is_footer(row, name_column):
                yield row.number, None
                continue
            cells = row.cells
            yield row.number, {name: cells[i] if i < len(cells) else "" for i, name in picks}
            if consume:
                row.cells = []
        self.consumed = consume

    def aliases_key_field(self) -> str:
        """The field that says who a row is about (its first alias list)."""
        return next(iter(self.aliases))

    @property
    def data_count(self) -> int:
        return max(0, len(self.sheet.rows) - self.header - 1)


@dataclass(frozen=True)
class Preview:
    """What an import would do, counted before anything is written."""

    to_import: int
    duplicates: int
    skipped: list[tuple[int, str]]  # (row number, reason): totals, signatures, notes
    rejected: list[tuple[int, str]]
    # (row number, what was left out): rows imported without something, such as a
    # responsible person nobody on this office's staff is called
    notes: list[tuple[int, str]] = field(default_factory=list)


def row_lines(
    rejected: Sequence[tuple[int, str]], skipped: Sequence[tuple[int, str]] = ()
) -> list[str]:
    """Each rejected and each skipped row with its sheet row number and reason."""
    lines = [
        _("Row {number}: {reason}").format(number=number, reason=reason)
        for number, reason in rejected
    ]
    return lines + [
        _("Row {number} skipped: {reason}").format(number=number, reason=reason)
        for number, reason in skipped
    ]


def row_limit() -> int:
    """The office's limit on the rows of one imported sheet (setting "import.row_limit")."""
    try:
        value = int(settings.get("import.row_limit") or DEFAULT_ROW_LIMIT)
    except (TypeError, ValueError):
        return DEFAULT_ROW_LIMIT
    return max(1, value)


def check_length(values: dict[str, str], limit: int = MAX_FIELD_CHARS) -> None:
    """Refuse a cell longer than any field holds (a pasted document, a binary blob)."""
    for name, text in values.items():
        if isinstance(text, str) and len(text) > limit:
            raise ValidationError.single(
                name,
                _("The cell holds {n} characters; at most {limit} fit.").format(
                    n=len(text), limit=limit
                ),
            )
