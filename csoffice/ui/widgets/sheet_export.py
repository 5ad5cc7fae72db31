"""Exporting a list to an Excel or CSV file: asking where, then writing it off the UI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from csoffice.i18n import _
from csoffice.ui.errors import show_message
from csoffice.ui.tasks import Progress, Task, run_task


def ask_export_file(
    parent: QWidget, title: str, file_name: str, chosen: Callable[[str], Any]
) -> QFileDialog:
    """Open (not exec) a save dialog offering .xlsx and .csv; ``chosen`` gets the path picked."""
    from csoffice.ui.file_dialogs import file_dialog

    dialog = file_dialog(parent, title, file_name)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setNameFilters([_("Excel workbook (*.xlsx)"), _("CSV, UTF-8 (*.csv)")])
    dialog.selectFile(file_name)
    dialog.fileSelected.connect(chosen)
    dialog.open()
    return dialog


def run_export(
    parent: QWidget, title: str, work: Callable[[Progress], int], done: str, path: str
) -> Task:
    """Run ``work`` (it returns how many rows it wrote) with a progress dialog; then say so with
    ``done`` (translated, with ``{count}`` and ``{path}``), or say why it failed."""
    task = run_task(parent, title, work)
    task.succeeded.connect(
        lambda count: show_message(
            parent,
            _("Export"),
            done.format(count=count, path=path),
            QMessageBox.Icon.Information,
        )
    )
    task.failed.connect(lambda message: show_message(parent, _("Export failed"), message))
    return task
