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
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from csoffice import auth, complaints, conflicts, customers
from csoffice.complaints import ComplaintInput, ComplaintView
from csoffice.errors import CsofficeError
from csoffice.i18n import N_, _, format_datetime
from csoffice.paths import subfolder
from csoffice.ui.context import AppContext
from csoffice.ui.desk_keys import DeskDialog
from csoffice.ui.dialogs.complaint_conflict import offer_complaint_choice
from csoffice.ui.dialogs.complaint_links import ComplaintLinks
from csoffice.ui.dialogs.complaint_step import StepPanel, text_box
from csoffice.ui.errors import show_message
from csoffice.ui.unsaved import UnsavedGuard
from csoffice.ui.widgets.customer_picker import CustomerPicker
from csoffice.ui.widgets.form import FieldErrors, show_refusal
from csoffice.ui.widgets.tab_chain import place_before, tab_stops

# The read-only block of what was done and what the customer said, in the current round.
CASE_FIELDS = [
    ("result", N_("Result")),
    ("company_at_fault", N_("Company at fault")),
    ("root_cause", N_("Root cause")),
    ("corrective_action", N_("Corrective action")),
    ("customer_opinion", N_("Customer's opinion")),
    ("satisfaction", N_("Satisfaction")),
]


def shown_round(view: ComplaintView) -> complaints.Round:
    """The round the case block shows: the current one, or, while a re-opened complaint has
    recorded nothing yet, the round the re-opening superseded (what the caller was told)."""
    rounds = view.rounds
    current = rounds[-1]
    if current.handled is None and current.informed is None and len(rounds) > 1:
        return rounds[-2]
    return current


def case_values(view: ComplaintView) -> dict[str, str]:
    """The case block's texts for the round it shows (empty for what it has not recorded)."""
    shown = shown_round(view)
    handled, informed = shown.handled, shown.informed
    fault = {True: _("Yes"), False: _("No"), None: ""}[
        handled.company_at_fault if handled else None
    ]
    satisfaction = ""
    if informed is not None and informed.satisfaction is not None:
        satisfaction = _("{score} of 5").format(score=informed.satisfaction)
        if informed.satisfaction_reason:
            satisfaction += "：" + informed.satisfaction_reason
    return {
        "result": handled.result if handled else "",
        "company_at_fault": fault,
        "root_cause": handled.root_cause if handled else "",
        "corrective_action": handled.corrective_action if handled else "",
        "customer_opinion": informed.customer_opinion if informed else "",
        "satisfaction": satisfaction,
    }


class ComplaintForm(DeskDialog):
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
        self.facts = text_box(90)
        self.errors.add_row("facts", _("Facts"), self.facts)
        self.desired_outcome = text_box(56)
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
        # Complainants and duplicate links belong to a saved complaint: made when one is shown.
        self._links: ComplaintLinks | None = None
        self.links_holder = QWidget()
        self.links_rows = QVBoxLayout(self.links_holder)
        self.links_rows.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.links_holder)
        # The move's inputs are made when the first move is chosen: most forms open to be
        # read or filled in, and the panel is a third of the form's widgets.
        self._step_panel: StepPanel | None = None
        self.step_holder = QWidget()
        self.step_rows = QVBoxLayout(self.step_holder)
        self.step_rows.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.step_holder)
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
        # not connected to print_slip itself: clicked's checked=False would arrive as ``copy``
        self.print_button.clicked.connect(lambda: self.print_slip())
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
        QShortcut(QKeySequence.StandardKey.Save, self).activated.connect(self.save)
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)  # Enter in a field must not press a button

        self.guard = UnsavedGuard(self, [left, self.step_holder])
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
        typed: dt.datetime = self.received_at.dateTime().toPython()  # pyright: ignore[reportAssignmentType]  # stubs: QDateTime.toPython() -> object
        received = typed.replace(microsecond=0)
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
        if self._step_panel is not None:
            self._step_panel.hide()
        self._number_actions()
        self.attachments.clear()
        for attachment in view.attachments:
            item = QListWidgetItem(attachment.filename)
            item.setData(Qt.ItemDataRole.UserRole, str(attachment.path))
            self.attachments.addItem(item)
        self._show_case(view)

    def _show_case(self, view: ComplaintView) -> None:
        """The current round's block, the group and duplicate panel, the timeline (each step
        with what it recorded, so earlier rounds' results stay readable)."""
        values = case_values(view)
        for name, label in self.case_labels.items():
            label.setText(values[name] or "—")
        shown = shown_round(view)
        if shown.superseded:
            title = _("Round {n}, superseded by the re-opening").format(n=shown.number)
        elif shown.number > 1:
            title = _("The case so far (round {n})").format(n=shown.number)
        else:
            title = _("The case so far (current round)")
        self.case_box.setTitle(title)
        self.case_box.setVisible(any(values.values()))
        self.links.show_view(view)
        self.timeline.setRowCount(len(view.steps))
        for row, step in enumerate(view.steps):
            remarks = step.remarks()
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

    def _links_changed(self, complaint_id: int) -> None:
        """A complainant or the duplicate link was saved: show it, keeping what is typed in the
        form (only the version read moves on)."""
        self.view = complaints.view(complaint_id)
        self._show_case(self.view)
        self.saved.emit(complaint_id)

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
        if not self.save_button.isEnabled():
            return
        self.save_as(self.data(), self.view.version if self.view is not None else 0)

    def save_as(
        self,
        data: ComplaintInput,
        version: int,
        resolution: tuple[conflicts.Choice, list[conflicts.FieldDiff]] | None = None,
    ) -> None:
        self.errors.clear()
        self.message.clear()
        try:
            if self.view is None:
                complaint = complaints.create(self.staff, data, self.reception_id)
            else:
                complaint = complaints.update(
                    self.staff, self.view.id, data, version, resolution=resolution
                )
        except conflicts.StaleRecord as exc:
            self.conflict_dialog = offer_complaint_choice(self, exc, data, self)
            return
        except CsofficeError as exc:
            show_refusal(self.errors, self.message, exc, "；")
            return
        self._changed(complaint.id)

    def start_step(self, action: str) -> None:
        self.message.clear()
        self.links.hide()  # room for the move's inputs and the timeline on a small screen
        self.step_panel.start(action)

    @property
    def step_panel(self) -> StepPanel:
        """The inputs of a move, made on first use."""
        if self._step_panel is None:
            panel = StepPanel()
            panel.ok_button.clicked.connect(self.apply_step)
            panel.cancel_button.clicked.connect(self._end_step)
            panel.ok_shortcut.activated.connect(self.apply_step)
            self.step_rows.addWidget(panel)
            self._step_panel = panel
            self.guard.watch_new_inputs()
            place_before(panel, self.timeline)
        return self._step_panel

    @property
    def links(self) -> ComplaintLinks:
        """The complainants and duplicate links, made when a saved complaint is shown."""
        if self._links is None:
            links = ComplaintLinks(self.context)
            links.changed.connect(self._links_changed)
            self.links_rows.addWidget(links)
            self._links = links
            step = tab_stops(self._step_panel) if self._step_panel is not None else []
            place_before(links, step[0] if step else self.timeline)
        return self._links

    def _end_step(self) -> None:
        self.step_panel.hide()
        self.links.show_view(self.view)

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
