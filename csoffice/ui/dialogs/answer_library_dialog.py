"""The answer library (常用答复) dialog: standard answers by topic, service phrases to use and
phrases never to use, each its own list. The manager writes and archives entries and moves the
library to and from an Excel sheet; clerks read it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from csoffice import answers, auth, receptions
from csoffice.answers import AnswerInput, AnswerRow
from csoffice.errors import CsofficeError, ValidationError
from csoffice.i18n import _, format_number
from csoffice.ui.context import AppContext
from csoffice.ui.desk_keys import DeskDialog
from csoffice.ui.dialogs.form_rows import row_label
from csoffice.ui.errors import show_message
from csoffice.ui.file_dialogs import file_dialog, save_dialog
from csoffice.ui.tasks import run_task
from csoffice.ui.widgets.form import FieldErrors, message_label

KIND_ORDER = ("answer", "phrase", "taboo")


class AnswerLibraryDialog(DeskDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.staff = context.staff
        self.may_edit = self.staff.role == auth.Role.MANAGER
        self.editing_id: int | None = None
        self.rows: list[AnswerRow] = []
        self.task = None
        self.file_dialog: QFileDialog | None = None
        self.setObjectName("answerLibrary")
        self.setWindowTitle(_("Answer library"))
        self.resize(1100, 640)

        layout = QVBoxLayout(self)
        self.kinds = QTabBar()
        self.kinds.setObjectName("answerKinds")
        for code in KIND_ORDER:
            self.kinds.addTab(answers.kind_label(code))
        layout.addWidget(self.kinds)
        splitter = QSplitter()
        layout.addWidget(splitter, 1)

        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        filters = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("answerSearch")
        self.search.setPlaceholderText(_("Find by topic, question, answer or keyword"))
        self.show_archived = QCheckBox(_("Show archived"))
        filters.addWidget(self.search, 1)
        filters.addWidget(self.show_archived)
        column.addLayout(filters)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("answerTable")
        self.table.setHorizontalHeaderLabels(
            [_("Topic"), _("Question or phrase"), _("Times used"), _("Status")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        column.addWidget(self.table, 1)
        self.count_label = QLabel()
        column.addWidget(self.count_label)
        splitter.addWidget(left)

        right = QWidget()
        form_column = QVBoxLayout(right)
        form = QFormLayout()
        form_column.addLayout(form)
        self.errors = FieldErrors(form)
        self.topic = QComboBox()
        self.topic.setObjectName("answerTopic")
        self.topic.setEditable(True)
        self.question = QLineEdit()
        self.question.setObjectName("answerQuestion")
        self.text = QPlainTextEdit()
        self.text.setObjectName("answerText")
        self.text.setTabChangesFocus(True)
        self.keywords = QLineEdit()
        self.keywords.setObjectName("answerKeywords")
        self.keywords.setPlaceholderText(_("Words callers use, separated by commas"))
        self.categories = QListWidget()
        self.categories.setObjectName("answerCategories")
        self.categories.setMaximumHeight(110)
        for code, label in receptions.categories():
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.categories.addItem(item)
        self.errors.add_row("topic", _("Topic"), self.topic)
        self.question_label = _("Question")
        self.errors.add_row("question", self.question_label, self.question)
        self.errors.add_row("text", _("Standard answer"), self.text)
        self.errors.add_row("keywords", _("Keywords"), self.keywords)
        self.errors.add_row("categories", _("For calls about (none: any)"), self.categories)
        self.message = message_label()
        form_column.addWidget(self.message)
        self.status = QLabel()
        self.status.setObjectName("answerStatus")
        form_column.addWidget(self.status)
        buttons = QHBoxLayout()
        self.new_button = QPushButton(_("New"))
        self.new_button.setObjectName("newAnswer")
        self.save_button = QPushButton(_("Save"))
        self.save_button.setObjectName("saveAnswer")
        self.save_button.setDefault(True)
        self.archive_button = QPushButton(_("Archive"))
        self.archive_button.setObjectName("archiveAnswer")
        for button in (self.new_button, self.archive_button, self.save_button):
            buttons.addWidget(button)
        form_column.addLayout(buttons)
        form_column.addStretch(1)
        splitter.addWidget(right)
        splitter.setSizes([560, 520])

        bottom = QHBoxLayout()
        self.import_button = QPushButton(_("Import from Excel…"))
        self.import_button.setObjectName("importAnswers")
        self.export_button = QPushButton(_("Export to Excel…"))
        self.export_button.setObjectName("exportAnswers")
        close = QPushButton(_("Close"))
        close.setAutoDefault(False)
        bottom.addWidget(self.import_button)
        bottom.addWidget(self.export_button)
        bottom.addStretch(1)
        if not self.may_edit:
            bottom.addWidget(QLabel(_("Only the manager maintains the library.")))
        bottom.addWidget(close)
        layout.addLayout(bottom)

        for widget in (
            self.topic,
            self.question,
            self.text,
            self.keywords,
            self.categories,
            self.new_button,
            self.save_button,
            self.archive_button,
            self.import_button,
            self.export_button,
        ):
            widget.setEnabled(self.may_edit)
        self.kinds.currentChanged.connect(self._kind_changed)
        self.search.textChanged.connect(self.reload)
        self.show_archived.toggled.connect(self.reload)
        self.table.itemSelectionChanged.connect(self._selected)
        self.new_button.clicked.connect(self.new_entry)
        self.save_button.clicked.connect(self.save)
        self.archive_button.clicked.connect(self.toggle_archived)
        self.import_button.clicked.connect(self.ask_import)
        self.export_button.clicked.connect(self.ask_export)
        close.clicked.connect(self.accept)
        self._kind_changed()

    # --- the list ---------------------------------------------------------------------------

    def kind(self) -> str:
        return KIND_ORDER[self.kinds.currentIndex()]

    def _kind_changed(self, *_args) -> None:
        is_answer = self.kind() == "answer"
        label = row_label(self.errors, "text")
        if label is not None:
            label.setText(_("Standard answer") if is_answer else _("Phrase"))
        question_label = row_label(self.errors, "question")
        if question_label is not None:
            question_label.setText(_("Question") if is_answer else _("When to say it"))
        self.reload()
        self.new_entry()

    def reload(self, *_args) -> None:
        self.rows = answers.entries(self.kind(), self.show_archived.isChecked(), self.search.text())
        self.table.setRowCount(len(self.rows))
        for index, row in enumerate(self.rows):
            values = [
                row.topic,
                row.question or row.text,
                format_number(row.uses),
                _("Archived") if row.status == "archived" else "",
            ]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column == 2:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(index, column, item)
        self.count_label.setText(_("{n} entries").format(n=format_number(len(self.rows))))
        current = self.topic.currentText()
        self.topic.blockSignals(True)
        self.topic.clear()
        self.topic.addItems(answers.topics())
        self.topic.setEditText(current)
        self.topic.blockSignals(False)

    def _selected(self) -> None:
        indexes = self.table.selectionModel().selectedRows()
        if not indexes:
            return
        row = self.rows[indexes[0].row()]
        self.editing_id = row.id
        self.topic.setEditText(row.topic)
        self.question.setText(row.question)
        self.text.setPlainText(row.text)
        self.keywords.setText(row.keywords)
        for i in range(self.categories.count()):
            item = self.categories.item(i)
            checked = item.data(Qt.ItemDataRole.UserRole) in row.categories
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.archive_button.setText(_("Restore") if row.status == "archived" else _("Archive"))
        self.archive_button.setEnabled(self.may_edit)
        self.status.setText(
            _("No. {id} · used {n} times").format(id=row.id, n=format_number(row.uses))
        )
        self.errors.clear()
        self.message.hide()

    # --- writing ----------------------------------------------------------------------------

    def new_entry(self) -> None:
        self.editing_id = None
        self.table.clearSelection()
        self.question.clear()
        self.text.clear()
        self.keywords.clear()
        for i in range(self.categories.count()):
            self.categories.item(i).setCheckState(Qt.CheckState.Unchecked)
        self.archive_button.setEnabled(False)
        self.archive_button.setText(_("Archive"))
        self.status.setText(_("A new entry"))
        self.errors.clear()
        self.message.hide()
        if self.may_edit:
            self.question.setFocus() if self.kind() == "answer" else self.text.setFocus()

    def data(self) -> AnswerInput:
        return AnswerInput(
            kind=self.kind(),
            topic=self.topic.currentText(),
            question=self.question.text(),
            text=self.text.toPlainText(),
            keywords=self.keywords.text(),
            categories=[
                self.categories.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.categories.count())
                if self.categories.item(i).checkState() == Qt.CheckState.Checked
            ],
        )

    def save(self) -> int | None:
        self.message.hide()
        try:
            if self.editing_id is None:
                entry = answers.create(self.staff, self.data())
            else:
                entry = answers.update(self.staff, self.editing_id, self.data())
        except ValidationError as exc:
            for message in self.errors.show(exc):
                self.message.setText(message)
                self.message.show()
            return None
        except CsofficeError as exc:
            self.message.setText(str(exc))
            self.message.show()
            return None
        self.errors.clear()
        self.reload()
        self._select_id(entry.id)
        self.status.setText(_("Saved: No. {id}").format(id=entry.id))
        return entry.id

    def _select_id(self, entry_id: int) -> None:
        for index, row in enumerate(self.rows):
            if row.id == entry_id:
                self.table.selectRow(index)
                return

    def toggle_archived(self) -> None:
        if self.editing_id is None:
            return
        row = next((r for r in self.rows if r.id == self.editing_id), None)
        try:
            answers.set_archived(
                self.staff, self.editing_id, not (row and row.status == "archived")
            )
        except CsofficeError as exc:
            show_message(self, _("Not changed"), str(exc))
            return
        self.reload()
        self.new_entry()

    # --- Excel --------------------------------------------------------------------------------

    def ask_import(self) -> QFileDialog:
        dialog = file_dialog(self, _("Import the answer library"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters([_("Excel workbook (*.xlsx)"), _("CSV (*.csv)")])
        dialog.fileSelected.connect(lambda path: self.import_from(Path(path)))
        dialog.open()
        self.file_dialog = dialog
        return dialog

    def import_from(self, path: Path):
        from csoffice.answer_transfer import describe, import_library

        staff = self.staff
        task = run_task(self, _("Importing…"), lambda _progress: import_library(staff, path))

        def done(result) -> None:
            lines = describe(result)
            icon = QMessageBox.Icon.Warning if result.rejected else QMessageBox.Icon.Information
            show_message(self, _("Import"), "\n".join(lines[:40]), icon)
            if not result.rejected:
                self.reload()

        task.succeeded.connect(done)
        task.failed.connect(lambda message: show_message(self, _("Not imported"), message))
        self.task = task
        return task

    def ask_export(self) -> QFileDialog:
        dialog = save_dialog(
            self,
            _("Export the answer library"),
            "常用答复.xlsx",
            _("Excel workbook (*.xlsx)"),
            "xlsx",
        )
        dialog.fileSelected.connect(lambda path: self.export_to(Path(path)))
        dialog.open()
        self.file_dialog = dialog
        return dialog

    def export_to(self, path: Path):
        from csoffice.answer_transfer import export_library

        staff = self.staff
        task = run_task(self, _("Exporting…"), lambda _progress: export_library(staff, path))
        task.succeeded.connect(
            lambda count: show_message(
                self,
                _("Export"),
                _("{count} entries written to {path}").format(count=count, path=path),
                QMessageBox.Icon.Information,
            )
        )
        task.failed.connect(lambda message: show_message(self, _("Not exported"), message))
        self.task = task
        return task
