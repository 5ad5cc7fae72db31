"""Signing in at the start, and the lock screen after the desk was left idle."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from csoffice import auth, settings
from csoffice.i18n import _
from csoffice.ui.desk_keys import DeskDialog

if TYPE_CHECKING:  # types only: the UI reads no model
    from csoffice.db.models import Staff


class LoginDialog(DeskDialog):
    """User name and password. In lock mode the user name is fixed to who was working, the
    dialog cannot be dismissed, and "Sign in as someone else" ends that session instead."""

    signed_in = Signal(object)  # Staff
    switch_user = Signal()

    def __init__(self, username: str = "", locked_staff: Staff | None = None, parent=None):
        super().__init__(parent)
        self.locked_staff = locked_staff
        self.setObjectName("lockDialog" if locked_staff else "loginDialog")
        office = settings.office().display_name
        self.setWindowTitle(
            _("Screen locked — {office}").format(office=office)
            if locked_staff
            else _("Sign in — {office}").format(office=office)
        )
        self.setMinimumWidth(380)
        layout = QVBoxLayout(self)
        heading = QLabel(office)
        heading.setObjectName("loginOffice")
        heading.setStyleSheet("font-size: 16pt; font-weight: bold;")
        layout.addWidget(heading)
        if locked_staff:
            layout.addWidget(
                QLabel(
                    _("The screen was locked. {name}, enter your password to go on.").format(
                        name=locked_staff.display_name
                    )
                )
            )
        form = QFormLayout()
        self.username = QLineEdit(locked_staff.username if locked_staff else username)
        self.username.setReadOnly(bool(locked_staff))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(_("User name"), self.username)
        form.addRow(_("Password"), self.password)
        layout.addLayout(form)
        self.message = QLabel()
        self.message.setObjectName("loginMessage")
        self.message.setStyleSheet("color: #b3261e;")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)

        self.buttons = QDialogButtonBox()
        self.sign_in_button = self.buttons.addButton(
            _("Unlock") if locked_staff else _("Sign in"),
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        self.sign_in_button.setDefault(True)
        if locked_staff:
            self.switch_button = QPushButton(_("Sign in as someone else"))
            self.buttons.addButton(self.switch_button, QDialogButtonBox.ButtonRole.ActionRole)
            self.switch_button.clicked.connect(self.switch_user.emit)
        else:
            self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
            self.buttons.rejected.connect(self.reject)
        self.buttons.accepted.connect(self.try_sign_in)
        layout.addWidget(self.buttons)

        # After too many wrong passwords the button waits as long as the domain makes it wait.
        self.wait_timer = QTimer(self)
        self.wait_timer.setSingleShot(True)
        self.wait_timer.timeout.connect(self._end_wait)
        (self.password if locked_staff or username else self.username).setFocus()

    def try_sign_in(self) -> None:
        try:
            staff = auth.authenticate(self.username.text(), self.password.text())
        except auth.LoginRefused as exc:
            self._refuse(str(exc), exc.retry_after)
            return
        if self.locked_staff is not None and staff.id != self.locked_staff.id:
            self._refuse(
                _("Only {name} can unlock this screen.").format(
                    name=self.locked_staff.display_name
                ),
                0,
            )
            return
        self.message.hide()
        self.signed_in.emit(staff)
        self.accept()

    def _refuse(self, message: str, wait: int) -> None:
        self.message.setText(message)
        self.message.show()
        self.password.clear()
        self.password.setFocus()
        if wait:
            self.sign_in_button.setEnabled(False)
            self.wait_timer.start(wait * 1000)

    def _end_wait(self) -> None:
        self.sign_in_button.setEnabled(True)

    def reject(self) -> None:
        if self.locked_staff is None:  # a locked screen is not dismissed by Esc
            super().reject()

    def closeEvent(self, event) -> None:
        # The window's close button does not lift a lock; quitting the app (not spontaneous:
        # the system shutting down) still may close it.
        if self.locked_staff is not None and event.spontaneous():
            event.ignore()
            return
        super().closeEvent(event)
