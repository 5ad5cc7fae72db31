"""The complaint ledger (投诉台帐): filters, totals, overdue complaints highlighted; open, create,
export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from csoffice import auth, complaints
from csoffice.changes import Change
from csoffice.complaints import ComplaintRow, LedgerFilter
from csoffice.i18n import N_, _, format_datetime, format_number
from csoffice.ui.context import AppContext
from csoffice.ui.models.lazy_table import Column, LazyTableModel
from csoffice.ui.widgets.lazy_table_view import LazyTableView
from csoffice.ui.widgets.qt_dates import python_date
from csoffice.ui.widgets.refresh import RefreshOnChange, refill
from csoffice.ui.widgets.sheet_export import ask_export_file, run_export

COLUMNS = [
    Column("number", N_("Number"), lambda r: r.number, sort_key="number", width=130),
    Column(
        "received_at",
        N_("Time received"),
        lambda r: format_datetime(r.received_at),
        sort_key="received_at",
        width=120,
    ),
    Column("status", N_("Status"), lambda r: r.status_label, sort_key="status", width=80),
    Column(
        "severity",
        N_("Severity"),
        lambda r: complaints.severity_text(r.severity, r.people, r.duplicate_of),
        sort_key="severity",
        width=140,
    ),
    Column("category", N_("Category"), lambda r: r.category_label, sort_key="category", width=80),
    Column("customer", N_("Customer"), lambda r: r.customer_name, sort_key="contact", width=110),
    Column("phone", N_("Contact phone"), lambda r: r.contact_phone, width=100),
    Column("owner", N_("First responder"), lambda r: r.owner_name, sort_key="owner", width=80),
    Column(
        "department",
        N_("Department"),
        lambda r: r.department_label,
        sort_key="department",
        width=90,
    ),
    Column("handler", N_("Handler"), lambda r: r.handler_name, width=70),
    Column(
        "resolve_due",
        N_("Resolution due"),
        lambda r: format_datetime(r.resolve_due),
        sort_key="resolve_due",
        width=120,
    ),
    Column("overdue", N_("Overdue"), lambda r: _overdue_text(r)),
]

# What the ledger shows (a complaint, its customer, the reception it came from), and what its
# filters list (the first responders, the office's categories and departments).
CHANGES = (Change.COMPLAINT, Change.CUSTOMER, Change.RECEPTION, Change.STAFF, Change.SETTINGS)

PERIODS = {
    "all": N_("All dates"),
    "today": N_("Today"),
    "week": N_("Last 7 days"),
    "month": N_("This month"),
    "last_month": N_("Last month"),
    "year": N_("This year"),
    "custom": N_("From … to …"),
}


def _overdue_text(row: ComplaintRow) -> str:
    parts = [row.overdue_label] if row.overdue else []
    if row.escalated and row.status in complaints.OPEN_STATUSES:
        parts.append(_("escalated"))
    return "，".join(parts)


def row_style(row: ComplaintRow) -> str | None:
    if row.duplicate_of:
        return "muted"  # listed, not counted
    if row.overdue:
        return "overdue"
    if row.status in complaints.FINAL_STATUSES:
        return "muted"
    return None


def period_dates(code: str, today: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day of a named period (None: open-ended)."""
    if code == "today":
        return today, today
    if code == "week":
        return today - dt.timedelta(days=6), today
    if code == "month":
        return today.replace(day=1), today
    if code == "last_month":
        last = today.replace(day=1) - dt.timedelta(days=1)
        return last.replace(day=1), last
    if code == "year":
        return today.replace(month=1, day=1), today
    return None, None


class ComplaintsTab(QWidget):
    """The ledger of every complaint, lazily loaded, with the desk's filters and totals."""

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.staff = context.staff
        layout = QVBoxLayout(self)

        filters = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("complaintSearch")
        self.search.setPlaceholderText(_("Number, customer, contact or phone"))
        self.search.setClearButtonEnabled(True)
        self.period = QComboBox()
        for code, label in PERIODS.items():
            self.period.addItem(_(label), code)
        today = QDate.currentDate()
        self.date_from = QDateEdit(today.addMonths(-1))
        self.date_to = QDateEdit(today)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
        self.status = QComboBox()
        self.status.addItem(_("Every status"), "")
        self.status.addItem(_("Open (not handled yet)"), "open")
        self.status.addItem(_("Not closed"), "active")
        for code, label in complaints.STATUSES.items():
            self.status.addItem(_(label), code)
        self.category = QComboBox()
        self.severity = QComboBox()
        self.severity.addItem(_("Every severity"), "")
        for code, label in complaints.SEVERITIES.items():
            self.severity.addItem(_(label), code)
        self.owner = QComboBox()
        self.department = QComboBox()
        self.reload_choices()
        self.overdue = QCheckBox(_("Overdue only"))
        filters.addWidget(self.search, 2)
        for widget in (self.period, self.date_from, self.date_to, self.overdue):
            filters.addWidget(widget)
        choices = QHBoxLayout()
        for combo in (self.status, self.category, self.severity, self.owner, self.department):
            # Narrow windows shrink the lists rather than push the window wider.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(6)
            choices.addWidget(combo, 1)
        layout.addLayout(filters)
        layout.addLayout(choices)

        self.model = LazyTableModel(
            COLUMNS, self._fetch_ids, complaints.rows, row_style=row_style, parent=self
        )
        self.table = LazyTableView(self.model, "complaintTable")
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.opened.connect(self.open_complaint)
        layout.addWidget(self.table, 1)

        bottom = QHBoxLayout()
        self.totals_label = QLabel()
        self.totals_label.setObjectName("complaintTotals")
        self.totals_label.setWordWrap(True)
        self.export_button = QPushButton(_("Export…"), self)
        self.export_button.clicked.connect(self.choose_export)
        self.export_button.setVisible(auth.can(self.staff, "export"))
        self.open_button = QPushButton(_("Open"))
        self.open_button.clicked.connect(self.open_current)
        self.new_button = QPushButton(_("New complaint (Ctrl+N)"))
        self.new_button.clicked.connect(self.new_complaint)
        self.new_button.setEnabled(auth.can(self.staff, "edit"))
        bottom.addWidget(self.totals_label, 1)
        bottom.addWidget(self.export_button)
        bottom.addWidget(self.open_button)
        bottom.addWidget(self.new_button)
        layout.addLayout(bottom)
        shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.New), self)
        shortcut.activated.connect(self.new_complaint)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(200)
        self._timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self.search.returnPressed.connect(self.open_current)
        self.period.currentIndexChanged.connect(self._period_changed)
        for combo in (self.status, self.category, self.severity, self.owner, self.department):
            combo.currentIndexChanged.connect(self.refresh)
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(self.refresh)
        self.overdue.toggled.connect(self.refresh)
        self.refresher = RefreshOnChange(self, CHANGES, self._on_changed)
        self.setFocusProxy(self.search)
        self.refresh()

    # --- filters ------------------------------------------------------------------------

    def search_box(self) -> QWidget | None:
        """Where Ctrl+F puts the cursor."""
        return self.search

    def _period_changed(self) -> None:
        custom = self.period.currentData() == "custom"
        self.date_from.setEnabled(custom)
        self.date_to.setEnabled(custom)
        self.refresh()

    def criteria(self) -> LedgerFilter:
        code = self.period.currentData()
        if code == "custom":
            start, end = python_date(self.date_from.date()), python_date(self.date_to.date())
        else:
            start, end = period_dates(code, dt.date.today())
        return LedgerFilter(
            date_from=start,
            date_to=end,
            status=self.status.currentData() or "",
            category=self.category.currentData() or "",
            severity=self.severity.currentData() or "",
            owner_id=self.owner.currentData(),
            department=self.department.currentData() or "",
            overdue=self.overdue.isChecked(),
            text=self.search.text(),
        )

    def _fetch_ids(self, sort: str | None, descending: bool) -> list[int]:
        return complaints.search_ids(self.criteria(), sort, descending)

    def refresh(self) -> None:
        self._timer.stop()
        self.model.refresh()  # reads only: escalation runs on the main window's timer
        totals = complaints.totals(self.criteria())
        parts = [
            _("{count} complaints").format(count=format_number(totals.count)),
            _("{n} people").format(n=format_number(totals.people)),
            _("open {n}").format(n=format_number(totals.open)),
            _("overdue {n}").format(n=format_number(totals.overdue)),
            _("major or group {n}").format(n=format_number(totals.major_or_group)),
            _("company at fault {n}").format(n=format_number(totals.at_fault)),
            _("closed {n}").format(n=format_number(totals.by_status.get("closed", 0))),
            _("rejected {n}").format(n=format_number(totals.by_status.get("rejected", 0))),
        ]
        if totals.average_satisfaction is not None:
            parts.append(
                _("average satisfaction {score}").format(score=f"{totals.average_satisfaction:.1f}")
            )
        if totals.duplicates:
            parts.append(
                _("{n} duplicates listed, not counted").format(n=format_number(totals.duplicates))
            )
        self.totals_label.setText(" · ".join(parts))
        if self.model.rowCount() and not self.table.currentIndex().isValid():
            self.table.selectRow(0)

    def reload_choices(self) -> None:
        """The categories, first responders and departments as the office has them now."""
        refill(self.category, complaints.categories(), [("", _("Every category"))])
        refill(
            self.owner,
            complaints.staff_choices(receivers_only=True),
            [(None, _("Every first responder"))],
        )
        refill(self.department, complaints.departments(), [("", _("Every department"))])

    def _on_changed(self, kinds: frozenset[Change]) -> None:
        if kinds & {Change.STAFF, Change.SETTINGS}:
            self.reload_choices()
        self.refresh()

    # --- actions ------------------------------------------------------------------------

    def open_current(self) -> None:
        if self._timer.isActive():
            self.refresh()
        row = max(0, self.table.currentIndex().row())
        self.open_complaint(self.model.row_id(row))

    def open_complaint(self, complaint_id: int | None):
        if complaint_id is None:
            return None
        from csoffice.ui.desk_keys import busy
        from csoffice.ui.dialogs.complaint_form import ComplaintForm

        with busy():
            form = ComplaintForm(self.context, complaint_id=complaint_id, parent=self)
        self._follow(form)
        return form

    def new_complaint(self):
        if not auth.can(self.staff, "edit"):
            return None
        from csoffice.ui.dialogs.complaint_form import ComplaintForm

        form = ComplaintForm(self.context, parent=self)
        self._follow(form)
        return form

    def _follow(self, form) -> None:
        """Open ``form``; what it saves shows in the ledger at once (the other views follow the
        complaint write's change event)."""
        form.saved.connect(lambda _id: self.refresher.refresh_now())
        self.form = form
        form.open()

    def choose_export(self) -> None:
        self.export_dialog = ask_export_file(
            self, _("Export the complaint ledger"), "complaints.xlsx", self.export_to
        )

    def export_to(self, path: str):
        """Export what the filters show, off the UI thread."""
        staff, criteria = self.staff, self.criteria()
        total = self.model.total()

        def work(progress):
            return complaints.export_ledger(
                staff, Path(path), criteria, progress=lambda done: progress(done, total)
            )

        task = run_export(
            self,
            _("Exporting complaints…"),
            work,
            _("{count} complaints exported to {path}"),
            path,
        )
        self.export_task = task
        return task


def create(context: AppContext) -> ComplaintsTab:
    return ComplaintsTab(context)
