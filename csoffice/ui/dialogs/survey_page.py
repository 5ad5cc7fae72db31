"""The settings page of return-visit surveys: per kind of call, its questions in order, each
answered in free text or by options that carry a score (5 best, 1 worst)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from csoffice import survey, visits
from csoffice.errors import ValidationError
from csoffice.i18n import _
from csoffice.ui.context import AppContext
from csoffice.ui.dialogs.settings_page import RulesPage
from csoffice.ui.widgets.form import FieldErrors

_PREFIX = "visits.questions."


class SurveyPage(RulesPage):
    """The questionnaire of each kind of return visit (manager)."""

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(context, parent)
        self.edited: dict[str, list[Any]] = {
            code: [survey.as_setting(q) for q in survey.questions(code)]
            for code, _label in visits.kinds()
        }
        self.kind_code = ""
        self.row = -1
        layout = QVBoxLayout(self)
        intro = QLabel(
            _(
                "The questions the clerk asks on each kind of call. A question with answer "
                "options is scored (one option a line: 很满意 = 5, 5 best, 1 worst) and counts "
                "in the survey results; one without options is answered in free text. A kind "
                "left with no questions uses the built-in questionnaire."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        top = QHBoxLayout()
        self.kind = QComboBox()
        for code, label in visits.kinds():
            self.kind.addItem(label, code)
        top.addWidget(QLabel(_("Kind of call")))
        top.addWidget(self.kind, 1)
        self.builtin_button = QPushButton(_("The built-in questions"))
        self.builtin_button.clicked.connect(self.restore_builtin)
        top.addWidget(self.builtin_button)
        layout.addLayout(top)
        body = QHBoxLayout()
        layout.addLayout(body, 1)
        left = QVBoxLayout()
        self.question_list = QListWidget()
        self.question_list.setMinimumWidth(240)
        left.addWidget(self.question_list, 1)
        self.add_button = QPushButton(_("Add a question"))
        self.add_button.clicked.connect(self.add_question)
        self.remove_button = QPushButton(_("Remove the question"))
        self.remove_button.clicked.connect(self.remove_question)
        left.addWidget(self.add_button)
        left.addWidget(self.remove_button)
        body.addLayout(left)
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        column.addLayout(form)
        column.addStretch(1)  # the fields stay together at the top
        self.errors = FieldErrors(form)
        self.text = QLineEdit()
        self.errors.add_row("text", _("Question"), self.text)
        self.options = QPlainTextEdit()
        self.options.setTabChangesFocus(True)
        self.options.setPlaceholderText(_("Empty: answered in free text"))
        self.options.setMaximumHeight(140)
        self.errors.add_row("options", _("Answer options"), self.options)
        body.addWidget(holder, 1)
        layout.addWidget(self.message)
        self.text.textEdited.connect(self._title_follows)
        self.kind.currentIndexChanged.connect(self._kind_chosen)
        self.question_list.currentRowChanged.connect(self._select)
        self.lock(
            [
                self.builtin_button,
                self.add_button,
                self.remove_button,
                self.text,
                self.options,
            ],
            _("Only the manager may change the survey questions."),
        )
        self._kind_chosen()

    # --- the questions of one kind ------------------------------------------------------------

    def _kind_chosen(self) -> None:
        self._keep()
        self.kind_code = self.kind.currentData()
        self.row = -1
        self._fill_list(0)

    def _fill_list(self, select: int) -> None:
        self.row = -1
        self.question_list.blockSignals(True)
        self.question_list.clear()
        for spec in self.edited[self.kind_code]:
            self.question_list.addItem(self._title(spec))
        self.question_list.blockSignals(False)
        items = self.edited[self.kind_code]
        if items:
            self.question_list.setCurrentRow(min(select, len(items) - 1))
        else:
            self.text.clear()
            self.options.clear()

    @staticmethod
    def _title(spec: Any) -> str:
        text = spec.get("text", "") if isinstance(spec, dict) else str(spec)
        return text or _("(new question)")

    def _select(self, row: int) -> None:
        self._keep()
        self.row = row
        self.errors.clear()
        items = self.edited[self.kind_code]
        if 0 <= row < len(items):
            spec = items[row]
            self.text.setText(spec.get("text", "") if isinstance(spec, dict) else str(spec))
            options = spec.get("options", []) if isinstance(spec, dict) else []
            self.options.setPlainText(survey.option_lines(options))

    def _keep(self) -> None:
        """Store what the form holds into the question it shows."""
        items = self.edited.get(self.kind_code)
        if items is None or not 0 <= self.row < len(items):
            return
        text = self.text.text().strip()
        options = survey.options_from_lines(self.options.toPlainText())
        items[self.row] = {"text": text, "options": options} if options else text

    def _title_follows(self, text: str) -> None:
        item = self.question_list.item(self.row)
        if item is not None:
            item.setText(text.strip() or _("(new question)"))

    def add_question(self) -> None:
        self._keep()
        self.edited[self.kind_code].append("")
        self._fill_list(len(self.edited[self.kind_code]) - 1)
        self.text.setFocus()

    def remove_question(self) -> None:
        row = self.question_list.currentRow()
        items = self.edited[self.kind_code]
        if 0 <= row < len(items):
            self.row = -1
            del items[row]
            self._fill_list(row)

    def restore_builtin(self) -> None:
        self.row = -1
        self.edited[self.kind_code] = [
            survey.as_setting(q) for q in survey.built_in_questions(self.kind_code)
        ]
        self._fill_list(0)

    # --- saving ------------------------------------------------------------------------------

    def typed(self) -> dict[str, Any]:
        self._keep()
        return {"visits.questions": survey.office_questions(self.edited)}

    def show_refusal(self, error: ValidationError) -> None:
        """Go to the first question with a problem and show its message under it."""
        placed = [key for key in error.errors if key.startswith(_PREFIX)]
        if not placed:
            super().show_refusal(error)
            return
        kind, index, *part = placed[0][len(_PREFIX) :].split(".")
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        self.question_list.setCurrentRow(int(index))
        field = "options" if part else "text"
        self.errors.show(ValidationError.single(field, error.errors[placed[0]]))
        if len(placed) > 1:
            self.message.setText(_("Other questions also need a look."))
            self.message.show()
