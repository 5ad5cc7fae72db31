"""The Today board (今日): what the desk must do today, in sections with counts and lists; every
item opens its record. It refreshes when records change and again just after midnight."""

from __future__ import annotations

import datetime as dt
from typing import Protocol, runtime_checkable

from PySide6.QtCore import QDateTime, QTime, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from csoffice import customer_classes, paper_file, receptions, today, visits
from csoffice.changes import Change
from csoffice.errors import CsofficeError
from csoffice.i18n import N_, _, format_date, format_number
from csoffice.today import BoardItem, Section
from csoffice.ui.context import AppContext
from csoffice.ui.errors import show_message
from csoffice.ui.models.lazy_table import Column, LazyTableModel
from csoffice.ui.widgets.lazy_table_view import LazyTableView
from csoffice.ui.widgets.refresh import RefreshOnChange

COLUMNS = [
    Column("title", N_("To do"), lambda item: item.title),
    Column("detail", N_("Particulars"), lambda item: item.detail),
    Column("when", N_("When"), lambda item: item.when),
]


VISIBLE_ROWS = 8
# Changes to what the visit rules hang on: service events (entered on the customer's file),
# customers (archived or merged), complaints (handled), the rules themselves.
SCHEDULING_KINDS = frozenset(
    {Change.CUSTOMER, Change.SERVICE_EVENT, Change.COMPLAINT, Change.SETTINGS}
)
# Everything the board lists: calls, follow-ups, complaints, birthdays and greetings, care
# reminders (referrals), paper files (service events), the clerk's own customers.
BOARD_KINDS = SCHEDULING_KINDS | {
    Change.VISIT,
    Change.RECEPTION,
    Change.CARD,
    Change.GREETING,
    Change.REFERRAL,
    Change.STAFF,
}


class SectionBox(QGroupBox):
    """One section: its title with the count, and its list (loaded a page at a time)."""

    def __init__(self, key: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.key = key
        self.section: Section | None = None
        self.setObjectName(f"today_{key}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.model = LazyTableModel(
            COLUMNS,
            lambda _sort, _descending: list(self.section.ids) if self.section else [],
            lambda ids: self.section.items(ids) if self.section else [],
            page_size=50,
            row_style=lambda item: item.style,
            parent=self,
        )
        self.table = LazyTableView(self.model, f"todayTable_{key}")
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 190)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.empty = QLabel(_("Nothing owed."))
        self.empty.setObjectName("todayEmpty")
        self.empty.setStyleSheet("color: #7a7a7a;")
        layout.addWidget(self.table)
        layout.addWidget(self.empty)

    def show_section(self, section: Section) -> None:
        self.section = section
        self.setTitle(f"{_(section.title)}（{format_number(section.count)}）")
        self.model.refresh()
        # The list is as tall as its lines, up to VISIBLE_ROWS; longer lists scroll.
        rows = min(section.count, VISIBLE_ROWS)
        height = self.table.horizontalHeader().sizeHint().height()
        self.table.setFixedHeight(height + rows * 24 + 2 * self.table.frameWidth() + 2)
        self.table.setVisible(section.count > 0)
        self.empty.setVisible(section.count == 0)

    def item(self, row: int) -> BoardItem | None:
        return self.model.row_object(row)


@runtime_checkable
class TabbedWindow(Protocol):
    """The desk's window, as far as the board needs it: it can bring another tab forward."""

    def show_tab(self, key: str) -> QWidget | None: ...


class TodayTab(QWidget):
    """The board. ``boxes`` holds each section's box by key."""

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.staff = context.staff
        self.dialog = None
        self._schedule_needed = True
        self._scheduled_on: dt.date | None = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.heading = QLabel()
        self.heading.setObjectName("todayHeading")
        self.heading.setStyleSheet("font-size: 15pt; font-weight: bold;")
        self.summary = QLabel()
        self.summary.setObjectName("todaySummary")
        self.refresh_button = QPushButton(_("Refresh (F5)"))
        self.refresh_button.setShortcut("F5")
        self.refresh_button.clicked.connect(self.refresh_all)
        top.addWidget(self.heading)
        top.addWidget(self.summary, 1)
        top.addWidget(self.refresh_button)
        layout.addLayout(top)

        # Two columns: the calls and follow-ups to make, and the complaints; then the care.
        holder = QWidget()
        columns = QHBoxLayout(holder)
        columns.setContentsMargins(0, 0, 0, 0)
        left, right = QVBoxLayout(), QVBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        placement = {
            "visits": left,
            "followups": left,
            "birthdays": left,
            "festivals": left,
            "reminders": left,
            "my_complaints": right,
            "overdue_complaints": right,
            "awaiting_manager": right,
            "papers": right,
            "repair_papers": right,
            "my_customers": right,
        }
        self.boxes: dict[str, SectionBox] = {}
        for key in today.SECTION_TITLES:
            box = SectionBox(key)
            box.table.activated.connect(
                lambda index, box=box: self.open_item(box.item(index.row()))
            )
            self.boxes[key] = box
            placement[key].addWidget(box)
        left.addStretch(1)
        right.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        layout.addWidget(scroll, 1)

        # Many changes in a row (a demo, an import) refresh the board once.
        self.refresher = RefreshOnChange(self, BOARD_KINDS, self._show_board, delay_ms=250)
        self._midnight = QTimer(self)
        self._midnight.setSingleShot(True)
        self._midnight.timeout.connect(self._new_day)
        # The board fills once the window is on screen: signing in shows the window at once.
        QTimer.singleShot(0, self.refresh)
        self._arm_midnight()

    # --- refreshing ---------------------------------------------------------------------

    def search_box(self) -> QWidget | None:
        """Where Ctrl+F puts the cursor: the first section's list on show, else Refresh."""
        return next(
            (t for t in self.findChildren(QAbstractItemView) if t.isVisibleTo(self)),
            self.refresh_button,
        )

    def _arm_midnight(self) -> None:
        now = QDateTime.currentDateTime()
        midnight = QDateTime(now.date().addDays(1), QTime(0, 0, 5))
        self._midnight.start(max(1000, now.msecsTo(midnight)))

    def _new_day(self) -> None:
        self.refresh()
        self._arm_midnight()

    def schedule(self) -> int:
        """Create the rules' calls due today (idempotent; about 130 ms over 100,000 customers,
        a few ms for a small office)."""
        self._schedule_needed = False
        self._scheduled_on = dt.date.today()
        customer_classes.age_new_customers(self.staff, self._scheduled_on)
        return visits.schedule_due_visits(self.staff, self._scheduled_on)

    def refresh_all(self) -> None:
        """F5: schedule the rules' calls again and refresh."""
        self._schedule_needed = True
        self.refresh()

    def refresh(self) -> None:
        """Read the board afresh now (the changes waiting for it included)."""
        self.refresher.refresh_now()

    def _show_board(self, kinds: frozenset[Change]) -> None:
        if kinds & SCHEDULING_KINDS:
            self._schedule_needed = True
        day = dt.date.today()
        # The rules' calls exist before they are counted: scheduled at start, on a new day, on
        # F5, and when what they hang on changed — not after every call or reception logged.
        if self._schedule_needed or self._scheduled_on != day:
            self.schedule()
        board = today.sections(self.staff, day)
        self.heading.setText(_("Today, {date}").format(date=format_date(day, "full")))
        for section in board:
            self.boxes[section.key].show_section(section)
        total = sum(section.count for section in board)
        self.summary.setText(_("{count} items owed").format(count=format_number(total)))

    # --- opening records ----------------------------------------------------------------

    def open_item(self, item: BoardItem | None):
        if item is None:
            return None
        opener = {
            "visit": self.open_visit,
            "complaint": self.open_complaint,
            "customer": self.open_customer,
            "reception": self.open_reception,
            "festival": self.open_festival,
        }.get(item.kind)
        if opener is None:  # a repair: the question is about the line itself
            return self.ask_repair_papers(item)
        return opener(item.id)

    def open_festival(self, ordinal: int):
        """The greetings worklist of the festival on that day, ready to send."""
        from csoffice.ui.dialogs.care_dialog import CareDialog

        dialog = CareDialog(self.context, self)
        day = dt.date.fromordinal(ordinal)
        for index in range(dialog.occasion.count()):
            _kind, festival = dialog.occasion.itemData(index)
            if festival is not None and festival.day == day:
                dialog.occasion.setCurrentIndex(index)
                break
        return self._show(dialog)

    def ask_repair_papers(self, item: BoardItem):
        """Enter on a repair: have its papers come in today? "Received today" records it."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Repair papers"),
            _("Have the papers of this repair reached the service desk today?")
            + f"\n\n{item.title}\n{item.detail}",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        received = box.button(QMessageBox.StandardButton.Yes)
        received.setText(_("Received today"))
        box.button(QMessageBox.StandardButton.No).setText(_("Not yet"))
        box.setEscapeButton(QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        box.finished.connect(
            lambda _result: (
                self._repair_answered(item.id) if box.clickedButton() is received else None
            )
        )
        return self._show(box)

    def _repair_answered(self, event_id: int) -> None:
        try:
            paper_file.receive_repair_papers(self.staff, event_id)
        except CsofficeError as exc:
            show_message(self, _("Repair papers"), str(exc))

    def open_visit(self, visit_id: int):
        from csoffice.ui.dialogs.visit_dialog import VisitDialog

        return self._show(VisitDialog(self.context, visit_id, self))

    def open_complaint(self, complaint_id: int):
        from csoffice.ui.dialogs.complaint_form import ComplaintForm

        return self._show(ComplaintForm(self.context, complaint_id=complaint_id, parent=self))

    def open_customer(self, customer_id: int):
        from csoffice.ui.dialogs.customer_dialog import CustomerDialog

        return self._show(CustomerDialog(self.context, customer_id, self))

    def open_reception(self, reception_id: int):
        """The reception desk has no dialog: its quick entry loads the reception to correct it
        or mark its follow-up. Without the reception tab, the caller's customer file opens."""
        from csoffice.ui.tabs.reception.tab import ReceptionTab

        window = self.window()
        page = window.show_tab("reception") if isinstance(window, TabbedWindow) else None
        if isinstance(page, ReceptionTab):
            page.entry.load(reception_id)
            return page
        try:
            row = receptions.row(reception_id)
        except CsofficeError as exc:
            return show_message(self, _("Not found"), str(exc))
        if row.customer_id is not None:
            return self.open_customer(row.customer_id)
        return show_message(
            self,
            _("Follow-up owed"),
            f"{row.caller}　{row.caller_phone}\n{row.content}",
        )

    def _show(self, dialog):
        self.dialog = dialog
        dialog.open()
        return dialog
