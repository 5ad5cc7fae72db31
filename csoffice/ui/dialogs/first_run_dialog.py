"""The first start: the office's name and the manager's account."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from csoffice import auth, settings
from csoffice.errors import CsofficeError
from csoffice.i18n import _
from csoffice.ui.desk_keys import DeskDialog
from csoffice.ui.widgets.form import FieldErrors, message_label, show_refusal


class FirstRunDialog(DeskDialog):
    """Shown while no manager can sign in; ``done_setup`` carries the new manager."""

    done_setup = Signal(object)  # Staff

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("firstRunDialog")
        self.setWindowTitle(_("Welcome to csoffice"))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        existing = auth.passwordless_manager()
        if existing is not None:
            # Made by init or demo on the command line: give that account its password.
            text = _(
                "This database was set up on the command line: the manager's account "
                "“{username}” has no password yet. Set it here (and the names if you like); "
                "records made so far keep their signer."
            ).format(username=existing.username)
        else:
            text = _(
                "Set up the desk: the office's name, printed on every form, and the manager's "
                "account. The manager then adds the clerks."
            )
        intro = QLabel(text)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.errors = FieldErrors(form)
        self.office_name = QLineEdit(settings.office().name)
        self.errors.add_row("office_name", _("Office name"), self.office_name)
        self.display_name = QLineEdit(existing.display_name if existing is not None else "")
        self.errors.add_row("display_name", _("Manager's name"), self.display_name)
        self.username = QLineEdit(existing.username if existing is not None else "")
        self.errors.add_row("username", _("User name"), self.username)
        self.username.setPlaceholderText(_("for signing in, e.g. wangli"))
        self.password = QLineEdit()
        self.errors.add_row("password", _("Password"), self.password)
        self.repeat = QLineEdit()
        self.errors.add_row("repeat", _("Password again"), self.repeat)
        for field in (self.password, self.repeat):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(
            _("at least {n} characters").format(n=auth.MIN_PASSWORD_LENGTH)
        )
        layout.addLayout(form)
        self.message = message_label()
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Set up and sign in"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        if existing is not None and self.office_name.text():
            self.password.setFocus()
        else:
            (self.display_name if self.office_name.text() else self.office_name).setFocus()

    def save(self) -> None:
        self.errors.clear()
        self.message.hide()
        try:
            manager = auth.first_run(
                self.office_name.text(),
                self.display_name.text(),
                self.username.text(),
                self.password.text(),
                self.repeat.text(),
            )
        except CsofficeError as exc:
            show_refusal(self.errors, self.message, exc)
            return
        self.done_setup.emit(manager)
        self.accept()
