"""The settings page of working days: which years the holiday calendar knows, the office's own
holidays and working days (a year's State Council notice when the library does not have it yet),
office hours, and whether complaint deadlines count only office hours."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from csoffice import settings, workdays
from csoffice.i18n import _
from csoffice.ui.context import AppContext
from csoffice.ui.dialogs.settings_page import SettingsPage
from csoffice.ui.widgets.form import FieldErrors

_KEYS = [
    "calendar.holidays",
    "calendar.workdays",
    "calendar.office_hours",
    "complaints.working_hours",
]


def _lines(dates: list[str]) -> str:
    return "\n".join(dates)


def years_text(today: dt.date) -> str:
    """Which of last, this and next year the holiday calendar knows."""
    office = workdays.calendar()
    parts = []
    for year in (today.year - 1, today.year, today.year + 1):
        if workdays.library_knows(year):
            parts.append(_("{year}: from the holiday calendar").format(year=year))
        elif office.known(year):
            parts.append(_("{year}: entered by the office").format(year=year))
        else:
            parts.append(
                _("{year}: not known yet — weekends and fixed-date holidays only").format(year=year)
            )
    return "；".join(parts)


class CalendarPage(SettingsPage):
    """Working days and office hours (manager)."""

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(context, parent)
        self.values = settings.get_many(_KEYS)
        layout = QVBoxLayout(self)
        intro = QLabel(
            _(
                "Paper hand-in deadlines count working days: China's public holidays and the "
                "adjusted working days (调休) come from the holiday calendar. For a year it does "
                "not know yet, enter the State Council's notice here: one date or a range "
                "(2027-02-05 ~ 2027-02-13) per line. The office's own entries come first."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.years = QLabel(years_text(dt.date.today()))
        self.years.setWordWrap(True)
        layout.addWidget(self.years)
        form = QFormLayout()
        layout.addLayout(form)
        self.errors = FieldErrors(form)
        self.holidays = QPlainTextEdit(_lines(self.values["calendar.holidays"] or []))
        self.errors.add_row("calendar.holidays", _("Days off"), self.holidays)
        self.workdays = QPlainTextEdit(_lines(self.values["calendar.workdays"] or []))
        self.errors.add_row("calendar.workdays", _("Working days (调休)"), self.workdays)
        for edit in (self.holidays, self.workdays):
            edit.setTabChangesFocus(True)
            edit.setMaximumHeight(110)
            edit.setPlaceholderText("2027-02-05 ~ 2027-02-13")
        hours = self.values["calendar.office_hours"] or {}
        self.opens = QLineEdit(str(hours.get("start", "08:30")))
        self.errors.add_row("calendar.start", _("Office opens"), self.opens)
        self.closes = QLineEdit(str(hours.get("end", "17:30")))
        self.errors.add_row("calendar.end", _("Office closes"), self.closes)
        for edit in (self.opens, self.closes):
            edit.setMaximumWidth(120)
        self.complaint_hours = QCheckBox(
            _("Complaint deadlines count office hours on working days only")
        )
        self.complaint_hours.setChecked(bool(self.values["complaints.working_hours"]))
        form.addRow("", self.complaint_hours)
        layout.addWidget(self.message)
        layout.addStretch(1)
        if not self.may_change:
            layout.addWidget(QLabel(_("Only the manager may change the working days.")))
        for widget in (self.holidays, self.workdays, self.opens, self.closes, self.complaint_hours):
            widget.setEnabled(self.may_change)

    def _typed(self) -> dict:
        values = workdays.check_office_days(
            self.holidays.toPlainText(),
            self.workdays.toPlainText(),
            self.opens.text(),
            self.closes.text(),
        )
        values["complaints.working_hours"] = self.complaint_hours.isChecked()
        return values

    def validate(self) -> bool:
        return self.attempt(self._typed)

    def save(self) -> bool:
        return self.attempt(self._store)

    def _store(self) -> None:
        values = self._typed()
        changed = {k: v for k, v in values.items() if v != self.values.get(k)}
        if changed:
            settings.put(self.context.staff, changed)
