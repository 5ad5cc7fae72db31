"""The read-only list every tab and dialog shows over a LazyTableModel."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget

from csoffice.ui.models.lazy_table import LazyTableModel


class LazyTableView(QTableView):
    """A table over ``model``: one whole row selected at a time, nothing edited in place, each
    column as wide as its ``Column.width`` (0: Qt's default). ``opened`` carries the id of the
    row activated with Enter or a double-click."""

    opened = Signal(int)

    def __init__(self, model: LazyTableModel, name: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        if name:
            self.setObjectName(name)
        self._lazy_model = model
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for index, column in enumerate(model.columns):
            if column.width:
                self.setColumnWidth(index, column.width)
        self.activated.connect(self._open)
        # A refresh (after an edit, another desk's change or a filter) keeps the clerk's place:
        # the same record selected, by id, and the list scrolled where it was.
        self._place: tuple[int | None, int, int] = (None, 0, -1)
        model.modelAboutToBeReset.connect(self._remember_place)
        model.modelReset.connect(self._restore_place)

    def model(self) -> LazyTableModel:
        """The lazy model the view was made over (it is never replaced)."""
        return self._lazy_model

    def _remember_place(self) -> None:
        index = self.currentIndex()
        row_id = self.model().row_id(index.row()) if index.isValid() else None
        self._place = (row_id, self.verticalScrollBar().value(), index.row())

    def _restore_place(self) -> None:
        row_id, scroll, row = self._place
        self._place = (None, 0, -1)
        if row_id is None:
            return
        # Looked for near where it was (an edit moves a record a little, not across 100,000).
        if self.select_id(row_id, within=row + 2 * self.model().page_size):
            self.executeDelayedItemsLayout()  # the scroll range of the new rows, now
            self.verticalScrollBar().setValue(scroll)
            self.scrollTo(self.currentIndex())  # only moves when the row went out of sight

    def select_id(self, row_id: int, within: int | None = None) -> bool:
        """Select the row of ``row_id`` (revealing pages up to it); False when not listed (among
        the first ``within`` rows, when given)."""
        model = self.model()
        row = model.row_of_id(row_id, within)
        if row < 0:
            return False
        while row >= model.rowCount() and model.canFetchMore():
            model.fetchMore()
        self.selectRow(row)
        return True

    def selected_row(self) -> Any:
        """The row object of the selected row, or None."""
        rows = self.selectionModel().selectedRows()
        return self.model().row_object(rows[0].row()) if rows else None

    def _open(self, index: QModelIndex) -> None:
        row_id = self.model().row_id(index.row())
        if row_id is not None:
            self.opened.emit(row_id)
