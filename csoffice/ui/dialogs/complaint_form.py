"""The complaint form (投诉处理单): fill it in, then move it through its workflow step by step,
each step dated and signed in the timeline; print the slip."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDateTime, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from csoffice import auth, complaints
from csoffice.complaints import ComplaintInput, ComplaintView, StepInput
from csoffice.errors import CsofficeError
from csoffice.i18n import N_, _, format_datetime
from csoffice.paths import subfolder
from csoffice.ui.context import AppContext
from csoffice.ui.errors import show_message
from csoffice.ui.unsaved import UnsavedGuard
from csoffice.ui.widgets.customer_picker import CustomerPicker
from csoffice.ui.widgets.form import FieldErrors, show_refusal

# Which inputs each move asks for (the note is always there: a reason or a remark).
STEP_FIELDS = {
    "submit": [],
    "confirm": ["department", "handler"],
    "assign": ["department", "handler"],
    "handle": ["result", "company_at_fault", "root_cause", "corrective_action"],
    "rework": [],
    "inform": ["customer_opinion", "satisfaction", "satisfaction_reason"],
    "close": [],
    "reject": [],
    "reopen": [],
    "note": [],
}
NEEDS_REASON = ("reject", "reopen", "rework")
# The read-only block of what was done and what the customer said, in the current round.
CASE_FIELDS = [
    ("result", N_("Result")),
    ("company_at_fault", N_("Company at fault")),
    ("root_cause", N_("Root cause")),
    ("corrective_action", N_("Corrective action")),
    ("customer_opinion", N_("Customer's opinion")),
    ("satisfaction", N_("Satisfaction")),
]


def case_values(view: ComplaintView) -> dict[str, str]:
    """The case block's texts (empty for what is not recorded yet)."""
    fault = {True: _("Yes"), False: _("No"), None: ""}[view.company_at_fault]
    satisfaction = ""
    if view.satisfaction is not None:
        satisfaction = _("{score} of 5").format(score=view.satisfaction)
        if view.satisfaction_reason:
            satisfaction += "：" + view.satisfaction_reason
    return {
        "result": view.result,
        "company_at_fault": fault,
        "root_cause": view.root_cause,
        "corrective_action": view.corrective_action,
        "customer_opinion": view.customer_opinion,
        "satisfaction": satisfaction,
    }


def _step_details(view: ComplaintView, values: dict[str, str]) -> dict[int, str]:
    """The timeline row (by index) that recorded the current round's result, and the one that
    recorded the customer's answer, with what they recorded."""
    details: dict[int, str] = {}
    labels = dict(CASE_FIELDS)
    for action, names in (
        ("handle", ("result", "company_at_fault", "root_cause", "corrective_action")),
        ("inform", ("customer_opinion", "satisfaction")),
    ):
        rows = [i for i, step in enumerate(view.steps) if step.action == action]
        if not rows:
            continue
        parts = [f"{_(labels[n])}：{values[n]}" for n in names if values[n]]
        if parts:
            details[rows[-1]] = "；".join(parts)
    return details


OUTSIDE = -1  # the handler combo's entry for a person outside the desk


def _text_box(height: int = 64) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)  # Tab moves on, as in every other field of the form
    box.setFixedHeight(height)
    return box


class StepPanel(QGroupBox):
    """The inputs of one workflow move, shown when its button is pressed."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.action = ""
        form = QFormLayout(self)
        self.form = form
        self.errors = FieldErrors(form)
        self.department = QComboBox()
        self.department.setEditable(True)
        for code, label in complaints.departments():
            self.department.addItem(label, code)
        self.department.setCurrentIndex(-1)
        self.errors.add_row("department", _("Department"), self.department)
        self.handler = QComboBox()
        for staff_id, name in complaints.staff_choices():
            self.handler.addItem(name, staff_id)
        self.handler.addItem(_("Someone outside the desk…"), OUTSIDE)
        self.handler.setCurrentIndex(-1)
        self.errors.add_row("handler", _("Handler"), self.handler)
        self.handler_name = QLineEdit()
        self.handler_name.setPlaceholderText(_("Name of the person outside the desk"))
        self.errors.add_row("handler_name", _("Handler's name"), self.handler_name)
        self.result = _text_box()
        self.errors.add_row("result", _("Result"), self.result)
        self.company_at_fault = QComboBox()
        self.company_at_fault.addItem("", None)
        self.company_at_fault.addItem(_("Yes: the company was at fault"), True)
        self.company_at_fault.addItem(_("No: the company was not at fault"), False)
        self.errors.add_row("company_at_fault", _("Company at fault"), self.company_at_fault)
        self.root_cause = _text_box(48)
        self.errors.add_row("root_cause", _("Root cause"), self.root_cause)
        self.corrective_action = _text_box(48)
        self.errors.add_row("corrective_action", _("Corrective action"), self.corrective_action)
        self.customer_opinion = _text_box(48)
        self.errors.add_row("customer_opinion", _("Customer's opinion"), self.customer_opinion)
        self.satisfaction = QComboBox()
        self.satisfaction.addItem("", None)
        for score in range(5, 0, -1):
            self.satisfaction.addItem(_("{score} of 5").format(score=score), score)
        self.errors.add_row("satisfaction", _("Satisfaction"), self.satisfaction)
        self.satisfaction_reason = QLineEdit()
        self.errors.add_row(
            "satisfaction_reason", _("Reason for the satisfaction"), self.satisfaction_reason
        )
        self.note = _text_box(48)
        self.errors.add_row("note", _("Remarks"), self.note)
        self.note_label = form.labelForField(self.note.parentWidget())
        buttons = QHBoxLayout()
        self.ok_button = QPushButton(_("Confirm (Ctrl+Enter)"))
        self.ok_button.setDefault(False)
        self.cancel_button = QPushButton(_("Cancel"))
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.ok_button)
        form.addRow(buttons)
        self.handler.currentIndexChanged.connect(self._handler_changed)
        self.hide()

    def _row(self, name: str) -> QWidget:
        return self.errors.widgets[name].parentWidget()

    def _handler_changed(self) -> None:
        visible = self.action in ("confirm", "assign") and self.handler.currentData() == OUTSIDE
        self.form.setRowVisible(self._row("handler_name"), visible)

    def start(self, action: str) -> None:
        """Show the inputs of ``action``, emptied."""
        self.action = action
        self.setTitle(complaints.action_label(action))
        self.errors.clear()
        wanted = set(STEP_FIELDS[action])
        for name in self.errors.widgets:
            if name in ("note", "handler_name"):
                continue
            self.form.setRowVisible(self._row(name), name in wanted)
        for box in (
            self.result,
            self.root_cause,
            self.corrective_action,
            self.customer_opinion,
            self.note,
        ):
            box.clear()
        for line in (self.handler_name, self.satisfaction_reason):
            line.clear()
        for combo in (self.company_at_fault, self.satisfaction):
            combo.setCurrentIndex(0)
        self.department.setCurrentIndex(-1)
        self.department.setEditText("")
        self.handler.setCurrentIndex(-1)
        self._handler_changed()
        self.note_label.setText(_("Reason") if action in NEEDS_REASON else _("Remarks"))
        self.show()
        first = {
            "confirm": self.department,
            "assign": self.department,
            "handle": self.result,
            "inform": self.customer_opinion,
        }.get(action, self.note)
        first.setFocus()

    def step(self) -> StepInput:
        department = self.department.currentData()
        typed = self.department.currentText().strip()
        if department is None or self.department.itemText(self.department.currentIndex()) != typed:
            department = typed  # a department the office typed in itself
        handler = self.handler.currentData()
        return StepInput(
            note=self.note.toPlainText(),
            department=department or "",
            handler_id=handler if handler not in (None, OUTSIDE) else None,
            handler_name=self.handler_name.text() if handler == OUTSIDE else "",
            result=self.result.toPlainText(),
            company_at_fault=self.company_at_fault.currentData(),
            root_cause=self.root_cause.toPlainText(),
            corrective_action=self.corrective_action.toPlainText(),
            customer_opinion=self.customer_opinion.toPlainText(),
            satisfaction=self.satisfaction.currentData(),
            satisfaction_reason=self.satisfaction_reason.text(),
        )


class ComplaintForm(QDialog):
    """A new complaint (optionally drafted from a reception) or an existing one by id."""

    saved = Signal(int)

    def __init__(
        self,
        context: AppContext,
        draft: ComplaintInput | None = None,
        reception_id: int | None = None,
        complaint_id: int | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.context = context
        self.staff = context.staff
        self.reception_id = reception_id
        self.complaint_id = complaint_id
        self.view: ComplaintView | None = None
        self.pending_files: list[Path] = []
        self.open_printed = True  # show the printed slip in the print preview
        self.setObjectName("complaintForm")
        self.resize(1180, 720)
        outer = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setObjectName("complaintHeading")
        self.heading.setStyleSheet("font-size: 15pt; font-weight: bold;")
        outer.addWidget(self.heading)
        body = QHBoxLayout()
        outer.addLayout(body, 1)

        left = QWidget()
        form = QFormLayout(left)
        self.errors = FieldErrors(form)
        self.received_at = QDateTimeEdit()
        self.received_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.received_at.setCalendarPopup(True)
        self.received_at.setDateTime(QDateTime.currentDateTime())
        self.errors.add_row("received_at", _("Time received"), self.received_at)
        self.channel = QComboBox()
        for code, label in complaints.CHANNELS.items():
            self.channel.addItem(_(label), code)
        self.errors.add_row("channel", _("Channel"), self.channel)
        self.customer = CustomerPicker()
        self.customer.picked.connect(self._customer_picked)
        self.errors.add_row("customer", _("Customer"), self.customer)
        self.errors.widgets["customer"] = self.customer.line_edit
        self.contact_name = QLineEdit()
        self.errors.add_row("contact_name", _("Contact"), self.contact_name)
        self.contact_phone = QLineEdit()
        self.errors.add_row("contact_phone", _("Contact phone"), self.contact_phone)
        self.category = QComboBox()
        for code, label in complaints.categories():
            self.category.addItem(label, code)
        self.category.setCurrentIndex(-1)
        self.errors.add_row("category", _("Category"), self.category)
        self.severity = QComboBox()
        for code, label in complaints.SEVERITIES.items():
            self.severity.addItem(_(label), code)
        self.errors.add_row("severity", _("Severity"), self.severity)
        self.facts = _text_box(90)
        self.errors.add_row("facts", _("Facts"), self.facts)
        self.desired_outcome = _text_box(56)
        self.errors.add_row("desired_outcome", _("Desired outcome"), self.desired_outcome)
        self.receiver = QComboBox()
        for staff_id, name in complaints.staff_choices(receivers_only=True):
            self.receiver.addItem(name, staff_id)
        self.receiver.setCurrentIndex(max(0, self.receiver.findData(self.staff.id)))
        self.errors.add_row("receiver", _("First responder"), self.receiver)
        files = QWidget()
        files_row = QHBoxLayout(files)
        files_row.setContentsMargins(0, 0, 0, 0)
        self.attachments = QListWidget()
        self.attachments.setFixedHeight(54)
        self.attachments.itemActivated.connect(self._open_attachment)
        self.add_file_button = QPushButton(_("Add…"))
        self.add_file_button.clicked.connect(self._choose_files)
        files_row.addWidget(self.attachments, 1)
        files_row.addWidget(self.add_file_button)
        self.errors.add_row("attachments", _("Attachments"), files)
        body.addWidget(left, 5)

        right = QVBoxLayout()
        self.state_label = QLabel()
        self.state_label.setObjectName("complaintState")
        self.state_label.setWordWrap(True)
        right.addWidget(self.state_label)
        self.action_bar = QHBoxLayout()
        self.action_buttons: dict[str, QPushButton] = {}
        for action in (*complaints.MOVES, "note"):
            button = QPushButton(complaints.action_label(action))
            button.setObjectName(f"action_{action}")
            button.clicked.connect(lambda _checked=False, a=action: self.start_step(a))
            self.action_buttons[action] = button
        self.action_grid = QWidget()
        grid = QHBoxLayout(self.action_grid)
        grid.setContentsMargins(0, 0, 0, 0)
        for button in self.action_buttons.values():
            grid.addWidget(button)
        grid.addStretch(1)
        right.addWidget(self.action_grid)
        self.case_box = QGroupBox(_("The case so far (current round)"))
        self.case_box.setObjectName("complaintCase")
        case_form = QFormLayout(self.case_box)
        case_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.case_labels: dict[str, QLabel] = {}
        for name, label in CASE_FIELDS:
            value = QLabel()
            value.setObjectName(f"case_{name}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            case_form.addRow(_(label), value)
            self.case_labels[name] = value
        self.case_box.hide()
        right.addWidget(self.case_box)
        self.step_panel = StepPanel()
        self.step_panel.ok_button.clicked.connect(self.apply_step)
        self.step_panel.cancel_button.clicked.connect(self.step_panel.hide)
        right.addWidget(self.step_panel)
        self.timeline = QTableWidget(0, 5)
        self.timeline.setObjectName("complaintTimeline")
        self.timeline.setHorizontalHeaderLabels(
            [_("Time"), _("Step"), _("Status"), _("Signed by"), _("Remarks")]
        )
        self.timeline.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.timeline.verticalHeader().hide()
        self.timeline.horizontalHeader().setStretchLastSection(True)
        self.timeline.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        right.addWidget(QLabel(_("Timeline")))
        right.addWidget(self.timeline, 1)
        body.addLayout(right, 6)

        buttons = QHBoxLayout()
        self.message = QLabel()
        self.message.setObjectName("formMessage")
        self.message.setStyleSheet("color: #b3261e;")
        self.message.setWordWrap(True)
        self.save_button = QPushButton(_("Save (Ctrl+S)"))
        self.save_button.setDefault(False)
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        self.print_button = QPushButton(_("Print slip"))
        self.print_button.clicked.connect(self.print_slip)
        # The department's copy carries the full phone it must call; printing it is audited.
        self.department_copy_button = QPushButton(_("Print department copy"))
        self.department_copy_button.clicked.connect(lambda: self.print_slip("department"))
        self.close_button = QPushButton(_("Close"))
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.department_copy_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        outer.addLayout(buttons)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)  # Enter in a field must not press a button

        self.guard = UnsavedGuard(self, [left, self.step_panel])
        self.step_panel.ok_shortcut = QShortcut(QKeySequence("Ctrl+Return"), self.step_panel)
        self.step_panel.ok_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.step_panel.ok_shortcut.activated.connect(self.apply_step)
        if complaint_id is not None:
            self.load(complaint_id)
        else:
            if draft is not None:
                self._fill(draft)
            self._show_new()
        if complaint_id is None:
            self.customer.setFocus()

    # --- filling and reading the form ----------------------------------------------------

    def _fill(self, data: ComplaintInput) -> None:
        if data.received_at is not None:
            self.received_at.setDateTime(QDateTime(data.received_at))
        self.channel.setCurrentIndex(max(0, self.channel.findData(data.channel)))
        self.customer.set_customer(data.customer_id)
        self.contact_name.setText(data.contact_name)
        self.contact_phone.setText(auth.shown_phone(self.staff, data.contact_phone))
        index = self.category.findData(data.category)
        if index < 0 and data.category:
            self.category.addItem(complaints.category_label(data.category), data.category)
            index = self.category.count() - 1
        self.category.setCurrentIndex(index)
        self.severity.setCurrentIndex(max(0, self.severity.findData(data.severity)))
        self.facts.setPlainText(data.facts)
        self.desired_outcome.setPlainText(data.desired_outcome)
        if data.receiver_id is not None:
            index = self.receiver.findData(data.receiver_id)
            if index < 0:
                self.receiver.addItem(str(data.receiver_id), data.receiver_id)
                index = self.receiver.count() - 1
            self.receiver.setCurrentIndex(index)

    def data(self) -> ComplaintInput:
        """What the form holds now, as the domain takes it."""
        received = self.received_at.dateTime().toPython().replace(microsecond=0)
        if self.view is not None and received.replace(second=0) == self.view.received_at.replace(
            second=0
        ):
            received = self.view.received_at  # the minutes shown are unchanged
        contact = self.contact_name.text()
        if not contact.strip() and self.customer.customer_id() is None:
            contact = self.customer.line_edit.text()  # a customer typed in, not on file
        return ComplaintInput(
            received_at=received,
            channel=self.channel.currentData(),
            customer_id=self.customer.customer_id(),
            contact_name=contact,
            contact_phone=self.contact_phone.text(),
            category=self.category.currentData() or "",
            severity=self.severity.currentData(),
            facts=self.facts.toPlainText(),
            desired_outcome=self.desired_outcome.toPlainText(),
            receiver_id=self.receiver.currentData(),
            attachments=list(self.pending_files),
        )

    def _customer_picked(self, customer_id: int) -> None:
        from csoffice import customers

        found = customers.rows([customer_id])
        if not found:
            return
        if not self.contact_name.text().strip():
            self.contact_name.setText(found[0].name)
        if not self.contact_phone.text().strip():
            self.contact_phone.setText(found[0].mobile)

    def add_files(self, paths: list[Path]) -> None:
        """Files to attach: kept with the form until it is saved."""
        for path in paths:
            self.pending_files.append(Path(path))
            item = QListWidgetItem(_("{name} (not saved yet)").format(name=Path(path).name))
            self.attachments.addItem(item)

    def _choose_files(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        from csoffice.ui.file_dialogs import file_dialog

        dialog = file_dialog(self, _("Attach photos or documents"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.filesSelected.connect(lambda names: self.add_files([Path(n) for n in names]))
        self.file_dialog = dialog
        dialog.open()

    def _open_attachment(self, item: QListWidgetItem) -> None:
        path = item.data(Qt.ItemDataRole.UserRole)
        if path:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    # --- showing a stored complaint -----------------------------------------------------

    def _show_new(self) -> None:
        self.setWindowTitle(_("New complaint"))
        self.heading.setText(_("New complaint"))
        self.state_label.setText(
            _("The number is given when the form is saved. Whoever receives it owns it to the end.")
        )
        self.action_grid.hide()
        self.print_button.setEnabled(False)
        self.department_copy_button.setEnabled(False)
        self.timeline.setRowCount(0)

    def load(self, complaint_id: int) -> None:
        """Show the stored complaint: form, where it stands, the moves allowed, its timeline."""
        self.complaint_id = complaint_id
        view = complaints.view(complaint_id)
        self.view = view
        self.pending_files = []
        self._fill(view.as_input())
        if view.customer_id is None:
            self.customer.set_customer(None)
        self.setWindowTitle(_("Complaint {number}").format(number=view.number))
        self.heading.setText(
            _("Complaint {number} — {status}").format(number=view.number, status=view.status_label)
        )
        lines = [
            _("First responder: {name}").format(name=view.receiver_name),
            _("Response due {response}, resolution due {resolve}").format(
                response=format_datetime(view.response_due),
                resolve=format_datetime(view.resolve_due),
            ),
        ]
        if view.overdue:
            lines.append(_(complaints.OVERDUE_LABELS[view.overdue]))
        if view.escalated_at:
            lines.append(
                _("Escalated to the manager at {time}").format(
                    time=format_datetime(view.escalated_at)
                )
            )
        self.state_label.setText("\n".join(lines))
        self.state_label.setStyleSheet("color: #b3261e;" if view.overdue else "")
        final = view.status in complaints.FINAL_STATUSES
        may_edit = auth.can(self.staff, "edit") and not final
        for widget in (
            self.received_at,
            self.channel,
            self.customer,
            self.contact_name,
            self.contact_phone,
            self.category,
            self.facts,
            self.desired_outcome,
            self.add_file_button,
        ):
            widget.setEnabled(may_edit)
        self.severity.setEnabled(may_edit and view.status == "received")
        self.receiver.setEnabled(False)  # the first responder never changes
        self.save_button.setEnabled(may_edit)
        self.print_button.setEnabled(auth.can(self.staff, "print"))
        self.department_copy_button.setEnabled(auth.can(self.staff, "print"))
        allowed = set(complaints.allowed_actions(self.staff, complaints.get(complaint_id)))
        if not final and auth.can(self.staff, "edit"):
            allowed.add("note")
        for action, button in self.action_buttons.items():
            button.setVisible(action in allowed)
        self.action_grid.setVisible(bool(allowed))
        self.step_panel.hide()
        self._number_actions()
        self.attachments.clear()
        for attachment in view.attachments:
            item = QListWidgetItem(attachment.filename)
            item.setData(Qt.ItemDataRole.UserRole, str(attachment.path))
            self.attachments.addItem(item)
        values = case_values(view)
        for name, label in self.case_labels.items():
            label.setText(values[name] or "—")
        self.case_box.setVisible(any(values.values()))
        details = _step_details(view, values)
        self.timeline.setRowCount(len(view.steps))
        for row, step in enumerate(view.steps):
            remarks = "；".join(
                p for p in (step.department, step.assignee, details.get(row, ""), step.note) if p
            )
            for column, text in enumerate(
                (
                    format_datetime(step.at),
                    step.action_label,
                    step.status_label,
                    step.staff_name,
                    remarks,
                )
            ):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.timeline.setItem(row, column, item)

    def _number_actions(self) -> None:
        """Alt+1, Alt+2 … press the moves allowed now, in the order shown."""
        visible = [b for b in self.action_buttons.values() if not b.isHidden()]
        for button in self.action_buttons.values():
            button.setShortcut(QKeySequence())
        for number, button in enumerate(visible[:9], start=1):
            keys = f"Alt+{number}"
            button.setShortcut(QKeySequence(keys))
            button.setToolTip(keys)

    def reject(self) -> None:
        """Esc, Close and the window's close button ask before typed changes are dropped."""
        self.guard.confirm(lambda: QDialog.reject(self))

    # --- writing ------------------------------------------------------------------------

    def save(self) -> None:
        self.errors.clear()
        self.message.clear()
        if not self.save_button.isEnabled():
            return
        try:
            if self.view is None:
                complaint = complaints.create(self.staff, self.data(), self.reception_id)
            else:
                complaint = complaints.update(
                    self.staff, self.view.id, self.data(), self.view.version
                )
        except CsofficeError as exc:
            show_refusal(self.errors, self.message, exc, "；")
            return
        self._changed(complaint.id)

    def start_step(self, action: str) -> None:
        self.message.clear()
        self.step_panel.start(action)

    def apply_step(self) -> None:
        """Make the move whose inputs are shown; the domain refuses what is not allowed."""
        if self.view is None:
            return
        action = self.step_panel.action
        self.step_panel.errors.clear()
        self.message.clear()
        step = self.step_panel.step()
        try:
            if action == "note":
                complaint = complaints.add_note(self.staff, self.view.id, step.note)
            else:
                complaint = complaints.move(
                    self.staff, self.view.id, action, step, version=self.view.version
                )
        except CsofficeError as exc:
            show_refusal(self.step_panel.errors, self.message, exc, "；")
            return
        self._changed(complaint.id)

    def _changed(self, complaint_id: int) -> None:
        self.load(complaint_id)
        self.guard.mark_clean()
        self.saved.emit(complaint_id)

    def print_current(self) -> Path | None:
        """Ctrl+P on the form: the slip."""
        return self.print_slip()

    def print_slip(self, copy: str = "filed") -> Path | None:
        """Print the slip (``copy``: filed, or department with the full phone) to a PDF in the
        data folder's prints and show it in the print preview (the form's print action)."""
        if self.view is None:
            return None
        from csoffice.complaints.slip import print_slip

        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        path = subfolder("prints") / f"{self.view.number}-{copy}-{stamp}.pdf"
        try:
            print_slip(self.staff, self.view.id, path, copy=copy)
        except CsofficeError as exc:
            show_message(self, _("Print"), str(exc))
            return None
        self.message.setText(_("Slip saved to {path}").format(path=path))
        if self.open_printed:
            from csoffice.ui.dialogs.print_preview import open_preview

            self.preview = open_preview(self, path, self.view.number)
        return path
