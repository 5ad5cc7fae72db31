"""The Reports tab (报表): choose a report and its period, write the manager's open problems and
improvements, make the PDF off the UI thread, then preview, print or save it; export the
figures to Excel; and a dashboard of this month so far against last month.

Every number shown comes from csoffice.reports, the same figures the PDFs print.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from csoffice import auth, complaints, receptions, reports
from csoffice.changes import Change
from csoffice.errors import CsofficeError, ValidationError
from csoffice.i18n import _, format_datetime, format_number
from csoffice.paths import subfolder
from csoffice.printing import charts
from csoffice.ui.context import AppContext
from csoffice.ui.errors import show_message
from csoffice.ui.tabs.statistics_pages import StatisticsTabs
from csoffice.ui.tasks import run_task
from csoffice.ui.widgets.form import message_label
from csoffice.ui.widgets.pdf_actions import PdfActions
from csoffice.ui.widgets.refresh import RefreshOnChange
from csoffice.ui.widgets.survey_results import SurveyResults

KIND_ORDER = ("monthly", "weekly", "daily")
CHART_WIDTH, CHART_HEIGHT = 400, 270


def write_pdf(staff, kind: str, period: reports.Period, path: Path, progress=None) -> Path:
    """The report of ``kind`` for ``period`` as a PDF at ``path`` (runs on a worker thread)."""
    if kind == "monthly":
        from csoffice.reports.printed import print_monthly_report

        return print_monthly_report(staff, period, path, progress=progress)
    if kind == "weekly":
        from csoffice.reports.printed import print_weekly_report

        return print_weekly_report(staff, period, path, progress=progress)
    from csoffice.reception_day import print_daily_sheet

    return print_daily_sheet(staff, period.first, path)


def export_figures(staff, kind: str, period: reports.Period, path: Path) -> str:
    """The figures of the report as an Excel workbook at ``path`` (runs on a worker thread)."""
    from csoffice.report_export import export_xlsx

    export_xlsx(staff, reports.report(kind, period), path)
    return str(path)


def default_period(kind: str, today: dt.date | None = None) -> reports.Period:
    """What the desk usually prints: today's sheet, last week's report, last month's report."""
    current = reports.current_period(kind, today)
    return current if kind == "daily" else current.previous()


class Dashboard(QGroupBox):
    """This month so far beside the same days of last month and all of last month."""

    ROWS = (
        "receptions",
        "received",
        "closed",
        "open",
        "overdue",
        "closure",
        "satisfaction",
        "visits",
    )

    def __init__(self, parent: QWidget | None = None):
        super().__init__(_("This month so far"), parent)
        self.setObjectName("reportsDashboard")
        self.figures: reports.Dashboard | None = None
        layout = QVBoxLayout(self)
        self.caption = QLabel()
        self.caption.setObjectName("dashboardCaption")
        self.caption.setWordWrap(True)
        layout.addWidget(self.caption)
        self.table = QTableWidget(len(self.ROWS), 3)
        self.table.setObjectName("dashboardTable")
        self.table.setHorizontalHeaderLabels(
            [_("This month so far"), _("Same days last month"), _("All of last month")]
        )
        labels = {
            "receptions": _("Calls and visits"),
            "received": _("New complaints"),
            "closed": _("Complaints closed"),
            "open": _("Complaints open"),
            "overdue": _("Overdue"),
            "closure": _("Closure rate"),
            "satisfaction": _("Complaint satisfaction"),
            "visits": _("Return visits done"),
        }
        self.table.setVerticalHeaderLabels([labels[key] for key in self.ROWS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        height = self.table.horizontalHeader().sizeHint().height() + 2
        height += sum(self.table.verticalHeader().sectionSize(i) for i in range(len(self.ROWS)))
        self.table.setFixedHeight(height + 4)
        layout.addWidget(self.table)
        charts_row = QHBoxLayout()
        self.reception_chart = QSvgWidget()
        self.reception_chart.setObjectName("receptionChart")
        self.complaint_chart = QSvgWidget()
        self.complaint_chart.setObjectName("complaintChart")
        for chart in (self.reception_chart, self.complaint_chart):
            chart.setMinimumSize(CHART_WIDTH // 2, CHART_HEIGHT // 2)
            chart.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            charts_row.addWidget(chart)
        layout.addLayout(charts_row, 1)

    def refresh(self, today: dt.date | None = None) -> reports.Dashboard:
        figures = reports.dashboard(today)
        self.figures = figures
        self.caption.setText(
            _("{now} compared with {before}; complaints as they stand now.").format(
                now=figures.this_month.label(), before=figures.last_month_to_date.label()
            )
        )
        columns = [
            (figures.receptions.total.current, figures.complaints_now, figures.visits_now),
            (figures.receptions.total.previous, figures.complaints_before, figures.visits_before),
            (
                figures.receptions_last_month,
                figures.complaints_last_month,
                figures.visits_last_month,
            ),
        ]
        for col, (receptions_count, c, v) in enumerate(columns):
            values = {
                "receptions": format_number(receptions_count),
                "received": format_number(c.received),
                "closed": format_number(c.closed),
                "open": format_number(c.open + c.awaiting_feedback),
                "overdue": format_number(c.overdue),
                "closure": reports.share_text(c.closure_rate),
                "satisfaction": reports.average_text(c.satisfaction_average),
                "visits": format_number(v.done),
            }
            for row, key in enumerate(self.ROWS):
                item = QTableWidgetItem(values[key])
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
        now_label, before_label = _("This month so far"), _("Same days last month")
        rows = figures.receptions.by_category
        self._show(
            self.reception_chart,
            _("Calls and visits by category"),
            [receptions.category_label(c.code) for c in rows],
            [
                (now_label, [c.current for c in rows]),
                (before_label, [c.previous for c in rows]),
            ],
        )
        now_counts = dict(figures.complaints_now.by_category)
        before_counts = dict(figures.complaints_before.by_category)
        codes = list(dict.fromkeys([*now_counts, *before_counts]))
        self._show(
            self.complaint_chart,
            _("Complaints by category"),
            [complaints.category_label(code) for code in codes],
            [
                (now_label, [now_counts.get(code, 0) for code in codes]),
                (before_label, [before_counts.get(code, 0) for code in codes]),
            ],
        )
        return figures

    def _show(self, widget: QSvgWidget, title: str, labels: list[str], series: list) -> None:
        """The same bar chart the PDF prints, as SVG in the bundled font."""
        drawing = charts.bar_chart(title, labels, series, CHART_WIDTH, CHART_HEIGHT)
        widget.load(QByteArray(charts.to_svg(drawing, self.font().family())))
        widget.renderer().setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)


class ReportsTab(QWidget):
    """Prepare, print and export the reports; the dashboard beside."""

    pdf_ready = Signal(str)
    exported = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.staff = context.staff
        self.is_manager = self.staff.role == auth.Role.MANAGER
        self.period: reports.Period | None = None
        self.pdf_path: Path | None = None
        self.task = None
        self.pdf = PdfActions(self)
        self.after_pdf = "preview"  # what to do once the PDF is written: preview | print | save

        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        layout.addLayout(left, 0)

        choose = QGroupBox(_("Report"))
        form = QFormLayout(choose)
        self.kind = QComboBox()
        self.kind.setObjectName("reportKind")
        for code in KIND_ORDER:
            self.kind.addItem(_(reports.KINDS[code]), code)
        form.addRow(_("Report"), self.kind)
        period_row = QHBoxLayout()
        self.previous_button = QToolButton()
        self.previous_button.setText("◀")
        self.previous_button.setToolTip(_("The period before"))
        self.period_edit = QLineEdit()
        self.period_edit.setObjectName("reportPeriod")
        self.period_edit.setPlaceholderText("2026-11 | 2026-W48 | 2026-11-24")
        self.next_button = QToolButton()
        self.next_button.setText("▶")
        self.next_button.setToolTip(_("The period after"))
        period_row.addWidget(self.previous_button)
        period_row.addWidget(self.period_edit, 1)
        period_row.addWidget(self.next_button)
        form.addRow(_("Period"), period_row)
        self.period_label = QLabel()
        self.period_label.setObjectName("periodLabel")
        self.period_label.setWordWrap(True)
        form.addRow("", self.period_label)
        self.period_error = QLabel()
        self.period_error.setObjectName("error_period")
        self.period_error.setProperty("role", "fieldError")
        self.period_error.setStyleSheet("color: #b3261e;")
        self.period_error.setWordWrap(True)
        self.period_error.hide()
        form.addRow("", self.period_error)
        left.addWidget(choose)

        self.notes_box = QGroupBox(_("Open problems and proposed improvements"))
        notes = QVBoxLayout(self.notes_box)
        self.notes_hint = QLabel()
        self.notes_hint.setWordWrap(True)
        notes.addWidget(self.notes_hint)
        notes.addWidget(QLabel(_("Open problems")))
        self.problems = QPlainTextEdit()
        self.problems.setObjectName("reportProblems")
        self.problems.setTabChangesFocus(True)
        notes.addWidget(self.problems)
        notes.addWidget(QLabel(_("Proposed improvements")))
        self.improvements = QPlainTextEdit()
        self.improvements.setObjectName("reportImprovements")
        self.improvements.setTabChangesFocus(True)
        notes.addWidget(self.improvements)
        self.notes_error = message_label()
        notes.addWidget(self.notes_error)
        note_row = QHBoxLayout()
        self.notes_status = QLabel()
        self.notes_status.setObjectName("notesStatus")
        self.save_notes_button = QPushButton(_("Save the notes"))
        self.save_notes_button.setObjectName("saveNotes")
        note_row.addWidget(self.notes_status, 1)
        note_row.addWidget(self.save_notes_button)
        notes.addLayout(note_row)
        left.addWidget(self.notes_box, 1)

        actions = QHBoxLayout()
        self.preview_button = QPushButton(_("Preview"))
        self.preview_button.setObjectName("previewReport")
        self.preview_button.setDefault(True)
        self.print_button = QPushButton(_("Print…"))
        self.print_button.setObjectName("printReport")
        self.save_button = QPushButton(_("Save PDF as…"))
        self.save_button.setObjectName("saveReport")
        self.excel_button = QPushButton(_("Export to Excel…"))
        self.excel_button.setObjectName("exportReport")
        self.excel_button.setEnabled(auth.can(self.staff, "export"))
        if not self.excel_button.isEnabled():
            self.excel_button.setToolTip(_("Only the manager may export data."))
        for button in (self.preview_button, self.print_button, self.save_button):
            button.setEnabled(auth.can(self.staff, "print"))
            actions.addWidget(button)
        actions.addWidget(self.excel_button)
        left.addLayout(actions)

        dashboard_page = QWidget()
        right = QVBoxLayout(dashboard_page)
        right.setContentsMargins(0, 0, 0, 0)
        self.dashboard = Dashboard()
        right.addWidget(self.dashboard, 1)
        self.survey = SurveyResults()
        right.addWidget(self.survey, 1)
        refresh_row = QHBoxLayout()
        refresh_row.addStretch(1)
        self.refresh_button = QPushButton(_("Refresh"))
        self.refresh_button.setObjectName("refreshDashboard")
        refresh_row.addWidget(self.refresh_button)
        right.addLayout(refresh_row)
        self.pages = StatisticsTabs(context, dashboard_page)
        layout.addWidget(self.pages, 1)

        # The figures count nearly every kind of record; read when the tab is first shown.
        self.refresher = RefreshOnChange(self, tuple(Change), self._records_changed, delay_ms=400)
        self.refresher.mark_stale()

        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.period_edit.editingFinished.connect(self._period_typed)
        self.previous_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.save_notes_button.clicked.connect(self.save_notes)
        self.preview_button.clicked.connect(lambda: self.make_pdf("preview"))
        self.print_button.clicked.connect(lambda: self.make_pdf("print"))
        self.save_button.clicked.connect(lambda: self.make_pdf("save"))
        self.excel_button.clicked.connect(self.export_excel)
        self.refresh_button.clicked.connect(self.refresh_dashboard)
        self.pdf.saved.connect(
            lambda target: self.notes_status.setText(_("Saved to {path}").format(path=target))
        )

        self._kind_changed()

    # --- period -----------------------------------------------------------------------------

    def search_box(self) -> QWidget | None:
        """Where Ctrl+F puts the cursor."""
        return self.period_edit

    def print_tab(self) -> object:
        """Ctrl+P: the shown report, to the printer."""
        return self.make_pdf("print")

    def current_kind(self) -> str:
        return self.kind.currentData()

    def set_period(self, period: reports.Period) -> None:
        self.period = period
        self.period_edit.setText(period.code)
        self.period_label.setText(period.label())
        self.period_error.hide()
        self._load_notes()
        self.survey.show_period(period)

    def _kind_changed(self) -> None:
        self.set_period(default_period(self.current_kind()))
        self.notes_box.setVisible(self.current_kind() in reports.NOTE_KINDS)

    def _period_typed(self) -> reports.Period | None:
        try:
            period = reports.parse_period(self.period_edit.text(), self.current_kind())
        except ValidationError as exc:
            self.period = None
            self.period_label.clear()
            self.period_error.setText(exc.errors.get("period", str(exc)))
            self.period_error.show()
            return None
        if period != self.period:
            self.set_period(period)
        else:
            self.period_error.hide()
        return period

    def step(self, direction: int) -> None:
        period = self._period_typed()
        if period is None:
            return
        if direction < 0:
            self.set_period(period.previous())
            return
        # The period after: the one that starts the day after this one ends.
        after = period.last + dt.timedelta(days=1)
        self.set_period(reports.current_period(self.current_kind(), after))

    # --- the manager's notes -------------------------------------------------------------

    def _load_notes(self) -> None:
        kind = self.current_kind()
        if self.period is None or kind not in reports.NOTE_KINDS:
            return
        note = reports.load_note(kind, self.period)
        self.problems.setPlainText(note.problems)
        self.improvements.setPlainText(note.improvements)
        self.notes_error.hide()
        for edit in (self.problems, self.improvements):
            edit.setReadOnly(not self.is_manager)
            edit.document().setModified(False)
        self.save_notes_button.setEnabled(self.is_manager)
        self.notes_hint.setText(
            _("Printed at the end of the report. Write them before printing.")
            if self.is_manager
            else _("Only the manager writes these; they are printed as written.")
        )
        self.notes_status.setText(
            _("Saved by {name}, {time}").format(
                name=note.updated_by, time=format_datetime(note.updated_at)
            )
            if note.updated_at
            else ""
        )

    def notes_modified(self) -> bool:
        return self.problems.document().isModified() or self.improvements.document().isModified()

    def save_notes(self) -> bool:
        period = self._period_typed()
        if period is None:
            return False
        try:
            note = reports.save_note(
                self.staff,
                self.current_kind(),
                period,
                self.problems.toPlainText(),
                self.improvements.toPlainText(),
            )
        except CsofficeError as exc:
            self.notes_error.setText(str(exc))
            self.notes_error.show()
            return False
        self.notes_error.hide()
        for edit in (self.problems, self.improvements):
            edit.document().setModified(False)
        self.notes_status.setText(
            _("Saved by {name}, {time}").format(
                name=note.updated_by, time=format_datetime(note.updated_at)
            )
        )
        return True

    # --- the PDF -----------------------------------------------------------------------------

    def make_pdf(self, then: str = "preview"):
        """Write the chosen report off the UI thread; then preview, print or save it (the
        tab's print action, "print", opens the preview with the print dialog over it)."""
        period = self._period_typed()
        if period is None:
            return None
        kind = self.current_kind()
        needs_saving = self.is_manager and kind in reports.NOTE_KINDS and self.notes_modified()
        if needs_saving and not self.save_notes():
            return None
        self.after_pdf = then
        path = subfolder("reports") / f"{kind}-{period.code}.pdf"
        staff = self.staff
        task = run_task(
            self,
            _("Preparing the report…"),
            lambda progress: write_pdf(staff, kind, period, path, progress),
        )
        task.succeeded.connect(self._pdf_written)
        task.failed.connect(lambda message: show_message(self, _("No report"), message))
        self.task = task
        return task

    def _pdf_written(self, path) -> None:
        self.pdf_path = Path(path)
        self.pdf.path = self.pdf_path
        self.pdf_ready.emit(str(path))
        title = self.kind.currentText()
        if self.after_pdf == "print":
            self.pdf.print(title)
        elif self.after_pdf == "save":
            self.pdf.save_as(_("Save the report"))
        else:
            self.pdf.preview(title)

    # --- Excel -------------------------------------------------------------------------------

    def export_excel(self) -> QFileDialog | None:
        period = self._period_typed()
        if period is None:
            return None
        name = f"{self.current_kind()}-{period.code}.xlsx"
        from csoffice.ui.file_dialogs import save_dialog

        dialog = save_dialog(
            self, _("Export the figures"), name, _("Excel workbook (*.xlsx)"), "xlsx"
        )
        dialog.fileSelected.connect(lambda target: self.export_to(Path(target)))
        dialog.open()
        self.file_dialog = dialog
        return dialog

    def export_to(self, path: Path):
        period = self._period_typed()
        if period is None:
            return None
        kind, staff = self.current_kind(), self.staff
        task = run_task(
            self,
            _("Exporting the figures…"),
            lambda _progress: export_figures(staff, kind, period, path),
        )
        task.succeeded.connect(lambda target: self.exported.emit(str(target)))
        task.failed.connect(lambda message: show_message(self, _("Not exported"), message))
        self.task = task
        return task

    # --- dashboard -------------------------------------------------------------------------

    def _records_changed(self, _kinds: frozenset[Change]) -> None:
        self.refresh_dashboard()

    def refresh_dashboard(self) -> None:
        self.dashboard.refresh()
        self.survey.refresh()
