"""The day view's filters and its rows (also the daily sheet's and the export's)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from peewee import JOIN

from csoffice.db.lookup import in_id_order, tuples_of
from csoffice.db.models import Complaint, Customer, Reception, Staff
from csoffice.errors import NotFound
from csoffice.i18n import _


@dataclass(frozen=True)
class DayFilter:
    """What the day view's filters ask for; a None date leaves that end open."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    channel: str = ""
    category: str = ""
    handler_id: int | None = None
    followup_pending: bool = False
    include_voided: bool = False

    @classmethod
    def day(cls, day: dt.date, **others: Any) -> DayFilter:
        return cls(date_from=day, date_to=day, **others)


SORTS = {
    "received_at": Reception.received_at,
    "channel": Reception.channel,
    "category": Reception.category,
    "caller": Reception.caller_name,
    "handler": Reception.handler,
    "followup_due": Reception.followup_due,
}


def _start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())


def _filtered(query, criteria: DayFilter):
    if criteria.date_from is not None:
        query = query.where(Reception.received_at >= _start(criteria.date_from))
    if criteria.date_to is not None:
        query = query.where(Reception.received_at < _start(criteria.date_to + dt.timedelta(days=1)))
    if criteria.channel:
        query = query.where(Reception.channel == criteria.channel)
    if criteria.category:
        query = query.where(Reception.category == criteria.category)
    if criteria.handler_id is not None:
        query = query.where(Reception.handler == criteria.handler_id)
    if criteria.followup_pending:
        query = query.where(Reception.followup_needed == True, Reception.followup_done_at.is_null())
    if not criteria.include_voided or criteria.followup_pending:
        query = query.where(Reception.status == "active")
    return query


def search_ids(
    criteria: DayFilter, sort: str | None = None, descending: bool = True, limit: int = 200_000
) -> list[int]:
    """Ids of the receptions matching ``criteria``, newest first unless sorted otherwise."""
    column = SORTS.get(sort or "received_at", Reception.received_at)
    order = column.desc() if descending else column.asc()
    tie = Reception.id.desc() if descending else Reception.id.asc()
    query = _filtered(Reception.select(Reception.id), criteria).order_by(order, tie).limit(limit)
    return [row[0] for row in query.tuples()]


def count(criteria: DayFilter) -> int:
    return _filtered(Reception.select(), criteria).count()


@dataclass(frozen=True)
class ReceptionRow:
    """One line of the day view, the daily sheet and the export."""

    id: int
    received_at: dt.datetime
    channel: str
    direction: str
    caller_name: str
    caller_phone: str
    caller_company: str
    caller_kind: str
    customer_id: int | None
    customer_name: str
    category: str
    content: str
    handler_id: int | None
    handler_name: str
    outcome: str
    followup_needed: bool
    followup_due: dt.date | None
    followup_done_at: dt.datetime | None
    complaint_id: int | None
    complaint_number: str
    status: str
    void_reason: str

    @property
    def followup_pending(self) -> bool:
        return self.followup_needed and self.followup_done_at is None and self.status == "active"

    def followup_overdue(self, today: dt.date | None = None) -> bool:
        return (
            self.followup_pending
            and self.followup_due is not None
            and self.followup_due < (today or dt.date.today())
        )

    @property
    def caller(self) -> str:
        """The caller as a person reads it: name, and company when there is one."""
        if self.caller_company and self.caller_company != self.caller_name:
            return (
                f"{self.caller_name}（{self.caller_company}）"
                if self.caller_name
                else self.caller_company
            )
        return self.caller_name


def _row_query():
    handler = Staff.alias()
    return (
        Reception.select(
            Reception.id,
            Reception.received_at,
            Reception.channel,
            Reception.direction,
            Reception.caller_name,
            Reception.caller_phone,
            Reception.caller_company,
            Reception.caller_kind,
            Reception.customer,
            Customer.name,
            Reception.category,
            Reception.content,
            Reception.handler,
            handler.display_name,
            Reception.outcome,
            Reception.followup_needed,
            Reception.followup_due,
            Reception.followup_done_at,
            Reception.complaint_id,
            Complaint.number,
            Reception.status,
            Reception.void_reason,
        )
        .join_from(Reception, Customer, JOIN.LEFT_OUTER, on=(Reception.customer == Customer.id))
        .join_from(Reception, handler, JOIN.LEFT_OUTER, on=(Reception.handler == handler.id))
        .join_from(
            Reception, Complaint, JOIN.LEFT_OUTER, on=(Reception.complaint_id == Complaint.id)
        )
    )


def _make_row(row: tuple[Any, ...]) -> ReceptionRow:
    values = list(row)
    values[9] = values[9] or ""
    values[13] = values[13] or ""
    values[19] = values[19] or ""
    return ReceptionRow(*values)


def rows(ids: list[int]) -> list[ReceptionRow]:
    """The rows of ``ids``, in that order."""
    if not ids:
        return []
    by_id = {
        values[0]: _make_row(values)
        for values in tuples_of(_row_query().where(Reception.id.in_(ids)))
    }
    return in_id_order(ids, by_id)


def row(reception_id: int) -> ReceptionRow:
    found = rows([reception_id])
    if not found:
        raise NotFound(_("No reception with number {id}.").format(id=reception_id))
    return found[0]
