"""Running complaint numbers (TS-YYYYMM-NNNN) and the check that each month's run has no gap."""

from __future__ import annotations

from peewee import fn

from csoffice import settings
from csoffice.complaints.codes import DEFAULT_NUMBER_FORMAT
from csoffice.db import counters
from csoffice.db.lookup import tuples_of
from csoffice.db.models import Complaint, Counter
from csoffice.i18n import _


def format_number(period: str, seq: int, fmt: str | None = None) -> str:
    """The complaint number for place ``seq`` of month ``period`` (YYYYMM) in the office's
    format; a format without {seq} or that cannot be applied falls back to the default."""
    fmt = fmt if fmt is not None else settings.get("complaints.number_format")
    year, month = int(period[:4]), int(period[4:6])
    if fmt and "{seq" in fmt:
        try:
            return fmt.format(year=year, month=month, seq=seq)[:32]
        except (KeyError, ValueError, IndexError, AttributeError):
            pass
    return DEFAULT_NUMBER_FORMAT.format(year=year, month=month, seq=seq)


def _next_seq(period: str) -> int:
    """The next place in ``period``'s series; call inside the transaction that uses it, so a
    failed save rolls the counter back with it and no number is skipped."""
    return counters.next_value(f"complaint:{period}")


def numbers_gap_free() -> list[str]:
    """Each month's numbers run 1, 2, 3… without a gap or a repeat, and match the counter."""
    problems = []
    counters = {
        row.name.split(":", 1)[1]: row.value
        for row in Counter.select().where(Counter.name.startswith("complaint:"))
    }
    seen = set()
    query = tuples_of(
        Complaint.select(
            Complaint.number_period,
            fn.COUNT(Complaint.id),
            fn.COUNT(Complaint.number_seq.distinct()),
            fn.MIN(Complaint.number_seq),
            fn.MAX(Complaint.number_seq),
        ).group_by(Complaint.number_period)
    )
    for period, count, distinct, low, high in query:
        seen.add(period)
        if distinct != count:
            problems.append(
                _("Complaint numbers of {period} are used more than once.").format(period=period)
            )
        if low != 1 or high != count:
            problems.append(
                _(
                    "Complaint numbers of {period} have gaps: {count} complaints, 1 to {high}."
                ).format(period=period, count=count, high=high)
            )
        if counters.get(period, 0) != high:
            problems.append(
                _(
                    "The number counter of {period} stands at {value}, the last number is {high}."
                ).format(period=period, value=counters.get(period, 0), high=high)
            )
    for period, value in counters.items():
        if period not in seen and value:
            problems.append(
                _(
                    "The number counter of {period} stands at {value}, but no complaint has such a number."
                ).format(period=period, value=value)
            )
    duplicates = tuples_of(
        Complaint.select(Complaint.number)
        .group_by(Complaint.number)
        .having(fn.COUNT(Complaint.id) > 1)
    )
    problems.extend(
        _("Complaint number {number} is used more than once.").format(number=number)
        for (number,) in duplicates
    )
    return problems
