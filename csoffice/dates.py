"""Calendar arithmetic every area shares (card expiry, visit plans, reminders, classes)."""

from __future__ import annotations

import calendar
import datetime as dt

from csoffice.errors import ValidationError
from csoffice.i18n import _


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months`` calendar months (the 31st becomes the month's last day)."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def parse_day(period: str) -> dt.date:
    """The day a command line names (2026-11-24); ValidationError on the field "period"."""
    try:
        return dt.date.fromisoformat(period.strip())
    except ValueError:
        raise ValidationError.single(
            "period", _("“{value}” is not a date like 2026-11-24").format(value=period)
        ) from None
