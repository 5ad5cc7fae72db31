"""Greetings (客户关怀): the worklist of birthdays in the greeting window or of a festival, a
template with fields, and the batch sent as letters with labels (PDF) or as an SMS list (CSV).
Every greeting sent is logged on the customer's history; a second run skips those greeted."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from csoffice import auth, care, customers
from csoffice.errors import CsofficeError, ValidationError
from csoffice.i18n import N_, _, format_date, format_number
from csoffice.ui.context import AppContext
from csoffice.ui.desk_keys import DeskDialog
from csoffice.ui.file_dialogs import save_dialog
from csoffice.ui.widgets.form import FieldErrors, action_row, message_label

DEFAULT_TEMPLATES = {
    "birthday": N_(
        "Dear {salutation} {name},\n\nHappy birthday! We wish you good health.\n\n{office}"
    ),
    "festival": N_(
        "Dear {salutation} {name},\n\nAll of us at {office} wish you and your family a happy "
        "{occasion}!"
    ),
}


class CareDialog(DeskDialog):
    """Choose the occasion, check the worklist and the text, then send."""

    def __init__(
        self, context: AppContext, parent: QWidget | None = None, today: dt.date | None = None
    ):
        super().__init__(parent)
        self.context = context
        self.today = today or dt.date.today()
        self.recipients: list[care.Recipient] = []
        self.result: care.Batch | None = None
        self.setWindowTitle(_("Greetings"))
        self.resize(820, 640)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)
        self.errors = FieldErrors(form)
        self.occasion = QComboBox()
        self.occasion.setObjectName("careOccasion")
        self.occasion.addItem(_("Birthdays in the greeting window"), ("birthday", None))
        for festival in care.festivals(self.today.year) + care.festivals(self.today.year + 1):
            if festival.day >= self.today:
                text = f"{festival.label} {format_date(festival.day)}"
                self.occasion.addItem(text, ("festival", festival))
        self.errors.add_row("occasion", _("Occasion"), self.occasion)
        self.customer_class = QComboBox()
        self.customer_class.addItem(_("Every customer"), "")
        for code, label in customers.CLASSES.items():
            self.customer_class.addItem(_(label), code)
        self.errors.add_row("customer_class", _("Customers"), self.customer_class)
        self.template = QPlainTextEdit()
        self.template.setObjectName("careTemplate")
        self.template.setTabChangesFocus(True)
        self.template.setFixedHeight(110)
        self.errors.add_row("template", _("Text"), self.template)
        fields = "　".join(f"{{{code}}} {_(label)}" for code, label in care.FIELDS.items())
        hint = QLabel(_("Fields: {fields}").format(fields=fields))
        hint.setWordWrap(True)
        form.addRow("", hint)
        self.summary = QLabel()
        self.summary.setObjectName("careSummary")
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([_("Customer"), _("Mobile"), _("Date"), _("Status")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        layout.addWidget(self.table, 1)
        self.message = message_label()
        layout.addWidget(self.message)
        self.letters_button = QPushButton(_("Letters and labels (PDF)…"))
        self.letters_button.clicked.connect(lambda: self.ask_file("letter"))
        self.sms_button = QPushButton(_("SMS list (CSV)…"))
        self.sms_button.clicked.connect(lambda: self.ask_file("sms"))
        layout.addLayout(action_row(self, self.letters_button, self.sms_button))
        may = auth.can(context.staff, "edit")
        self.letters_button.setEnabled(may)
        self.sms_button.setEnabled(may)
        self.occasion.currentIndexChanged.connect(self.reload)
        self.customer_class.currentIndexChanged.connect(self.reload)
        self.file_dialog: QFileDialog | None = None
        self.template.textChanged.connect(lambda: self.template.setProperty("untouched", False))
        self.reload()

    def _occasion(self) -> tuple[str, care.Festival | None]:
        return self.occasion.currentData()

    def occasion_label(self) -> str:
        _kind, festival = self._occasion()
        return festival.label if festival else _("Birthday")

    def reload(self) -> None:
        kind, festival = self._occasion()
        if festival is None:
            found = care.birthdays(self.today)
        else:
            found = care.festival_recipients(festival, self.customer_class.currentData())
        self.customer_class.setEnabled(festival is not None)
        if not self.template.toPlainText().strip() or self.template.property("untouched"):
            self.template.blockSignals(True)
            self.template.setPlainText(_(DEFAULT_TEMPLATES[kind]))
            self.template.blockSignals(False)
            self.template.setProperty("untouched", True)
        self.recipients = found
        owed = [r for r in found if not r.greeted]
        self.summary.setText(
            _("{owed} to greet, {greeted} greeted already").format(
                owed=format_number(len(owed)), greeted=format_number(len(found) - len(owed))
            )
        )
        self.table.setRowCount(0)
        for recipient, (name, phone, day) in zip(
            found[:500], care.preview_lines(found, 500), strict=False
        ):
            row = self.table.rowCount()
            self.table.insertRow(row)
            status = _("Greeted") if recipient.greeted else _("To greet")
            for column, text in enumerate((name, phone, day, status)):
                self.table.setItem(row, column, QTableWidgetItem(text))

    def ask_file(self, channel: str) -> QFileDialog | None:
        """Check the text first, then ask where to write the file."""
        self.errors.clear()
        self.message.hide()
        try:
            care.template_fields(self.template.toPlainText())
        except ValidationError as exc:
            self.errors.show(exc)
            return None
        suffix, name_filter = (
            ("pdf", _("PDF (*.pdf)")) if channel == "letter" else ("csv", _("CSV (*.csv)"))
        )
        dialog = save_dialog(
            self, _("Save the greetings"), f"greetings.{suffix}", name_filter, suffix
        )
        dialog.fileSelected.connect(lambda path: self.send_to(channel, Path(path)))
        dialog.open()
        self.file_dialog = dialog
        return dialog

    def send_to(self, channel: str, path: Path) -> care.Batch | None:
        kind, _festival = self._occasion()
        labels = path.with_name(f"{path.stem}-labels.pdf") if channel == "letter" else None
        try:
            batch = care.send(
                self.context.staff,
                self.recipients,
                kind,
                self.occasion_label(),
                self.template.toPlainText(),
                channel,
                path,
                labels,
            )
        except ValidationError as exc:
            self.errors.show(exc)
            return None
        except (CsofficeError, OSError) as exc:
            self.message.setStyleSheet("color: #b3261e;")
            self.message.setText(str(exc))
            self.message.show()
            return None
        self.result = batch
        lines = [_("{n} greetings written to {path}").format(n=batch.sent, path=path)]
        if labels is not None:
            lines.append(_("Address labels: {path}").format(path=labels))
        if batch.already:
            lines.append(_("{n} greeted already, left out").format(n=batch.already))
        if batch.no_address:
            lines.append(_("{n} without an address, left out").format(n=batch.no_address))
        if batch.no_mobile:
            lines.append(_("{n} without a valid mobile, left out").format(n=batch.no_mobile))
        self.message.setStyleSheet("color: #1b5e20;")
        self.message.setText("\n".join(lines))
        self.message.show()
        self.reload()
        return batch
