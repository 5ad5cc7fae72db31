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
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for index, column in enumerate(model.columns):
            if column.width:
                self.setColumnWidth(index, column.width)
        self.activated.connect(self._open)

    def selected_row(self) -> Any:
        """The row object of the selected row, or None."""
        rows = self.selectionModel().selectedRows()
        return self.model().row_object(rows[0].row()) if rows else None

    def _open(self, index: QModelIndex) -> None:
        row_id = self.model().row_id(index.row())
        if row_id is not None:
            self.opened.emit(row_id)
