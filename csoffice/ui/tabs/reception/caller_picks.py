"""The callers who share the digits typed, as a short list under the phone field: ↓ goes into
it, ↑ on its first row goes back, Enter (or a double-click) takes the caller, Esc leaves it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from csoffice import customers
from csoffice.i18n import _

VISIBLE_ROWS = 5


class CallerPicks(QListWidget):
    """``picked`` carries the chosen row's customer id; ``left`` asks for the phone field."""

    picked = Signal(int)
    left = Signal()

    def __init__(self, line: Callable[[customers.CustomerRow], str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("callerPicks")
        self._line = line
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setUniformItemSizes(True)
        self.setToolTip(_("↓ ↑ choose the caller, Enter takes them, Esc goes back to the phone"))
        self.itemActivated.connect(self._take)
        self.installEventFilter(self)
        self.hide()

    def show_rows(self, rows: list[customers.CustomerRow]) -> None:
        """Show these callers (two or more); the list stays out of the tab chain until ↓."""
        self.clear()
        for row in rows:
            item = QListWidgetItem(self._line(row))
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            self.addItem(item)
        height = self.sizeHintForRow(0) if rows else 0
        self.setFixedHeight(height * min(len(rows), VISIBLE_ROWS) + 2 * self.frameWidth() + 2)
        self.setCurrentRow(-1)
        self.setVisible(bool(rows))

    def dismiss(self) -> None:
        self.clear()
        self.hide()

    def enter(self) -> None:
        """Focus the list on its first row (from the phone field's ↓)."""
        if self.count():
            self.setCurrentRow(0)
            self.setFocus(Qt.FocusReason.OtherFocusReason)

    def _take(self, item: QListWidgetItem) -> None:
        self.picked.emit(int(item.data(Qt.ItemDataRole.UserRole)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Enter and Esc would otherwise reach the form, which saves or clears on them.
        if watched is self and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                item = self.currentItem()
                if item is not None:
                    self._take(item)
                return True
            if key == Qt.Key.Key_Escape or (key == Qt.Key.Key_Up and self.currentRow() <= 0):
                self.left.emit()
                return True
        return super().eventFilter(watched, event)


def customers_line(row: customers.CustomerRow) -> str:
    """A caller as the desk names them: name, company, class."""
    parts = [row.name]
    if row.company and row.company != row.name:
        parts.append(row.company)
    parts.append(customers.class_label(row.customer_class))
    return " · ".join(parts)
