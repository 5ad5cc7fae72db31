"""One return visit: who to call and why, the questionnaire, and the call's result; a dissatisfied
answer offers the complaint form filled in. Also the small dialog that schedules a call by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from csoffice import auth, visits
from csoffice.errors import CsofficeError, ValidationError
from csoffice.i18n import _, format_date, format_datetime
from csoffice.ui.context import AppContext
from csoffice.ui.desk_keys import DeskDialog
from csoffice.ui.unsaved import UnsavedGuard
from csoffice.ui.widgets.customer_picker import CustomerPicker
from csoffice.ui.widgets.form import FieldErrors
from csoffice.ui.widgets.qt_dates import show_dates
from csoffice.visits import ResultInput, VisitView


def _text_box(height: int = 60) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)  # the form is filled in by keyboard: Tab goes on
    box.setFixedHeight(height)
    return box


def _staff_combo(current: int | None) -> QComboBox:
    combo = QComboBox()
    combo.addItem(_("Anyone at the desk"), None)
    for staff_id, name in visits.staff_choices():
        combo.addItem(name, staff_id)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


def _show_refusal(message: QLabel, errors: FieldErrors, exc: CsofficeError) -> None:
    """A refused save: field errors next to their fields (the others on the message line),
    any other refusal on the message line."""
    if isinstance(exc, ValidationError):
        message.setText("；".join(errors.show(exc)))
    else:
        message.setText(str(exc))


class VisitDialog(DeskDialog):
    """Make a call and record it; a done call is shown as recorded."""

    recorded = Signal(int)

    def __init__(self, context: AppContext, visit_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.staff = context.staff
        self.visit_id = visit_id
        self.may_edit = auth.can(self.staff, "edit")
        self.outcome: visits.Outcome | None = None
        self.complaint_form = None
        self.question_box: QMessageBox | None = None
        self.setObjectName("visitDialog")
        self.resize(640, 620)
        outer = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setObjectName("visitHeading")
        self.heading.setStyleSheet("font-size: 14pt; font-weight: bold;")
        outer.addWidget(self.heading)
        self.facts = QLabel()
        self.facts.setObjectName("visitFacts")
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.facts)

        self.form_widget = QWidget()
        self.form = QFormLayout(self.form_widget)
        self.errors = FieldErrors(self.form)
        outer.addWidget(self.form_widget)
        outer.addStretch(1)

        buttons = QHBoxLayout()
        self.message = QLabel()
        self.message.setObjectName("formMessage")
        self.message.setStyleSheet("color: #b3261e;")
        self.message.setWordWrap(True)
        self.complaint_button = QPushButton(_("Open a complaint form…"))
        self.complaint_button.setObjectName("visitComplaint")
        self.complaint_button.clicked.connect(self.open_complaint_form)
        self.cancel_visit_button = QPushButton(_("Cancel the call…"))
        self.cancel_visit_button.clicked.connect(self.ask_cancel)
        self.save_button = QPushButton(_("Save (Ctrl+S)"))
        self.save_button.setObjectName("visitSave")
        self.save_button.clicked.connect(self.save)
        self.close_button = QPushButton(_("Close"))
        self.close_button.clicked.connect(self.reject)
        buttons.addWidget(self.message, 1)
        for button in (
            self.complaint_button,
            self.cancel_visit_button,
            self.save_button,
            self.close_button,
        ):
            button.setAutoDefault(False)  # Enter in a field must not press a button
            buttons.addWidget(button)
        outer.addLayout(buttons)
        QShortcut(QKeySequence.StandardKey.Save, self).activated.connect(self.save)
        QShortcut(QKeySequence("Ctrl+Return"), self).activated.connect(self.save)
        self.guard = UnsavedGuard(self, [self.form_widget])
        self.load()

    def reject(self) -> None:
        """Esc, Close and the window's close button ask before typed answers are dropped."""
        self.guard.confirm(lambda: QDialog.reject(self))

    # --- showing ---------------------------------------------------------------------------

    def _clear_form(self) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.errors = FieldErrors(self.form)
        self.answer_edits: dict[str, QLineEdit] = {}
        self.choice_boxes: dict[str, QComboBox] = {}

    def load(self) -> None:
        view = visits.view(self.visit_id)
        self.view = view
        self.setWindowTitle(_("Return visit — {name}").format(name=view.customer_name))
        self.heading.setText(f"{view.customer_name}　{view.phone}　· {view.kind_label}")
        facts = [
            _("Due {date}").format(date=format_date(view.due_on)),
            visits.status_label(view.status),
        ]
        if view.attempts and view.is_open:
            facts.append(_("{n} attempts so far").format(n=view.attempts))
        lines = [" · ".join(facts)]
        lines += [text for text in (view.subject, view.note) if text]
        lines += view.background
        self.facts.setText("\n".join(lines))
        self._clear_form()
        if view.is_open and self.may_edit:
            self._build_entry(view)
        else:
            self._build_record(view)
        self.save_button.setVisible(view.is_open and self.may_edit)
        self.cancel_visit_button.setVisible(view.is_open and self.may_edit)
        self.complaint_button.setVisible(
            self.may_edit and view.dissatisfied and view.raised_complaint_id is None
        )
        if hasattr(self, "guard"):
            self.guard.mark_clean()

    def _build_entry(self, view: VisitView) -> None:
        self.reached = QComboBox()
        self.reached.setObjectName("visitReached")
        self.reached.addItem(_("Reached"), True)
        self.reached.addItem(_("Not reached"), False)
        self.reached.currentIndexChanged.connect(self._reached_changed)
        self.errors.add_row("reached", _("Call"), self.reached)
        for number, question in enumerate(view.survey):
            edit = QLineEdit()
            edit.setObjectName(f"visitAnswer{number}")
            edit.setText(view.answers.get(question.text, ""))
            self.answer_edits[question.text] = edit
            if not question.scored:
                self.errors.add_row(f"answer{number}", question.text, edit)
                continue
            # A scored question: the option (its score counts in the survey results) and a note.
            choice = QComboBox()
            choice.setObjectName(f"visitChoice{number}")
            choice.setMinimumWidth(120)  # the notes line up whatever the options
            choice.addItem("", "")
            for option in question.options:
                choice.addItem(option.label, option.label)
            edit.setPlaceholderText(_("Note (optional)"))
            edit.clear()
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            line.addWidget(choice)
            line.addWidget(edit, 1)
            self.choice_boxes[question.text] = choice
            self.errors.add_row(f"answer{number}", question.text, row)
            self.errors.widgets[f"answer{number}"] = choice
        self.satisfaction = QComboBox()
        self.satisfaction.setObjectName("visitSatisfaction")
        self.satisfaction.addItem("", None)
        for score in sorted(visits.SATISFACTION, reverse=True):
            self.satisfaction.addItem(f"{score}  {visits.satisfaction_label(score)}", score)
        self.errors.add_row("satisfaction", _("Satisfaction"), self.satisfaction)
        self.remarks = _text_box()
        self.remarks.setObjectName("visitRemarks")
        self.errors.add_row("remarks", _("Remarks"), self.remarks)
        self.assigned = _staff_combo(view.assigned_to)
        self.assigned.setObjectName("visitAssigned")
        self.assigned.activated.connect(self._reassign)
        self.errors.add_row("assigned_to", _("Assigned to"), self.assigned)
        self.reached.setFocus()

    def _build_record(self, view: VisitView) -> None:
        def show(label: str, text: str) -> None:
            value = QLabel(text)
            value.setWordWrap(True)
            self.form.addRow(label, value)

        show(_("Call result"), visits.result_text(view.status, view.reached, view.attempts))
        for question, answer in view.answers.items():
            show(question, answer)
        if view.satisfaction is not None:
            show(
                _("Satisfaction"),
                f"{view.satisfaction}  {visits.satisfaction_label(view.satisfaction)}",
            )
        if view.remarks:
            show(_("Remarks"), view.remarks)
        if view.done_at:
            show(_("Done at"), f"{format_datetime(view.done_at)}　{view.done_by_name}")
        if view.raised_complaint_number:
            show(_("Complaint"), view.raised_complaint_number)

    def _reached_changed(self) -> None:
        reached = bool(self.reached.currentData())
        for edit in [*self.answer_edits.values(), *self.choice_boxes.values()]:
            edit.setEnabled(reached)
        self.satisfaction.setEnabled(reached)

    # --- writing ---------------------------------------------------------------------------

    def data(self) -> ResultInput:
        return ResultInput(
            reached=bool(self.reached.currentData()),
            answers={q: edit.text() for q, edit in self.answer_edits.items()},
            satisfaction=self.satisfaction.currentData(),
            remarks=self.remarks.toPlainText(),
            choices={q: box.currentData() or "" for q, box in self.choice_boxes.items()},
        )

    def _try_write(self, work: Callable[[], object]) -> bool:
        """Run a domain write; a refusal goes on the message line. Whether it went through."""
        try:
            work()
        except CsofficeError as exc:
            self.message.setText(str(exc))
            return False
        return True

    def _reassign(self) -> None:
        staff_id = self.assigned.currentData()
        self._try_write(lambda: visits.reassign(self.staff, self.visit_id, staff_id))

    def save(self) -> None:
        if not self.save_button.isVisible():
            return
        self.errors.clear()
        self.message.clear()
        try:
            outcome = visits.record_result(self.staff, self.visit_id, self.data())
        except CsofficeError as exc:
            _show_refusal(self.message, self.errors, exc)
            return
        self.outcome = outcome
        self.recorded.emit(self.visit_id)
        if outcome.dissatisfied:
            self.load()
            self.offer_complaint()
        else:
            self.accept()

    def offer_complaint(self) -> QMessageBox:
        """Ask, without blocking, whether to open the complaint form filled in from this call."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Customer dissatisfied"),
            _(
                "The customer is dissatisfied. Open a complaint form filled in from this call?\n"
                "If not, the customer will be called again."
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        box.buttonClicked.connect(self._answered)
        self.question_box = box
        box.open()
        return box

    def _answered(self, button: QAbstractButton) -> None:
        box = self.question_box
        if box is None:  # only the question box, once opened, connects here
            return
        if box.standardButton(button) == QMessageBox.StandardButton.Yes:
            self.open_complaint_form()

    def open_complaint_form(self):
        from csoffice.ui.dialogs.complaint_form import ComplaintForm

        form = ComplaintForm(
            self.context, draft=visits.complaint_draft_from_visit(self.visit_id), parent=self
        )
        form.saved.connect(self._complaint_saved)
        self.complaint_form = form
        form.open()
        return form

    def _complaint_saved(self, complaint_id: int) -> None:
        if self.view.raised_complaint_id == complaint_id:
            return  # the form saved a correction of the complaint already linked
        if self._try_write(lambda: visits.link_complaint(self.staff, self.visit_id, complaint_id)):
            self.load()

    def ask_cancel(self) -> QInputDialog:
        dialog = QInputDialog(self)
        dialog.setWindowTitle(_("Cancel the call"))
        dialog.setLabelText(_("Why is this call no longer needed?"))
        dialog.textValueSelected.connect(self._cancel)
        self.cancel_dialog = dialog
        dialog.open()
        return dialog

    def _cancel(self, reason: str) -> None:
        if self._try_write(lambda: visits.cancel(self.staff, self.visit_id, reason)):
            self.accept()


class ScheduleDialog(DeskDialog):
    """Schedule a call by hand: the customer, the day, who calls, what about."""

    saved = Signal(int)

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.staff = context.staff
        self.setObjectName("scheduleVisit")
        self.setWindowTitle(_("Schedule a return visit"))
        self.resize(520, 260)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.errors = FieldErrors(form)
        self.customer = CustomerPicker()
        self.errors.add_row("customer", _("Customer"), self.customer)
        self.errors.widgets["customer"] = self.customer.line_edit
        self.due_on = QDateEdit(QDate.currentDate().addDays(1))
        self.due_on.setCalendarPopup(True)
        show_dates(self.due_on)
        self.errors.add_row("due_on", _("Date of the call"), self.due_on)
        self.assigned = _staff_combo(self.staff.id)
        self.errors.add_row("assigned_to", _("Assigned to"), self.assigned)
        self.note = QLineEdit()
        self.note.setPlaceholderText(_("What the call is about"))
        self.errors.add_row("note", _("About"), self.note)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        self.message = QLabel()
        self.message.setStyleSheet("color: #b3261e;")
        self.save_button = QPushButton(_("Save (Ctrl+S)"))
        self.save_button.clicked.connect(self.save)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.reject)
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        for button in (self.save_button, close):
            button.setAutoDefault(False)
        layout.addLayout(buttons)
        QShortcut(QKeySequence.StandardKey.Save, self).activated.connect(self.save)
        self.customer.setFocus()

    def save(self) -> None:
        self.errors.clear()
        self.message.clear()
        due: dt.date = self.due_on.date().toPython()  # pyright: ignore[reportAssignmentType]  # stubs: QDate.toPython() -> object
        try:
            visit = visits.schedule(
                self.staff,
                self.customer.customer_id(),
                due,
                self.assigned.currentData(),
                self.note.text(),
            )
        except CsofficeError as exc:
            _show_refusal(self.message, self.errors, exc)
            return
        self.saved.emit(visit.id)
        self.accept()
