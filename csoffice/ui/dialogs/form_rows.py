"""The rows FieldErrors.add_row builds: the holder QFormLayout knows a row by, and its label."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from csoffice.ui.widgets.form import FieldErrors


def row_holder(errors: FieldErrors, name: str) -> QWidget:
    """The widget holding field ``name`` and its error line (what setRowVisible takes)."""
    holder = errors.labels[name].parentWidget()  # the error line sits in the holder itself
    if holder is None:
        raise LookupError(f"the field {name!r} is not on a form row")
    return holder


def row_label(errors: FieldErrors, name: str) -> QLabel | None:
    """The label in front of field ``name``'s row; None for a row added without one."""
    label = errors.layout.labelForField(row_holder(errors, name))
    return label if isinstance(label, QLabel) else None
