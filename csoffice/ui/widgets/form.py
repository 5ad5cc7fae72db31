"""Forms that show each validation message next to its field and keep what was typed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from csoffice.errors import CsofficeError, ValidationError
from csoffice.i18n import _

FieldWidget = TypeVar("FieldWidget", bound=QWidget)


class FieldErrors:
    """One error label under each field of a QFormLayout, addressed by the domain's field name."""

    def __init__(self, layout: QFormLayout):
        self.layout = layout
        self.labels: dict[str, QLabel] = {}
        self.widgets: dict[str, QWidget] = {}

    def add_row(self, name: str, label: str, widget: FieldWidget) -> FieldWidget:
        """Add ``widget`` under ``label`` with an (empty) error line below it."""
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        error = QLabel()
        error.setObjectName(f"error_{name}")
        error.setProperty("role", "fieldError")
        error.setStyleSheet("color: #b3261e;")
        error.setWordWrap(True)
        error.hide()
        column.addWidget(error)
        self.layout.addRow(label, holder)
        self.labels[name] = error
        self.widgets[name] = widget
        return widget

    def clear(self) -> None:
        for label in self.labels.values():
            # Restyling re-polishes the label, a millisecond each: only a shown line needs it
            # (a form clears after every save, and a good message may have recoloured it).
            if label.isHidden() and not label.text():
                continue
            label.setStyleSheet("color: #b3261e;")
            label.clear()
            label.hide()

    def show(self, error: ValidationError) -> list[str]:
        """Show each message next to its field; focus the first; returns fields not on this form."""
        self.clear()
        unplaced = []
        first = None
        for name, message in error.errors.items():
            label = self.labels.get(name)
            if label is None:
                unplaced.append(message)
                continue
            label.setText(message)
            label.show()
            first = first or self.widgets[name]
        if first is not None:
            first.setFocus()
        return unplaced

    def message(self, name: str) -> str:
        label = self.labels.get(name)
        return label.text() if label is not None else ""


def message_label() -> QLabel:
    """A hidden, red, wrapping line for what a form cannot show next to a field."""
    label = QLabel()
    label.setStyleSheet("color: #b3261e;")
    label.setWordWrap(True)
    label.hide()
    return label


def show_refusal(
    errors: FieldErrors, message: QLabel, error: CsofficeError, separator: str = "\n"
) -> None:
    """Show why the domain refused: a ValidationError's messages next to their fields, and in
    ``message`` those with no field on this form (joined by ``separator``) or any other error."""
    valid = isinstance(error, ValidationError)
    text = separator.join(errors.show(error)) if valid else str(error)
    if text:
        message.setText(text)
        message.show()


def save_cancel_buttons(dialog: QDialog, save: Callable[[], Any]) -> QDialogButtonBox:
    """Save and Cancel: Save calls ``save`` (which accepts the dialog when it succeeds), Cancel
    rejects the dialog."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(save)
    buttons.rejected.connect(dialog.reject)
    return buttons


def action_row(dialog: QDialog, *buttons: QPushButton) -> QHBoxLayout:
    """A list dialog's bottom row: ``buttons`` and Close (which rejects ``dialog``) on the
    right; none of them is the default, so Enter in the list does not press one."""
    close = QPushButton(_("Close"))
    close.clicked.connect(dialog.reject)
    row = QHBoxLayout()
    row.addStretch(1)
    for button in (*buttons, close):
        button.setAutoDefault(False)
        row.addWidget(button)
    return row
