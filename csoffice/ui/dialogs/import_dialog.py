"""Importing customers: a preview of the sheet with the column mapping the clerk can correct,
then the import off the UI thread with progress and cancel (cancelling keeps nothing)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from csoffice.customer_import import FIELDS, ImportPlan, describe_result, run_import
from csoffice.customers import BulkRejected, BulkResult
from csoffice.errors import CsofficeError
from csoffice.i18n import _
from csoffice.ui.events import events
from csoffice.ui.tasks import Progress, Task, run_task

PREVIEW_ROWS = 20


class ImportDialog(QDialog):
    """Preview, map, import; the outcome (counts and each rejected row) is shown in the dialog."""

    finished_import = Signal(object)

    def __init__(self, context, path: str | Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.task: Task | None = None
        self.setWindowTitle(_("Import customers"))
        self.resize(900, 600)
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.preview = QTableWidget()
        layout.addWidget(self.preview, 1)
        self.skip_invalid = QCheckBox(
            _("Import the valid rows and list the invalid ones (otherwise: all or nothing)")
        )
        layout.addWidget(self.skip_invalid)
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.report.setMaximumHeight(150)
        layout.addWidget(self.report)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.import_button = QPushButton(_("Import"))
        self.import_button.clicked.connect(self.start)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.reject)
        buttons.addWidget(self.import_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.mapping_boxes: list[QComboBox] = []
        try:
            self.plan = ImportPlan.read(Path(path))
        except CsofficeError as exc:
            self.plan = None
            self.summary.setText(str(exc))
            self.import_button.setEnabled(False)
            return
        self._show_preview()

    def _show_preview(self) -> None:
        table = self.plan.table
        self.summary.setText(
            _(
                "{path}: {rows} rows. Check which field each column feeds; columns set to “not imported” are ignored."
            ).format(path=self.plan.path.name, rows=len(table.rows))
        )
        columns = len(table.headers)
        self.preview.setColumnCount(columns)
        self.preview.setRowCount(min(PREVIEW_ROWS, len(table.rows)) + 1)
        self.preview.setVerticalHeaderLabels(
            [_("Field")] + [str(n + 2) for n in range(PREVIEW_ROWS)]
        )
        self.preview.setHorizontalHeaderLabels(table.headers)
        for column in range(columns):
            box = QComboBox()
            box.addItem(_("(not imported)"), "")
            for code, label in FIELDS.items():
                box.addItem(_(label), code)
            box.setCurrentIndex(max(0, box.findData(self.plan.mapping[column])))
            box.currentIndexChanged.connect(self._mapping_changed)
            self.mapping_boxes.append(box)
            self.preview.setCellWidget(0, column, box)
            for row, cells in enumerate(table.rows[:PREVIEW_ROWS]):
                self.preview.setItem(
                    row + 1, column, QTableWidgetItem(cells[column] if column < len(cells) else "")
                )

    def _mapping_changed(self) -> None:
        self.plan.mapping = [box.currentData() for box in self.mapping_boxes]

    def start(self) -> Task | None:
        self.report.clear()
        self._mapping_changed()
        staff, plan, skip = self.context.staff, self.plan, self.skip_invalid.isChecked()

        def work(progress: Progress):
            try:
                return run_import(
                    staff,
                    plan,
                    skip_invalid=skip,
                    progress=lambda done, total: progress(done, total),
                )
            except BulkRejected as exc:
                return exc

        self.import_button.setEnabled(False)
        self.task = run_task(self, _("Importing customers…"), work)
        self.task.succeeded.connect(self._done)
        self.task.failed.connect(self._failed)
        self.task.cancelled.connect(
            lambda: self._finish(_("Import cancelled; nothing was imported."))
        )
        return self.task

    def _done(self, outcome: BulkResult | BulkRejected) -> None:
        if isinstance(outcome, BulkRejected):
            lines = [
                _("Nothing was imported: {n} rows are invalid.").format(
                    n=len(outcome.result.rejected)
                )
            ]
            lines += describe_result(outcome.result)[1:]
            self._finish("\n".join(lines))
        else:
            self._finish("\n".join(describe_result(outcome)))
            events.changed.emit("customer")
        self.finished_import.emit(outcome)

    def _failed(self, message: str) -> None:
        self._finish(message)

    def _finish(self, text: str) -> None:
        self.report.setPlainText(text)
        self.import_button.setEnabled(True)
