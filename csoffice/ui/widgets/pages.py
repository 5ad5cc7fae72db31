"""Small helpers the desk's pages share: their tables, their guarded writes, their dialogs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QHeaderView, QWidget

from csoffice.errors import CsofficeError
from csoffice.ui.errors import show_message
from csoffice.ui.models.lazy_table import LazyTableModel
from csoffice.ui.widgets.lazy_table_view import LazyTableView


def make_table(model: LazyTableModel, name: str) -> LazyTableView:
    """A read-only, row-selecting table over a lazy model, its columns as wide as they ask:
    rows shaded alternately, no row numbers, the last column stretched."""
    view = LazyTableView(model, name)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return view


def guarded(parent: QWidget, title: str, work: Callable[[], Any]) -> Any:
    """Run a domain write; a refusal is shown to the clerk in a message box."""
    try:
        return work()
    except CsofficeError as exc:
        show_message(parent, title, str(exc))
        return None


def open_dialog(dialog: Any, on_saved: Callable[[Any], Any]) -> Any:
    """Open ``dialog`` without blocking (its page keeps it, as ``page.dialog``); ``on_saved``
    gets what it saved."""
    dialog.saved.connect(on_saved)
    dialog.open()
    return dialog
