"""The member tab (会员卡): look a card up by number, name or phone; the card panel with its
status, level, balance and history; every move of the card from there. The club's pages
(gifts, birthdays, events) sit beside it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from csoffice import auth, members, referrals
from csoffice.changes import Change
from csoffice.errors import NotFound
from csoffice.i18n import N_, _, format_date, format_datetime, format_money, format_number
from csoffice.paths import subfolder
from csoffice.ui.context import AppContext
from csoffice.ui.desk_keys import first_input
from csoffice.ui.errors import show_message
from csoffice.ui.models.lazy_table import Column, LazyTableModel
from csoffice.ui.tabs.members_club import BirthdaysPage, EventsPage, GiftsPage
from csoffice.ui.tasks import Task, run_task
from csoffice.ui.widgets.customer_picker import CustomerPicker
from csoffice.ui.widgets.pages import guarded, make_table, open_dialog
from csoffice.ui.widgets.refresh import RefreshOnChange
from csoffice.ui.widgets.sheet_export import run_export
from csoffice.validation import mask_phone


def _signed(points: int) -> str:
    return f"+{format_number(points)}" if points > 0 else format_number(points)


LEDGER_COLUMNS = [
    Column("at", N_("Time"), lambda r: format_datetime(r.at), width=130),
    Column("kind", N_("Movement"), lambda r: r.kind_label, width=110),
    Column("points", N_("Points"), lambda r: _signed(r.points), align_right=True, width=80),
    Column(
        "amount",
        N_("Amount spent"),
        lambda r: format_money(r.amount_spent) if r.amount_spent is not None else "",
        align_right=True,
        width=100,
    ),
    Column("what", N_("Details"), lambda r: r.source or r.reason or r.gift_name, width=200),
    Column("expires", N_("Expires on"), lambda r: format_date(r.expires_on, "short"), width=100),
    Column("card", N_("Card number"), lambda r: r.card_no, width=110),
    Column("staff", N_("Staff"), lambda r: r.staff_name, width=80),
]

EVENT_COLUMNS = [
    Column("at", N_("Time"), lambda r: format_datetime(r.at), width=130),
    Column("kind", N_("Step"), lambda r: r.kind_label, width=110),
    Column("card", N_("Card number"), lambda r: r.card_no, width=110),
    Column("reason", N_("Reason"), lambda r: r.reason, width=160),
    Column(
        "fee",
        N_("Fee"),
        lambda r: format_money(r.fee) if r.fee is not None else "",
        align_right=True,
        width=80,
    ),
    Column("detail", N_("Details"), lambda r: r.detail, width=160),
    Column("staff", N_("Staff"), lambda r: r.staff_name, width=80),
]

_STATUS_COLOURS = {
    "active": "#1b6e3a",
    "lost": "#b3261e",
    "replaced": "#7a7a7a",
    "cancelled": "#7a7a7a",
}


MEMBER_KEYS = {
    "earn": "Alt+E",
    "redeem": "Alt+R",
    "adjust": "Alt+A",
    "lost": "Alt+L",
    "found": "Alt+F",
    "reissue": "Alt+I",
    "cancel": "Alt+C",
}


class CardPage(QWidget):
    """Look-up line, the card panel and its actions, the ledger and the card's history."""

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.staff = context.staff
        self.customer_id: int | None = None
        self.view: members.CardView | None = None
        self.dialog = None
        layout = QVBoxLayout(self)

        top = QHBoxLayout()
        self.picker = CustomerPicker(self, _("Card number, name, pinyin or phone"))
        self.picker.setObjectName("memberLookup")
        self.picker.picked.connect(self.show_customer)
        self.picker.line_edit.returnPressed.connect(self.look_up_typed)
        top.addWidget(QLabel(_("Look up")))
        top.addWidget(self.picker, 1)
        self.enrol_button = QPushButton(_("Issue a card…"))
        self.enrol_button.setObjectName("enrolButton")
        self.enrol_button.clicked.connect(self.open_enrol)
        top.addWidget(self.enrol_button)
        self.more_button = QToolButton()
        self.more_button.setText(_("More"))
        self.more_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.more_button)
        self.review_action = menu.addAction(_("Review levels now"), self.review_levels)
        self.expire_action = menu.addAction(_("Write off expired points"), self.expire_points)
        self.export_action = menu.addAction(_("Export member cards…"), self.choose_export)
        self.export_action.setEnabled(auth.can(self.staff, "export"))
        self.more_button.setMenu(menu)
        top.addWidget(self.more_button)
        layout.addLayout(top)

        self.panel = QGroupBox(_("Member card"))
        grid = QGridLayout(self.panel)
        self.fields: dict[str, QLabel] = {}
        self.captions: list[QLabel] = []
        names = [
            ("card_no", _("Card number")),
            ("status", _("Status")),
            ("member", _("Member")),
            ("level", _("Level")),
            ("balance", _("Balance")),
            ("earned", _("Earned in 12 months")),
            ("issued", _("Issued on")),
            ("expires", _("Valid until")),
            ("link", _("Reissue")),
            ("referrals", _("Recommended")),
        ]
        for position, (key, title) in enumerate(names):
            row, column = divmod(position, 3)
            caption = QLabel(title + "：")
            caption.setStyleSheet("color: #555;")
            value = QLabel()
            value.setObjectName(f"card_{key}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(caption, row, column * 2)
            self.captions.append(caption)
            grid.addWidget(value, row, column * 2 + 1)
            self.fields[key] = value
        self.fields["card_no"].setStyleSheet("font-size: 16px; font-weight: bold;")
        self.fields["balance"].setStyleSheet("font-size: 16px; font-weight: bold;")
        self.empty = QLabel(
            _("Type a card number, a name or a phone number above to find a member.")
        )
        self.empty.setObjectName("memberEmpty")
        self.empty.setWordWrap(True)
        grid.addWidget(self.empty, 3, 0, 1, 6)
        layout.addWidget(self.panel)

        actions = QGridLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, title, slot in [
            ("earn", _("Earn points…"), self.open_earn),
            ("redeem", _("Redeem a gift…"), self.open_redeem),
            ("adjust", _("Adjust points…"), self.open_adjust),
            ("lost", _("Report lost…"), lambda: self.open_move("lost")),
            ("found", _("Found…"), lambda: self.open_move("found")),
            ("reissue", _("Reissue…"), lambda: self.open_move("reissue")),
            ("cancel", _("Cancel card…"), lambda: self.open_move("cancel")),
            ("print", _("Print card…"), self.choose_card_pdf),
            ("slip", _("Print handover slip…"), self.choose_slip_pdf),
        ]:
            button = QPushButton(title, self)  # parented: shown before the layout is installed
            button.setObjectName(f"member_{key}")
            button.clicked.connect(slot)
            # Points on the first row, the card's moves and printing on the second.
            row, column = (
                (0, len(self.buttons)) if len(self.buttons) < 3 else (1, len(self.buttons) - 3)
            )
            actions.addWidget(button, row, column)
            self.buttons[key] = button
        # The card's moves by keyboard, the same letters in every language (F1 lists them).
        for key, keys in MEMBER_KEYS.items():
            self.buttons[key].setShortcut(QKeySequence(keys))
            self.buttons[key].setToolTip(keys)
        # The UI hides what a role cannot use; the domain refuses it anyway.
        self.buttons["adjust"].setVisible(auth.can(self.staff, "adjust_points"))
        actions.setColumnStretch(7, 1)
        layout.addLayout(actions)

        self.history = QTabWidget()
        self.ledger_model = LazyTableModel(
            LEDGER_COLUMNS, self._ledger_ids, members.ledger_rows, row_style=self._ledger_style
        )
        self.ledger_view = make_table(self.ledger_model, "ledgerView")
        self.ledger_view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.events_model = LazyTableModel(EVENT_COLUMNS, self._event_ids, members.event_rows)
        self.events_view = make_table(self.events_model, "cardEventsView")
        self.history.addTab(self.ledger_view, _("Points ledger"))
        self.history.addTab(self.events_view, _("Card history"))
        layout.addWidget(self.history, 1)
        self.show_card(None)
        self.refresher = RefreshOnChange(
            self, (Change.CARD, Change.CUSTOMER, Change.GIFT), lambda _kinds: self.reload()
        )

    # --- lists -------------------------------------------------------------------------------

    def _ledger_ids(self, _sort: str | None, _descending: bool) -> list[int]:
        return members.ledger_ids(self.view.id) if self.view else []

    def _event_ids(self, _sort: str | None, _descending: bool) -> list[int]:
        return members.event_ids(self.view.id) if self.view else []

    def _ledger_style(self, row: members.LedgerRow) -> str | None:
        if self.view and row.card_no != self.view.card_no:
            return "muted"
        return "warning" if row.kind in ("expire", "forfeit") else None

    # --- finding a card ----------------------------------------------------------------------

    def look_up_typed(self) -> None:
        """Enter in the look-up line: an exact card number (any status) opens that card."""
        text = self.picker.line_edit.text()
        if not text.strip() or self.picker.customer_id() is not None:
            return
        try:
            card = members.find_card(text)
        except NotFound:
            self.picker.refresh_suggestions()
            return
        self.customer_id = card.customer_id
        self.picker.set_customer(card.customer_id)
        self.show_card(card.id)

    def show_customer(self, customer_id: int) -> None:
        """A customer was picked: their current card, or their last one, or the offer to enrol."""
        self.customer_id = customer_id
        card = members.latest_card(customer_id)
        self.show_card(card.id if card else None)

    def show_card(self, card_id: int | None) -> None:
        self.view = members.card_view(card_id) if card_id is not None else None
        view = self.view
        self.empty.setVisible(view is None)
        for label in [*self.captions, *self.fields.values()]:
            label.setVisible(view is not None)
        if view is None:
            for label in self.fields.values():
                label.clear()
            if self.customer_id is not None:
                self.empty.setText(
                    _("This customer holds no member card yet. Issue one with “Issue a card…”.")
                )
        else:
            self.fields["card_no"].setText(view.card_no)
            self.fields["status"].setText(view.status_label)
            self.fields["status"].setStyleSheet(
                f"color: {_STATUS_COLOURS.get(view.status, '#000')}; font-weight: bold;"
            )
            member = view.customer_name
            if view.customer_mobile:
                member += "　" + mask_phone(view.customer_mobile)
            self.fields["member"].setText(member)
            self.fields["level"].setText(view.level_name)
            self.fields["balance"].setText(format_number(view.balance))
            earned = format_number(view.earned_12m)
            if view.next_level_name:
                earned += "　" + _("{points} more for {level}").format(
                    points=format_number(view.next_level_needs), level=view.next_level_name
                )
            self.fields["earned"].setText(earned)
            self.fields["issued"].setText(format_date(view.issued_on, "short"))
            self.fields["expires"].setText(
                format_date(view.expires_on, "short") if view.expires_on else _("No expiry")
            )
            links = []
            if view.replaces_no:
                links.append(_("replaces {number}").format(number=view.replaces_no))
            if view.replaced_by_no:
                links.append(_("replaced by {number}").format(number=view.replaced_by_no))
            if view.close_reason:
                links.append(view.close_reason)
            self.fields["link"].setText("；".join(links))
            referred = referrals.counts_for(view.customer_id)
            self.fields["referrals"].setText(
                _("{total} prospects, {won} became customers").format(
                    total=format_number(referred.total), won=format_number(referred.won)
                )
            )
        self.ledger_model.refresh()
        self.events_model.refresh()
        self._update_buttons()

    def reload(self) -> None:
        try:
            if self.view is not None:
                self.show_card(self.view.id)
            elif self.customer_id is not None:
                self.show_customer(self.customer_id)
        except NotFound:  # gone meanwhile (a merge at another desk): start afresh
            self.customer_id = None
            self.show_card(None)

    def _update_buttons(self, *_args) -> None:
        view = self.view
        may_edit = auth.can(self.staff, "edit")
        status = view.status if view else ""
        current_card = (
            members.current_card(self.customer_id) if self.customer_id is not None else None
        )
        self.enrol_button.setEnabled(
            may_edit and self.customer_id is not None and current_card is None
        )
        enabled = {
            "earn": status == "active",
            "redeem": status == "active",
            "adjust": status == "active",
            "lost": status == "active",
            "found": status == "lost",
            "reissue": status in ("active", "lost"),
            "cancel": status in ("active", "lost"),
            "print": status == "active" and auth.can(self.staff, "print"),
        }
        for key, allowed in enabled.items():
            self.buttons[key].setEnabled(bool(allowed and (may_edit or key == "print")))
        row = self.ledger_view.selected_row()
        self.buttons["slip"].setEnabled(
            bool(row and row.redemption_id) and auth.can(self.staff, "print")
        )

    # --- actions -----------------------------------------------------------------------------

    def _open(self, dialog: Any) -> Any:
        self.dialog = open_dialog(dialog, self._after_save)
        return self.dialog

    def _after_save(self, result: Any) -> None:
        card = members.as_card(result)
        if card is not None:
            self.customer_id = card.customer_id
            self.show_card(card.id)
        else:
            self.refresher.refresh_now()
        redemption = members.as_redemption(result)
        if redemption is not None:
            self.offer_slip(redemption.id)

    def open_enrol(self):
        from csoffice import customers
        from csoffice.ui.dialogs.member_dialogs import EnrolDialog

        if self.customer_id is None:
            return None
        name = customers.get(self.customer_id).name
        return self._open(EnrolDialog(self.staff, self.customer_id, name, self))

    def open_earn(self):
        from csoffice.ui.dialogs.member_dialogs import EarnDialog

        if self.view is None:
            return None
        return self._open(EarnDialog(self.staff, self.view.card_no, self))

    def open_adjust(self):
        from csoffice.ui.dialogs.member_dialogs import AdjustDialog

        if self.view is None:
            return None
        return self._open(AdjustDialog(self.staff, self.view.card_no, self.view.balance, self))

    def open_redeem(self):
        from csoffice.ui.dialogs.member_dialogs import RedeemDialog

        if self.view is None:
            return None
        return self._open(RedeemDialog(self.staff, self.view.card_no, self.view.balance, self))

    def open_move(self, move: str):
        from csoffice.ui.dialogs.member_dialogs import CardMoveDialog

        if self.view is None:
            return None
        return self._open(CardMoveDialog(self.staff, move, self.view, self))

    def _run_over_cards(
        self, title: str, work: Callable[[], Any], report: Callable[[Any], str]
    ) -> None:
        """Run a write over every card; when it is done, show the cards afresh, tell the other
        pages, and say what it did (``report`` of its result)."""
        result = guarded(self, title, work)
        if result is not None:
            self.refresher.refresh_now()
            show_message(self, title, report(result), QMessageBox.Icon.Information)

    def review_levels(self) -> None:
        self._run_over_cards(
            _("Review levels"),
            lambda: members.review_levels(self.staff),
            lambda moved: _("{n} cards changed level").format(n=len(moved)),
        )

    def expire_points(self) -> None:
        self._run_over_cards(
            _("Expired points"),
            lambda: members.expire_points(self.staff),
            lambda total: _("{n} points expired").format(n=total),
        )

    # --- files -------------------------------------------------------------------------------

    def _ask_save(self, title: str, name: str, filters: list[str], slot) -> QFileDialog:
        dialog = QFileDialog(self, title, str(subfolder("prints") / name))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilters(filters)
        dialog.fileSelected.connect(slot)
        self.file_dialog = dialog
        dialog.open()
        return dialog

    def choose_card_pdf(self) -> None:
        """The card in the print preview (the tab's print action)."""
        if self.view is None:
            return
        self.print_card_to(str(subfolder("prints") / f"card-{self.view.card_no}.pdf"))

    def print_card_to(self, path: str) -> Task | None:
        """Write the card's PDF off the UI thread, then show it in the print preview."""
        from csoffice.members.prints import print_card

        if self.view is None:
            return None  # no card shown: nothing to print
        card_no, staff = self.view.card_no, self.staff
        return self._print_off_thread(
            _("Member card"), lambda: print_card(staff, [card_no], Path(path))
        )

    def offer_slip(self, redemption_id: int) -> None:
        self._slip_id = redemption_id
        self.print_slip_to(str(subfolder("prints") / f"gift-{redemption_id}.pdf"))

    def choose_slip_pdf(self) -> None:
        row = self.ledger_view.selected_row()
        if row is not None and row.redemption_id:
            self.offer_slip(row.redemption_id)

    def print_slip_to(self, path: str) -> Task:
        """Write the handover slip off the UI thread (the redemption's Enter returns at once),
        then show it in the print preview."""
        from csoffice.members.prints import print_handover_slip

        slip_id, staff = self._slip_id, self.staff
        return self._print_off_thread(
            _("Gift handover slip"), lambda: print_handover_slip(staff, slip_id, Path(path))
        )

    def _print_off_thread(self, title: str, work: Callable[[], Path]) -> Task:
        task = run_task(self, _("Preparing the print…"), lambda _progress: work())
        task.succeeded.connect(lambda done: self._print_done(done, title))
        task.failed.connect(lambda message: show_message(self, _("Print"), message))
        self.print_task = task
        return task

    def _print_done(self, path: Path, title: str) -> None:
        from csoffice.ui.dialogs.print_preview import open_preview

        self.preview = open_preview(self, Path(path), title)

    def choose_export(self) -> None:
        self._ask_save(
            _("Export member cards"),
            "members.xlsx",
            [_("Excel workbook (*.xlsx)"), _("CSV, UTF-8 (*.csv)")],
            self.export_to,
        )

    def export_to(self, path: str):
        staff = self.staff
        task = run_export(
            self,
            _("Exporting member cards…"),
            lambda _p: members.export(staff, Path(path)),
            _("{count} rows written to {path}"),
            path,
        )
        self.export_task = task
        return task


class MembersTab(QWidget):
    """The card page and the club's pages."""

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.sections = QTabWidget(self)
        self.sections.setObjectName("memberSections")
        self.cards = CardPage(context)
        self.gifts = GiftsPage(context)
        self.birthdays = BirthdaysPage(context)
        self.club_events = EventsPage(context)
        self.sections.addTab(self.cards, _("Cards"))
        self.sections.addTab(self.gifts, _("Gifts"))
        self.sections.addTab(self.birthdays, _("Birthdays"))
        self.sections.addTab(self.club_events, _("Events"))
        layout.addWidget(self.sections)

    def search_box(self) -> QWidget | None:
        """Where Ctrl+F puts the cursor: the card finder, or the shown club page's first input."""
        shown = self.sections.currentWidget()
        if shown is self.cards:
            return self.cards.picker.line_edit
        return first_input(shown) if shown is not None else None

    def print_tab(self) -> object:
        """Ctrl+P: the shown card, as a PDF to print."""
        return self.cards.choose_card_pdf()


def create(context: AppContext) -> MembersTab:
    return MembersTab(context)
