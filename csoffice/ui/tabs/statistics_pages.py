"""The Reports tab's pages beside the dashboard: twelve-month trends as charts, customer
statistics, churn lists a clerk can export or print as a call list, and the one-page department
report and the clerk's daily work report.

Every number comes from the domain (csoffice.trends, statistics, churn, desk_reports) — the
same figures the monthly report's appendix prints — and the charts are the printed drawings
rendered as SVG.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QByteArray, QDate, Qt
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from csoffice import auth, churn, customers, desk_reports, reports, settings, statistics, trends
from csoffice.changes import Change
from csoffice.errors import CsofficeError, ValidationError
from csoffice.i18n import N_, _, format_date, format_number, format_percent
from csoffice.paths import subfolder
from csoffice.printing import charts
from csoffice.ui.context import AppContext
from csoffice.ui.errors import show_message
from csoffice.ui.models.lazy_table import Column, LazyTableModel
from csoffice.ui.tasks import run_task
from csoffice.ui.widgets.lazy_table_view import LazyTableView
from csoffice.ui.widgets.pdf_actions import PdfActions
from csoffice.ui.widgets.qt_dates import python_date
from csoffice.ui.widgets.refresh import RefreshOnChange
from csoffice.ui.widgets.sheet_export import ask_export_file, run_export

CHART_W, CHART_H = 460, 230


def svg_widget(name: str) -> QSvgWidget:
    widget = QSvgWidget()
    widget.setObjectName(name)
    widget.setMinimumSize(CHART_W * 3 // 4, CHART_H * 3 // 4)
    return widget


def show_drawing(widget: QSvgWidget, drawing) -> None:
    svg = charts.to_svg(drawing, widget.font().family())
    # reportlab writes "fill: None", which Qt's SVG reader takes for black: lines became areas.
    widget.load(QByteArray(svg.replace(b"fill: None", b"fill: none")))
    widget.renderer().setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)


class MonthField(QWidget):
    """A month typed as 2026-11, with ◀ ▶ and its error line; ``period()`` or None."""

    def __init__(self, initial: reports.Period, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.back = QToolButton()
        self.back.setText("◀")
        self.back.setToolTip(_("The month before"))
        self.edit = QLineEdit(initial.code)
        self.edit.setObjectName(name)
        self.edit.setPlaceholderText("2026-11")
        self.edit.setMaximumWidth(110)
        self.forward = QToolButton()
        self.forward.setText("▶")
        self.forward.setToolTip(_("The month after"))
        self.error = QLabel()
        self.error.setObjectName(f"error_{name}")
        self.error.setStyleSheet("color: #b3261e;")
        self.error.hide()
        for widget in (self.back, self.edit, self.forward):
            row.addWidget(widget)
        row.addWidget(self.error)
        row.addStretch(1)
        self.back.clicked.connect(lambda: self.step(-1))
        self.forward.clicked.connect(lambda: self.step(1))

    def period(self) -> reports.Period | None:
        try:
            period = reports.parse_period(self.edit.text(), "monthly")
        except ValidationError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return None
        self.error.hide()
        return period

    def step(self, direction: int) -> None:
        period = self.period()
        if period is None:
            return
        first = statistics.add_months(period.first, direction)
        self.edit.setText(reports.Period.month(first.year, first.month).code)
        self.edit.editingFinished.emit()


class TrendsPage(QWidget):
    """The twelve months to the chosen month, one chart per figure."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("trendsPage")
        self.figures: trends.Trends | None = None
        self.task = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Twelve months to")))
        self.month = MonthField(trends.default_period(), "trendMonth")
        top.addWidget(self.month, 1)
        layout.addLayout(top)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        layout.addWidget(self.caption)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        holder = QWidget()
        self.grid = QGridLayout(holder)
        scroll.setWidget(holder)
        layout.addWidget(scroll, 1)
        self.charts: dict[str, QSvgWidget] = {}
        self.month.edit.editingFinished.connect(self.refresh)

    def refresh(self):
        """Count the twelve months off the UI thread (about a second on a large archive)."""
        period = self.month.period()
        if period is None:
            return None
        self.task = run_task(self, _("Counting the figures…"), lambda _p: trends.trends(period))
        self.task.succeeded.connect(self.show_figures)
        self.task.failed.connect(lambda message: show_message(self, _("No figures"), message))
        return self.task

    def show_figures(self, figures: trends.Trends) -> None:
        from csoffice.printing.trend_charts import trend_charts

        if figures.periods[-1] != self.month.period():
            return  # an earlier month's count, finished after the clerk typed another
        self.figures = figures
        self.caption.setText(
            _(
                "{first} – {last}. Each month counted as in its own monthly report; the monthly report prints the same charts as its appendix."
            ).format(first=figures.periods[0].label(), last=figures.periods[-1].label())
        )
        labels = figures.month_labels()
        for index, chart in enumerate(trend_charts(figures)):
            widget = self.charts.get(chart.key)
            if widget is None:
                widget = self.charts[chart.key] = svg_widget(f"trend_{chart.key}")
                self.grid.addWidget(widget, index // 2, index % 2)
            show_drawing(widget, chart.drawing(labels, CHART_W, CHART_H))


def _fill_table(table: QTableWidget, rows: list[tuple[str, int]], total: int) -> None:
    table.setRowCount(len(rows))
    for index, (label, count) in enumerate(rows):
        values = [label, format_number(count), format_percent(count / total) if total else "—"]
        for column, value in enumerate(values):
            item = QTableWidgetItem(value)
            if column:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(index, column, item)


def _small_table(name: str, title: str) -> QTableWidget:
    table = QTableWidget(0, 3)
    table.setObjectName(name)
    table.setHorizontalHeaderLabels([title, _("Count"), _("Share")])
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    return table


def _responsible_table() -> QTableWidget:
    table = QTableWidget(0, 5)
    table.setObjectName("statsByResponsible")
    table.setHorizontalHeaderLabels(
        [
            _("Responsible (管家 / 业务员)"),
            _("Customers"),
            _("In touch this month"),
            _("Share in touch"),
            _("New this month"),
        ]
    )
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    return table


def _fill_responsible(table: QTableWidget, rows: list[statistics.StaffCount]) -> None:
    table.setRowCount(len(rows))
    for index, row in enumerate(rows):
        values = [
            row.name or _("No one named"),
            format_number(row.customers),
            format_number(row.active),
            reports.share_text(row.active_share),
            format_number(row.new),
        ]
        for column, value in enumerate(values):
            item = QTableWidgetItem(value)
            if column:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(index, column, item)


class CustomersPage(QWidget):
    """The customer archive by class, source, district, clerk and responsible staff member; new
    and active customers."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("customerStatsPage")
        self.figures: statistics.CustomerStatistics | None = None
        self.task = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Month")))
        self.month = MonthField(trends.default_period(), "statsMonth")
        top.addWidget(self.month, 1)
        layout.addLayout(top)
        self.summary = QLabel()
        self.summary.setObjectName("statsSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        grid = QGridLayout()
        self.by_class = _small_table("statsByClass", _("Class"))
        self.by_source = _small_table("statsBySource", _("Source"))
        self.by_district = _small_table("statsByDistrict", _("District"))
        self.by_clerk = _small_table("statsByClerk", _("Clerk (customers served this month)"))
        for index, table in enumerate(
            (self.by_class, self.by_source, self.by_district, self.by_clerk)
        ):
            grid.addWidget(table, index // 2, index % 2)
        self.by_responsible = _responsible_table()
        grid.addWidget(self.by_responsible, 2, 0, 1, 2)
        layout.addLayout(grid, 2)  # the tables before the chart: they carry the figures
        self.new_chart = svg_widget("statsNewChart")
        layout.addWidget(self.new_chart, 1)
        self.note = QLabel(
            _(
                "The clerk table counts the customers each clerk served at the desk in the month; the responsible table counts the files each staff member answers for (管家 / 业务员), and how many of them were in touch in the month."
            )
        )
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #666;")
        layout.addWidget(self.note)
        self.month.edit.editingFinished.connect(self.refresh)

    def refresh(self):
        """Count the archive off the UI thread (most of a second on 100,000 files)."""
        period = self.month.period()
        if period is None:
            return None
        self.task = run_task(
            self, _("Counting the figures…"), lambda _p: statistics.customer_statistics(period)
        )
        self.task.succeeded.connect(self.show_statistics)
        self.task.failed.connect(lambda message: show_message(self, _("No figures"), message))
        return self.task

    def show_statistics(self, s: statistics.CustomerStatistics) -> None:
        if s.period != self.month.period():
            return  # an earlier month's count, finished after the clerk typed another
        self.figures = s
        period = s.period
        self.summary.setText(
            _(
                "{total} customer files at the end of {month}; {new} opened in the month; {active} in touch in the month ({share})."
            ).format(
                total=format_number(s.total),
                month=period.label(),
                new=format_number(s.new),
                active=format_number(s.active),
                share=reports.share_text(s.active_share),
            )
        )
        _fill_table(self.by_class, [(customers.class_label(c), n) for c, n in s.by_class], s.total)
        _fill_table(
            self.by_source, [(statistics.source_text(c), n) for c, n in s.by_source], s.total
        )
        _fill_table(
            self.by_district,
            [(statistics.district_text(c), n) for c, n in s.by_district],
            s.total,
        )
        served = sum(n for _name, n in s.by_clerk)
        _fill_table(self.by_clerk, s.by_clerk, served)
        _fill_responsible(self.by_responsible, s.by_responsible)
        months = statistics.last_months(period)
        labels = trends.month_labels(months)
        show_drawing(
            self.new_chart,
            charts.bar_chart(
                _("New customer files per month"),
                labels,
                [(_("New customer files"), [n for _m, n in s.new_by_month])],
                CHART_W * 2,
                CHART_H,
            ),
        )


def _last_contact(row: churn.ChurnRow) -> str:
    return format_date(row.last_contact.date(), "short") if row.last_contact else "—"


CHURN_COLUMNS = [
    Column("name", N_("Name"), lambda r: r.name, sort_key="name", width=140),
    Column("mobile", N_("Mobile"), lambda r: r.masked_mobile, width=110),
    Column(
        "class",
        N_("Class"),
        lambda r: customers.class_label(r.customer_class),
        sort_key="class",
        width=90,
    ),
    Column("last", N_("Last contact"), _last_contact, width=110),
    Column("detail", N_("Why on the list"), lambda r: r.detail, width=260),
]


class ChurnPage(QWidget):
    """The three churn lists, each to export or print as a call list."""

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("churnPage")
        self.context = context
        self.staff = context.staff
        self.task = None
        self.dialog = None
        self.file_dialog = None
        self.pdf = PdfActions(self)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.kind = QComboBox()
        self.kind.setObjectName("churnKind")
        top.addWidget(QLabel(_("List")))
        top.addWidget(self.kind, 1)
        top.addWidget(QLabel(_("Lost after")))
        self.months = QSpinBox()
        self.months.setObjectName("churnMonths")
        self.months.setRange(1, 60)
        self.months.setSuffix(_(" months without contact"))
        self.months.setValue(churn.churn_months())
        self.months.setEnabled(self.staff.role == auth.Role.MANAGER)
        self.months.setToolTip(_("An office setting; only the manager changes it."))
        top.addWidget(self.months)
        layout.addLayout(top)
        self.count = QLabel()
        self.count.setObjectName("churnCount")
        layout.addWidget(self.count)
        self.model = LazyTableModel(CHURN_COLUMNS, self._ids, self._rows)
        self.view = LazyTableView(self.model, "churnTable")
        layout.addWidget(self.view, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.print_button = QPushButton(_("Print the call list…"))
        self.print_button.setObjectName("printCallList")
        self.print_button.setEnabled(auth.can(self.staff, "print"))
        self.export_button = QPushButton(_("Export…"))
        self.export_button.setObjectName("exportChurn")
        self.export_button.setEnabled(auth.can(self.staff, "export"))
        if not self.export_button.isEnabled():
            self.export_button.setToolTip(_("Only the manager may export data."))
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.export_button)
        layout.addLayout(buttons)
        self.kind.currentIndexChanged.connect(lambda _i: self.model.refresh())
        self.kind.currentIndexChanged.connect(self._show_count)
        self.months.editingFinished.connect(self.save_months)
        self.print_button.clicked.connect(self.print_list)
        self.export_button.clicked.connect(self.ask_export)
        # Enter or a double-click on a row opens the customer's file, to call and note it.
        self.view.opened.connect(self.open_customer)

    def current_kind(self) -> str:
        return self.kind.currentData() or "inactive"

    def open_customer(self, customer_id: int):
        from csoffice.ui.desk_keys import busy
        from csoffice.ui.dialogs.customer_dialog import CustomerDialog

        with busy():  # a long history takes a moment to read
            dialog = CustomerDialog(self.context, customer_id, self)
        self.dialog = dialog
        dialog.open()
        return dialog

    def save_months(self) -> None:
        """Store N of "no contact for N months" for the whole office, then count again."""
        if self.months.value() == churn.churn_months():
            return
        try:
            settings.put(self.staff, {"statistics.churn_months": self.months.value()})
        except CsofficeError as exc:
            show_message(self, _("Not saved"), str(exc))
            self.months.setValue(churn.churn_months())
            return
        self.refresh()

    def _ids(self, sort_key, descending) -> list[int]:
        return churn.churn_ids(self.current_kind(), sort_key=sort_key, descending=descending)

    def _rows(self, ids: list[int]) -> list[churn.ChurnRow]:
        return churn.churn_rows(self.current_kind(), ids)

    def refresh(self) -> None:
        current = self.kind.currentData()
        self.kind.blockSignals(True)
        self.kind.clear()
        for code in churn.KINDS:
            self.kind.addItem(churn.kind_label(code), code)
        self.kind.setCurrentIndex(max(0, self.kind.findData(current)))
        self.kind.blockSignals(False)
        self.model.refresh()
        # The list shown is counted by its own ids; only the other two are counted apart.
        for index in range(self.kind.count()):
            code = self.kind.itemData(index)
            count = self.model.total() if code == self.current_kind() else churn.churn_count(code)
            self.kind.setItemText(index, f"{churn.kind_label(code)} ({format_number(count)})")
        self._show_count()

    def _show_count(self, *_args) -> None:
        self.count.setText(
            _("{n} customers as at {date}.").format(
                n=format_number(self.model.total()), date=format_date(dt.date.today())
            )
        )

    def print_list(self):
        from csoffice.call_list import print_call_list

        kind, staff = self.current_kind(), self.staff
        path = subfolder("reports") / f"call-list-{kind}-{dt.date.today().isoformat()}.pdf"
        task = run_task(
            self, _("Preparing the call list…"), lambda _p: print_call_list(staff, kind, path)
        )
        task.succeeded.connect(self._pdf_ready)
        task.failed.connect(lambda message: show_message(self, _("Not printed"), message))
        self.task = task
        return task

    def _pdf_ready(self, path) -> None:
        self.pdf.path = Path(path)
        self.pdf.print()

    def ask_export(self):
        kind = self.current_kind()
        name = f"{churn.kind_label(kind)}-{dt.date.today().isoformat()}.xlsx"
        self.file_dialog = ask_export_file(self, _("Export the list"), name, self.export_to)
        return self.file_dialog

    def export_to(self, path: str):
        kind, staff = self.current_kind(), self.staff
        self.task = run_export(
            self,
            _("Exporting…"),
            lambda _p: churn.export(staff, kind, Path(path), dt.date.today()),
            _("{count} customers written to {path}"),
            path,
        )
        return self.task


class DeskReportsPage(QWidget):
    """The department report of a month and a clerk's daily work report, to preview or print."""

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("deskReportsPage")
        self.staff = context.staff
        self.is_manager = self.staff.role == auth.Role.MANAGER
        self.task = None
        self.pdf = PdfActions(self)
        self.after = "preview"
        layout = QVBoxLayout(self)

        department_box = QGroupBox(_("Department complaint report (one page)"))
        form = QFormLayout(department_box)
        self.department = QComboBox()
        self.department.setObjectName("reportDepartment")
        form.addRow(_("Department"), self.department)
        self.department_month = MonthField(trends.default_period(), "departmentMonth")
        form.addRow(_("Month"), self.department_month)
        row = QHBoxLayout()
        self.department_preview = QPushButton(_("Preview"))
        self.department_preview.setObjectName("previewDepartment")
        self.department_print = QPushButton(_("Print…"))
        self.department_print.setObjectName("printDepartment")
        row.addStretch(1)
        row.addWidget(self.department_preview)
        row.addWidget(self.department_print)
        form.addRow(row)
        layout.addWidget(department_box)

        clerk_box = QGroupBox(_("Daily work report of a clerk"))
        form = QFormLayout(clerk_box)
        self.clerk = QComboBox()
        self.clerk.setObjectName("reportClerk")
        form.addRow(_("Clerk"), self.clerk)
        self.day = QDateEdit(QDate.currentDate())
        self.day.setObjectName("clerkDay")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        form.addRow(_("Day"), self.day)
        row = QHBoxLayout()
        self.clerk_preview = QPushButton(_("Preview"))
        self.clerk_preview.setObjectName("previewClerkDay")
        self.clerk_print = QPushButton(_("Print…"))
        self.clerk_print.setObjectName("printClerkDay")
        row.addStretch(1)
        row.addWidget(self.clerk_preview)
        row.addWidget(self.clerk_print)
        form.addRow(row)
        layout.addWidget(clerk_box)
        layout.addStretch(1)

        may_print = auth.can(self.staff, "print")
        for button in (
            self.department_preview,
            self.department_print,
            self.clerk_preview,
            self.clerk_print,
        ):
            button.setEnabled(may_print)
        self.department_preview.clicked.connect(lambda: self.department_pdf("preview"))
        self.department_print.clicked.connect(lambda: self.department_pdf("print"))
        self.clerk_preview.clicked.connect(lambda: self.clerk_pdf("preview"))
        self.clerk_print.clicked.connect(lambda: self.clerk_pdf("print"))

    def refresh(self) -> None:
        period = self.department_month.period() or trends.default_period()
        current = self.department.currentData()
        self.department.clear()
        for code, label in desk_reports.departments_with_complaints(period):
            self.department.addItem(label, code)
        self.department.setCurrentIndex(max(0, self.department.findData(current)))
        current = self.clerk.currentData()
        self.clerk.clear()
        clerks = (
            desk_reports.clerks() if self.is_manager else [(self.staff.id, self.staff.display_name)]
        )
        for staff_id, name in clerks:
            self.clerk.addItem(name, staff_id)
        self.clerk.setCurrentIndex(max(0, self.clerk.findData(current or self.staff.id)))

    def department_pdf(self, then: str):
        from csoffice.reports.printed import print_department_report

        period = self.department_month.period()
        code = self.department.currentData()
        if period is None or code is None:
            return None
        path = subfolder("reports") / f"department-{code}-{period.code}.pdf"
        staff = self.staff
        return self._run(then, lambda _p: print_department_report(staff, code, period, path))

    def clerk_pdf(self, then: str):
        from csoffice.reports.printed import print_clerk_daily

        staff_id = self.clerk.currentData()
        if staff_id is None:
            return None
        day = python_date(self.day.date())
        path = subfolder("reports") / f"work-report-{staff_id}-{day.isoformat()}.pdf"
        staff = self.staff
        return self._run(then, lambda _p: print_clerk_daily(staff, staff_id, day, path))

    def _run(self, then: str, work):
        self.after = then
        task = run_task(self, _("Preparing the report…"), work)
        task.succeeded.connect(self._ready)
        task.failed.connect(lambda message: show_message(self, _("No report"), message))
        self.task = task
        return task

    def _ready(self, path) -> None:
        self.pdf.path = Path(path)
        if self.after == "print":
            self.pdf.print()
        elif not self.pdf.preview():
            show_message(
                self, _("Report ready"), _("The report is ready: {path}").format(path=path)
            )


class StatisticsTabs(QTabWidget):
    """The dashboard and the pages above, each filled the first time it is shown and again
    when records change while it is in view."""

    def __init__(self, context: AppContext, dashboard: QWidget, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("reportPages")
        self.addTab(dashboard, _("This month so far"))
        self.trends = TrendsPage()
        self.customers = CustomersPage()
        self.churn = ChurnPage(context)
        self.desk = DeskReportsPage(context)
        self.addTab(self.trends, _("Trends"))
        self.addTab(self.customers, _("Customers"))
        self.addTab(self.churn, _("Churn"))
        self.addTab(self.desk, _("Department and clerk"))
        # Each page counts nearly every kind of record; read when first shown, then again
        # after changes, only while (or once) it is in view.
        self.refreshers: list[RefreshOnChange] = []
        for page in (self.trends, self.customers, self.churn, self.desk):
            refresher = RefreshOnChange(
                page, tuple(Change), lambda _kinds, page=page: page.refresh()
            )
            refresher.mark_stale()
            self.refreshers.append(refresher)
