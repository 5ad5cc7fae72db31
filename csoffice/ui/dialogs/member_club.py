"""The club's dialogs: a gift on the list, restocking it, a greeting, a member event."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
)

from csoffice import members, settings
from csoffice.i18n import _, format_date
from csoffice.ui.dialogs.member_dialogs import MemberFormDialog
from csoffice.ui.widgets.qt_dates import show_dates

if TYPE_CHECKING:  # types only: the UI reads no model
    from csoffice.db.models import Staff


class GiftDialog(MemberFormDialog):
    """Add a gift to the list, or change one (``row`` given)."""

    def __init__(self, staff: Staff, row: members.GiftRow | None = None, parent=None):
        super().__init__(staff, _("Change the gift") if row else _("New gift"), self.submit, parent)
        self.row = row
        self.name = QLineEdit(row.name if row else "")
        self.errors.add_row("name", _("Gift"), self.name)
        self.price = QSpinBox()
        self.price.setRange(0, 10_000_000)
        self.price.setValue(row.points_price if row else 0)
        self.errors.add_row("points_price", _("Points price"), self.price)
        self.stock = QSpinBox()
        self.stock.setRange(0, 1_000_000)
        if row is None:
            self.errors.add_row("stock", _("Stock"), self.stock)
        self.description = QPlainTextEdit(row.description if row else "")
        self.description.setFixedHeight(70)
        self.errors.add_row("description", _("Description"), self.description)
        self.active = QCheckBox(_("On the gift list"))
        self.active.setChecked(row.active if row else True)
        if row is not None:
            self.form.addRow("", self.active)

    def submit(self) -> Any:
        text = self.description.toPlainText()
        if self.row is None:
            return members.create_gift(
                self.staff, self.name.text(), self.price.value(), self.stock.value(), text
            )
        return members.update_gift(
            self.staff,
            self.row.id,
            self.name.text(),
            self.price.value(),
            text,
            self.active.isChecked(),
        )


class RestockDialog(MemberFormDialog):
    """Add stock (a delivery) or take some away (with a reason: stock-taking, damage)."""

    def __init__(self, staff: Staff, row: members.GiftRow, parent=None):
        super().__init__(staff, _("Restock"), self.submit, parent)
        self.row = row
        self.form.addRow(_("Gift"), QLabel(row.name))
        self.form.addRow(_("In stock"), QLabel(str(row.stock)))
        self.quantity = QSpinBox()
        self.quantity.setRange(-1_000_000, 1_000_000)
        self.quantity.setToolTip(_("Negative numbers take stock away."))
        self.errors.add_row("quantity", _("Quantity (+/−)"), self.quantity)
        self.reason = QLineEdit()
        self.errors.add_row("reason", _("Reason"), self.reason)

    def submit(self) -> Any:
        return members.restock(self.staff, self.row.id, self.quantity.value(), self.reason.text())


class GreetingDialog(MemberFormDialog):
    """Log a greeting: how it was given, what was said, and the birthday bonus if any."""

    def __init__(self, staff: Staff, row: members.BirthdayRow, parent=None):
        super().__init__(staff, _("Log a birthday greeting"), self.submit, parent)
        self.row = row
        self.form.addRow(_("Member"), QLabel(row.name))
        self.form.addRow(_("Birthday"), QLabel(format_date(row.next_birthday)))
        self.channel = QComboBox()
        for code, label in members.GREETING_CHANNELS.items():
            self.channel.addItem(_(label), code)
        self.errors.add_row("channel", _("How"), self.channel)
        self.content = QPlainTextEdit(
            _("Happy birthday, {name}! Best wishes from all of us.").format(name=row.name)
        )
        self.content.setFixedHeight(80)
        self.errors.add_row("content", _("What was said or sent"), self.content)
        bonus = int(settings.get("members.birthday_bonus") or 0)
        self.bonus = QCheckBox(_("Give the birthday bonus ({points} points)").format(points=bonus))
        self.bonus.setEnabled(bonus > 0)
        self.errors.add_row("bonus", "", self.bonus)

    def submit(self) -> Any:
        return members.log_greeting(
            self.staff,
            self.row.customer_id,
            kind="birthday",
            channel=self.channel.currentData(),
            content=self.content.toPlainText(),
            occasion_on=self.row.next_birthday,
            give_bonus=self.bonus.isChecked(),
        )


class EventDialog(MemberFormDialog):
    """A new member event: title, date, place, description."""

    def __init__(self, staff: Staff, parent=None):
        super().__init__(staff, _("New member event"), self.submit, parent)
        self.title_edit = QLineEdit()
        self.errors.add_row("title", _("Title"), self.title_edit)
        self.date = QDateEdit(QDate.currentDate().addDays(14))
        self.date.setCalendarPopup(True)
        show_dates(self.date)
        self.errors.add_row("date", _("Date"), self.date)
        self.place = QLineEdit()
        self.errors.add_row("place", _("Place"), self.place)
        self.description = QPlainTextEdit()
        self.description.setFixedHeight(70)
        self.errors.add_row("description", _("Description"), self.description)

    def submit(self) -> Any:
        return members.create_event(
            self.staff,
            self.title_edit.text(),
            self.date.date().toPython(),  # pyright: ignore[reportArgumentType]  # stubs: QDate.toPython() -> object
            self.place.text(),
            self.description.toPlainText(),
        )
