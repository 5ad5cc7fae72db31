"""Backups from the File menu and at the day's first start, restoring one, and where the
automatic backups go; the copying runs off the UI thread, with progress and cancel."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from csoffice import auth, settings
from csoffice.backup import (
    DailyResult,
    RestoreResult,
    backup_folder,
    backup_to,
    clerk_backup_path,
    daily_backup,
    restore_from,
)
from csoffice.backup_file import ForeignOffice
from csoffice.errors import CsofficeError, ValidationError
from csoffice.i18n import _
from csoffice.paths import subfolder
from csoffice.ui.desk_keys import DeskDialog
from csoffice.ui.errors import show_message
from csoffice.ui.tasks import Progress, Task, run_task
from csoffice.ui.widgets.form import FieldErrors, save_cancel_buttons

if TYPE_CHECKING:  # types only: the UI reads no model
    from csoffice.db.models import Staff
    from csoffice.db.target import DatabaseTarget


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


def backup_from_menu(parent: QWidget, actor: Staff) -> Task | None:
    """File ▸ Backup…: the manager chooses where the copy goes; a clerk's copy goes into the
    backup folder the manager set (a copy holds every customer's personal data)."""
    if not auth.can(actor, "choose_backup_folder"):
        return start_backup(parent, actor, clerk_backup_path())
    path, _filter = QFileDialog.getSaveFileName(
        parent,
        _("Save a backup"),
        str(clerk_backup_path()),
        _("csoffice backup (*.sqlite3)"),
    )
    return start_backup(parent, actor, path) if path else None


def restore_folder() -> Path:
    """Where the restore file dialog opens: the backup folder."""
    folder = backup_folder()
    return folder if folder.is_dir() else subfolder("backups")


def start_daily_backup(parent: QWidget, actor: Staff) -> Task:
    """The first start of the day copies the database into the backup folder (and rotates);
    a missing folder or a failure is said plainly, the work goes on."""

    def work(progress: Progress) -> DailyResult:
        return daily_backup(actor, progress=lambda done, total: progress(done, total))

    task = run_task(parent, _("Making today's backup…"), work)
    task.failed.connect(
        lambda message: show_message(parent, _("Today's backup was not made"), message)
    )
    return task


def confirm_restore(
    parent: QWidget,
    actor: Staff,
    target: DatabaseTarget,
    path: str | Path,
    done: Callable[[RestoreResult], None] | None = None,
) -> QMessageBox:
    """Ask first: a restore replaces everything entered since the backup."""
    return _ask(
        parent,
        _("Restore a backup"),
        _(
            "Replace the whole database with {path}? Everything entered since that backup "
            "is replaced; the current database is saved to the backup folder first, and "
            "everyone signs in again."
        ).format(path=Path(path).name),
        _("Restore"),
        lambda: start_restore(parent, actor, target, path, done),
    )


def _ask(
    parent: QWidget, title: str, text: str, yes_text: str, on_yes: Callable[[], object]
) -> QMessageBox:
    """A warning with Cancel as the default and ``yes_text`` doing ``on_yes`` (shown, not
    exec()'d)."""
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        parent,
    )
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    yes = box.button(QMessageBox.StandardButton.Yes)
    yes.setText(yes_text)
    box.finished.connect(lambda _result: on_yes() if box.clickedButton() is yes else None)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def start_restore(
    parent: QWidget,
    actor: Staff,
    target: DatabaseTarget,
    path: str | Path,
    done: Callable[[RestoreResult], None] | None = None,
    allow_other_office: bool = False,
) -> Task:
    """Check and restore the backup off the UI thread; ``done`` runs after a success. A backup
    of another office asks first, then starts again if the manager says so."""
    source = Path(path)

    def work(progress: Progress) -> RestoreResult:
        return restore_from(
            actor,
            source,
            target,
            lambda d, t: progress(d, t),
            allow_other_office=allow_other_office,
        )

    def failed(error: CsofficeError) -> None:
        if isinstance(error, ForeignOffice):
            ask_other_office(parent, actor, target, source, error, done)
        else:
            show_message(parent, _("Restore refused"), str(error))

    task = run_task(parent, _("Restoring the backup…"), work)
    task.error_raised.connect(failed)
    if done is not None:
        task.succeeded.connect(done)
    return task


def ask_other_office(
    parent: QWidget,
    actor: Staff,
    target: DatabaseTarget,
    source: Path,
    error: ForeignOffice,
    done: Callable[[RestoreResult], None] | None,
) -> QMessageBox:
    return _ask(
        parent,
        _("A backup of another office"),
        _(
            "{path} is a backup of “{theirs}”, not of this office (“{ours}”). Restoring it "
            "replaces this office's records with theirs. Restore it all the same?"
        ).format(path=source.name, theirs=error.theirs, ours=error.ours),
        _("Restore anyway"),
        lambda: start_restore(parent, actor, target, source, done, allow_other_office=True),
    )


class BackupSettingsDialog(DeskDialog):
    """Where the daily backup goes and how many copies the rotation keeps (manager only)."""

    saved = Signal()

    def __init__(self, actor: Staff, parent: QWidget | None = None):
        super().__init__(parent)
        self.actor = actor
        self.setWindowTitle(_("Automatic backups"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        intro = QLabel(
            _(
                "At the first start of each day csoffice copies the database into this folder "
                "(a USB disk, say) and keeps the newest copy of each of the last days, weeks "
                "and months."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.errors = FieldErrors(form)
        values = settings.get_many(
            ["backup.folder", "backup.keep_daily", "backup.keep_weekly", "backup.keep_monthly"]
        )
        folder_row = QWidget()
        row = QHBoxLayout(folder_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.folder = QLineEdit(values["backup.folder"] or "")
        self.folder.setPlaceholderText(str(subfolder("backups")))
        browse = QPushButton(_("Browse…"))
        browse.clicked.connect(self._browse)
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        self.errors.add_row("backup.folder", _("Folder"), folder_row)
        self.errors.widgets["backup.folder"] = self.folder
        self.keep = {}
        for key, label in (
            ("backup.keep_daily", _("Days kept")),
            ("backup.keep_weekly", _("Weeks kept")),
            ("backup.keep_monthly", _("Months kept")),
        ):
            spin = QSpinBox()
            spin.setRange(0 if key != "backup.keep_daily" else 1, 366)
            spin.setValue(int(values[key] or 0))
            self.keep[key] = self.errors.add_row(key, label, spin)
        layout.addLayout(form)
        self.buttons = save_cancel_buttons(self, self.save)
        layout.addWidget(self.buttons)

    def _browse(self) -> None:
        path = QFileDialog.getExistingDirectory(self, _("Backup folder"), self.folder.text())
        if path:
            self.folder.setText(path)

    def save(self) -> None:
        self.errors.clear()
        folder = self.folder.text().strip()
        if folder and not Path(folder).expanduser().is_dir():
            self.errors.show(
                ValidationError.single(
                    "backup.folder", _("The folder {path} does not exist.").format(path=folder)
                )
            )
            return
        values = {key: spin.value() for key, spin in self.keep.items()}
        values["backup.folder"] = folder
        try:
            settings.put(self.actor, values)
        except CsofficeError as exc:
            self.errors.show(ValidationError.single("backup.folder", str(exc)))
            return
        self.saved.emit()
        self.accept()
