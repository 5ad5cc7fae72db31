"""Importing a sheet (customers or service events): the file is read off the UI thread, then a
preview shows the detected header row (changeable), the field each column feeds (changeable),
hidden columns and rows marked, and how many rows it will import, skip and reject — before
anything is written. The import runs off the UI thread with progress and cancel (cancelling
keeps nothing)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from csoffice import customer_import, event_import
from csoffice.customers import BulkRejected
from csoffice.i18n import N_, _
from csoffice.sheet_import import Preview, SheetPlan, column_letter, row_lines, text_of
from csoffice.ui.context import AppContext
from csoffice.ui.desk_keys import DeskDialog
from csoffice.ui.tasks import Progress, Task, run_task

PREVIEW_ROWS = 20
SYNC_COUNT_ROWS = 2000  # more rows are counted off the UI thread
_HIDDEN = QColor("#e6e6e6")


@dataclass(frozen=True)
class ImportKind:
    """What differs between importing customers and service events."""

    title: str
    fields: dict[str, str]
    read: Callable[[Path], SheetPlan]
    preview: Callable[[Any, bool], Preview]
    run: Callable[..., Any]
    describe: Callable[[Any], list[str]]
    rejected: type[BulkRejected] | type[event_import.EventsRejected]
    can_create_customers: bool = False


CUSTOMERS = ImportKind(
    N_("Import customers"),
    customer_import.FIELDS,
    customer_import.ImportPlan.read,
    lambda plan, _create: customer_import.preview(plan),
    lambda staff, plan, skip, _create, progress: customer_import.run_import(
        staff, plan, skip_invalid=skip, progress=progress
    ),
    customer_import.describe_result,
    BulkRejected,
)
EVENTS = ImportKind(
    N_("Import service records"),
    event_import.FIELDS,
    event_import.EventPlan.read,
    lambda plan, create: event_import.preview(plan, create_customers=create),
    lambda staff, plan, skip, create, progress: event_import.run_import(
        staff, plan, skip_invalid=skip, create_customers=create, progress=progress
    ),
    event_import.describe_result,
    event_import.EventsRejected,
    can_create_customers=True,
)


class ImportDialog(DeskDialog):
    """Preview, map, count, import; the outcome (counts and each rejected row) is shown here."""

    finished_import = Signal(object)
    ready = Signal()  # the file is read and the counts are shown
    counted = Signal(object)

    def __init__(
        self,
        context: AppContext,
        path: str | Path,
        parent: QWidget | None = None,
        kind: ImportKind = CUSTOMERS,
    ):
        super().__init__(parent)
        self.context = context
        self.kind = kind
        self.path = Path(path)
        self.plan: SheetPlan | None = None
        self.task: Task | None = None
        self.count_task: Task | None = None
        self._count_again = False
        self.setWindowTitle(_(kind.title))
        self.resize(1000, 640)
        layout = QVBoxLayout(self)
        self.summary = QLabel(_("Reading {name}…").format(name=self.path.name))
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        header_row = QHBoxLayout()
        self.header_label = QLabel(_("&Header row:"))
        self.header_spin = QSpinBox()
        self.header_spin.setEnabled(False)
        self.header_label.setBuddy(self.header_spin)
        header_row.addWidget(self.header_label)
        header_row.addWidget(self.header_spin)
        self.header_note = QLabel()
        header_row.addWidget(self.header_note)
        self.hidden_note = QLabel()
        header_row.addWidget(self.hidden_note, 1)
        layout.addLayout(header_row)
        self.preview = QTableWidget()
        layout.addWidget(self.preview, 1)
        self.counts = QLabel()
        self.counts.setObjectName("import_counts")
        self.counts.setWordWrap(True)
        layout.addWidget(self.counts)
        self.skip_invalid = QCheckBox(
            _("Import the valid rows and list the invalid ones (otherwise: all or nothing)")
        )
        layout.addWidget(self.skip_invalid)
        self.create_customers = QCheckBox(
            _("Open a customer file for a customer not found in the archive")
        )
        self.create_customers.setVisible(kind.can_create_customers)
        self.create_customers.toggled.connect(self.recount)
        layout.addWidget(self.create_customers)
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.report.setMaximumHeight(150)
        layout.addWidget(self.report)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.import_button = QPushButton(_("&Import"))
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.start)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.reject)
        buttons.addWidget(self.import_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.mapping_boxes: list[QComboBox] = []
        self._body: list = []
        self.header_spin.valueChanged.connect(self._header_changed)
        self._read()

    # --- reading and counting --------------------------------------------------------------

    def _read(self) -> None:
        kind, path = self.kind, self.path
        create = self.create_customers.isChecked()

        def work(progress: Progress):
            plan = kind.read(path)
            progress(1, 2)
            return plan, _count(kind, plan, create)

        self.task = run_task(self, _("Reading {name}…").format(name=path.name), work)
        self.task.succeeded.connect(self._read_done)
        self.task.failed.connect(self._read_failed)
        self.task.cancelled.connect(lambda: self._read_failed(_("Reading cancelled.")))

    def _read_failed(self, message: str) -> None:
        self.summary.setText(message)
        self.import_button.setEnabled(False)

    def _read_done(self, outcome) -> None:
        plan, figures = outcome
        self.plan = plan
        sheet = plan.sheet
        self.header_spin.blockSignals(True)
        self.header_spin.setRange(sheet.rows[0].number, sheet.rows[-1].number)
        self.header_spin.setValue(plan.header_number)
        self.header_spin.blockSignals(False)
        self.header_spin.setEnabled(True)
        self._show_preview()
        self._show_counts(figures)
        self.ready.emit()

    def _header_changed(self, number: int) -> None:
        if self.plan is None:
            return
        rows = self.plan.sheet.rows
        index = next((i for i, row in enumerate(rows) if row.number >= number), len(rows) - 1)
        self.plan.set_header(index)
        self._show_preview()
        if self.plan.header_number != number:
            self.header_note.setText(
                _("(row {typed} is blank: the header is row {row})").format(
                    typed=number, row=self.plan.header_number
                )
            )
        self.recount()

    def recount(self) -> None:
        """Count again what the import would do with the header and mapping as they are
        (off the UI thread for a long sheet; one count at a time)."""
        if self.plan is None:
            return
        self._mapping_changed()
        kind, plan, create = self.kind, self.plan, self.create_customers.isChecked()
        if plan.data_count <= SYNC_COUNT_ROWS:
            self._show_counts(_count(kind, plan, create))
            return
        if self.count_task is not None:
            self._count_again = True
            return
        self.counts.setText(_("Counting…"))
        self.count_task = run_task(
            self, _("Counting…"), lambda _progress: _count(kind, plan, create)
        )
        self.count_task.succeeded.connect(self._show_counts)
        self.count_task.failed.connect(self._show_counts)
        self.count_task.finished.connect(self._count_finished)

    def _count_finished(self) -> None:
        self.count_task = None
        if self._count_again:
            self._count_again = False
            self.recount()

    def _show_counts(self, figures: Preview | str) -> None:
        if isinstance(figures, str):
            self.counts.setText(figures)
            self.import_button.setEnabled(False)
            self.counted.emit(figures)
            return
        self.counts.setText(
            _(
                "Before anything is written: {fresh} rows to import, {duplicates} already on file, {skipped} skipped (totals, signatures, notes), {rejected} rejected."
            ).format(
                fresh=figures.to_import,
                duplicates=figures.duplicates,
                skipped=len(figures.skipped),
                rejected=len(figures.rejected),
            )
        )
        self.report.setPlainText(
            "\n".join(row_lines(figures.rejected[:200]) + row_lines(figures.notes[:200]))
        )
        self.import_button.setEnabled(figures.to_import > 0)
        self._mark_rows(figures)
        self.counted.emit(figures)

    def _mark_rows(self, figures: Preview) -> None:
        """Say in the preview's row headers which rows are skipped and which are rejected."""
        skipped = {number for number, _reason in figures.skipped}
        rejected = dict(figures.rejected)
        for index, row in enumerate(self._body):
            item = self.preview.verticalHeaderItem(index + 1)
            if item is None:
                continue
            text = str(row.number)
            if row.hidden:
                text += " " + _("(hidden)")
            if row.number in skipped:
                text += " " + _("(skipped)")
                item.setForeground(QBrush(QColor("#757575")))
            elif row.number in rejected:
                text += " ✗"
                item.setForeground(QBrush(QColor("#b71c1c")))
                item.setToolTip(rejected[row.number])
            item.setText(text)

    def _show_preview(self) -> None:
        plan = self.plan
        if plan is None:  # shown only once a sheet has been read
            return
        sheet = plan.sheet
        self.summary.setText(
            _(
                "{path} (sheet “{sheet}”): {rows} rows under the header. Check the header row and which field each column feeds; columns set to “not imported” are ignored."
            ).format(path=self.path.name, sheet=sheet.name, rows=plan.data_count)
        )
        self.header_note.setText("")
        headers = plan.headers
        self.mapping_boxes = []
        self.preview.clear()
        self.preview.setColumnCount(len(headers))
        body = sheet.rows[plan.header + 1 : plan.header + 1 + PREVIEW_ROWS]
        self._body = body
        self.preview.setRowCount(len(body) + 1)
        hidden_label = _("(hidden)")
        labels = []
        for column, title in enumerate(headers):
            label = f"{column_letter(column)}: {title}"
            if column in sheet.hidden_columns:
                label += f" {hidden_label}"
            labels.append(label)
        self.preview.setHorizontalHeaderLabels(labels)
        self.preview.setVerticalHeaderLabels(
            [_("Field")]
            + [f"{row.number} {hidden_label}" if row.hidden else str(row.number) for row in body]
        )
        grey = QBrush(_HIDDEN)
        for column in range(len(headers)):
            box = QComboBox()
            box.addItem(_("(not imported)"), "")
            for code, label in self.kind.fields.items():
                box.addItem(_(label), code)
            box.setCurrentIndex(max(0, box.findData(plan.mapping[column])))
            box.currentIndexChanged.connect(self.recount)
            self.mapping_boxes.append(box)
            self.preview.setCellWidget(0, column, box)
            for offset, row in enumerate(body):
                value = row.cells[column] if column < len(row.cells) else ""
                item = QTableWidgetItem(text_of(value))
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if column in sheet.hidden_columns or row.hidden:
                    item.setBackground(grey)
                self.preview.setItem(offset + 1, column, item)
        hidden = sorted(sheet.hidden_columns)
        self.hidden_note.setText(
            _("Hidden columns: {columns}").format(
                columns=", ".join(column_letter(c) for c in hidden[:20])
            )
            if hidden
            else ""
        )
        self.preview.resizeColumnsToContents()

    def _mapping_changed(self) -> None:
        if self.plan is not None and self.mapping_boxes:
            self.plan.mapping = [box.currentData() for box in self.mapping_boxes]

    # --- importing ---------------------------------------------------------------------------

    def start(self) -> Task | None:
        if self.plan is None:
            return None
        self.report.clear()
        self._mapping_changed()
        kind, staff, plan = self.kind, self.context.staff, self.plan
        skip, create = self.skip_invalid.isChecked(), self.create_customers.isChecked()

        def work(progress: Progress):
            try:
                return kind.run(
                    staff, plan, skip, create, lambda done, total: progress(done, total)
                )
            except kind.rejected as exc:
                return exc

        self.import_button.setEnabled(False)
        self.task = run_task(self, _("Importing…"), work)
        self.task.succeeded.connect(self._done)
        self.task.failed.connect(self._finish)
        self.task.cancelled.connect(
            lambda: self._finish(_("Import cancelled; nothing was imported."))
        )
        return self.task

    def _done(self, outcome) -> None:
        if isinstance(outcome, self.kind.rejected):
            lines = [
                _("Nothing was imported: {n} rows are invalid.").format(
                    n=len(outcome.result.rejected)
                )
            ]
            lines += self.kind.describe(outcome.result)[1:]
            self._finish("\n".join(lines))
        else:
            self._finish("\n".join(self.kind.describe(outcome)))
        self.finished_import.emit(outcome)

    def _finish(self, text: str) -> None:
        self.report.setPlainText(text)
        self.import_button.setEnabled(True)


def _count(kind: ImportKind, plan: SheetPlan, create: bool) -> Preview | str:
    """The preview's counts, or the reason the plan cannot run (no name column…)."""
    from csoffice.errors import CsofficeError

    try:
        return kind.preview(plan, create)
    except CsofficeError as exc:
        return str(exc)


def open_import(
    context: AppContext, parent: QWidget, kind: ImportKind = CUSTOMERS
) -> ImportDialog | None:
    """Ask for the file (every format that can be imported), then open the preview."""
    from PySide6.QtWidgets import QFileDialog

    from csoffice.sheet_reader import file_filter
    from csoffice.ui.file_dialogs import remember, start_path

    path, _filter = QFileDialog.getOpenFileName(parent, _(kind.title), start_path(), file_filter())
    if not path:
        return None
    remember(path)
    dialog = ImportDialog(context, path, parent, kind)
    dialog.open()
    return dialog
