"""The day's receptions (or another period, or the follow-ups still owed) in a lazily loaded
list with the desk's filters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate, QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from csoffice import receptions
from csoffice.i18n import N_, _, format_date, format_number, format_time
from csoffice.receptions import DayFilter, ReceptionRow
from csoffice.ui.context import AppContext
from csoffice.ui.models.lazy_table import Column, LazyTableModel
from csoffice.ui.widgets.lazy_table_view import LazyTableView
from csoffice.ui.widgets.qt_dates import python_date, show_dates
from csoffice.ui.widgets.refresh import refill
from csoffice.validation import mask_phone


def _followup_text(row: ReceptionRow) -> str:
    if not row.followup_needed:
        return ""
    if row.followup_done_at is not None:
        return _("Done")
    due = format_date(row.followup_due, "short") if row.followup_due else ""
    if row.followup_overdue():
        return _("{date} (overdue)").format(date=due)
    return due


def _when(row: ReceptionRow) -> str:
    if row.received_at.date() == dt.date.today():
        return format_time(row.received_at)
    return f"{format_date(row.received_at.date(), 'short')} {format_time(row.received_at)}"


def _channel_text(row: ReceptionRow) -> str:
    text = receptions.channel_label(row.channel)
    if row.channel == "phone":
        text = f"{text}·{receptions.direction_label(row.direction)}"
    return text


def _caller_text(row: ReceptionRow) -> str:
    text = row.caller
    if row.caller_kind != "customer":
        text = f"{text}（{receptions.caller_kind_label(row.caller_kind)}）"
    return text


COLUMNS = [
    Column("time", N_("Time"), _when, sort_key="received_at", width=130),
    Column("channel", N_("Channel"), _channel_text, sort_key="channel", width=90),
    Column("caller", N_("Caller"), _caller_text, sort_key="caller", width=170),
    Column("phone", N_("Phone"), lambda r: mask_phone(r.caller_phone), width=100),
    Column(
        "category",
        N_("Category"),
        lambda r: receptions.category_label(r.category),
        sort_key="category",
        width=90,
    ),
    Column("content", N_("What was said"), lambda r: r.content.replace("\n", " "), width=280),
    Column("outcome", N_("Outcome"), lambda r: r.outcome.replace("\n", " "), width=180),
    Column("handler", N_("Taken by"), lambda r: r.handler_name, sort_key="handler"),
    Column("followup", N_("Follow-up"), _followup_text, sort_key="followup_due"),
    Column(
        "status",
        N_("Complaint / status"),
        lambda r: r.complaint_number if r.status == "active" else receptions.status_label(r.status),
    ),
]


def _row_style(row: ReceptionRow) -> str | None:
    if row.status != "active":
        return "muted"
    if row.followup_overdue():
        return "overdue"
    if row.followup_pending:
        return "warning"
    return None


# Customers counted when several share the digits typed (the last four of a mobile number


class DayView(QWidget):
    """Today's receptions (or another period) in a lazily loaded table, with filters."""

    open_requested = Signal(int)
    selection_changed = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        # The right-click menu of a row: the desk's actions, given by the tab that holds the view.
        self.row_menu: Callable[[], QMenu] | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

        bar = QHBoxLayout()
        self.date_from = QDateEdit(QDate.currentDate())
        self.date_from.setObjectName("dateFrom")
        self.date_to = QDateEdit(QDate.currentDate())
        self.date_to.setObjectName("dateTo")
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            show_dates(edit)
        self.channel_filter = QComboBox()
        self.channel_filter.setObjectName("channelFilter")
        self.category_filter = QComboBox()
        self.category_filter.setObjectName("categoryFilter")
        self.handler_filter = QComboBox()
        self.handler_filter.setObjectName("handlerFilter")
        self.pending = QCheckBox(_("Follow-ups owed (all days)"))
        self.pending.setObjectName("pendingFilter")
        self.today_button = QPushButton(_("Today"))
        self.today_button.setAutoDefault(False)
        bar.addWidget(QLabel(_("From")))
        bar.addWidget(self.date_from)
        bar.addWidget(QLabel(_("to")))
        bar.addWidget(self.date_to)
        bar.addWidget(self.today_button)
        bar.addWidget(self.channel_filter)
        bar.addWidget(self.category_filter)
        bar.addWidget(self.handler_filter)
        bar.addStretch(1)
        layout.addLayout(bar)

        self.model = LazyTableModel(COLUMNS, self._fetch_ids, receptions.rows, row_style=_row_style)
        self.table = LazyTableView(self.model, "receptionTable")
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.opened.connect(self.open_requested)
        layout.addWidget(self.table, 1)

        self.count_label = QLabel()
        self.count_label.setObjectName("receptionCount")
        bottom = QHBoxLayout()
        bottom.addWidget(self.pending)
        bottom.addWidget(self.count_label, 1)
        layout.addLayout(bottom)

        self.reload_choices()
        self.date_from.dateChanged.connect(self.refresh)
        self.date_to.dateChanged.connect(self.refresh)
        self.today_button.clicked.connect(self.show_today)
        for combo in (self.channel_filter, self.category_filter, self.handler_filter):
            combo.currentIndexChanged.connect(self.refresh)
            # As wide as their longest entry ("All channels"): the bar has room to spare.
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.pending.toggled.connect(self._on_pending)
        self.table.selectionModel().currentRowChanged.connect(
            lambda *_a: self.selection_changed.emit()
        )
        self.refresh()

    def reload_choices(self) -> None:
        """Channels, categories and clerks as the office has them now."""
        refill(self.channel_filter, receptions.channels(), [(None, _("All channels"))])
        refill(self.category_filter, receptions.categories(), [(None, _("All categories"))])
        refill(self.handler_filter, receptions.handlers(), [(None, _("Everyone"))])

    def criteria(self) -> DayFilter:
        pending = self.pending.isChecked()
        return DayFilter(
            date_from=None if pending else python_date(self.date_from.date()),
            date_to=None if pending else python_date(self.date_to.date()),
            channel=self.channel_filter.currentData() or "",
            category=self.category_filter.currentData() or "",
            handler_id=self.handler_filter.currentData(),
            followup_pending=pending,
            include_voided=True,
        )

    def _fetch_ids(self, sort: str | None, descending: bool) -> list[int]:
        return receptions.search_ids(self.criteria(), sort=sort, descending=descending)

    def refresh(self, *_args) -> None:
        if self.date_to.date() < self.date_from.date():
            self.date_to.setDate(self.date_from.date())
            return  # dateChanged calls refresh again
        self.model.refresh()
        owed = receptions.count(DayFilter(followup_pending=True))
        # The Today board lists those due by today; the rest are owed later. Both counted, so
        # the two screens agree.
        due = len(receptions.followups_due(dt.date.today())) if owed else 0
        self.count_label.setText(
            _(
                "{count} receptions shown · {owed} follow-ups owed, {due} of them due by today"
            ).format(
                count=format_number(self.model.total()),
                owed=format_number(owed),
                due=format_number(due),
            )
        )
        self.selection_changed.emit()

    def show_today(self) -> None:
        self.pending.setChecked(False)
        self.date_from.blockSignals(True)
        self.date_from.setDate(QDate.currentDate())
        self.date_from.blockSignals(False)
        self.date_to.setDate(QDate.currentDate())
        self.refresh()

    def _on_pending(self, checked: bool) -> None:
        self.date_from.setEnabled(not checked)
        self.date_to.setEnabled(not checked)
        self.refresh()

    def current_row(self) -> ReceptionRow | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.row_object(index.row())

    def select_id(self, reception_id: int) -> None:
        self.table.select_id(reception_id)

    def _context_menu(self, position: QPoint) -> None:
        if self.row_menu is not None:
            self.row_menu().popup(self.table.viewport().mapToGlobal(position))
