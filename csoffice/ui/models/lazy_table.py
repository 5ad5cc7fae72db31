"""A table model over data that can grow: it holds only ids and fetches rows page by page.

The domain supplies two functions: ``fetch_ids(sort_key, descending)`` returns the ids that
match (in order; cheap: one indexed query), and ``fetch_rows(ids)`` returns the display rows
of a page (any objects, in the same order). The model reveals rows to the view in steps
(canFetchMore/fetchMore) and loads each page of rows only when a visible row needs it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from csoffice.i18n import _

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    """A column: its title (translated when shown), how to read its text from a row, sort key."""

    key: str
    title: str
    value: Callable[[Any], Any]
    sort_key: str | None = None
    align_right: bool = False
    width: int = 0


RowStyle = Callable[[Any], str | None]  # "overdue", "muted", "warning" or None

_STYLE_COLOURS = {
    "overdue": ("#b3261e", "#fdecea"),
    "warning": ("#8a5300", "#fff4e0"),
    "muted": ("#7a7a7a", None),
}


class LazyTableModel(QAbstractTableModel):
    """Rows by id, fetched a page at a time; sorting re-queries the ids."""

    def __init__(
        self,
        columns: Sequence[Column],
        fetch_ids: Callable[[str | None, bool], Sequence[int]],
        fetch_rows: Callable[[list[int]], list[Any]],
        page_size: int = 100,
        row_style: RowStyle | None = None,
        parent=None,
    ):
        super().__init__(parent)
        self.columns = list(columns)
        self._fetch_ids = fetch_ids
        self._fetch_rows = fetch_rows
        self.page_size = page_size
        self._row_style = row_style
        self._ids: Sequence[int] = []
        self._shown = 0
        self._pages: dict[int, list[Any]] = {}
        self._sort_key: str | None = None
        self._descending = False

    # --- loading -------------------------------------------------------------------------

    def refresh(self) -> None:
        """Query the ids again (after a filter change or an edit) and show the first page."""
        from csoffice.ui.desk_keys import busy

        with busy():
            ids = self._fetch_ids(self._sort_key, self._descending)
        self.beginResetModel()
        # A lazy sequence (the customer archive's) is kept as it is: its pages load as shown.
        self._ids = ids if isinstance(ids, Sequence) else list(ids)
        self._pages.clear()
        self._shown = min(len(self._ids), self.page_size)
        self.endResetModel()

    def set_fetch_ids(self, fetch_ids: Callable[[str | None, bool], Sequence[int]]) -> None:
        self._fetch_ids = fetch_ids
        self.refresh()

    def total(self) -> int:
        """How many rows match, shown or not yet."""
        return len(self._ids)

    def ids(self) -> list[int]:
        return list(self._ids)

    def row_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < self._shown else None

    def row_object(self, row: int) -> Any:
        if not 0 <= row < self._shown:
            return None
        page = row // self.page_size
        if page not in self._pages:
            start = page * self.page_size
            self._pages[page] = list(
                self._fetch_rows(list(self._ids[start : start + self.page_size]))
            )
        rows = self._pages[page]
        offset = row - page * self.page_size
        return rows[offset] if offset < len(rows) else None

    def row_of_id(self, record_id: int, within: int | None = None) -> int:
        """The row of ``record_id`` (searched among the first ``within`` rows only, when given:
        a lazy sequence reads just those pages)."""
        ids = self._ids if within is None else self._ids[:within]
        try:
            return list(ids).index(record_id)
        except ValueError:
            return -1

    # --- Qt model interface ----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._shown

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._shown < len(self._ids)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        more = min(self.page_size, len(self._ids) - self._shown)
        if more <= 0:
            return
        self.beginInsertRows(QModelIndex(), self._shown, self._shown + more - 1)
        self._shown += more
        self.endInsertRows()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            return _(self.columns[section].title)
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.row_object(index.row())
        if row is None:
            return None
        column = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            value = column.value(row)
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if (
            role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole)
            and self._row_style
        ):
            style = self._row_style(row)
            if style in _STYLE_COLOURS:
                foreground, background = _STYLE_COLOURS[style]
                colour = foreground if role == Qt.ItemDataRole.ForegroundRole else background
                return QBrush(QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.UserRole:
            return self._ids[index.row()]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns) or self.columns[column].sort_key is None:
            return
        self._sort_key = self.columns[column].sort_key
        self._descending = order == Qt.SortOrder.DescendingOrder
        self.refresh()
