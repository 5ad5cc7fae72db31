"""Viewers see a form's every field, none of them editable."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)


def read_only(container: QWidget) -> None:
    """Make every input inside ``container`` read-only: text stays selectable and copyable,
    choices and ticks cannot change."""
    for widget in container.findChildren(QWidget):
        if isinstance(widget, QLineEdit) and isinstance(widget.parent(), QComboBox):
            continue
        if isinstance(widget, (QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox)):
            widget.setReadOnly(True)
        elif isinstance(widget, QComboBox) or (
            isinstance(widget, QAbstractButton) and widget.isCheckable()
        ):
            widget.setEnabled(False)
