"""The office's visit rules and the scheduler that plans the calls they give rise to."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from peewee import fn

from csoffice import audit, changes, members, settings, visit_rules
from csoffice.changes import Change
from csoffice.customers import CLASSES
from csoffice.dates import add_months
from csoffice.db import bulk
from csoffice.db.database import db
from csoffice.db.lookup import tuples_of
from csoffice.db.models import (
    Complaint,
    Customer,
    MemberCard,
    MemberLevel,
    ReturnVisit,
    ServiceEvent,
    Staff,
    now,
)
from csoffice.i18n import _
from csoffice.visit_rules import Facts, Rule
from csoffice.visits.codes import _CHUNK, _int_setting, staff_choices

# Two events of one deal (a purchase and its delivery) must not give two 7-day calls: a rule
# with several event kinds skips an event when the customer already has that call this near.
_SAME_OCCASION = dt.timedelta(days=15)

# --- Rules ----------------------------------------------------------------------------------


def _level_codes() -> set[str]:
    return {level.code for level in members.levels(include_inactive=True)}


def _stored_specs() -> list[dict[str, Any]]:
    return visit_rules.specs_from_setting(settings.get("visits.rules"))


def rule_specs() -> list[dict[str, Any]]:
    """The office's rules as the settings page shows them (normalised, switched-off ones too)."""
    specs, _on, _errors = visit_rules.check(_stored_specs(), _level_codes(), set(CLASSES))
    return specs


def rules() -> dict[str, Rule]:
    """The rules switched on, by code, from the setting "visits.rules"; a stored rule that does
    not check out is left out (the settings page never stores one)."""
    _specs, on, _errors = visit_rules.check(_stored_specs(), _level_codes(), set(CLASSES))
    return {rule.key: rule for rule in on}


def _caller(staff_id: int | None, callers: set[int]) -> int | None:
    """Who a scheduled call is given to: the person named, if they still make calls."""
    return staff_id if staff_id in callers else None


# The candidate queries filter on the event's (or complaint's) date only, so the database walks
# that date's index over a few weeks of rows. A condition on a customer's or complaint's status
# would lead SQLite (without statistics it prefers an equality index) to walk every active
# customer or closed complaint instead; statuses are checked on the few candidates found.


def _customer_facts(customer_ids: set[int]) -> dict[int, Facts]:
    """What the rules' conditions test, for the active customers among ``customer_ids``."""
    found: dict[int, tuple[str, str]] = {}
    levels: dict[int, set[str]] = {}
    ordered = sorted(customer_ids)
    for start in range(0, len(ordered), _CHUNK):
        chunk = ordered[start : start + _CHUNK]
        query = Customer.select(Customer.id, Customer.source, Customer.customer_class).where(
            Customer.id.in_(chunk), Customer.status == "active"
        )
        for customer_id, source, customer_class in tuples_of(query):
            found[customer_id] = (source or "", customer_class or "")
        cards = (
            MemberCard.select(MemberCard.customer, MemberLevel.code)
            .join(MemberLevel, on=(MemberCard.level == MemberLevel.id))
            .where(MemberCard.customer.in_(chunk), MemberCard.status == "active")
        )
        for customer_id, code in tuples_of(cards):
            levels.setdefault(customer_id, set()).add(code)
    return {
        customer_id: Facts(source, customer_class, frozenset(levels.get(customer_id, ())))
        for customer_id, (source, customer_class) in found.items()
    }


def _planned(rule: Rule, customer_id: int, start: dt.date, staff_id: int | None) -> dict:
    return dict(
        kind=rule.kind,
        customer=customer_id,
        due_on=rule.due(start),
        window_end=rule.window_end_on(start),
        rule=rule.key,
        _staff=staff_id,
    )


def _event_candidates(
    group: list[Rule], earliest_due: dt.date, today: dt.date
) -> list[dict[str, Any]]:
    kind = group[0].kind
    taken = ReturnVisit.select(ReturnVisit.id).where(
        ReturnVisit.service_event == ServiceEvent.id, ReturnVisit.kind == kind
    )
    query = ServiceEvent.select(
        ServiceEvent.id,
        ServiceEvent.customer,
        ServiceEvent.date,
        ServiceEvent.created_by,
        ServiceEvent.kind,
        ServiceEvent.amount,
    ).where(
        ServiceEvent.date >= min(rule.earliest_start(earliest_due) for rule in group),
        ServiceEvent.date <= max(rule.latest_start(today) for rule in group),
        ServiceEvent.kind.in_(sorted({e for rule in group for e in rule.events})),
        ServiceEvent.status == "active",
        ~fn.EXISTS(taken),
    )
    candidates = list(tuples_of(query))
    facts = _customer_facts({row[1] for row in candidates})
    found = []
    for event_id, customer_id, date, staff_id, event_kind, amount in candidates:
        if customer_id not in facts:
            continue
        rule = visit_rules.deciding(group, replace(facts[customer_id], amount=amount), event_kind)
        if rule is not None and earliest_due <= rule.due(date) <= today:
            found.append(_planned(rule, customer_id, date, staff_id) | {"service_event": event_id})
    return found


# A complaint is handled within weeks of being received; bounding the time received as well
# lets the database use that index (the time handled has none).
_LONGEST_HANDLING = dt.timedelta(days=366)


def _complaint_candidates(group: list[Rule], earliest_due: dt.date, today: dt.date) -> list[dict]:
    kind = group[0].kind
    taken = ReturnVisit.select(ReturnVisit.id).where(
        ReturnVisit.complaint == Complaint.id, ReturnVisit.kind == kind
    )
    low = min(rule.earliest_start(earliest_due) for rule in group)
    high = max(rule.latest_start(today) for rule in group)
    start = dt.datetime.combine(low, dt.time())
    end = dt.datetime.combine(high + dt.timedelta(days=1), dt.time())
    query = Complaint.select(
        Complaint.id, Complaint.customer, Complaint.handled_at, Complaint.receiver, Complaint.status
    ).where(
        Complaint.received_at >= start - _LONGEST_HANDLING,
        Complaint.received_at < end,
        Complaint.handled_at >= start,
        Complaint.handled_at < end,
        Complaint.customer.is_null(False),
        ~fn.EXISTS(taken),
    )
    candidates = [row for row in tuples_of(query) if row[4] in ("handled", "informed", "closed")]
    facts = _customer_facts({row[1] for row in candidates})
    found = []
    for complaint_id, customer_id, handled_at, receiver_id, _status in candidates:
        if customer_id not in facts:
            continue
        rule = visit_rules.deciding(group, facts[customer_id])
        handled = handled_at.date()
        if rule is not None and earliest_due <= rule.due(handled) <= today:
            found.append(
                _planned(rule, customer_id, handled, receiver_id) | {"complaint": complaint_id}
            )
    return found


def _periods(rule: Rule, earliest_due: dt.date, today: dt.date) -> list[dt.date]:
    """The first days of the periods whose call falls due between the two dates."""
    found = []
    period = rule.period_start(earliest_due)
    while period <= today:
        if earliest_due <= rule.due(period) <= today:
            found.append(period)
        period = add_months(period, rule.repeat_months)
    return found


def _calendar_candidates(rule: Rule, earliest_due: dt.date, today: dt.date) -> list[dict]:
    """One call per period for every active customer the rule's condition holds for."""
    found = []
    condition = rule.condition
    for period in _periods(rule, earliest_due, today):
        query = Customer.select(Customer.id).where(Customer.status == "active")
        if condition is not None and condition.field == "class":
            query = query.where(Customer.customer_class == condition.value)
        elif condition is not None and condition.field == "source":
            query = query.where(Customer.source == condition.value)
        elif condition is not None and condition.field == "level":
            holders = (
                MemberCard.select(MemberCard.customer)
                .join(MemberLevel, on=(MemberCard.level == MemberLevel.id))
                .where(MemberCard.status == "active", MemberLevel.code == condition.value)
            )
            query = query.where(Customer.id.in_(holders))
        taken = ReturnVisit.select(ReturnVisit.customer).where(
            ReturnVisit.rule == rule.key, ReturnVisit.period_start == period
        )
        query = query.where(Customer.id.not_in(taken))
        for (customer_id,) in tuples_of(query):
            found.append(_planned(rule, customer_id, period, None) | {"period_start": period})
    return found


def _drop_same_occasion(kind: str, planned: list[dict]) -> list[dict]:
    """Keep one call of ``kind`` per customer and occasion: skip a candidate when the customer
    already has (or is about to get) such a call within ``_SAME_OCCASION`` of it."""
    customers = sorted({p["customer"] for p in planned})
    dates: dict[int, list[dt.date]] = {}
    low = min(p["due_on"] for p in planned) - _SAME_OCCASION
    high = max(p["due_on"] for p in planned) + _SAME_OCCASION
    for start in range(0, len(customers), _CHUNK):
        chunk = customers[start : start + _CHUNK]
        # The kind is checked here, not in the query: an equality on it would make SQLite walk
        # every call of that kind instead of the customers' own.
        for customer_id, visit_kind, due_on in tuples_of(
            ReturnVisit.select(ReturnVisit.customer, ReturnVisit.kind, ReturnVisit.due_on).where(
                ReturnVisit.customer.in_(chunk), ReturnVisit.due_on.between(low, high)
            )
        ):
            if visit_kind == kind:
                dates.setdefault(customer_id, []).append(due_on)
    kept = []
    for item in sorted(planned, key=lambda p: (p["due_on"], p["service_event"])):
        near = dates.setdefault(item["customer"], [])
        if any(abs(item["due_on"] - day) < _SAME_OCCASION for day in near):
            continue
        near.append(item["due_on"])
        kept.append(item)
    return kept


def _candidates(earliest_due: dt.date, today: dt.date) -> list[dict[str, Any]]:
    planned: list[dict[str, Any]] = []
    for (kind, start), group in visit_rules.ordered(rules().values()).items():
        if start == "complaint":
            found = _complaint_candidates(group, earliest_due, today)
        elif start == "calendar":
            found = [x for rule in group for x in _calendar_candidates(rule, earliest_due, today)]
        else:
            found = _event_candidates(group, earliest_due, today)
            if found and len({e for rule in group for e in rule.events}) > 1:
                found = _drop_same_occasion(kind, found)
        planned.extend(found)
    return planned


def schedule_due_visits(
    actor: Staff | None, today: dt.date | None = None, lookback_days: int | None = None
) -> int:
    """Create the calls the rules ask for that are due by ``today`` and not yet scheduled; returns
    how many were created. Idempotent: a call of a kind is made once per event or complaint, and
    a repeating rule's call once per customer and period (unique indexes hold this even when two
    desks run it together), so it is safe to run at every start and refresh. Calls that fell due
    more than "visits.lookback_days" ago are not created (an old purchase entered today needs no
    7-day call).

    The rules create the calls, not the person: any signed-in staff member (or None, from the
    command line) may run it; ``actor`` is only written in the audit trail."""
    today = today or dt.date.today()
    if lookback_days is None:
        lookback_days = _int_setting("visits.lookback_days", 30)
    earliest_due = today - dt.timedelta(days=max(0, lookback_days))
    callers = {staff_id for staff_id, _name in staff_choices()}
    planned = _candidates(earliest_due, today)
    if not planned:
        return 0
    stamp = now()
    rows = []
    empty = {"service_event": None, "complaint": None, "period_start": None}
    # One order on every database, so two desks (or SQLite and PostgreSQL) number alike.
    planned.sort(
        key=lambda p: (
            p["due_on"],
            p["customer"],
            p["kind"],
            p.get("service_event") or 0,
            p.get("complaint") or 0,
        )
    )
    for item in planned:
        staff_id = _caller(item.pop("_staff"), callers)
        rows.append(
            {**empty, **item}
            | dict(
                assigned_to=staff_id,
                status="due",
                created_at=stamp,
                updated_at=stamp,
                created_by=actor.id if actor else None,
                updated_by=actor.id if actor else None,
            )
        )
    with db.atomic():
        created = bulk.insert_new(ReturnVisit, rows)
        if created:
            audit.record(
                actor,
                "schedule",
                "visit",
                None,
                summary=_("{count} return visits scheduled by the rules").format(count=created),
            )
    # Inside save_rules' transaction, save_rules tells once it commits.
    if created and not db.in_transaction():
        changes.emit(Change.VISIT)
    return created
