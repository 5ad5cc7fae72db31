"""Appraisal periods (one month, ``YYYY-MM``) and the people who are appraised or supervise."""

from __future__ import annotations

import datetime as dt
import re

from csoffice.auth import Role
from csoffice.db.lookup import get_or_not_found
from csoffice.db.models import (
    Staff,
)
from csoffice.errors import ValidationError
from csoffice.i18n import _
from csoffice.validation import clean_text

_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")
# --- Periods and people ----------------------------------------------------------------------


def parse_period(text: str, today: dt.date | None = None) -> tuple[dt.datetime, dt.datetime]:
    """The start and end (exclusive) of a month ``YYYY-MM``; it must have begun."""
    match = _PERIOD.match(clean_text(text))
    month = int(match.group(2)) if match else 0
    if not match or not 1 <= month <= 12 or int(match.group(1)) < 2000:
        raise ValidationError.single(
            "period", _("“{value}” is not a month like 2026-11.").format(value=text)
        )
    start = dt.datetime(int(match.group(1)), month, 1)
    end = dt.datetime(start.year + (month == 12), month % 12 + 1, 1)
    if start.date() > (today or dt.date.today()):
        raise ValidationError.single(
            "period", _("The month {period} has not begun.").format(period=text)
        )
    return start, end


def period_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def staff_by_username(username: str) -> Staff:
    return get_or_not_found(
        Staff,
        _("No staff member has the user name “{name}”.").format(name=username),
        Staff.username == clean_text(username),
    )


def _staff(staff_id: int) -> Staff:
    return get_or_not_found(Staff, _("This staff member does not exist."), Staff.id == staff_id)


def supervisor_choices(staff_id: int) -> list[tuple[int, str]]:
    """Who can be chosen to give a staff member's supervisor mark: other active desk staff."""
    query = (
        Staff.select(Staff.id, Staff.display_name)
        .where(
            Staff.active == True,
            Staff.role.in_([Role.MANAGER, Role.CLERK]),
            Staff.id != staff_id,
        )
        .order_by(Staff.display_name)
    )
    return [(row.id, row.display_name) for row in query]
