"""Pick a customer from the archive by typing a name, pinyin, phone, ID or card number."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QHBoxLayout, QLabel, QLineEdit, QWidget

from csoffice import customers
from csoffice.i18n import _
from csoffice.validation import mask_phone

SUGGESTIONS = 12


def describe(row: customers.CustomerRow) -> str:
    """One line for a suggestion: name, masked phone, company."""
    parts = [row.name]
    if row.mobile:
        parts.append(mask_phone(row.mobile))
    if row.company:
        parts.append(row.company)
    return "　".join(parts)


class CustomerPicker(QWidget):
    """A line edit whose suggestions come from the archive search; ``picked`` carries the id.
    ``hint`` is the grey text shown while nothing is typed."""

    picked = Signal(int)
    cleared = Signal()

    def __init__(self, parent: QWidget | None = None, hint: str | None = None):
        super().__init__(parent)
        self._customer_id: int | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.line_edit = QLineEdit(self)
        self.line_edit.setPlaceholderText(hint or _("Name, pinyin, phone or card number"))
        self.line_edit.setClearButtonEnabled(True)
        self.status = QLabel(self)
        self.status.setObjectName("pickerStatus")
        layout.addWidget(self.line_edit, 1)
        layout.addWidget(self.status)
        self.setFocusProxy(self.line_edit)

        self.model = QStandardItemModel(self)
        self.completer = QCompleter(self.model, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setMaxVisibleItems(SUGGESTIONS)
        self.completer.setWidget(self.line_edit)
        self.completer.activated[QModelIndex].connect(self._on_activated)  # pyright: ignore[reportIndexIssue]  # the stubs do not know overloaded signals are indexed by type

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)  # wait for a pause in typing before searching
        self._timer.timeout.connect(self.refresh_suggestions)
        self.line_edit.textEdited.connect(self._on_edited)

    def _hide_suggestions(self) -> None:
        popup = self.completer.popup()
        if popup is not None:  # no popup until the completer first shows one
            popup.hide()

    def customer_id(self) -> int | None:
        return self._customer_id

    def set_customer(self, customer_id: int | None) -> None:
        """Show ``customer_id`` as the chosen customer (None clears)."""
        self._customer_id = customer_id
        self._timer.stop()  # a search still pending must not pop suggestions over the choice
        self._hide_suggestions()
        if customer_id is None:
            self.line_edit.clear()
            self.status.clear()
            return
        found = customers.rows([customer_id])
        if found:
            self.line_edit.setText(found[0].name)
            self.status.setText(_("✓ on file"))

    def _on_edited(self, _text: str) -> None:
        if self._customer_id is not None:
            self._customer_id = None
            self.status.clear()
            self.cleared.emit()
        self._timer.start()

    def refresh_suggestions(self) -> None:
        """Search the archive for what is typed and show the matches."""
        text = self.line_edit.text().strip()
        self.model.clear()
        if not text:
            self._hide_suggestions()
            return
        ids = customers.search_ids(customers.SearchFilter(text=text), limit=SUGGESTIONS)
        for row in customers.rows(ids):
            item = QStandardItem(describe(row))
            item.setData(row.id, Qt.ItemDataRole.UserRole)
            item.setEditable(False)
            self.model.appendRow(item)
        if self.model.rowCount():
            self.completer.setCompletionPrefix("")
            self.completer.complete()
        else:
            self._hide_suggestions()

    def _on_activated(self, index: QModelIndex) -> None:
        customer_id = index.data(Qt.ItemDataRole.UserRole)
        if customer_id is None:
            return
        self.set_customer(int(customer_id))
        self.picked.emit(int(customer_id))
