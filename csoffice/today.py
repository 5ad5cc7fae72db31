"""The Today board (今日): what the desk must do today, in sections with counts and lists.

Return visits due and overdue, follow-ups owed from receptions, complaints the signed-in clerk
owns, overdue complaints, complaints awaiting the manager, members' birthdays in the greeting
window not greeted yet, the festivals of the next two weeks with customers still to greet,
reminders (maintenance, annual inspection, insurance renewal) due, paper files still missing
papers and repairs whose papers were not handed in (the manager sees all, everyone else those
they answer for), and what the customers one answers for (管家 / 业务员) did or are owed today.
Each section holds the ids of its source records, so its count is its list's length; each item
names the record (kind, id) that opens it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from peewee import JOIN, fn

from csoffice import care, complaints, members, paper_file, receptions, settings, visits
from csoffice.customer_history import SERVICE_KINDS
from csoffice.db.lookup import tuples_of
from csoffice.db.models import (
    Complaint,
    Customer,
    Greeting,
    Reception,
    ReturnVisit,
    ServiceEvent,
    Staff,
)
from csoffice.i18n import N_, _, format_date, format_datetime, format_number
from csoffice.validation import mask_phone

REMINDER_KINDS = ("maintenance", "inspection", "insurance")


@dataclass(frozen=True)
class BoardItem:
    """One line of a section: the record it opens (``kind``: visit | reception | complaint |
    customer, and its ``id``; festival: the ordinal of its day, opening its greetings; repair:
    the repair whose papers came in), what
    it says, and how urgent it looks."""

    kind: str
    id: int
    title: str
    detail: str
    when: str
    style: str | None = None  # "overdue" | "warning" | None


@dataclass(frozen=True)
class Section:
    """A section of the board: its ids in order; ``items`` turns a page of ids into lines."""

    key: str
    title: str  # msgid, translated when shown
    ids: tuple[int, ...]
    items: Callable[[list[int]], list[BoardItem]]

    @property
    def count(self) -> int:
        return len(self.ids)


SECTION_TITLES = {
    "visits": N_("Return visits due"),
    "followups": N_("Follow-ups owed"),
    "my_complaints": N_("Complaints I own"),
    "overdue_complaints": N_("Overdue complaints"),
    "awaiting_manager": N_("Awaiting the manager"),
    "birthdays": N_("Birthdays"),
    "festivals": N_("Festival greetings"),
    "reminders": N_("Reminders due"),
    "papers": N_("Paper files incomplete"),
    "repair_papers": N_("Repair papers not handed in"),
    "my_customers": N_("My customers today"),
}


def _days_text(days: int) -> str:
    if days > 0:
        return _("{n} days overdue").format(n=days)
    if days == 0:
        return _("today")
    return _("in {n} days").format(n=-days)


# --- return visits ------------------------------------------------------------------------


def _visit_items(today: dt.date) -> Callable[[list[int]], list[BoardItem]]:
    def items(ids: list[int]) -> list[BoardItem]:
        return [
            BoardItem(
                "visit",
                row.id,
                f"{row.customer_name} · {row.kind_label}",
                " · ".join(x for x in (row.subject, row.assigned_name, row.result_label) if x),
                row.deadline_label or _days_text(row.overdue_days),
                "overdue" if row.overdue_days > 0 else None,
            )
            for row in visits.rows(ids, today)
        ]

    return items


# --- reception follow-ups -----------------------------------------------------------------


def _followup_ids(today: dt.date) -> list[int]:
    return [row.id for row in receptions.followups_due(today)]


def _followup_items(today: dt.date) -> Callable[[list[int]], list[BoardItem]]:
    def items(ids: list[int]) -> list[BoardItem]:
        out = []
        for row in receptions.rows(ids):
            days = (today - row.followup_due).days if row.followup_due else 0
            out.append(
                BoardItem(
                    "reception",
                    row.id,
                    f"{row.caller or row.customer_name or mask_phone(row.caller_phone)}"
                    f" · {receptions.category_label(row.category)}",
                    " · ".join(x for x in (row.content[:60], row.handler_name) if x),
                    _days_text(days),
                    "overdue" if days > 0 else None,
                )
            )
        return out

    return items


# --- complaints ---------------------------------------------------------------------------


def _complaint_items(at: dt.datetime) -> Callable[[list[int]], list[BoardItem]]:
    def items(ids: list[int]) -> list[BoardItem]:
        return [
            BoardItem(
                "complaint",
                row.id,
                f"{row.number} · {row.customer_name}",
                " · ".join(x for x in (row.status_label, row.severity_label, row.owner_name) if x),
                row.overdue_label or format_datetime(row.resolve_due),
                "overdue" if row.overdue else ("warning" if row.escalated else None),
            )
            for row in complaints.rows(ids, at)
        ]

    return items


def _awaiting_manager_ids(at: dt.datetime) -> list[int]:
    criteria = complaints.LedgerFilter(status="awaiting_manager")
    return complaints.search_ids(criteria, "received_at", descending=False, at=at)


# --- birthdays ----------------------------------------------------------------------------


def _birthday_ids(today: dt.date) -> list[int]:
    """Customers (card holders or not) whose birthday is in the greeting window and who were
    not greeted for it yet."""
    return [r.customer_id for r in care.birthdays(today) if not r.greeted]


def _birthday_items(today: dt.date) -> Callable[[list[int]], list[BoardItem]]:
    def items(ids: list[int]) -> list[BoardItem]:
        return [
            BoardItem(
                "customer",
                row.customer_id,
                " · ".join(x for x in (row.name, row.card_no) if x),
                " · ".join(
                    x
                    for x in (
                        row.level_name,
                        _("{age} years").format(age=row.age),
                        mask_phone(row.mobile),
                    )
                    if x
                ),
                f"{format_date(row.next_birthday)} ({_days_text(-row.days_ahead)})",
                "warning" if row.days_ahead <= 2 else None,
            )
            for row in members.birthday_rows(ids, today)
        ]

    return items


# --- festivals ------------------------------------------------------------------------------

# Festival greetings (letters, cards, texts) are prepared this many days ahead of the holiday.
FESTIVAL_DAYS = 14


def festival_ids(today: dt.date) -> list[int]:
    """The festivals of the next FESTIVAL_DAYS with customers not greeted for them yet, as
    the ordinal of the festival's day (``dt.date.fromordinal`` gives it back)."""
    return [
        festival.day.toordinal()
        for festival in care.festivals_ahead(today, FESTIVAL_DAYS)
        if care.festival_owed(festival)
    ]


def _festival_items(today: dt.date) -> Callable[[list[int]], list[BoardItem]]:
    def items(ids: list[int]) -> list[BoardItem]:
        ahead = {f.day.toordinal(): f for f in care.festivals_ahead(today, FESTIVAL_DAYS)}
        out = []
        for ordinal in ids:
            festival = ahead.get(ordinal)
            if festival is None:
                continue
            days = (festival.day - today).days
            out.append(
                BoardItem(
                    "festival",
                    ordinal,
                    f"{festival.label} · {format_date(festival.day)}",
                    _("{n} customers not greeted yet").format(
                        n=format_number(care.festival_owed(festival))
                    ),
                    _days_text(-days),
                    "warning" if days <= 3 else None,
                )
            )
        return out

    return items


# --- reminders ----------------------------------------------------------------------------


def _int(key: str, default: int) -> int:
    try:
        return max(0, min(int(settings.get(key)), 366))
    except (TypeError, ValueError):
        return default


def reminder_ids(today: dt.date) -> list[int]:
    """Service events whose reminder date (next maintenance, inspection, insurance renewal) is
    within "today.reminder_days" ahead or "today.reminder_days_past" behind, and for which no
    reminder greeting was logged yet; the soonest first."""
    first = today - dt.timedelta(days=_int("today.reminder_days_past", 7))
    last = today + dt.timedelta(days=_int("today.reminder_days", 7))
    greeted = Greeting.select(Greeting.id).where(
        Greeting.customer == ServiceEvent.customer,
        Greeting.kind == "reminder",
        Greeting.occasion_on == ServiceEvent.remind_on,
    )
    query = tuples_of(
        ServiceEvent.select(ServiceEvent.id)
        .join(Customer, on=(ServiceEvent.customer == Customer.id))
        .where(
            ServiceEvent.status == "active",
            ServiceEvent.kind.in_(REMINDER_KINDS),
            ServiceEvent.remind_on.between(first, last),
            Customer.status == "active",
            ~fn.EXISTS(greeted),
        )
        .order_by(ServiceEvent.remind_on, ServiceEvent.id)
    )
    return [event_id for (event_id,) in query]


def _reminder_items(today: dt.date) -> Callable[[list[int]], list[BoardItem]]:
    def items(ids: list[int]) -> list[BoardItem]:
        query = (
            ServiceEvent.select(ServiceEvent, Customer)
            .join(Customer, JOIN.INNER, on=(ServiceEvent.customer == Customer.id))
            .where(ServiceEvent.id.in_(ids))
        )
        by_id = {event.id: event for event in query}
        out = []
        for event_id in ids:
            event = by_id.get(event_id)
            if event is None or event.remind_on is None:
                continue  # gone, or its reminder cleared, since the ids were read
            days = (today - event.remind_on).days
            out.append(
                BoardItem(
                    "customer",
                    event.customer_id,
                    f"{event.customer.name} · {_(SERVICE_KINDS.get(event.kind, event.kind))}",
                    " · ".join(x for x in (event.product, mask_phone(event.customer.mobile)) if x),
                    f"{format_date(event.remind_on)} ({_days_text(days)})",
                    "overdue" if days > 0 else ("warning" if days == 0 else None),
                )
            )
        return out

    return items


# --- paper files ----------------------------------------------------------------------------


def _hand_in_when(overdue_days: int, deadline: dt.date) -> str:
    if overdue_days:
        return _("{n} working days late").format(n=overdue_days)
    return _("by {date}").format(date=format_date(deadline, "short"))


def _paper_files(staff: Staff, today: dt.date) -> list[paper_file.IncompleteFile]:
    """Every incomplete file for the manager; for anyone else, the files they answer for."""
    if staff.role == "manager":
        return paper_file.incomplete_files(today)
    return paper_file.incomplete_files(today, responsible_id=staff.id)


def _paper_items(files: list[paper_file.IncompleteFile]) -> Callable[[list[int]], list[BoardItem]]:
    by_customer = {f.customer_id: f for f in files}

    def items(ids: list[int]) -> list[BoardItem]:
        out = []
        for customer_id in ids:
            found = by_customer.get(customer_id)
            if found is None:
                continue
            out.append(
                BoardItem(
                    "customer",
                    customer_id,
                    " · ".join(x for x in (found.customer_name, found.responsible_name) if x),
                    _("Missing: {papers}").format(papers="、".join(found.missing)),
                    _hand_in_when(found.overdue_days, found.deadline),
                    "overdue" if found.overdue_days else None,
                )
            )
        return out

    return items


def _repairs_owed(staff: Staff, today: dt.date) -> list[paper_file.RepairHandIn]:
    """Every repair owed for the manager; for anyone else, those they answer for."""
    if staff.role == "manager":
        return paper_file.repairs_owed(today)
    return paper_file.repairs_owed(today, responsible_id=staff.id)


def _repair_items(
    owed: list[paper_file.RepairHandIn],
) -> Callable[[list[int]], list[BoardItem]]:
    by_event = {r.event_id: r for r in owed}

    def items(ids: list[int]) -> list[BoardItem]:
        out = []
        for event_id in ids:
            found = by_event.get(event_id)
            if found is None:
                continue
            repair = _("Repair of {date}").format(date=format_date(found.date, "short"))
            out.append(
                BoardItem(
                    "repair",
                    event_id,
                    " · ".join(x for x in (found.customer_name, found.responsible_name) if x),
                    " · ".join(x for x in (repair, found.product, found.handled_by) if x),
                    _hand_in_when(found.overdue_days, found.deadline),
                    "overdue" if found.overdue_days else None,
                )
            )
        return out

    return items


# --- the customers a staff member answers for -------------------------------------------------

# An open complaint of one's customer stays on the board while it is open, up to this long.
_OPEN_COMPLAINT_DAYS = 90


def my_customer_refs(staff: Staff, today: dt.date) -> list[tuple[str, int]]:
    """What the customers ``staff`` answers for (管家 / 业务员) did or are owed today, as
    (kind, id): their calls and visits to the desk today, their open complaints, their return
    visits due. Only ids: the lines are made a page at a time (``my_customer_items``)."""
    mine = Customer.select(Customer.id).where(Customer.responsible == staff.id)
    start = dt.datetime.combine(today, dt.time())
    calls = (
        Reception.select(Reception.id)
        .where(
            Reception.received_at >= start,
            Reception.received_at < start + dt.timedelta(days=1),
            Reception.status == "active",
            Reception.direction == "in",
            Reception.customer.in_(mine),
        )
        .order_by(Reception.received_at.desc())
    )
    open_complaints = (
        Complaint.select(Complaint.id)
        .where(
            Complaint.received_at >= start - dt.timedelta(days=_OPEN_COMPLAINT_DAYS),
            Complaint.status.not_in(["closed", "rejected"]),
            Complaint.customer.in_(mine),
        )
        .order_by(Complaint.received_at.desc())
    )
    due = (
        ReturnVisit.select(ReturnVisit.id)
        .where(
            ReturnVisit.status == "due",
            ReturnVisit.due_on <= today,
            ReturnVisit.customer.in_(mine),
        )
        .order_by(ReturnVisit.due_on, ReturnVisit.id)
    )
    refs = [("reception", i) for (i,) in tuples_of(calls)]
    refs += [("complaint", i) for (i,) in tuples_of(open_complaints)]
    return refs + [("visit", i) for (i,) in tuples_of(due)]


def my_customer_items(refs: list[tuple[str, int]], today: dt.date) -> list[BoardItem]:
    """The lines of a page of ``my_customer_refs``, in its order."""
    wanted: dict[str, list[int]] = {}
    for kind, record_id in refs:
        wanted.setdefault(kind, []).append(record_id)
    made: dict[tuple[str, int], BoardItem] = {}
    if wanted.get("reception"):
        for row in (
            Reception.select(Reception, Customer)
            .join(Customer, on=(Reception.customer == Customer.id))
            .where(Reception.id.in_(wanted["reception"]))
        ):
            customer = row.customer
            if customer is None:  # not with the inner join above
                continue
            detail = " · ".join(
                x for x in (receptions.category_label(row.category), row.content) if x
            )
            made[("reception", row.id)] = BoardItem(
                "reception",
                row.id,
                f"{customer.name} · {receptions.channel_label(row.channel)}",
                detail[:120],
                format_datetime(row.received_at, "short"),
                "warning" if row.category == "complaint" else None,
            )
    if wanted.get("complaint"):
        for row in (
            Complaint.select(Complaint, Customer)
            .join(Customer, on=(Complaint.customer == Customer.id))
            .where(Complaint.id.in_(wanted["complaint"]))
        ):
            customer = row.customer
            if customer is None:  # not with the inner join above
                continue
            detail = " · ".join(x for x in (complaints.status_label(row.status), row.facts) if x)
            made[("complaint", row.id)] = BoardItem(
                "complaint",
                row.id,
                f"{customer.name} · {row.number}",
                detail[:120],
                format_datetime(row.received_at, "short"),
                "warning",
            )
    for item in _visit_items(today)(wanted.get("visit", [])):
        made[("visit", item.id)] = item
    return [made[ref] for ref in refs if ref in made]


# --- the board ----------------------------------------------------------------------------


def sections(
    staff: Staff, today: dt.date | None = None, at: dt.datetime | None = None
) -> list[Section]:
    """The board for ``staff`` on ``today``, in the order shown."""
    today = today or dt.date.today()
    at = at or dt.datetime.combine(today, dt.datetime.now().time()).replace(microsecond=0)

    def section(key: str, ids: list[int], items) -> Section:
        return Section(key, SECTION_TITLES[key], tuple(ids), items)

    papers = _paper_files(staff, today)
    repairs = _repairs_owed(staff, today)
    mine = my_customer_refs(staff, today)

    return [
        section("visits", visits.due_ids(today), _visit_items(today)),
        section("followups", _followup_ids(today), _followup_items(today)),
        section(
            "my_complaints",
            [row.id for row in complaints.owned_by(staff.id, at)],
            _complaint_items(at),
        ),
        section("overdue_complaints", complaints.overdue_ids(at), _complaint_items(at)),
        section("awaiting_manager", _awaiting_manager_ids(at), _complaint_items(at)),
        section("birthdays", _birthday_ids(today), _birthday_items(today)),
        section("festivals", festival_ids(today), _festival_items(today)),
        section("reminders", reminder_ids(today), _reminder_items(today)),
        section("papers", [f.customer_id for f in papers], _paper_items(papers)),
        section("repair_papers", [r.event_id for r in repairs], _repair_items(repairs)),
        section(
            "my_customers",
            list(range(len(mine))),
            lambda ids: my_customer_items([mine[i] for i in ids], today),
        ),
    ]


def counts(staff: Staff, today: dt.date | None = None) -> dict[str, int]:
    """Each section's count, by key."""
    return {s.key: s.count for s in sections(staff, today)}
