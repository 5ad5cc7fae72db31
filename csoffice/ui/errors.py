"""What the clerk sees of an unexpected error: a plain dialog; the details go to a log file."""

from __future__ import annotations

import datetime as dt
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from csoffice.i18n import _
from csoffice.paths import subfolder
from csoffice.storage import known_error
from csoffice.ui.connection import said_on_screen


def log_path() -> Path:
    return subfolder("logs") / "csoffice.log"


def log_exception_text(text: str) -> None:
    with log_path().open("a", encoding="utf-8") as fh:
        fh.write(f"--- {dt.datetime.now().isoformat(timespec='seconds')}\n{text}\n")


def show_message(
    parent: QWidget | None, title: str, text: str, icon: QMessageBox.Icon = QMessageBox.Icon.Warning
) -> QMessageBox:
    """A message box shown with open(), so tests and the event loop are never blocked."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def install_excepthook(parent_getter: Callable[[], QWidget | None]) -> None:
    """Turn an uncaught exception into a plain dialog and a log entry, never a traceback."""

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        log_exception_text("".join(traceback.format_exception(kind, value, tb)))
        if said_on_screen(value):  # the window's banner says the server is gone
            return
        known = known_error(value)
        if known is not None:
            # A database fault (busy, disk full, connection lost) or a refusal the code did
            # not catch: its own words, and the form stays as it was typed.
            show_message(parent_getter(), _("Not saved"), str(known))
            return
        show_message(
            parent_getter(),
            _("Something went wrong"),
            _(
                "The last action could not be completed. Nothing saved before it was lost.\n"
                "The details were written to {path}."
            ).format(path=log_path()),
            QMessageBox.Icon.Critical,
        )

    sys.excepthook = hook
