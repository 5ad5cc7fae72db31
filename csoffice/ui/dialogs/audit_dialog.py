"""The audit trail for the manager: who did what and when, filtered by date, staff, record
kind and action, with the before/after values of the selected entry."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from csoffice import audit_log, auth
from csoffice.i18n import N_, _, format_datetime, format_number
from csoffice.ui.context import AppContext
from csoffice.ui.desk_keys import DeskDialog
from csoffice.ui.models.lazy_table import Column, LazyTableModel
from csoffice.ui.widgets.lazy_table_view import LazyTableView
from csoffice.ui.widgets.qt_dates import show_dates

COLUMNS = [
    Column("at", N_("Time"), lambda r: format_datetime(r.at), sort_key="at", width=150),
    Column("staff", N_("Staff"), lambda r: r.staff_name, sort_key="staff", width=100),
    Column("action", N_("Action"), lambda r: r.action_label, sort_key="action", width=100),
    Column("entity", N_("Record"), lambda r: r.entity_label, width=90),
    Column("entity_id", N_("Record ID"), lambda r: r.entity_id or "", align_right=True, width=60),
    Column("summary", N_("Summary"), lambda r: r.summary, width=360),
]


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(edit: QDateEdit) -> dt.date:
    value = edit.date()
    return dt.date(value.year(), value.month(), value.day())


class AuditDialog(DeskDialog):
    """Read-only; the domain refuses every role but the manager."""

    def __init__(
        self, context: AppContext, parent: QWidget | None = None, today: dt.date | None = None
    ):
        super().__init__(parent)
        auth.require(context.staff, "view_audit")
        self.context = context
        self.setObjectName("auditDialog")
        self.setWindowTitle(_("Audit trail"))
        self.resize(1000, 620)
        layout = QVBoxLayout(self)

        filters = QGridLayout()
        today = today or dt.date.today()
        self.date_from = QDateEdit(_qdate(today - dt.timedelta(days=30)))
        self.date_to = QDateEdit(_qdate(today))
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            show_dates(edit)
        self.staff = QComboBox()
        self.staff.addItem(_("Everyone"), 0)
        for row in auth.staff_rows(auth.staff_ids()):
            self.staff.addItem(f"{row.display_name} ({row.username})", row.id)
        actions, entities = audit_log.used_codes(context.staff)
        self.entity = QComboBox()
        self.entity.addItem(_("All records"), "")
        for code in entities:
            self.entity.addItem(audit_log.entity_label(code), code)
        self.action = QComboBox()
        self.action.addItem(_("All actions"), "")
        for code in actions:
            self.action.addItem(audit_log.action_label(code), code)
        self.text = QLineEdit()
        self.text.setPlaceholderText(_("Words in the summary"))
        filters.addWidget(QLabel(_("From")), 0, 0)
        filters.addWidget(self.date_from, 0, 1)
        filters.addWidget(QLabel(_("To")), 0, 2)
        filters.addWidget(self.date_to, 0, 3)
        filters.addWidget(QLabel(_("Staff")), 0, 4)
        filters.addWidget(self.staff, 0, 5)
        filters.addWidget(QLabel(_("Record")), 1, 0)
        filters.addWidget(self.entity, 1, 1)
        filters.addWidget(QLabel(_("Action")), 1, 2)
        filters.addWidget(self.action, 1, 3)
        filters.addWidget(self.text, 1, 4, 1, 2)
        for column in (1, 3, 5):
            filters.setColumnStretch(column, 1)
        layout.addLayout(filters)

        self.model = LazyTableModel(
            COLUMNS,
            lambda key, descending: audit_log.search_ids(
                context.staff, self.criteria(), key, descending
            ),
            lambda ids: audit_log.rows(context.staff, ids),
            row_style=lambda r: "warning" if r.action == "login_failed" else None,
            parent=self,
        )
        self.view = LazyTableView(self.model)
        self.view.setSortingEnabled(True)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setStretchLastSection(True)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setPlaceholderText(_("Select an entry to see what changed."))
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        layout.addWidget(splitter, 1)

        bottom = QHBoxLayout()
        self.count_label = QLabel()
        bottom.addWidget(self.count_label, 1)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.accept)
        bottom.addWidget(close)
        layout.addLayout(bottom)

        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(self.refresh)
        for combo in (self.staff, self.entity, self.action):
            combo.currentIndexChanged.connect(self.refresh)
        self.text.textChanged.connect(self.refresh)
        self.view.selectionModel().selectionChanged.connect(self._show_details)
        self.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # newest first
        self.refresh()

    def criteria(self) -> audit_log.AuditFilter:
        return audit_log.AuditFilter(
            date_from=_date(self.date_from),
            date_to=_date(self.date_to),
            staff_id=self.staff.currentData() or None,
            entity=self.entity.currentData() or "",
            action=self.action.currentData() or "",
            text=self.text.text(),
        )

    def refresh(self) -> None:
        self.model.refresh()
        self.details.clear()
        self.count_label.setText(
            _("{count} entries").format(count=format_number(self.model.total()))
        )

    def _show_details(self) -> None:
        row = self.view.selected_row()
        if row is None:
            self.details.clear()
            return
        lines = [
            f"{format_datetime(row.at)}  {row.staff_name}  {row.action_label}  "
            f"{row.entity_label} {row.entity_id or ''}",
            row.summary,
        ]
        changes = row.changes_text()
        if changes:
            lines += ["", changes]
        self.details.setPlainText("\n".join(lines))
