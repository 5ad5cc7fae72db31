"""Referrals (会员推荐): record a member's recommendation, follow the lead up, and hand the list
to sales printed or exported."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from csoffice import auth, referrals
from csoffice.errors import CsofficeError, ValidationError
from csoffice.i18n import _
from csoffice.paths import subfolder
from csoffice.ui.context import AppContext
from csoffice.ui.desk_keys import DeskDialog
from csoffice.ui.file_dialogs import save_dialog
from csoffice.ui.widgets.customer_picker import CustomerPicker
from csoffice.ui.widgets.form import FieldErrors, action_row, message_label
from csoffice.ui.widgets.pdf_actions import PdfActions


class ReferralsDialog(DeskDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.staff = context.staff
        self.setWindowTitle(_("Referrals"))
        self.resize(980, 640)
        layout = QVBoxLayout(self)
        box = QGroupBox(_("A member recommends a prospect"))
        form = QFormLayout(box)
        self.errors = FieldErrors(form)
        self.referrer = CustomerPicker()
        self.errors.add_row("referrer", _("Recommended by"), self.referrer)
        self.prospect_name = QLineEdit()
        self.errors.add_row("prospect_name", _("Prospect"), self.prospect_name)
        self.prospect_phone = QLineEdit()
        self.errors.add_row("prospect_phone", _("Phone"), self.prospect_phone)
        self.interest = QLineEdit()
        self.errors.add_row("interest", _("Interested in"), self.interest)
        self.add_button = QPushButton(_("Add the lead"))
        self.add_button.clicked.connect(self.add)
        form.addRow("", self.add_button)
        layout.addWidget(box)

        row = QHBoxLayout()
        self.status = QComboBox()
        self.status.addItem(_("Every lead"), "")
        for code in referrals.STATUSES:
            self.status.addItem(referrals.status_label(code), code)
        self.status.currentIndexChanged.connect(self.reload)
        row.addWidget(self.status)
        row.addStretch(1)
        self.new_status = QComboBox()
        for code in referrals.STATUSES:
            self.new_status.addItem(referrals.status_label(code), code)
        self.follow_note = QLineEdit()
        self.follow_note.setPlaceholderText(_("What was done"))
        self.follow_button = QPushButton(_("Record the follow-up"))
        self.follow_button.clicked.connect(self.follow_up)
        row.addWidget(self.new_status)
        row.addWidget(self.follow_note, 1)
        row.addWidget(self.follow_button)
        layout.addLayout(row)
        self.table = QTableWidget(0, len(referrals.EXPORT_HEADERS))
        self.table.setHorizontalHeaderLabels([_(h) for h in referrals.EXPORT_HEADERS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        self.message = message_label()
        layout.addWidget(self.message)
        self.print_button = QPushButton(_("Print the list…"))
        self.print_button.clicked.connect(self.print_list)
        self.export_button = QPushButton(_("Export…"))
        self.export_button.clicked.connect(self.ask_export)
        layout.addLayout(action_row(self, self.print_button, self.export_button))
        may_edit = auth.can(self.staff, "edit")
        self.add_button.setEnabled(may_edit)
        self.follow_button.setEnabled(may_edit)
        self.export_button.setVisible(auth.can(self.staff, "export"))
        self.print_button.setEnabled(auth.can(self.staff, "print"))
        self.pdf = PdfActions(self, _("Leads recommended by members"))
        self.lines: list[referrals.ReferralRow] = []
        self.export_dialog: QFileDialog | None = None
        self.reload()

    def reload(self) -> None:
        self.lines = referrals.rows(self.status.currentData())
        self.table.setRowCount(0)
        for values in referrals.table(self.lines):
            row = self.table.rowCount()
            self.table.insertRow(row)
            for column, text in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(text))

    def _fail(self, exc: CsofficeError) -> None:
        self.message.setText(str(exc))
        self.message.show()

    def add(self) -> bool:
        self.errors.clear()
        self.message.hide()
        data = referrals.ReferralInput(
            referrer_id=self.referrer.customer_id(),
            prospect_name=self.prospect_name.text(),
            prospect_phone=self.prospect_phone.text(),
            interest=self.interest.text(),
        )
        try:
            referrals.add(self.staff, data)
        except ValidationError as exc:
            self.errors.show(exc)
            return False
        except CsofficeError as exc:
            self._fail(exc)
            return False
        for edit in (self.prospect_name, self.prospect_phone, self.interest):
            edit.clear()
        self.prospect_name.setFocus()
        self.reload()
        return True

    def follow_up(self) -> bool:
        row = self.table.currentRow()
        if not 0 <= row < len(self.lines):
            self._fail(CsofficeError(_("Choose a lead in the list first.")))
            return False
        try:
            referrals.follow_up(
                self.staff,
                self.lines[row].id,
                self.new_status.currentData(),
                self.follow_note.text(),
            )
        except CsofficeError as exc:
            self._fail(exc)
            return False
        self.follow_note.clear()
        self.reload()
        self.table.selectRow(row)
        return True

    def print_list(self) -> Path | None:
        path = subfolder("reports") / "referrals.pdf"
        try:
            referrals.print_list(self.staff, path, self.status.currentData())
        except CsofficeError as exc:
            self._fail(exc)
            return None
        self.pdf.path = path
        self.pdf.preview()
        return path

    def ask_export(self) -> QFileDialog:
        dialog = save_dialog(
            self,
            _("Export the leads"),
            "referrals.xlsx",
            _("Excel workbook (*.xlsx);;CSV (*.csv)"),
            "xlsx",
        )
        dialog.fileSelected.connect(lambda path: self.export_to(Path(path)))
        dialog.open()
        self.export_dialog = dialog
        return dialog

    def export_to(self, path: Path) -> int | None:
        try:
            count = referrals.export(self.staff, path, self.status.currentData())
        except CsofficeError as exc:
            self._fail(exc)
            return None
        self.message.setStyleSheet("color: #1b5e20;")
        self.message.setText(_("{n} leads exported to {path}").format(n=count, path=path))
        self.message.show()
        return count
