"""Twelve-month trends of the desk's figures, as plain data for the Reports tab's charts, the
monthly report's appendix and the Excel export (one source, so the three agree).

Each month's figure is defined as in csoffice.reports for that month: receptions are the
active ones received in the month; complaint figures are about the complaints received in
the month as they stand now (category, department, average satisfaction, average time from
receipt to closing of those closed); return-visit satisfaction is of the calls done in the
month. One grouped query per figure covers all twelve months.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from babel import dates as babel_dates
from peewee import fn

from csoffice import complaints, receptions
from csoffice.churn import ChurnMonth, churn_months, churn_trend
from csoffice.dates import add_months
from csoffice.db.models import Complaint, Reception, ReturnVisit
from csoffice.i18n import locale
from csoffice.reports import Period
from csoffice.reports.figures import _hours_between, _ordered
from csoffice.statistics import (
    active_by_month,
    contact_months,
    last_months,
    month_code,
    month_key,
    new_by_month,
)

Rows = list[tuple[str, list[int]]]  # (code, one count per month)


@dataclass(frozen=True)
class Trends:
    """Twelve months of figures, oldest first; every list has one value per month."""

    periods: list[Period]
    receptions: list[int]
    receptions_by_channel: Rows
    receptions_by_category: Rows
    complaints: list[int]
    complaints_by_category: Rows
    complaints_by_department: Rows  # "" = not yet handed to a department
    hours_to_resolve: list[float | None]  # average, of the month's complaints now closed
    complaint_satisfaction: list[float | None]
    visit_satisfaction: list[float | None]
    new_customers: list[int]
    active_customers: list[int]
    churn_months: int
    churn: list[ChurnMonth]

    @property
    def months(self) -> list[str]:
        return [month_code(p) for p in self.periods]

    def month_labels(self, with_year: bool = True) -> list[str]:
        return month_labels(self.periods, with_year)


def month_labels(periods: list[Period], with_year: bool = True) -> list[str]:
    """Short month names for an axis; January and the first month carry the year."""
    out = []
    for index, period in enumerate(periods):
        first = index == 0 or period.first.month == 1
        skeleton = "yMMM" if with_year and first else "MMM"
        out.append(babel_dates.format_skeleton(skeleton, period.first, locale=locale()))
    return out


def _span(periods: list[Period], column):
    return (column >= periods[0].start) & (column < periods[-1].end)


def _by_month_and(column, time_column, periods: list[Period], *where) -> dict[str, list[int]]:
    """{code: [count per month]} of the rows of ``column``'s table in the months."""
    model = column.model
    key = month_key(time_column)
    index = {month_code(p): i for i, p in enumerate(periods)}
    out: dict[str, list[int]] = {}
    query = (
        model.select(key, column, fn.COUNT(model.id))
        .where(_span(periods, time_column), *where)
        .group_by(key, column)
    )
    for month, code, count in query.tuples():
        if month in index:
            out.setdefault(code or "", [0] * len(periods))[index[month]] = int(count)
    return out


def _rows(counts: dict[str, list[int]], preferred: list[str]) -> Rows:
    totals = {code: sum(values) for code, values in counts.items()}
    return [(code, counts[code]) for code, _total in _ordered(totals, preferred)]


def _averages(value, time_column, periods: list[Period], *where) -> list[float | None]:
    model = time_column.model
    key = month_key(time_column)
    found = dict(
        model.select(key, fn.AVG(value))
        .where(_span(periods, time_column), value.is_null(False), *where)
        .group_by(key)
        .tuples()
    )
    return [float(found[m]) if found.get(m) is not None else None for m in map(month_code, periods)]


def _totals(rows: Rows, months: int) -> list[int]:
    return [sum(values[i] for _code, values in rows) for i in range(months)]


def trends(period: Period, count: int = 12) -> Trends:
    """The ``count`` months ending with the month ``period`` ends in."""
    periods = last_months(period, count)
    active = Reception.status == "active"
    by_channel = _rows(
        _by_month_and(Reception.channel, Reception.received_at, periods, active),
        [c for c, _l in receptions.channels()] + list(receptions.CHANNELS),
    )
    by_category = _rows(
        _by_month_and(Reception.category, Reception.received_at, periods, active),
        [c for c, _l in receptions.categories()] + list(receptions.CATEGORIES),
    )
    complaint_categories = _rows(
        _by_month_and(Complaint.category, Complaint.received_at, periods, complaints.COUNTED),
        [c for c, _l in complaints.categories()],
    )
    departments = _rows(
        _by_month_and(Complaint.department, Complaint.received_at, periods, complaints.COUNTED),
        [c for c, _l in complaints.departments()] + [""],
    )
    n = churn_months()
    # One fold of every customer's contacts serves "in touch" and "no contact for N months".
    contacts = contact_months(add_months(periods[0].first, -n + 1), periods[-1].end.date())
    return Trends(
        periods=periods,
        receptions=_totals(by_channel, count),
        receptions_by_channel=by_channel,
        receptions_by_category=by_category,
        complaints=_totals(complaint_categories, count),
        complaints_by_category=complaint_categories,
        complaints_by_department=departments,
        hours_to_resolve=_averages(
            _hours_between(Complaint.closed_at, Complaint.received_at),
            Complaint.received_at,
            periods,
            Complaint.status == "closed",
            Complaint.closed_at.is_null(False),
            complaints.COUNTED,
        ),
        complaint_satisfaction=_averages(
            Complaint.satisfaction, Complaint.received_at, periods, complaints.COUNTED
        ),
        visit_satisfaction=_averages(
            ReturnVisit.satisfaction, ReturnVisit.done_at, periods, ReturnVisit.status == "done"
        ),
        new_customers=[n for _m, n in new_by_month(periods)],
        active_customers=[k for _m, k in active_by_month(periods, contacts)],
        churn_months=n,
        churn=churn_trend(periods, n, contacts),
    )


def default_period(today: dt.date | None = None) -> Period:
    """The trends the desk looks at: the twelve months to last month."""
    today = today or dt.date.today()
    return Period.month(today.year, today.month).previous()


def folded(rows: Rows, keep: int = 4) -> Rows:
    """The ``keep`` largest rows and the rest summed as one row with code "*" (for a chart
    that stays readable in black and white)."""
    if len(rows) <= keep + 1:
        return rows
    ranked = sorted(rows, key=lambda row: -sum(row[1]))
    kept = {code for code, _values in ranked[:keep]}
    rest = [values for code, values in rows if code not in kept]
    return [row for row in rows if row[0] in kept] + [
        ("*", [sum(column) for column in zip(*rest, strict=True)])
    ]
