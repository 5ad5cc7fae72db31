"""Qt's dates as Python's: what a date or date-time field holds, typed (QDate.toPython() is
typed ``object`` by the stubs)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QDateTime, QEvent, QObject
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDateEdit, QDateTimeEdit

from csoffice.i18n import date_pattern, datetime_pattern


def python_date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def python_datetime(value: QDateTime) -> dt.datetime:
    """The local, naive date-time, to the millisecond (as QDateTime.toPython() gives it)."""
    time = value.time()
    return dt.datetime.combine(
        python_date(value.date()),
        dt.time(time.hour(), time.minute(), time.second(), time.msec() * 1000),
    )


def show_dates(edit: QDateTimeEdit) -> None:
    """Give a date or date-time field the language's one date form, as the lists show it,
    and let it take a date typed with its separators ("2026-12-05")."""
    edit.setDisplayFormat(date_pattern() if isinstance(edit, QDateEdit) else datetime_pattern())
    if edit.findChild(_TypedSeparators) is None:
        edit.installEventFilter(_TypedSeparators(edit))


SEPARATORS = frozenset("-/.: ")


class _TypedSeparators(QObject):
    """Qt moves to the next part of a date once a part is full (the 4th digit of the year),
    and then moves again on the separator typed after it, so "2026-12-05" became 2026-12-12.
    A separator typed right after such a move is taken as already done."""

    def __init__(self, edit: QDateTimeEdit):
        super().__init__(edit)
        self._edit = edit
        self._section_at_digit: QDateTimeEdit.Section | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            text = event.text()
            if text.isdigit():
                self._section_at_digit = self._edit.currentSection()
            elif text and text in SEPARATORS:
                moved = self._section_at_digit not in (None, self._edit.currentSection())
                self._section_at_digit = None
                if moved:
                    return True
            else:
                self._section_at_digit = None
        return super().eventFilter(watched, event)
