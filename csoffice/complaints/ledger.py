"""The ledger (投诉台帐): filters, sorted ids for the lazy list, its lines and totals, and
the Today board's lists."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import JOIN, fn

from csoffice.complaints.codes import (
    ACTIVE_STATUSES,
    MANAGER_SEVERITIES,
    OPEN_STATUSES,
    category_label,
    channel_label,
    department_label,
    severity_label,
    status_label,
)
from csoffice.complaints.grouping import other_complainants
from csoffice.complaints.limits import OVERDUE_LABELS, _overdue_condition, overdue_kind
from csoffice.complaints.records import COUNTED
from csoffice.db.database import db
from csoffice.db.lookup import dicts_of, in_id_order
from csoffice.db.models import Complaint, ComplaintParty, Customer, Staff, now
from csoffice.i18n import _
from csoffice.validation import clean_text, mask_phone


@dataclass(frozen=True)
class LedgerFilter:
    """The ledger's filters; empty values mean 'any'. Dates are of the time received."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    status: str = ""  # a status code, or "open" / "active" for the groups
    category: str = ""
    severity: str = ""
    owner_id: int | None = None
    department: str = ""
    overdue: bool = False
    text: str = ""  # number, contact name or phone, customer name


SORT_KEYS = {
    "number": (Complaint.number_period, Complaint.number_seq),
    "received_at": (Complaint.received_at,),
    "status": (Complaint.status,),
    "category": (Complaint.category,),
    "severity": (Complaint.severity,),
    "owner": (Complaint.receiver,),
    "department": (Complaint.department,),
    "contact": (Complaint.contact_name,),
    "resolve_due": (Complaint.resolve_due,),
}


def _where(query, criteria: LedgerFilter, at: dt.datetime):
    if criteria.date_from:
        query = query.where(
            Complaint.received_at >= dt.datetime.combine(criteria.date_from, dt.time())
        )
    if criteria.date_to:
        end = dt.datetime.combine(criteria.date_to + dt.timedelta(days=1), dt.time())
        query = query.where(Complaint.received_at < end)
    if criteria.status == "open":
        query = query.where(Complaint.status.in_(OPEN_STATUSES))
    elif criteria.status == "active":
        query = query.where(Complaint.status.in_(ACTIVE_STATUSES))
    elif criteria.status:
        query = query.where(Complaint.status == criteria.status)
    if criteria.category:
        query = query.where(Complaint.category == criteria.category)
    if criteria.severity:
        query = query.where(Complaint.severity == criteria.severity)
    if criteria.owner_id is not None:
        query = query.where(Complaint.receiver == criteria.owner_id)
    if criteria.department:
        query = query.where(Complaint.department == criteria.department)
    if criteria.overdue:
        query = query.where(_overdue_condition(at))
    text = clean_text(criteria.text)
    if text:
        like = f"%{text}%"
        matches = (
            Complaint.number.contains(text)
            | Complaint.contact_name.contains(text)
            | Complaint.contact_phone.contains(text)
            | Complaint.customer.in_(Customer.select(Customer.id).where(Customer.name**like))
        )
        query = query.where(matches)
    return query


def search_ids(
    criteria: LedgerFilter,
    sort_key: str | None = None,
    descending: bool = True,
    at: dt.datetime | None = None,
) -> list[int]:
    """The ids of the complaints that match, newest number first unless sorted otherwise."""
    at = at or now()
    key = sort_key if sort_key in SORT_KEYS else "number"
    columns = SORT_KEYS[key]
    order = [c.desc() if descending else c.asc() for c in columns]
    if key != "number":  # the number is unique; other keys need the id to keep a stable order
        order.append(Complaint.id.desc() if descending else Complaint.id.asc())
    query = _where(Complaint.select(Complaint.id), criteria, at).order_by(*order)
    # Straight from the cursor: building 100,000 row tuples through peewee costs more than the query.
    cursor = db.execute(query)
    return [row[0] for row in cursor.fetchall()]


@dataclass(frozen=True)
class ComplaintRow:
    """One line of the ledger."""

    id: int
    number: str
    status: str
    received_at: dt.datetime
    channel: str
    customer_name: str
    contact_phone: str  # masked
    category: str
    severity: str
    owner_name: str
    department: str
    handler_name: str
    resolve_due: dt.datetime | None
    closed_at: dt.datetime | None
    company_at_fault: bool | None
    satisfaction: int | None
    escalated: bool
    overdue: str | None
    people: int = 1  # the contact and a group's other complainants
    duplicate_of: str = ""  # the number it repeats: listed, not counted

    @property
    def status_label(self) -> str:
        return status_label(self.status)

    @property
    def severity_label(self) -> str:
        return severity_label(self.severity)

    @property
    def category_label(self) -> str:
        return category_label(self.category)

    @property
    def channel_label(self) -> str:
        return channel_label(self.channel)

    @property
    def department_label(self) -> str:
        return department_label(self.department) if self.department else ""

    @property
    def overdue_label(self) -> str:
        return _(OVERDUE_LABELS[self.overdue]) if self.overdue else ""


Owner = Staff.alias()
Original = Complaint.alias()


def rows(ids: list[int], at: dt.datetime | None = None) -> list[ComplaintRow]:
    """The ledger lines of ``ids``, in that order."""
    if not ids:
        return []
    at = at or now()
    query = dicts_of(
        Complaint.select(
            Complaint.id,
            Complaint.number,
            Complaint.status,
            Complaint.received_at,
            Complaint.channel,
            Complaint.contact_name,
            Complaint.contact_phone,
            Complaint.category,
            Complaint.severity,
            Complaint.department,
            Complaint.handler_name,
            Complaint.response_due,
            Complaint.resolve_due,
            Complaint.first_response_at,
            Complaint.closed_at,
            Complaint.company_at_fault,
            Complaint.satisfaction,
            Complaint.escalated_at,
            Customer.name.alias("customer_name"),
            Owner.display_name.alias("owner_name"),
            Original.number.alias("duplicate_of"),
        )
        .join(Customer, JOIN.LEFT_OUTER, on=(Complaint.customer == Customer.id))
        .switch(Complaint)
        .join(Owner, on=(Complaint.receiver == Owner.id))
        .switch(Complaint)
        .join(Original, JOIN.LEFT_OUTER, on=(Complaint.duplicate_of == Original.id))
        .where(Complaint.id.in_(ids))
    )
    others = other_complainants(ids)
    by_id = {}
    for r in query:
        by_id[r["id"]] = ComplaintRow(
            id=r["id"],
            number=r["number"],
            status=r["status"],
            received_at=r["received_at"],
            channel=r["channel"],
            customer_name=r["customer_name"] or r["contact_name"],
            contact_phone=mask_phone(r["contact_phone"]),
            category=r["category"],
            severity=r["severity"],
            owner_name=r["owner_name"],
            department=r["department"],
            handler_name=r["handler_name"],
            resolve_due=r["resolve_due"],
            closed_at=r["closed_at"],
            company_at_fault=r["company_at_fault"],
            satisfaction=r["satisfaction"],
            escalated=r["escalated_at"] is not None,
            overdue=overdue_kind(
                r["status"], r["response_due"], r["resolve_due"], r["first_response_at"], at
            ),
            people=1 + others.get(r["id"], 0),
            duplicate_of=r["duplicate_of"] or "",
        )
    return in_id_order(ids, by_id)


@dataclass(frozen=True)
class LedgerTotals:
    """The sums under the ledger for the filtered complaints: a group complaint counts once
    (``people`` adds its complainants), a duplicate not at all (``duplicates`` says how many
    the list shows besides)."""

    count: int
    by_status: dict[str, int]
    open: int
    overdue: int
    major_or_group: int
    at_fault: int
    average_satisfaction: float | None
    people: int = 0
    duplicates: int = 0


def totals(criteria: LedgerFilter, at: dt.datetime | None = None) -> LedgerTotals:
    at = at or now()
    by_status = {
        status: count
        for status, count in _where(
            Complaint.select(Complaint.status, fn.COUNT(Complaint.id)), criteria, at
        )
        .where(COUNTED)
        .group_by(Complaint.status)
        .tuples()
    }
    figures = (
        _where(
            Complaint.select(
                fn.SUM(Complaint.severity.in_(MANAGER_SEVERITIES).cast("integer")),
                fn.SUM((Complaint.company_at_fault == True).cast("integer")),
                fn.AVG(Complaint.satisfaction),
            ),
            criteria,
            at,
        )
        .where(COUNTED)
        .tuples()
        .get()
    )
    counted = _where(Complaint.select(), criteria, at).where(COUNTED)
    overdue = counted.where(_overdue_condition(at)).count()
    others = _where(
        ComplaintParty.select().join(Complaint, on=(ComplaintParty.complaint == Complaint.id)),
        criteria,
        at,
    ).where(COUNTED, ComplaintParty.removed_at.is_null())
    count = sum(by_status.values())
    return LedgerTotals(
        count=count,
        by_status=by_status,
        open=sum(by_status.get(status, 0) for status in OPEN_STATUSES),
        overdue=overdue,
        major_or_group=int(figures[0] or 0),
        at_fault=int(figures[1] or 0),
        average_satisfaction=float(figures[2]) if figures[2] is not None else None,
        people=count + others.count(),
        duplicates=_where(Complaint.select(), criteria, at).where(~COUNTED).count(),
    )


def owned_by(staff_id: int, at: dt.datetime | None = None) -> list[ComplaintRow]:
    """The complaints ``staff_id`` received and must still follow (for the Today board),
    overdue first."""
    criteria = LedgerFilter(status="active", owner_id=staff_id)
    found = rows(search_ids(criteria, "resolve_due", descending=False, at=at), at)
    return sorted(found, key=lambda row: row.overdue is None)


def overdue_ids(at: dt.datetime | None = None) -> list[int]:
    """Every overdue complaint, the most overdue first (for the Today board)."""
    return search_ids(LedgerFilter(overdue=True), "resolve_due", descending=False, at=at)
