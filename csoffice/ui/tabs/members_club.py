"""The club's pages of the member tab: the gift list, birthdays due with the greeting log,
and member events with invitations and attendance."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from csoffice import auth, members
from csoffice.changes import Change
from csoffice.i18n import N_, _, format_date, format_datetime, format_number
from csoffice.ui.context import AppContext
from csoffice.ui.models.lazy_table import Column, LazyTableModel
from csoffice.ui.widgets.customer_picker import CustomerPicker
from csoffice.ui.widgets.pages import guarded, make_table, open_dialog
from csoffice.ui.widgets.refresh import RefreshOnChange
from csoffice.validation import mask_phone

GIFT_COLUMNS = [
    Column("name", N_("Gift"), lambda r: r.name, sort_key="name", width=200),
    Column(
        "price",
        N_("Points price"),
        lambda r: format_number(r.points_price),
        sort_key="price",
        align_right=True,
        width=100,
    ),
    Column(
        "stock",
        N_("Stock"),
        lambda r: format_number(r.stock),
        sort_key="stock",
        align_right=True,
        width=80,
    ),
    Column("redeemed", N_("Redeemed"), lambda r: format_number(r.redeemed), align_right=True),
    Column("active", N_("On the list"), lambda r: _("Yes") if r.active else _("No"), width=80),
    Column("description", N_("Description"), lambda r: r.description, width=240),
]

BIRTHDAY_COLUMNS = [
    Column("date", N_("Birthday"), lambda r: format_date(r.next_birthday, "short"), width=110),
    Column("days", N_("In days"), lambda r: str(r.days_ahead), align_right=True, width=60),
    Column("name", N_("Member"), lambda r: r.name, width=110),
    Column("age", N_("Age"), lambda r: str(r.age), align_right=True, width=50),
    Column("mobile", N_("Mobile"), lambda r: mask_phone(r.mobile), width=120),
    Column("level", N_("Level"), lambda r: r.level_name, width=70),
    Column("card", N_("Card number"), lambda r: r.card_no, width=120),
    Column("greeted", N_("Greeted"), lambda r: _("Yes") if r.greeted else "", width=60),
]

GREETING_COLUMNS = [
    Column("at", N_("Time"), lambda r: format_datetime(r.at), width=130),
    Column("name", N_("Member"), lambda r: r.customer_name, width=100),
    Column("kind", N_("Occasion"), lambda r: r.kind_label, width=70),
    Column("channel", N_("How"), lambda r: r.channel_label, width=80),
    Column("bonus", N_("Bonus"), lambda r: str(r.bonus_points or ""), align_right=True, width=60),
    Column("staff", N_("Staff"), lambda r: r.staff_name, width=80),
    Column("content", N_("What was said or sent"), lambda r: r.content, width=300),
]

EVENT_COLUMNS = [
    Column("date", N_("Date"), lambda r: format_date(r.date, "short"), width=110),
    Column("title", N_("Title"), lambda r: r.title, width=200),
    Column("place", N_("Place"), lambda r: r.place, width=120),
    Column("status", N_("Status"), lambda r: r.status_label, width=70),
    Column("invited", N_("Invited"), lambda r: str(r.invited), align_right=True, width=60),
    Column("attended", N_("Attended"), lambda r: str(r.attended), align_right=True, width=60),
]

ATTENDANCE_COLUMNS = [
    Column("name", N_("Member"), lambda r: r.name, width=110),
    Column("mobile", N_("Mobile"), lambda r: mask_phone(r.mobile), width=120),
    Column("card", N_("Card number"), lambda r: r.card_no, width=120),
    Column("invited", N_("Invited at"), lambda r: format_datetime(r.invited_at), width=130),
    Column("attended", N_("Attended"), lambda r: _("Yes") if r.attended else "", width=60),
]


class GiftsPage(QWidget):
    """积分换礼的礼品: the list with points price and stock; add, change, restock."""

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.staff = context.staff
        self.dialog = None
        layout = QVBoxLayout(self)
        buttons = QHBoxLayout()
        self.new_button = QPushButton(_("New gift…"))
        self.edit_button = QPushButton(_("Change…"))
        self.restock_button = QPushButton(_("Restock…"))
        for button in (self.new_button, self.edit_button, self.restock_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.model = LazyTableModel(
            GIFT_COLUMNS,
            lambda key, desc: members.gift_ids(sort_key=key, descending=desc),
            members.gift_rows,
            row_style=lambda r: "muted" if not r.active else ("warning" if r.stock == 0 else None),
        )
        self.view = make_table(self.model, "giftsView")
        self.view.setSortingEnabled(True)
        layout.addWidget(self.view, 1)
        self.new_button.clicked.connect(self.open_new)
        self.edit_button.clicked.connect(self.open_edit)
        self.restock_button.clicked.connect(self.open_restock)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.reload()
        self.refresher = RefreshOnChange(
            self, (Change.GIFT, Change.CARD), lambda _kinds: self.reload()
        )

    def reload(self) -> None:
        self.model.refresh()
        self._update_buttons()

    def _update_buttons(self, *_args) -> None:
        may = auth.can(self.staff, "edit")
        chosen = self.view.selected_row() is not None
        self.new_button.setEnabled(may)
        self.edit_button.setEnabled(may and chosen)
        self.restock_button.setEnabled(may and chosen)

    def _open(self, dialog) -> None:
        self.dialog = open_dialog(dialog, lambda _result: self.refresher.refresh_now())

    def open_new(self):
        from csoffice.ui.dialogs.member_club import GiftDialog

        self._open(GiftDialog(self.staff, None, self))
        return self.dialog

    def open_edit(self):
        from csoffice.ui.dialogs.member_club import GiftDialog

        row = self.view.selected_row()
        if row is not None:
            self._open(GiftDialog(self.staff, row, self))
        return self.dialog

    def open_restock(self):
        from csoffice.ui.dialogs.member_club import RestockDialog

        row = self.view.selected_row()
        if row is not None:
            self._open(RestockDialog(self.staff, row, self))
        return self.dialog


class BirthdaysPage(QWidget):
    """Members whose birthday falls in the window, and the log of greetings given."""

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.staff = context.staff
        self.dialog = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.window_label = QLabel()
        self.window_label.setObjectName("birthdayWindow")
        top.addWidget(self.window_label, 1)
        self.greet_button = QPushButton(_("Log a greeting…"))
        self.greet_button.clicked.connect(self.open_greeting)
        top.addWidget(self.greet_button)
        layout.addLayout(top)
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.model = LazyTableModel(
            BIRTHDAY_COLUMNS,
            lambda _key, _desc: members.birthday_ids(),
            members.birthday_rows,
            row_style=lambda r: "muted" if r.greeted else None,
        )
        self.view = make_table(self.model, "birthdaysView")
        self.view.doubleClicked.connect(lambda _index: self.open_greeting())
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        splitter.addWidget(self.view)
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(QLabel(_("Greetings given")))
        self.log_model = LazyTableModel(
            GREETING_COLUMNS, lambda _key, _desc: members.greeting_ids(), members.greeting_rows
        )
        self.log_view = make_table(self.log_model, "greetingsView")
        column.addWidget(self.log_view)
        splitter.addWidget(holder)
        layout.addWidget(splitter, 1)
        self.refresh()
        self.refresher = RefreshOnChange(
            self,
            (Change.CARD, Change.CUSTOMER, Change.GREETING),
            lambda _kinds: self.refresh(),
        )

    def refresh(self) -> None:
        first, last = members.birthday_window()
        self.model.refresh()
        self.log_model.refresh()
        self.window_label.setText(
            _("Members whose birthday is {first}–{last} days away: {count}").format(
                first=first, last=last, count=self.model.total()
            )
        )
        self._update_buttons()

    def _update_buttons(self, *_args) -> None:
        self.greet_button.setEnabled(
            auth.can(self.staff, "edit") and self.view.selected_row() is not None
        )

    def open_greeting(self):
        from csoffice.ui.dialogs.member_club import GreetingDialog

        row = self.view.selected_row()
        if row is None or not auth.can(self.staff, "edit"):
            return None
        self.dialog = open_dialog(
            GreetingDialog(self.staff, row, self), lambda _result: self.refresher.refresh_now()
        )
        return self.dialog


class EventsPage(QWidget):
    """Member events; for the chosen one, who was invited and who came."""

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.staff = context.staff
        self.dialog = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.new_button = QPushButton(_("New event…"))
        self.new_button.clicked.connect(self.open_new)
        self.held_button = QPushButton(_("Mark held"))
        self.held_button.clicked.connect(lambda: self.set_status("held"))
        for widget in (self.new_button, self.held_button):
            top.addWidget(widget)
        top.addStretch(1)
        layout.addLayout(top)
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.model = LazyTableModel(
            EVENT_COLUMNS,
            lambda _key, _desc: members.event_list_ids(),
            members.event_list_rows,
            row_style=lambda r: "muted" if r.status == "cancelled" else None,
        )
        self.view = make_table(self.model, "eventsView")
        self.view.selectionModel().selectionChanged.connect(self._on_event_chosen)
        splitter.addWidget(self.view)

        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        invite_row = QHBoxLayout()
        self.picker = CustomerPicker(holder, _("Invite a customer: name, phone or card number"))
        self.picker.picked.connect(self.invite_customer)
        invite_row.addWidget(self.picker, 1)
        self.level = QComboBox()
        self.invite_level_button = QPushButton(_("Invite the level"))
        self.invite_level_button.clicked.connect(self.invite_level)
        invite_row.addWidget(self.level)
        invite_row.addWidget(self.invite_level_button)
        self.attended_button = QPushButton(_("Attended"))
        self.attended_button.clicked.connect(lambda: self.mark(True))
        self.absent_button = QPushButton(_("Absent"))
        self.absent_button.clicked.connect(lambda: self.mark(False))
        invite_row.addWidget(self.attended_button)
        invite_row.addWidget(self.absent_button)
        column.addLayout(invite_row)
        self.attendance_model = LazyTableModel(
            ATTENDANCE_COLUMNS, self._attendance_ids, members.attendance_rows
        )
        self.attendance_view = make_table(self.attendance_model, "attendanceView")
        self.attendance_view.selectionModel().selectionChanged.connect(self._update_buttons)
        column.addWidget(self.attendance_view)
        splitter.addWidget(holder)
        layout.addWidget(splitter, 1)
        self.model.refresh()
        self._fill_levels()
        self._update_buttons()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._fill_levels()  # levels are seeded with the first card and may be renamed
        self._refresh_keep()

    def _fill_levels(self) -> None:
        chosen = self.level.currentData()
        self.level.clear()
        for level in members.levels():
            self.level.addItem(level.name, level.id)
        if chosen is not None and self.level.findData(chosen) >= 0:
            self.level.setCurrentIndex(self.level.findData(chosen))

    def event_id(self) -> int | None:
        row = self.view.selected_row()
        return row.id if row else None

    def _attendance_ids(self, _key, _desc) -> list[int]:
        event_id = self.event_id()
        return members.attendance_ids(event_id) if event_id else []

    def _on_event_chosen(self, *_args) -> None:
        self.attendance_model.refresh()
        self._update_buttons()

    def _update_buttons(self, *_args) -> None:
        may = auth.can(self.staff, "edit")
        row = self.view.selected_row()
        planned = bool(row and row.status == "planned")
        self.new_button.setEnabled(may)
        self.held_button.setEnabled(may and planned)
        for widget in (self.picker, self.level, self.invite_level_button):
            widget.setEnabled(may and planned)
        chosen = self.attendance_view.selected_row() is not None
        open_event = bool(row and row.status != "cancelled")
        self.attended_button.setEnabled(may and chosen and open_event)
        self.absent_button.setEnabled(may and chosen and open_event)

    def _refresh_keep(self) -> None:
        """Reload the events list and keep the chosen event selected."""
        event_id = self.event_id()
        self.model.refresh()
        if event_id is not None:
            row = self.model.row_of_id(event_id)
            if row >= 0:
                self.view.selectRow(row)
        self.attendance_model.refresh()
        self._update_buttons()

    def open_new(self):
        from csoffice.ui.dialogs.member_club import EventDialog

        self.dialog = open_dialog(
            EventDialog(self.staff, self), lambda _result: self._refresh_keep()
        )
        return self.dialog

    def set_status(self, status: str) -> None:
        event_id = self.event_id()
        if event_id is None:
            return
        if guarded(
            self, _("Member events"), lambda: members.set_event_status(self.staff, event_id, status)
        ):
            self._refresh_keep()

    def invite_customer(self, customer_id: int) -> None:
        event_id = self.event_id()
        if event_id is None:
            return
        if (
            guarded(self, _("Invite"), lambda: members.invite(self.staff, event_id, [customer_id]))
            is not None
        ):
            self.picker.set_customer(None)
            self._refresh_keep()

    def invite_level(self) -> None:
        event_id, level_id = self.event_id(), self.level.currentData()
        if event_id is None or level_id is None:
            return
        if (
            guarded(self, _("Invite"), lambda: members.invite_level(self.staff, event_id, level_id))
            is not None
        ):
            self._refresh_keep()

    def mark(self, attended: bool) -> None:
        event_id = self.event_id()
        row = self.attendance_view.selected_row()
        if event_id is None or row is None:
            return
        guarded(
            self,
            _("Attendance"),
            lambda: members.set_attendance(self.staff, event_id, row.customer_id, attended),
        )
        index = self.attendance_model.row_of_id(row.id)
        self._refresh_keep()
        if index >= 0:
            self.attendance_view.selectRow(index)
