"""Making a backup from the File menu, off the UI thread, with progress and cancel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from csoffice.backup import backup_to
from csoffice.db.models import Staff
from csoffice.i18n import _
from csoffice.ui.errors import show_message
from csoffice.ui.tasks import Progress, Task, run_task


def start_backup(parent: QWidget, actor: Staff, path: str | Path) -> Task:
    target = Path(path)

    def work(progress: Progress) -> Path:
        return backup_to(actor, target, lambda done, total: progress(done, total))

    task = run_task(parent, _("Making a backup…"), work)
    task.succeeded.connect(
        lambda result: show_message(
            parent,
            _("Backup"),
            _("Backup saved to {path}").format(path=result),
            QMessageBox.Icon.Information,
        )
    )
    task.failed.connect(lambda message: show_message(parent, _("Backup failed"), message))
    task.cancelled.connect(
        lambda: show_message(
            parent,
            _("Backup"),
            _("The backup was cancelled; no file was written."),
            QMessageBox.Icon.Information,
        )
    )
    return task
