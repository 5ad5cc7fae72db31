"""The day's figures for the daily sheet (日结), and the period volumes for the reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import fn

from csoffice.db.models import Reception
from csoffice.receptions.codes import CATEGORIES, CHANNELS, categories, channels
from csoffice.receptions.followup import followups_open_at_end_of
from csoffice.receptions.lists import DayFilter, ReceptionRow, _filtered, _make_row, _row_query


@dataclass
class DailyFigures:
    """The day's receptions and what the daily sheet (日结) sums up."""

    day: dt.date
    receptions: list[ReceptionRow]
    by_category: list[tuple[str, int]]  # (code, count), in the office's order, then others
    by_channel: list[tuple[str, int]]
    followups_owed: list[ReceptionRow]  # still open at the end of the day, any day's
    followups_opened: int  # of the day's receptions, how many owe a follow-up
    handlers: list[str]

    @property
    def total(self) -> int:
        return len(self.receptions)

    def of_category(self, code: str) -> list[ReceptionRow]:
        return [r for r in self.receptions if r.category == code]


def _ordered_counts(codes: list[str], preferred: list[str]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for code in codes:
        counts[code] = counts.get(code, 0) + 1
    order = [c for c in dict.fromkeys(preferred) if c in counts]
    order += sorted(c for c in counts if c not in order)
    return [(code, counts[code]) for code in order]


def daily_figures(day: dt.date) -> DailyFigures:
    query = _filtered(_row_query(), DayFilter.day(day)).order_by(
        Reception.received_at.asc(), Reception.id.asc()
    )
    day_rows = [_make_row(values) for values in query.tuples()]
    return DailyFigures(
        day=day,
        receptions=day_rows,
        by_category=_ordered_counts(
            [r.category for r in day_rows], [c for c, _l in categories()] + list(CATEGORIES)
        ),
        by_channel=_ordered_counts(
            [r.channel for r in day_rows], [c for c, _l in channels()] + list(CHANNELS)
        ),
        followups_owed=followups_open_at_end_of(day),
        followups_opened=sum(1 for r in day_rows if r.followup_needed),
        handlers=sorted({r.handler_name for r in day_rows if r.handler_name}),
    )


def volumes(date_from: dt.date, date_to: dt.date) -> dict[str, dict[str, int]]:
    """Counts by channel and by category over a period (for the weekly and monthly reports)."""
    out: dict[str, dict[str, int]] = {"channel": {}, "category": {}}
    for name, column in (("channel", Reception.channel), ("category", Reception.category)):
        query = _filtered(
            Reception.select(column, fn.COUNT(Reception.id)),
            DayFilter(date_from=date_from, date_to=date_to),
        ).group_by(column)
        out[name] = dict(query.tuples())
    return out
