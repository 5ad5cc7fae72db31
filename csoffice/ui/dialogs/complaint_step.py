"""The complaint form's step panel: the inputs of one workflow move (confirm, handle, inform, …),
shown under the form when the move's button is pressed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from csoffice import complaints
from csoffice.complaints import StepInput
from csoffice.i18n import _
from csoffice.ui.dialogs.form_rows import row_holder, row_label
from csoffice.ui.widgets.form import FieldErrors

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

OUTSIDE = -1  # the handler combo's entry for a person outside the desk


def text_box(height: int = 64) -> QPlainTextEdit:
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
        self.result = text_box()
        self.errors.add_row("result", _("Result"), self.result)
        self.company_at_fault = QComboBox()
        self.company_at_fault.addItem("", None)
        self.company_at_fault.addItem(_("Yes: the company was at fault"), True)
        self.company_at_fault.addItem(_("No: the company was not at fault"), False)
        self.errors.add_row("company_at_fault", _("Company at fault"), self.company_at_fault)
        self.root_cause = text_box(48)
        self.errors.add_row("root_cause", _("Root cause"), self.root_cause)
        self.corrective_action = text_box(48)
        self.errors.add_row("corrective_action", _("Corrective action"), self.corrective_action)
        self.customer_opinion = text_box(48)
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
        self.note = text_box(48)
        self.errors.add_row("note", _("Remarks"), self.note)
        self.note_label = row_label(self.errors, "note")
        buttons = QHBoxLayout()
        self.ok_button = QPushButton(_("Confirm (Ctrl+Enter)"))
        self.ok_button.setDefault(False)
        self.cancel_button = QPushButton(_("Cancel"))
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.ok_button)
        form.addRow(buttons)
        self.handler.currentIndexChanged.connect(self._handler_changed)
        # Ctrl+Enter anywhere in the panel makes the move (the form connects it).
        self.ok_shortcut = QShortcut(QKeySequence("Ctrl+Return"), self)
        self.ok_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.hide()

    def _row(self, name: str) -> QWidget:
        return row_holder(self.errors, name)

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
        if self.note_label is not None:
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
