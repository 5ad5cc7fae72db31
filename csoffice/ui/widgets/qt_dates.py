"""Qt's dates as Python's: what a date or date-time field holds, typed (QDate.toPython() is
typed ``object`` by the stubs)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QDateTime


def python_date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def python_datetime(value: QDateTime) -> dt.datetime:
    """The local, naive date-time, to the millisecond (as QDateTime.toPython() gives it)."""
    time = value.time()
    return dt.datetime.combine(
        python_date(value.date()),
        dt.time(time.hour(), time.minute(), time.second(), time.msec() * 1000),
    )
