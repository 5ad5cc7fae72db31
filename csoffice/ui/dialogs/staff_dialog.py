"""Staff accounts (manager only): list, add, rename, change role, reset a password,
deactivate; and changing one's own password."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from csoffice import auth
from csoffice.errors import CsofficeError
from csoffice.i18n import N_, _, format_datetime
from csoffice.ui.context import AppContext
from csoffice.ui.desk_keys import DeskDialog
from csoffice.ui.errors import show_message
from csoffice.ui.models.lazy_table import Column, LazyTableModel
from csoffice.ui.widgets.form import (
    FieldErrors,
    message_label,
    save_cancel_buttons,
    show_refusal,
)
from csoffice.ui.widgets.lazy_table_view import LazyTableView

if TYPE_CHECKING:  # types only: the UI reads no model
    from csoffice.db.models import Staff

COLUMNS = [
    Column("username", N_("User name"), lambda r: r.username, sort_key="username", width=120),
    Column("name", N_("Name"), lambda r: r.display_name, sort_key="display_name", width=120),
    Column("role", N_("Role"), lambda r: r.role_label, sort_key="role", width=100),
    Column(
        "status",
        N_("Status"),
        lambda r: (
            (_("Active") if r.active else _("Deactivated"))
            + ("" if r.has_password else " · " + _("no password"))
        ),
        width=140,
    ),
    Column(
        "last_login",
        N_("Last sign-in"),
        lambda r: format_datetime(r.last_login_at) if r.last_login_at else "",
        width=150,
    ),
    Column("failed", N_("Wrong passwords"), lambda r: r.failed_logins or "", align_right=True),
]


class StaffForm(DeskDialog):
    """Add a staff member (with a first password), or rename one / change the role."""

    saved = Signal(int)

    def __init__(self, actor: Staff, staff_id: int | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.actor = actor
        self.staff_id = staff_id
        self.setWindowTitle(_("Edit staff member") if staff_id else _("Add staff member"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.errors = FieldErrors(form)
        row = auth.staff_row(staff_id) if staff_id else None
        self.username = QLineEdit(row.username if row else "")
        self.errors.add_row("username", _("User name"), self.username)
        self.username.setEnabled(row is None)  # the name people sign in with stays
        self.display_name = QLineEdit(row.display_name if row else "")
        self.errors.add_row("display_name", _("Name shown on forms"), self.display_name)
        self.role = QComboBox()
        for role in auth.Role:
            self.role.addItem(_(auth.ROLE_LABELS[role]), str(role))
        self.role.setCurrentIndex(self.role.findData(row.role if row else str(auth.Role.CLERK)))
        self.errors.add_row("role", _("Role"), self.role)
        self.password = self.repeat = None
        if row is None:
            self.password = QLineEdit()
            self.errors.add_row("password", _("Password"), self.password)
            self.repeat = QLineEdit()
            self.errors.add_row("repeat", _("Password again"), self.repeat)
            for field in (self.password, self.repeat):
                field.setEchoMode(QLineEdit.EchoMode.Password)
        layout.addLayout(form)
        self.message = message_label()
        layout.addWidget(self.message)
        self.buttons = save_cancel_buttons(self, self.save)
        layout.addWidget(self.buttons)

    def save(self) -> None:
        self.errors.clear()
        self.message.hide()
        try:
            if self.staff_id is not None:
                staff = auth.update_staff(
                    self.actor, self.staff_id, self.display_name.text(), self.role.currentData()
                )
            elif self.password is not None and self.repeat is not None:
                auth.check_password(self.password.text(), self.repeat.text())
                staff = auth.create_staff(
                    self.actor,
                    self.username.text(),
                    self.display_name.text(),
                    self.role.currentData(),
                    password=self.password.text(),
                )
            else:  # cannot happen: a form without a staff_id is built with the password fields
                return
        except CsofficeError as exc:
            show_refusal(self.errors, self.message, exc)
            return
        self.saved.emit(staff.id)
        self.accept()


class PasswordDialog(DeskDialog):
    """A new password typed twice: the manager resetting someone's (``staff_id``), or the
    signed-in person changing their own (asks for the current one first)."""

    saved = Signal()

    def __init__(self, actor: Staff, staff_id: int | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.actor = actor
        self.staff_id = staff_id
        if staff_id is None:
            self.setWindowTitle(_("Change my password"))
        else:
            self.setWindowTitle(
                _("New password for {name}").format(name=auth.staff_row(staff_id).display_name)
            )
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.errors = FieldErrors(form)
        self.old = None
        if staff_id is None:
            self.old = QLineEdit()
            self.errors.add_row("old", _("Current password"), self.old)
        self.password = QLineEdit()
        self.errors.add_row("password", _("New password"), self.password)
        self.repeat = QLineEdit()
        self.errors.add_row("repeat", _("New password again"), self.repeat)
        for field in (self.old, self.password, self.repeat):
            if field is not None:
                field.setEchoMode(QLineEdit.EchoMode.Password)
        layout.addLayout(form)
        self.message = message_label()
        layout.addWidget(self.message)
        self.buttons = save_cancel_buttons(self, self.save)
        layout.addWidget(self.buttons)

    def save(self) -> None:
        self.errors.clear()
        self.message.hide()
        try:
            if self.staff_id is not None:
                auth.reset_password(
                    self.actor, self.staff_id, self.password.text(), self.repeat.text()
                )
            elif self.old is not None:  # one's own password: the current one is asked
                auth.change_password(
                    self.actor, self.old.text(), self.password.text(), self.repeat.text()
                )
            else:  # cannot happen: without a staff_id the dialog asks for the current password
                return
        except CsofficeError as exc:
            show_refusal(self.errors, self.message, exc)
            return
        self.saved.emit()
        self.accept()


class StaffDialog(DeskDialog):
    """The office's staff accounts; nobody is ever deleted, only deactivated."""

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        auth.require(context.staff, "manage_staff")
        self.context = context
        self.setObjectName("staffDialog")
        self.setWindowTitle(_("Staff"))
        self.resize(820, 440)
        layout = QVBoxLayout(self)
        self.model = LazyTableModel(
            COLUMNS,
            lambda key, descending: auth.staff_ids(key, descending),
            auth.staff_rows,
            row_style=lambda r: None if r.active else "muted",
            parent=self,
        )
        self.view = LazyTableView(self.model)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.verticalHeader().hide()
        self.view.doubleClicked.connect(lambda _index: self.edit())
        layout.addWidget(self.view, 1)

        row = QHBoxLayout()
        self.add_button = QPushButton(_("Add…"))
        self.edit_button = QPushButton(_("Name and role…"))
        self.password_button = QPushButton(_("Reset password…"))
        self.unlock_button = QPushButton(_("Lift sign-in wait"))
        self.unlock_button.setToolTip(
            _("After wrong passwords the account must wait; lift it now.")
        )
        self.active_button = QPushButton(_("Deactivate"))
        self.add_button.clicked.connect(self.add)
        self.unlock_button.clicked.connect(self.clear_lockout)
        self.edit_button.clicked.connect(self.edit)
        self.password_button.clicked.connect(self.reset_password)
        self.active_button.clicked.connect(self.toggle_active)
        for button in (self.add_button, self.edit_button, self.password_button, self.unlock_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.active_button)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.accept)
        row.addWidget(close)
        layout.addLayout(row)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.refresh()

    def refresh(self, select_id: int | None = None) -> None:
        self.model.refresh()
        if select_id is not None:
            row = self.model.row_of_id(select_id)
            if row >= 0:
                self.view.selectRow(row)
        self._update_buttons()

    def selected(self):
        return self.view.selected_row()

    def _update_buttons(self) -> None:
        row = self.selected()
        for button in (self.edit_button, self.password_button, self.active_button):
            button.setEnabled(row is not None)
        self.unlock_button.setEnabled(row is not None and row.failed_logins > 0)
        self.active_button.setText(_("Reactivate") if row and not row.active else _("Deactivate"))

    def _open(self, dialog: QDialog) -> None:
        self.child = dialog
        dialog.open()

    def add(self) -> None:
        form = StaffForm(self.context.staff, None, self)
        form.saved.connect(lambda staff_id: self.refresh(staff_id))
        self._open(form)

    def edit(self) -> None:
        row = self.selected()
        if row is None:
            return
        form = StaffForm(self.context.staff, row.id, self)
        form.saved.connect(lambda staff_id: self.refresh(staff_id))
        self._open(form)

    def reset_password(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = PasswordDialog(self.context.staff, row.id, self)
        dialog.saved.connect(lambda: self.refresh(row.id))
        self._open(dialog)

    def clear_lockout(self) -> None:
        row = self.selected()
        if row is None:
            return
        try:
            auth.clear_lockout(self.context.staff, row.id)
        except CsofficeError as exc:
            show_message(self, _("Staff"), str(exc))
            return
        self.refresh(row.id)

    def toggle_active(self) -> None:
        row = self.selected()
        if row is None:
            return
        if not row.active:
            self._set_active(row.id, True)
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Deactivate"),
            _(
                "Deactivate {name}? They can no longer sign in; their name stays on every "
                "record they signed."
            ).format(name=row.display_name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        yes = box.button(QMessageBox.StandardButton.Yes)
        box.finished.connect(
            lambda _result: self._set_active(row.id, False) if box.clickedButton() is yes else None
        )
        self._open(box)

    def _set_active(self, staff_id: int, active: bool) -> None:
        try:
            auth.set_active(self.context.staff, staff_id, active)
        except CsofficeError as exc:
            show_message(self, _("Staff"), str(exc))
            return
        self.refresh(staff_id)
