"""Who is at the desk: the first-run set-up, signing in, the idle lock, signing in again after a
restore. The main window is built only for a signed-in staff member."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from csoffice import auth, settings
from csoffice.i18n import _
from csoffice.settings import LocalConfig
from csoffice.ui.errors import show_message

if TYPE_CHECKING:  # types only: the UI reads no model
    from csoffice.db.models import Staff
    from csoffice.db.target import DatabaseTarget
    from csoffice.ui.unsaved import UnsavedGuard

# What counts as someone working at the desk.
_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
}


class IdleWatcher(QObject):
    """Emits ``idle`` after ``minutes`` without a key press or mouse movement in the app."""

    idle = Signal()

    def __init__(self, minutes: int, parent: QObject | None = None):
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(max(1, minutes) * 60_000)
        self.timer.timeout.connect(self.idle.emit)
        self.enabled = minutes > 0
        app = QApplication.instance()
        if app is not None:  # without an application there is no input to watch
            app.installEventFilter(self)
        self.restart()

    def restart(self) -> None:
        if self.enabled:
            self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and self.timer.isActive():
            self.timer.start()
        return False


class Session(QObject):
    """Drives the start: set-up or log-in, then the main window; locks it when idle."""

    quit_requested = Signal()
    window_shown = Signal(object)  # MainWindow

    def __init__(
        self,
        target: DatabaseTarget,
        config: LocalConfig | None = None,
        auto_backup: bool = True,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.target = target
        self.config = config or LocalConfig()
        self.auto_backup = auto_backup
        self.window = None
        self.dialog = None
        self.idle: IdleWatcher | None = None
        self.backup_task = None
        self.hidden: list[QWidget] = []
        self.unsaved: list[UnsavedGuard] = []  # the locked clerk's forms with typed changes
        self._backup_done = False
        self.notice: QMessageBox | None = None

    @property
    def staff(self) -> Staff | None:
        return self.window.context.staff if self.window is not None else None

    # --- signing in ------------------------------------------------------------------------

    def start(self, username: str = "") -> None:
        """The first-run set-up while no manager can sign in, otherwise the log-in."""
        from csoffice.ui.dialogs.first_run_dialog import FirstRunDialog
        from csoffice.ui.dialogs.login_dialog import LoginDialog

        if auth.needs_first_run():
            dialog = FirstRunDialog()
            dialog.done_setup.connect(self.signed_in)
        else:
            dialog = LoginDialog(username)
            dialog.signed_in.connect(self.signed_in)
        dialog.rejected.connect(self.quit_requested.emit)
        self._show_dialog(dialog)

    def _show_dialog(self, dialog) -> None:
        self.dialog = dialog
        dialog.open()

    def signed_in(self, staff: Staff) -> None:
        from csoffice.ui.main_window import AppContext, MainWindow

        self.dialog = None
        window = MainWindow(AppContext(staff=staff, target=self.target, config=self.config))
        window.lock_requested.connect(self.lock)
        window.restart_requested.connect(self.restart)
        window.closed.connect(lambda: self._closed(window))
        self.window = window
        window.show()
        self.idle = IdleWatcher(int(settings.get("security.lock_minutes") or 0), self)
        self.idle.idle.connect(self.lock)
        self.window_shown.emit(window)
        # PostgreSQL is backed up on its server (pg_dump), not by each desk.
        if self.auto_backup and not self._backup_done and self.target.kind == "sqlite":
            self._backup_done = True
            from csoffice.ui.dialogs.backup_dialog import start_daily_backup

            self.backup_task = start_daily_backup(window, staff)

    def _closed(self, window: QWidget) -> None:
        # The clerk closed the desk's window (Ctrl+Q, File ▸ Quit, its close button): the app
        # ends. Said outright, not left to Qt's "last window closed", which did not come when
        # the window closed while the day's first backup was being made (a fresh desk, Ctrl+Q
        # within a second of signing in). A restart closes the window it has let go of.
        if window is self.window:
            self.quit_requested.emit()

    def restart(self, message: str = "") -> None:
        """Back to the log-in (after a restore, or to switch user): every screen is rebuilt.
        ``message`` (why) is shown over the log-in."""
        old, self.window = self.window, None
        lock = self.dialog if self.locked else None
        if self.idle is not None:
            self.idle.stop()
            self.idle.deleteLater()
            self.idle = None
        # Windows the lock hid go with the session they belonged to (the main window's own
        # dialogs go with it; a window of no parent would stay hidden, holding its data).
        for widget in self.hidden:
            if widget is not old and widget.parent() is None:
                widget.close()
                widget.deleteLater()
        self.hidden = []
        self.unsaved = []
        self.start()  # the dialog shows before the window closes, so the app does not quit
        if message:
            self.notice = show_message(
                self.dialog, _("csoffice"), message, QMessageBox.Icon.Information
            )
        if lock is not None:
            lock.done(0)  # a lock dialog refuses reject(); done() closes it all the same
        if old is not None:
            old.close()
            old.deleteLater()

    # --- the lock ----------------------------------------------------------------------------

    def lock(self) -> None:
        """Hide every window showing data and ask the one who was working for the password."""
        from csoffice.ui.dialogs.login_dialog import LoginDialog

        if self.window is None or self.dialog is not None:
            return
        from csoffice.ui.unsaved import dirty_guards

        # Asked now, while the forms are on screen (a hidden form is not asked about); nothing
        # can be typed into them until the lock is lifted.
        self.unsaved = dirty_guards()
        dialog = LoginDialog(locked_staff=self.staff)
        dialog.signed_in.connect(self.unlock)
        dialog.switch_user.connect(self.switch_user)
        self._show_dialog(dialog)
        self.hidden = [
            widget
            for widget in QApplication.topLevelWidgets()
            if widget.isVisible() and widget is not dialog
        ]
        for widget in self.hidden:
            widget.hide()
        if self.idle is not None:
            self.idle.timer.stop()

    @property
    def locked(self) -> bool:
        from csoffice.ui.dialogs.login_dialog import LoginDialog

        return isinstance(self.dialog, LoginDialog) and self.dialog.locked_staff is not None

    def switch_user(self) -> QMessageBox | None:
        """Sign in as someone else, on the lock screen: the locked clerk's windows close, so
        when any of their forms holds typed changes, ask first (without showing the forms: the
        one asking may be another clerk). Keeping them leaves the lock as it was, for the clerk
        to unlock and save."""
        forms = [guard for guard in self.unsaved if _still_dirty(guard)]
        if not forms:
            self.restart()
            return None
        name = self.staff.display_name if self.staff is not None else ""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Unsaved changes"),
            _(
                "{name} has typed changes that are not saved yet in open forms ({count})."
                " If someone else signs in now, they are lost."
            ).format(name=name, count=len(forms)),
            QMessageBox.StandardButton.NoButton,
            self.dialog,
        )
        box.setObjectName("switchUserQuestion")
        drop = box.addButton(
            _("Discard them and sign in as someone else"), QMessageBox.ButtonRole.DestructiveRole
        )
        keep = box.addButton(_("Keep them"), QMessageBox.ButtonRole.RejectRole)
        # Enter keeps: the work is someone else's to lose.
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)

        def answered(button) -> None:
            if button is not drop:
                return
            for guard in forms:
                if _still_dirty(guard):
                    guard.mark_clean()  # discarded: closing the forms asks nothing more
            self.restart()

        box.buttonClicked.connect(answered)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.notice = box
        return box

    def unlock(self, _staff: Staff) -> None:
        self.dialog = None
        self.unsaved = []
        for widget in self.hidden:
            widget.show()
        self.hidden = []
        if self.idle is not None:
            self.idle.restart()


def _still_dirty(guard: UnsavedGuard) -> bool:
    try:
        return guard.dirty()
    except RuntimeError:  # its form is gone
        return False
