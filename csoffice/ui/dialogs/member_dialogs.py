"""The member card's dialogs: enrol, earn, adjust, redeem, and the card's moves (lost, found,
reissue, cancel). Each calls one domain function; its errors show next to the fields."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from csoffice import conflicts, live_updates, members, settings
from csoffice.errors import CsofficeError, ValidationError
from csoffice.i18n import _, format_money, format_number
from csoffice.members import watch
from csoffice.ui.conflicts import offer_choice
from csoffice.ui.connection import tell_when_back
from csoffice.ui.desk_keys import DeskDialog
from csoffice.ui.unsaved import UnsavedGuard
from csoffice.ui.widgets.form import FieldErrors

if TYPE_CHECKING:  # types only: the UI reads no model
    from csoffice.db.models import Staff


class MemberFormDialog(DeskDialog):
    """A small form: fields with their error lines, a message line, OK/Cancel.

    ``submit`` (a subclass passes its own bound ``submit`` method) reads the fields and calls
    the domain when OK is pressed; subclasses add their rows in ``__init__``. ``saved`` carries
    its result and the dialog closes, or the errors are shown and it stays.
    """

    saved = Signal(object)

    def __init__(
        self,
        staff: Staff,
        title: str,
        submit: Callable[[], Any],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.staff = staff
        self._submit = submit
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        self.form = QFormLayout()
        self.errors = FieldErrors(self.form)
        layout.addLayout(self.form)
        self.message = QLabel()
        self.message.setObjectName("formMessage")
        self.message.setStyleSheet("color: #b3261e;")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.guard = UnsavedGuard(self, [self])
        self.seen: watch.CardState | None = None  # the card as this form opened on it
        self.balance_label: QLabel | None = None

    def watch_card(self, card_no: str) -> None:
        """Check at OK that no other desk changed the card since the form opened."""
        self.seen = watch.card_state(card_no)

    def reject(self) -> None:
        """Esc and Cancel ask before typed amounts or reasons are dropped."""
        self.guard.confirm(lambda: QDialog.reject(self))

    @property
    def ok_button(self):
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def try_accept(self) -> None:
        self.message.hide()
        if self.seen is not None:
            try:
                now, diffs = watch.changed_since(self.seen)
            except CsofficeError as exc:
                self.show_message(str(exc))
                return
            if diffs:
                self._offer_choice(now, diffs)
                return
        self._submit_now()

    def _submit_now(self) -> bool:
        try:
            result = self._submit()
        except ValidationError as exc:
            unplaced = self.errors.show(exc)
            if unplaced:
                self.show_message("\n".join(unplaced))
            return False
        except CsofficeError as exc:
            self.errors.clear()
            self.show_message(str(exc))
            if live_updates.lost_connection(exc):  # typed input stays; say when it can be saved
                tell_when_back(self, self.show_message)
            return False
        self.saved.emit(result)
        self.accept()
        return True

    def _offer_choice(self, now: watch.CardState, diffs: list[conflicts.FieldDiff]) -> None:
        """The card changed at another desk since this form opened: show what changed, and
        let the clerk drop this entry (theirs) or make it on the card as it is now (mine)."""
        self.show_message(_("This card was changed at another desk. Nothing was saved yet."))
        summary = f"{now.values.get('status', '')} · {self.windowTitle()}"

        def chosen(choice: conflicts.Choice, _picks: dict[str, conflicts.Choice]) -> None:
            self.seen = now
            if choice == "theirs":
                conflicts.record_choice(
                    self.staff, "member_card", now.card_id, choice, diffs, summary
                )
                self.guard.mark_clean()
                QDialog.reject(self)
                return
            if self.balance_label is not None:
                self.balance_label.setText(format_number(now.values["balance"]))
            if self._submit_now():
                conflicts.record_choice(
                    self.staff, "member_card", now.card_id, choice, diffs, summary
                )

        self.conflict_dialog = offer_choice(
            self,
            diffs,
            self.errors,
            chosen,
            by=now.by,
            at=now.at,
            choices=("theirs", "mine"),
            note=_(
                "Use mine makes your entry on the card as it is now; their change stays (a "
                "card's points and steps are never overwritten). Use theirs drops your entry."
            ),
            label=watch.label,
        )

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()


def _decimal_text(text: str) -> str:
    return text.strip().replace(",", "").replace("，", "").replace("¥", "").replace("￥", "")


class EnrolDialog(MemberFormDialog):
    """办理: level, fee and an optional expiry date for a customer's new card."""

    def __init__(self, staff: Staff, customer_id: int, customer_name: str, parent=None):
        super().__init__(staff, _("Issue a member card"), self.submit, parent)
        self.customer_id = customer_id
        members.ensure_levels(staff)
        self.form.addRow(_("Customer"), QLabel(customer_name))
        self.level = QComboBox()
        for level in members.levels():
            self.level.addItem(level.name, level.id)
        self.errors.add_row("level", _("Starting level"), self.level)
        self.fee = QLineEdit(str(settings.get("members.enrol_fee") or "0"))
        self.errors.add_row("fee", _("Fee (¥)"), self.fee)
        self.has_expiry = QCheckBox(_("The card expires"))
        self.form.addRow("", self.has_expiry)
        self.expires = QDateEdit(QDate.currentDate().addYears(3))
        self.expires.setCalendarPopup(True)
        self.expires.setDisplayFormat("yyyy-MM-dd")
        self.expires.setEnabled(False)
        self.has_expiry.toggled.connect(self.expires.setEnabled)
        self.errors.add_row("expires_on", _("Valid until"), self.expires)

    def submit(self) -> Any:
        expires: dt.date | None = (
            self.expires.date().toPython()  # pyright: ignore[reportAssignmentType]  # stubs: QDate.toPython() -> object
            if self.has_expiry.isChecked()
            else None
        )
        return members.enrol(
            self.staff,
            self.customer_id,
            level_id=self.level.currentData(),
            fee=_decimal_text(self.fee.text()),
            expires_on=expires,
        )


class EarnDialog(MemberFormDialog):
    """Points for a purchase: the amount spent and what was bought; shows the points it gives."""

    def __init__(self, staff: Staff, card_no: str, parent=None):
        super().__init__(staff, _("Earn points"), self.submit, parent)
        self.card_no = card_no
        self.watch_card(card_no)
        self.form.addRow(_("Card number"), QLabel(card_no))
        self.amount = QLineEdit()
        self.errors.add_row("amount_spent", _("Amount spent (¥)"), self.amount)
        self.amount.setPlaceholderText("1280.00")
        self.source = QLineEdit()
        self.errors.add_row("source", _("What was bought"), self.source)
        self.preview = QLabel()
        self.preview.setObjectName("pointsPreview")
        self.form.addRow(_("Points"), self.preview)
        self.amount.textChanged.connect(self._update_preview)
        self._update_preview()

    def _update_preview(self) -> None:
        try:
            amount = Decimal(_decimal_text(self.amount.text()) or "0")
            points = members.points_for(amount) if amount > 0 else 0
        except (InvalidOperation, CsofficeError):
            points = 0
        self.preview.setText(format_number(points))

    def submit(self) -> Any:
        return members.earn(
            self.staff, self.card_no, _decimal_text(self.amount.text()), self.source.text()
        )


class AdjustDialog(MemberFormDialog):
    """A manual correction of the balance, by the manager, with a reason."""

    def __init__(self, staff: Staff, card_no: str, balance: int, parent=None):
        super().__init__(staff, _("Adjust points"), self.submit, parent)
        self.card_no = card_no
        self.watch_card(card_no)
        self.form.addRow(_("Card number"), QLabel(card_no))
        self.balance_label = QLabel(format_number(balance))
        self.form.addRow(_("Balance"), self.balance_label)
        self.points = QSpinBox()
        self.points.setRange(-10_000_000, 10_000_000)
        self.points.setToolTip(_("Negative numbers take points away."))
        self.errors.add_row("points", _("Points (+/−)"), self.points)
        self.reason = QLineEdit()
        self.errors.add_row("reason", _("Reason"), self.reason)

    def submit(self) -> Any:
        return members.adjust(self.staff, self.card_no, self.points.value(), self.reason.text())


class RedeemDialog(MemberFormDialog):
    """积分换礼: choose a gift on the list and how many; shows the cost against the balance."""

    def __init__(self, staff: Staff, card_no: str, balance: int, parent=None):
        super().__init__(staff, _("Redeem points for a gift"), self.submit, parent)
        self.card_no = card_no
        self.balance = balance
        self.watch_card(card_no)
        self.form.addRow(_("Card number"), QLabel(card_no))
        self.balance_label = QLabel(format_number(balance))
        self.form.addRow(_("Balance"), self.balance_label)
        self.gift = QComboBox()
        # The gift list of a desk is short (tens of items), so the combo holds it all.
        for row in members.gift_rows(members.gift_ids(active_only=True)):
            self.gift.addItem(
                _("{gift} — {points} points, {stock} in stock").format(
                    gift=row.name, points=row.points_price, stock=row.stock
                ),
                row,
            )
        self.errors.add_row("gift", _("Gift"), self.gift)
        self.quantity = QSpinBox()
        self.quantity.setRange(1, 999)
        self.errors.add_row("quantity", _("Quantity"), self.quantity)
        self.cost = QLabel()
        self.cost.setObjectName("redeemCost")
        self.form.addRow(_("Points needed"), self.cost)
        self.gift.currentIndexChanged.connect(self._update_cost)
        self.quantity.valueChanged.connect(self._update_cost)
        self._update_cost()
        if self.gift.count() == 0:
            self.show_message(_("No gift is on the list; add gifts on the Gifts page first."))
            self.ok_button.setEnabled(False)

    def _update_cost(self) -> None:
        row = self.gift.currentData()
        cost = row.points_price * self.quantity.value() if row else 0
        self.cost.setText(format_number(cost))

    def submit(self) -> Any:
        row = self.gift.currentData()
        if row is None:
            raise ValidationError.single("gift", _("Choose a gift."))
        return members.redeem(self.staff, self.card_no, row.id, self.quantity.value())


class CardMoveDialog(MemberFormDialog):
    """One move of the card's life: report lost, found, reissue or cancel, with its reason."""

    def __init__(self, staff: Staff, move: str, view: members.CardView, parent=None):
        titles = {
            "lost": _("Report the card lost"),
            "found": _("The card was found"),
            "reissue": _("Reissue the card"),
            "cancel": _("Cancel the card"),
        }
        super().__init__(staff, titles[move], self.submit, parent)
        self.move_kind = move  # not self.move, which would hide QWidget.move
        self.card_no = view.card_no
        self.watch_card(view.card_no)
        self.form.addRow(_("Card number"), QLabel(view.card_no))
        self.form.addRow(_("Member"), QLabel(view.customer_name))
        self.reason = QLineEdit()
        self.errors.add_row("reason", _("Reason"), self.reason)
        self.fee = None
        if move == "reissue":
            self.fee = QLineEdit(str(settings.get("members.reissue_fee") or "0"))
            self.errors.add_row("fee", _("Fee (¥)"), self.fee)
            note = _("A new number replaces {number}; the balance, level and history move to it.")
            self._note(note.format(number=view.card_no))
        elif move == "cancel":
            policy = settings.get("members.cancel_policy")
            if view.balance and policy == "refund":
                rate = Decimal(str(settings.get("members.refund_yuan_per_point") or "0"))
                note = _("The balance of {points} points is refunded as {money}.").format(
                    points=view.balance, money=format_money(rate * view.balance)
                )
            elif view.balance:
                note = _("The balance of {points} points is forfeited.").format(points=view.balance)
            else:
                note = _("The card has no points left.")
            self._note(note + " " + _("A cancelled card cannot be used or reissued."))
        elif move == "lost":
            self._note(_("The card is blocked at once: nothing may be earned or redeemed on it."))

    def _note(self, text: str) -> None:
        label = QLabel(text)
        label.setObjectName("moveNote")
        label.setWordWrap(True)
        self.form.addRow(label)

    def submit(self) -> Any:
        reason = self.reason.text()
        if self.move_kind == "reissue" and self.fee is not None:  # only reissue has a fee field
            return members.reissue(self.staff, self.card_no, reason, _decimal_text(self.fee.text()))
        actions: dict[str, Callable[[], Any]] = {
            "lost": lambda: members.report_lost(self.staff, self.card_no, reason),
            "found": lambda: members.mark_found(self.staff, self.card_no, reason),
            "cancel": lambda: members.cancel(self.staff, self.card_no, reason),
        }
        return actions[self.move_kind]()
