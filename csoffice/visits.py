"""Return visits (回访): the rules that schedule follow-up calls, the due list, each call's result,
the manager's sample check and the export.

A rule hangs a call on a customer's service event or on a handled complaint: 7 days after a
purchase or delivery (7DC), 3 days after a repair (3DC), one month and one year after a purchase,
a few days after a complaint was handled (to confirm the customer is satisfied). Calls can also
be scheduled by hand. A call that does not reach the customer is tried again the next day, up to
a limit; a dissatisfied answer is called again a few days later until it is settled, or becomes
a complaint. The manager draws a random sample of last month's calls for a second call.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from peewee import JOIN, fn

from csoffice import (
    audit,
    auth,
    complaints,
    customer_classes,
    members,
    settings,
    survey,
    visit_rules,
)
from csoffice.customers import CLASSES
from csoffice.dates import add_months
from csoffice.db.database import db
from csoffice.db.lookup import get_or_not_found
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
from csoffice.errors import Conflict, ValidationError
from csoffice.i18n import N_, _, format_date
from csoffice.service_events import kind_label as event_label
from csoffice.validation import mask_phone
from csoffice.visit_rules import Facts, Rule

# --- Codes and their labels ------------------------------------------------------------------

KINDS = {
    "7dc": N_("7-day call (7DC)"),
    "3dc": N_("Call after a repair (3DC)"),
    "1m": N_("One month after purchase"),
    "1y": N_("One year after purchase"),
    "complaint": N_("After a complaint"),
    "manual": N_("Scheduled by hand"),
    "recheck": N_("Dissatisfied: call again"),
    "sample": N_("Sample check"),
    "level3": N_("Third-level call (large repair, key customer)"),
    "care": N_("Care call"),
}
STATUSES = {"due": N_("To call"), "done": N_("Done"), "cancelled": N_("Call cancelled")}
SATISFACTION = {
    1: N_("Very dissatisfied"),
    2: N_("Not satisfied"),
    3: N_("Neutral"),
    4: N_("Satisfied"),
    5: N_("Very satisfied"),
}
DISSATISFIED = 2  # a satisfaction of 2 or less is followed up until it is settled

# The built-in questionnaire of each kind; an office may replace a kind's questions in the
# setting "visits.questions" ({kind: [question, …]}, as the clerks should read them).
DEFAULT_QUESTIONS: dict[str, list[str]] = {
    "7dc": [
        N_("Did the product arrive complete and undamaged?"),
        N_("Was the delivery and installation on time?"),
        N_("Were our staff polite and helpful?"),
    ],
    "3dc": [
        N_("Is the problem fixed?"),
        N_("Was the repair done on time?"),
        N_("Was the technician polite and tidy?"),
    ],
    "1m": [
        N_("Is the product working well?"),
        N_("Do you have any questions about using it?"),
    ],
    "1y": [
        N_("How has the product served you this year?"),
        N_("Is maintenance or a renewal due that we can help with?"),
    ],
    "complaint": [
        N_("Was your complaint solved?"),
        N_("Are you satisfied with how it was handled?"),
    ],
    "manual": [N_("What did the customer say?")],
    "recheck": [
        N_("Is the earlier problem settled now?"),
        N_("What else can we do?"),
    ],
    "sample": [
        N_("Did our staff call you recently?"),
        N_("Was the call helpful?"),
    ],
}

# Two events of one deal (a purchase and its delivery) must not give two 7-day calls: a rule
# with several event kinds skips an event when the customer already has that call this near.
_SAME_OCCASION = dt.timedelta(days=15)
_CHUNK = 500  # ids per IN (…): under SQLite's variable limit

_MAX = {"remarks": 2000, "answer": 500, "note": 500}


def label(code: str) -> str:
    return _(KINDS[code]) if code in KINDS else code


def status_label(code: str) -> str:
    return _(STATUSES[code]) if code in STATUSES else code


def satisfaction_label(score: int | None) -> str:
    return _(SATISFACTION[score]) if score in SATISFACTION else ""


def kinds() -> list[tuple[str, str]]:
    return [(code, label(code)) for code in KINDS]


def questions(kind: str) -> list[str]:
    """The questions a clerk asks on a call of ``kind``: the office's own, else the built-in
    (survey.questions gives their answer options)."""
    return [question.text for question in survey.questions(kind)]


def staff_choices() -> list[tuple[int, str]]:
    """Who can make calls: active clerks and managers, as (id, name)."""
    query = Staff.select(Staff.id, Staff.display_name).where(
        Staff.active == True, Staff.role.in_([auth.Role.MANAGER, auth.Role.CLERK])
    )
    return [(row.id, row.display_name) for row in query.order_by(Staff.id)]


def _int_setting(key: str, default: int, low: int = 0, high: int = 3650) -> int:
    try:
        value = int(settings.get(key))
    except (TypeError, ValueError):
        return default
    return max(low, min(value, high))


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
        for customer_id, source, customer_class in query.tuples():
            found[customer_id] = (source or "", customer_class or "")
        cards = (
            MemberCard.select(MemberCard.customer, MemberLevel.code)
            .join(MemberLevel, on=(MemberCard.level == MemberLevel.id))
            .where(MemberCard.customer.in_(chunk), MemberCard.status == "active")
        )
        for customer_id, code in cards.tuples():
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
    candidates = list(query.tuples())
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
    candidates = [row for row in query.tuples() if row[4] in ("handled", "informed", "closed")]
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
        for (customer_id,) in query.tuples():
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
        for customer_id, visit_kind, due_on in (
            ReturnVisit.select(ReturnVisit.customer, ReturnVisit.kind, ReturnVisit.due_on)
            .where(ReturnVisit.customer.in_(chunk), ReturnVisit.due_on.between(low, high))
            .tuples()
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
    created = 0
    with db.atomic():
        for start in range(0, len(rows), _CHUNK):
            query = ReturnVisit.insert_many(rows[start : start + _CHUNK]).on_conflict_ignore()
            created += db.execute(query).rowcount
        if created:
            audit.record(
                actor,
                "schedule",
                "visit",
                None,
                summary=_("{count} return visits scheduled by the rules").format(count=created),
            )
    return created


# --- Changing the rules ---------------------------------------------------------------------


@dataclass(frozen=True)
class Replanned:
    """What a change of the rules did to the calls nobody has tried yet."""

    moved: int
    cancelled: int
    created: int


def save_rules(
    actor: Staff, specs: list[dict[str, Any]], today: dt.date | None = None
) -> Replanned:
    """Check and store the office's rules (manager), then plan again the calls they made that
    are still open and untried, and schedule what the new rules ask for — one transaction.
    Errors are keyed "<rule index>.<field>"; nothing is stored when there are any."""
    auth.require(actor, "change_settings")
    clean = check_rules(specs)
    with db.atomic():
        settings.put(actor, {"visits.rules": clean})
        result = replan(actor, today)
        created = schedule_due_visits(actor, today)
    return replace(result, created=created)


def check_rules(specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rules normalised as they would be stored; ValidationError keyed "<index>.<field>"."""
    clean, _on, errors = visit_rules.check(specs, _level_codes(), set(CLASSES))
    if errors:
        raise ValidationError(errors)
    return clean


def _open_rule_visits() -> list[dict[str, Any]]:
    """The calls the rules made that are open and nobody has tried yet, with what they hang on
    (the event's kind, date and amount; the complaint's handling) in one query."""
    query = (
        ReturnVisit.select(
            ReturnVisit.id,
            ReturnVisit.customer,
            ReturnVisit.kind,
            ReturnVisit.due_on,
            ReturnVisit.window_end,
            ReturnVisit.rule,
            ReturnVisit.period_start,
            ReturnVisit.note,
            ServiceEvent.id.alias("event_id"),
            ServiceEvent.kind.alias("event_kind"),
            ServiceEvent.date.alias("event_date"),
            ServiceEvent.amount.alias("amount"),
            Complaint.id.alias("complaint_id"),
            Complaint.handled_at.alias("handled_at"),
        )
        .join(ServiceEvent, JOIN.LEFT_OUTER, on=(ReturnVisit.service_event == ServiceEvent.id))
        .switch(ReturnVisit)
        .join(Complaint, JOIN.LEFT_OUTER, on=(ReturnVisit.complaint == Complaint.id))
        .where(
            ReturnVisit.status == "due",
            ReturnVisit.attempts == 0,
            ReturnVisit.kind.in_(visit_rules.RULE_VISIT_KINDS),
            ReturnVisit.service_event.is_null(False)
            | ReturnVisit.complaint.is_null(False)
            | ReturnVisit.period_start.is_null(False),
        )
        .dicts()
    )
    return list(query)


def _replanned_rule(visit: dict, groups, by_code, facts) -> tuple[Rule | None, dt.date]:
    """The rule that now decides ``visit`` and the date it counts from (None: no rule asks)."""
    customer_facts = facts.get(visit["customer"])
    if customer_facts is None:
        return None, visit["due_on"]
    if visit["period_start"] is not None:
        rule = by_code.get(visit["rule"])
        if rule is None or rule.start != "calendar" or not rule.holds(customer_facts):
            return None, visit["period_start"]
        return rule, rule.period_start(visit["period_start"])
    if visit["event_id"] is not None:
        group = groups.get((visit["kind"], "event"), [])
        fact = replace(customer_facts, amount=visit["amount"])
        return visit_rules.deciding(group, fact, visit["event_kind"]), visit["event_date"]
    group = groups.get((visit["kind"], "complaint"), [])
    handled = visit["handled_at"].date() if visit["handled_at"] else visit["due_on"]
    return visit_rules.deciding(group, customer_facts), handled


def replan(actor: Staff | None, today: dt.date | None = None) -> Replanned:
    """Plan again, under the current rules, every call the rules made that is still open and
    that nobody has tried yet: a new due day or window moves it; a call no rule asks for any
    more is cancelled, saying so. Calls done, cancelled or already tried are left as they are."""
    today = today or dt.date.today()
    current = rules()
    groups = visit_rules.ordered(current.values())
    visits = _open_rule_visits()
    facts = _customer_facts({v["customer"] for v in visits})
    moved = cancelled = 0
    reason = _("The return-visit rules changed: no rule asks for this call any more.")
    with db.atomic():
        for visit in visits:
            rule, start = _replanned_rule(visit, groups, current, facts)
            if rule is None:
                note = f"{visit['note']}\n{reason}".strip()[: _MAX["note"]]
                _update(actor, ReturnVisit.id == visit["id"], status="cancelled", note=note)
                cancelled += 1
                continue
            due, end = rule.due(start), rule.window_end_on(start)
            if (due, end, rule.key) != (visit["due_on"], visit["window_end"], visit["rule"]):
                _update(
                    actor, ReturnVisit.id == visit["id"], due_on=due, window_end=end, rule=rule.key
                )
                moved += 1
        if moved or cancelled:
            audit.record(
                actor,
                "replan",
                "visit",
                None,
                summary=_(
                    "Rules changed: {moved} return visits moved, {cancelled} cancelled"
                ).format(moved=moved, cancelled=cancelled),
            )
    return Replanned(moved, cancelled, 0)


# --- Writing calls ----------------------------------------------------------------------------


def _create(actor: Staff, **values: Any) -> ReturnVisit:
    """A new call with ``values``, signed by ``actor``."""
    return ReturnVisit.create(**values, created_by=actor, updated_by=actor)


def _update(actor: Staff, *where: Any, **values: Any) -> None:
    """Write ``values`` on the calls that match ``where``, signed by ``actor`` now."""
    ReturnVisit.update(**values, updated_by=actor, updated_at=now()).where(*where).execute()


# --- Calls scheduled by hand, cancelling ---------------------------------------------------------


def _check_caller(staff_id: int | None, errors: dict[str, str]) -> None:
    if staff_id is not None and staff_id not in {s for s, _n in staff_choices()}:
        errors["assigned_to"] = _("Choose a clerk who makes calls.")


def schedule(
    actor: Staff,
    customer_id: int | None,
    due_on: dt.date | None,
    assigned_to: int | None = None,
    note: str = "",
    today: dt.date | None = None,
) -> ReturnVisit:
    """A call scheduled by hand, with what it is about."""
    auth.require(actor, "edit")
    today = today or dt.date.today()
    errors: dict[str, str] = {}
    customer = Customer.get_or_none(Customer.id == customer_id) if customer_id else None
    if customer is None:
        errors["customer"] = _("Pick the customer to call.")
    elif customer.status != "active":
        errors["customer"] = _("This customer's file is archived.")
    if due_on is None:
        errors["due_on"] = _("Enter the date of the call.")
    elif due_on < today:
        errors["due_on"] = _("The call cannot be scheduled in the past.")
    elif due_on > today + dt.timedelta(days=730):
        errors["due_on"] = _("The date is too far in the future.")
    _check_caller(assigned_to, errors)
    note = " ".join((note or "").split())
    if len(note) > _MAX["note"]:
        errors["note"] = _("At most {n} characters.").format(n=_MAX["note"])
    if errors:
        raise ValidationError(errors)
    with db.atomic():
        visit = _create(
            actor,
            customer=customer.id,
            kind="manual",
            due_on=due_on,
            assigned_to=assigned_to,
            note=note,
        )
        audit.record(actor, "create", "visit", visit.id, summary=f"{customer.name} {due_on}")
    return visit


def get(visit_id: int) -> ReturnVisit:
    return get_or_not_found(
        ReturnVisit,
        _("No return visit with number {id}.").format(id=visit_id),
        ReturnVisit.id == visit_id,
    )


def _open(visit_id: int) -> ReturnVisit:
    visit = get(visit_id)
    if visit.status != "due":
        who = visit.done_by.display_name if visit.done_by_id else ""
        raise Conflict(
            _("This return visit is already {status} ({name}).").format(
                status=status_label(visit.status), name=who
            )
        )
    return visit


def cancel(actor: Staff, visit_id: int, reason: str) -> ReturnVisit:
    """Cancel a call that is no longer wanted, saying why (nothing is deleted)."""
    auth.require(actor, "edit")
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError.single("reason", _("Give a reason."))
    with db.atomic():
        visit = _open(visit_id)
        note = f"{visit.note}\n{reason}".strip()[: _MAX["note"]]
        _update(actor, ReturnVisit.id == visit_id, status="cancelled", note=note)
        audit.record(
            actor,
            "cancel",
            "visit",
            visit_id,
            summary=reason,
            changes={"status": ["due", "cancelled"]},
        )
    return get(visit_id)


def reassign(actor: Staff, visit_id: int, staff_id: int | None) -> ReturnVisit:
    """Give an open call to another clerk (None: anyone at the desk)."""
    auth.require(actor, "edit")
    errors: dict[str, str] = {}
    _check_caller(staff_id, errors)
    if errors:
        raise ValidationError(errors)
    with db.atomic():
        visit = _open(visit_id)
        if visit.assigned_to_id == staff_id:
            return visit
        _update(actor, ReturnVisit.id == visit_id, assigned_to=staff_id)
        audit.record(
            actor,
            "update",
            "visit",
            visit_id,
            changes={"assigned_to": [visit.assigned_to_id, staff_id]},
        )
    return get(visit_id)


# --- Recording a call -----------------------------------------------------------------------


@dataclass
class ResultInput:
    """What the clerk records after a call."""

    reached: bool = True
    answers: dict[str, str] = field(default_factory=dict)  # question → answer (or note)
    satisfaction: int | None = None  # 1–5, when reached
    remarks: str = ""
    choices: dict[str, str] = field(default_factory=dict)  # question → the option chosen


@dataclass(frozen=True)
class Outcome:
    """What recording a call led to."""

    visit_id: int
    status: str  # done | due (not reached, tried again on ``due_on``)
    due_on: dt.date
    attempts: int
    dissatisfied: bool
    recheck_id: int | None  # the call scheduled to follow a dissatisfied answer


def _clean_result(data: ResultInput) -> dict[str, Any]:
    errors: dict[str, str] = {}
    remarks = (data.remarks or "").replace("\x00", "").strip()
    if len(remarks) > _MAX["remarks"]:
        errors["remarks"] = _("At most {n} characters.").format(n=_MAX["remarks"])
    answers = {}
    for question, answer in (data.answers or {}).items():
        text = " ".join(str(answer or "").split())
        if len(text) > _MAX["answer"]:
            errors["answers"] = _("At most {n} characters.").format(n=_MAX["answer"])
        if text:
            answers[str(question)] = text
    satisfaction = None
    if data.reached:
        if data.satisfaction not in SATISFACTION:
            errors["satisfaction"] = _("Choose the customer's satisfaction, 1 to 5.")
        satisfaction = data.satisfaction
    if errors:
        raise ValidationError(errors)
    return dict(remarks=remarks, answers=answers, satisfaction=satisfaction)


def record_result(
    actor: Staff, visit_id: int, data: ResultInput, at: dt.datetime | None = None
) -> Outcome:
    """Record a call. Reached: the answers, satisfaction and remarks, and the call is done; a
    dissatisfied answer (2 or less) schedules another call in "visits.recheck_days". Not
    reached: the attempt is counted and the call is tried again "visits.retry_days" later, until
    "visits.max_attempts" attempts (0: no limit) close it as not reached."""
    auth.require(actor, "edit")
    at = (at or now()).replace(microsecond=0)
    values = _clean_result(data)
    with db.atomic():
        visit = _open(visit_id)
        attempts = visit.attempts + 1
        before = audit.snapshot(visit, ["status", "due_on", "attempts", "reached", "satisfaction"])
        recheck_id = None
        finished = dict(status="done", done_at=at, done_by=actor.id, attempts=attempts)
        if data.reached:
            scored, texts = survey.clean_answers(visit.kind, data.choices, values["answers"])
            survey.write_answers(visit, scored, at.date())
            change = finished | dict(
                reached=True,
                answers=json.dumps(texts, ensure_ascii=False),
                satisfaction=values["satisfaction"],
                remarks=values["remarks"],
            )
            days = _int_setting("visits.recheck_days", 3)
            if values["satisfaction"] <= DISSATISFIED and days > 0:
                recheck_id = _create(
                    actor,
                    customer=visit.customer_id,
                    kind="recheck",
                    due_on=at.date() + dt.timedelta(days=days),
                    recheck_of=visit.id,
                    assigned_to=actor.id,
                ).id
        else:
            limit = _int_setting("visits.max_attempts", 3, high=100)
            remarks = f"{visit.remarks}\n{values['remarks']}".strip()[: _MAX["remarks"]]
            if limit and attempts >= limit:
                change = finished | dict(reached=False, remarks=remarks)
            else:
                retry = max(1, _int_setting("visits.retry_days", 1))
                change = dict(
                    attempts=attempts,
                    reached=False,
                    due_on=max(at.date(), visit.due_on) + dt.timedelta(days=retry),
                    remarks=remarks,
                )
        _update(actor, ReturnVisit.id == visit_id, **change)
        if data.reached:
            customer_classes.follow(actor, visit.customer_id)
        after = {**before, **{k: v for k, v in change.items() if k in before}}
        audit.record(
            actor,
            "record" if data.reached else "attempt",
            "visit",
            visit_id,
            summary=satisfaction_label(values["satisfaction"]) if data.reached else "",
            changes=audit.diff(before, after),
        )
    visit = get(visit_id)
    return Outcome(
        visit_id=visit_id,
        status=visit.status,
        due_on=visit.due_on,
        attempts=visit.attempts,
        dissatisfied=bool(visit.reached and (visit.satisfaction or 5) <= DISSATISFIED),
        recheck_id=recheck_id,
    )


# --- A dissatisfied answer becomes a complaint ---------------------------------------------------


def answers_of(visit: ReturnVisit) -> dict[str, str]:
    """What the customer answered on ``visit``, question → answer (its note after a "；")."""
    return _answers(visit)


def _answers(visit: ReturnVisit) -> dict[str, str]:
    try:
        value = json.loads(visit.answers) if visit.answers else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _origin(visit: ReturnVisit) -> ReturnVisit:
    """The first call of a chain of rechecks and sample checks."""
    seen = {visit.id}
    while True:
        parent_id = visit.recheck_of_id or visit.sample_of_id
        if parent_id is None or parent_id in seen:
            return visit
        parent = ReturnVisit.get_or_none(ReturnVisit.id == parent_id)
        if parent is None:
            return visit
        seen.add(parent_id)
        visit = parent


def complaint_draft_from_visit(visit_id: int) -> complaints.ComplaintInput:
    """A complaint form filled in from a dissatisfied call: the customer, the phone channel,
    what they said and the satisfaction; the category guessed from what the call was about."""
    visit = get(visit_id)
    customer = visit.customer
    origin = _origin(visit)
    lines = [
        _("Return visit ({kind}) on {date}: satisfaction {score} ({label}).").format(
            kind=label(visit.kind),
            date=format_date((visit.done_at or now()).date()),
            score=visit.satisfaction if visit.satisfaction is not None else "-",
            label=satisfaction_label(visit.satisfaction),
        )
    ]
    lines += [f"{question}：{answer}" for question, answer in _answers(visit).items()]
    if visit.remarks:
        lines.append(visit.remarks)
    category = ""
    if origin.kind == "3dc":
        category = "repair"
    elif origin.complaint_id:
        category = origin.complaint.category
    elif origin.kind == "7dc" and origin.service_event_id:
        category = "delivery" if origin.service_event.kind == "delivery" else "quality"
    known = {code for code, _label in complaints.categories()}
    return complaints.ComplaintInput(
        channel="phone",
        customer_id=customer.id,
        contact_name=customer.name,
        contact_phone=customer.mobile,
        category=category if category in known else "",
        facts="\n".join(lines),
    )


def link_complaint(actor: Staff, visit_id: int, complaint_id: int) -> None:
    """Note that a call's dissatisfied answer became ``complaint_id``; the complaint's own
    follow-up call replaces the recheck scheduled for this call, which is cancelled."""
    auth.require(actor, "edit")
    with db.atomic():
        visit = get(visit_id)
        complaint = complaints.get(complaint_id)
        if visit.raised_complaint_id not in (None, complaint_id):
            raise Conflict(_("This return visit has already become a complaint."))
        _update(actor, ReturnVisit.id == visit_id, raised_complaint=complaint_id)
        reason = _("Became complaint {number}.").format(number=complaint.number)
        _update(
            actor,
            ReturnVisit.recheck_of == visit_id,
            ReturnVisit.status == "due",
            status="cancelled",
            note=reason,
        )
        audit.record(
            actor,
            "complaint",
            "visit",
            visit_id,
            summary=complaint.number,
            changes={"raised_complaint": [visit.raised_complaint_id, complaint_id]},
        )


def raise_complaint(
    actor: Staff, visit_id: int, data: complaints.ComplaintInput | None = None
) -> Complaint:
    """Create the complaint of a dissatisfied call (from its draft unless ``data`` is given)
    and link the two, in one transaction."""
    auth.require(actor, "edit")
    data = data or complaint_draft_from_visit(visit_id)
    with db.atomic():
        complaint = complaints.create(actor, data)
        link_complaint(actor, visit_id, complaint.id)
    return complaint


# --- Sample check ---------------------------------------------------------------------------


def last_month(today: dt.date) -> tuple[dt.date, dt.date]:
    end = today.replace(day=1) - dt.timedelta(days=1)
    return end.replace(day=1), end


def sample_size() -> int:
    """How many calls the manager's sample check draws ("visits.sample_size")."""
    return _int_setting("visits.sample_size", 10, high=1000)


def sample_check(
    actor: Staff,
    today: dt.date | None = None,
    size: int | None = None,
    rng: random.Random | None = None,
) -> list[int]:
    """Draw a random sample of last month's completed calls (the customer was reached) for a
    second call by the manager, due today; a call is sampled once. Returns the new calls' ids."""
    auth.require(actor, "sample_check")
    today = today or dt.date.today()
    size = size if size is not None else sample_size()
    if size <= 0:
        raise ValidationError.single("size", _("Draw at least one call."))
    first, last = last_month(today)
    sampled = ReturnVisit.select(ReturnVisit.sample_of).where(ReturnVisit.sample_of.is_null(False))
    pool = [
        row
        for row in ReturnVisit.select(ReturnVisit.id, ReturnVisit.customer)
        .join(Customer, on=(ReturnVisit.customer == Customer.id))
        .where(
            ReturnVisit.status == "done",
            ReturnVisit.reached == True,
            ReturnVisit.kind != "sample",
            ReturnVisit.done_at >= dt.datetime.combine(first, dt.time()),
            ReturnVisit.done_at < dt.datetime.combine(last + dt.timedelta(days=1), dt.time()),
            ReturnVisit.id.not_in(sampled),
            Customer.status == "active",
        )
        .order_by(ReturnVisit.id)
        .tuples()
    ]
    if not pool:
        raise Conflict(
            _("No completed return visits in {month} to sample.").format(
                month=first.strftime("%Y-%m")
            )
        )
    chosen = (rng or random.SystemRandom()).sample(pool, min(size, len(pool)))
    ids = []
    with db.atomic():
        for visit_id, customer_id in sorted(chosen):
            ids.append(
                _create(
                    actor,
                    customer=customer_id,
                    kind="sample",
                    due_on=today,
                    sample_of=visit_id,
                    assigned_to=actor,
                ).id
            )
        audit.record(
            actor,
            "sample",
            "visit",
            None,
            summary=_("{count} of {total} return visits of {month} drawn for a second call").format(
                count=len(ids), total=len(pool), month=first.strftime("%Y-%m")
            ),
        )
    return ids


# --- The due list ---------------------------------------------------------------------------

VIEWS = {
    "due": N_("Due today and overdue"),
    "upcoming": N_("Scheduled later"),
    "done": N_("Done"),
    "cancelled": N_("Cancelled"),
    "all": N_("All"),
}


@dataclass(frozen=True)
class VisitFilter:
    """The list's filters; empty values mean 'any'. Dates are due dates."""

    view: str = "due"
    kind: str = ""
    staff_id: int | None = None  # assigned to (for done calls: who made them)
    unassigned: bool = False
    date_from: dt.date | None = None
    date_to: dt.date | None = None


Assignee = Staff.alias()
Caller = Staff.alias()

SORT_KEYS = {
    "due_on": (ReturnVisit.due_on,),
    "kind": (ReturnVisit.kind,),
    "customer": (Customer.name,),
    "assigned": (ReturnVisit.assigned_to,),
    "done_at": (ReturnVisit.done_at,),
    "satisfaction": (ReturnVisit.satisfaction,),
    "attempts": (ReturnVisit.attempts,),
}


def _where(query, criteria: VisitFilter, today: dt.date):
    view = criteria.view
    if view == "due":
        query = query.where(ReturnVisit.status == "due", ReturnVisit.due_on <= today)
    elif view == "upcoming":
        query = query.where(ReturnVisit.status == "due", ReturnVisit.due_on > today)
    elif view in ("done", "cancelled"):
        query = query.where(ReturnVisit.status == view)
    if criteria.kind:
        query = query.where(ReturnVisit.kind == criteria.kind)
    if criteria.unassigned:
        query = query.where(ReturnVisit.assigned_to.is_null())
    elif criteria.staff_id is not None:
        if view == "done":
            query = query.where(ReturnVisit.done_by == criteria.staff_id)
        else:
            query = query.where(ReturnVisit.assigned_to == criteria.staff_id)
    if criteria.date_from:
        query = query.where(ReturnVisit.due_on >= criteria.date_from)
    if criteria.date_to:
        query = query.where(ReturnVisit.due_on <= criteria.date_to)
    return query


def search_ids(
    criteria: VisitFilter,
    sort_key: str | None = None,
    descending: bool = False,
    today: dt.date | None = None,
) -> list[int]:
    """The ids of the calls that match: by due date (oldest first) unless sorted otherwise; done
    calls newest first."""
    today = today or dt.date.today()
    if sort_key not in SORT_KEYS:
        sort_key, descending = ("done_at", True) if criteria.view == "done" else ("due_on", False)
    order = [c.desc() if descending else c.asc() for c in SORT_KEYS[sort_key]]
    order.append(ReturnVisit.id.desc() if descending else ReturnVisit.id.asc())
    query = ReturnVisit.select(ReturnVisit.id)
    if sort_key == "customer":
        query = query.join(Customer, on=(ReturnVisit.customer == Customer.id))
    query = _where(query, criteria, today).order_by(*order)
    return [row[0] for row in db.execute(query).fetchall()]


def due_ids(today: dt.date | None = None) -> list[int]:
    """Every call due today or overdue, the oldest first (the desk's list for today)."""
    return search_ids(VisitFilter(view="due"), today=today)


@dataclass(frozen=True)
class VisitRow:
    """One line of the list."""

    id: int
    customer_id: int
    customer_name: str
    phone: str  # masked
    kind: str
    due_on: dt.date
    status: str
    attempts: int
    assigned_name: str
    reached: bool | None
    satisfaction: int | None
    done_at: dt.datetime | None
    done_by_name: str
    subject: str
    overdue_days: int  # days past the end of the call's window (negative: not due yet)
    window_end: dt.date | None = None  # the last day it is on time, when later than due_on

    @property
    def kind_label(self) -> str:
        return label(self.kind)

    @property
    def status_label(self) -> str:
        return status_label(self.status)

    @property
    def result_label(self) -> str:
        return result_text(self.status, self.reached, self.attempts)

    @property
    def in_window(self) -> bool:
        """Due, and still on time until a later day of its window."""
        if self.status != "due" or self.window_end is None or self.overdue_days >= 0:
            return False
        return (self.window_end - self.due_on).days >= -self.overdue_days

    @property
    def deadline_label(self) -> str:
        """How the call stands against its window: overdue, last day, by a date, or ""."""
        if self.status != "due":
            return ""
        if self.overdue_days > 0:
            return _("{n} days overdue").format(n=self.overdue_days)
        if self.overdue_days == 0:
            return _("today")
        if self.in_window:
            return _("by {date}").format(date=format_date(self.window_end, "short"))
        return ""

    @property
    def satisfaction_label(self) -> str:
        if self.satisfaction is None:
            return ""
        return f"{self.satisfaction} {satisfaction_label(self.satisfaction)}"


def result_text(status: str, reached: bool | None, attempts: int) -> str:
    if status == "done":
        return _("Reached") if reached else _("Not reached")
    if status == "cancelled":
        return status_label(status)
    if attempts:
        return _("Not reached yet ({n} attempts)").format(n=attempts)
    return ""


_SUBJECT_FIELDS = (
    ReturnVisit.id,
    ReturnVisit.service_event,
    ReturnVisit.complaint,
    ReturnVisit.note,
    ReturnVisit.recheck_of,
    ReturnVisit.sample_of,
)


def _subjects(visits: list[dict], depth: int = 0) -> dict[int, str]:
    """What each call is about: the product and event, the complaint number, the reason it was
    scheduled by hand; a recheck or sample check is about what its earlier call was about."""
    event_ids = {v["service_event"] for v in visits if v["service_event"]}
    complaint_ids = {v["complaint"] for v in visits if v["complaint"]}
    events = {
        e.id: e
        for e in ServiceEvent.select(
            ServiceEvent.id, ServiceEvent.kind, ServiceEvent.date, ServiceEvent.product
        ).where(ServiceEvent.id.in_(list(event_ids)))
    }
    numbers = dict(
        Complaint.select(Complaint.id, Complaint.number)
        .where(Complaint.id.in_(list(complaint_ids)))
        .tuples()
    )
    parents = {
        v["id"]: v["recheck_of"] or v["sample_of"]
        for v in visits
        if not v["service_event"] and not v["complaint"] and (v["recheck_of"] or v["sample_of"])
    }
    earlier: dict[int, str] = {}
    if parents and depth < 5:
        found = ReturnVisit.select(*_SUBJECT_FIELDS).where(
            ReturnVisit.id.in_(list(set(parents.values())))
        )
        earlier = _subjects(list(found.dicts()), depth + 1)
    out = {}
    for v in visits:
        event = events.get(v["service_event"])
        if event is not None:
            out[v["id"]] = " ".join(
                x for x in (event_label(event.kind), event.date.isoformat(), event.product) if x
            )
        elif v["complaint"] in numbers:
            out[v["id"]] = numbers[v["complaint"]]
        else:
            out[v["id"]] = v["note"] or earlier.get(parents.get(v["id"]), "")
    return out


def rows(ids: list[int], today: dt.date | None = None) -> list[VisitRow]:
    """The lines of ``ids``, in that order."""
    if not ids:
        return []
    today = today or dt.date.today()
    query = (
        ReturnVisit.select(
            ReturnVisit.id,
            ReturnVisit.customer,
            ReturnVisit.kind,
            ReturnVisit.due_on,
            ReturnVisit.window_end,
            ReturnVisit.status,
            ReturnVisit.attempts,
            ReturnVisit.reached,
            ReturnVisit.satisfaction,
            ReturnVisit.done_at,
            ReturnVisit.service_event,
            ReturnVisit.complaint,
            ReturnVisit.note,
            ReturnVisit.recheck_of,
            ReturnVisit.sample_of,
            Customer.name.alias("customer_name"),
            Customer.mobile.alias("mobile"),
            Assignee.display_name.alias("assigned_name"),
            Caller.display_name.alias("done_by_name"),
        )
        .join(Customer, on=(ReturnVisit.customer == Customer.id))
        .switch(ReturnVisit)
        .join(Assignee, JOIN.LEFT_OUTER, on=(ReturnVisit.assigned_to == Assignee.id))
        .switch(ReturnVisit)
        .join(Caller, JOIN.LEFT_OUTER, on=(ReturnVisit.done_by == Caller.id))
        .where(ReturnVisit.id.in_(ids))
        .dicts()
    )
    found = list(query)
    subjects = _subjects(found)
    by_id = {}
    for r in found:
        end = max(r["due_on"], r["window_end"] or r["due_on"])
        by_id[r["id"]] = VisitRow(
            id=r["id"],
            customer_id=r["customer"],
            customer_name=r["customer_name"],
            phone=mask_phone(r["mobile"] or ""),
            kind=r["kind"],
            due_on=r["due_on"],
            status=r["status"],
            attempts=r["attempts"],
            assigned_name=r["assigned_name"] or "",
            reached=r["reached"],
            satisfaction=r["satisfaction"],
            done_at=r["done_at"],
            done_by_name=r["done_by_name"] or "",
            subject=subjects.get(r["id"], ""),
            overdue_days=(today - end).days if r["status"] == "due" else 0,
            window_end=end if end > r["due_on"] else None,
        )
    return [by_id[i] for i in ids if i in by_id]


# --- One call, for the dialog ------------------------------------------------------------------


@dataclass(frozen=True)
class VisitView:
    """A call as the clerk sees it when making it."""

    id: int
    customer_id: int
    customer_name: str
    phone: str  # in full: the clerk is about to dial it
    kind: str
    due_on: dt.date
    status: str
    attempts: int
    assigned_to: int | None
    subject: str
    note: str
    background: list[str]  # what the earlier call of a recheck or sample check said
    questions: list[str]
    answers: dict[str, str]
    reached: bool | None
    satisfaction: int | None
    remarks: str
    done_at: dt.datetime | None
    done_by_name: str
    raised_complaint_id: int | None
    raised_complaint_number: str
    survey: tuple[survey.Question, ...] = ()  # the questions asked, with their options

    @property
    def kind_label(self) -> str:
        return label(self.kind)

    @property
    def is_open(self) -> bool:
        return self.status == "due"

    @property
    def dissatisfied(self) -> bool:
        score = self.satisfaction
        return bool(self.reached) and score is not None and score <= DISSATISFIED


def view(visit_id: int, today: dt.date | None = None) -> VisitView:
    visit = get(visit_id)
    customer = visit.customer
    subject = rows([visit_id], today)[0].subject
    background = []
    parent_id = visit.recheck_of_id or visit.sample_of_id
    if parent_id:
        parent = ReturnVisit.get_or_none(ReturnVisit.id == parent_id)
        if parent is not None:
            background.append(
                _("Earlier call ({kind}) on {date} by {name}: {result} {score}")
                .format(
                    kind=label(parent.kind),
                    date=format_date(parent.done_at.date()) if parent.done_at else "",
                    name=parent.done_by.display_name if parent.done_by_id else "",
                    result=result_text(parent.status, parent.reached, parent.attempts),
                    score=satisfaction_label(parent.satisfaction),
                )
                .strip()
            )
            background += [f"{q}：{a}" for q, a in _answers(parent).items()]
            if parent.remarks:
                background.append(parent.remarks)
            if not subject:
                subject = rows([parent.id], today)[0].subject
    answers = _answers(visit)
    asked = questions(visit.kind) if visit.status == "due" else list(answers)
    raised = visit.raised_complaint if visit.raised_complaint_id else None
    return VisitView(
        id=visit.id,
        customer_id=customer.id,
        customer_name=customer.name,
        phone=customer.mobile or customer.phone2,
        kind=visit.kind,
        due_on=visit.due_on,
        status=visit.status,
        attempts=visit.attempts,
        assigned_to=visit.assigned_to_id,
        subject=subject,
        note=visit.note,
        background=background,
        questions=asked,
        answers=answers,
        reached=visit.reached,
        satisfaction=visit.satisfaction,
        remarks=visit.remarks,
        done_at=visit.done_at,
        done_by_name=visit.done_by.display_name if visit.done_by_id else "",
        raised_complaint_id=raised.id if raised else None,
        raised_complaint_number=raised.number if raised else "",
        survey=tuple(survey.questions(visit.kind)) if visit.status == "due" else (),
    )


# --- Export ---------------------------------------------------------------------------------

EXPORT_COLUMNS: list[tuple[str, Callable[[ReturnVisit, VisitRow], Any]]] = [
    (N_("Customer"), lambda v, r: r.customer_name),
    (N_("Mobile"), lambda v, r: v.customer.mobile),
    (N_("Type"), lambda v, r: r.kind_label),
    (N_("About"), lambda v, r: r.subject),
    (N_("Due date"), lambda v, r: v.due_on),
    (N_("Status"), lambda v, r: r.status_label),
    (N_("Done at"), lambda v, r: v.done_at),
    (N_("Call result"), lambda v, r: r.result_label),
    (N_("Attempts"), lambda v, r: v.attempts),
    (N_("Satisfaction"), lambda v, r: v.satisfaction),
    (N_("Staff"), lambda v, r: r.done_by_name or r.assigned_name),
    (N_("Answers"), lambda v, r: "；".join(f"{q}：{a}" for q, a in _answers(v).items())),
    (N_("Remarks"), lambda v, r: v.remarks),
    (N_("Note"), lambda v, r: v.note),
]


def _export_rows(ids: list[int]) -> Iterator[list[Any]]:
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        lines = {r.id: r for r in rows(chunk)}
        query = (
            ReturnVisit.select(ReturnVisit, Customer)
            .join(Customer, on=(ReturnVisit.customer == Customer.id))
            .where(ReturnVisit.id.in_(chunk))
        )
        visits = {v.id: v for v in query}
        for visit_id in chunk:
            if visit_id in visits and visit_id in lines:
                yield [value(visits[visit_id], lines[visit_id]) for _t, value in EXPORT_COLUMNS]


def export(
    actor: Staff, path: Path, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> int:
    """``python -m csoffice export visits --out FILE [--from D --to D]``: every call due in the
    period (all when no dates), by due date; returns the number of rows (manager)."""
    from csoffice.transfer import write_table

    auth.require(actor, "export")
    path = Path(path)
    ids = search_ids(VisitFilter(view="all", date_from=date_from, date_to=date_to))
    count = write_table(
        path,
        [_(title) for title, _value in EXPORT_COLUMNS],
        _export_rows(ids),
        sheet_title=_("Return visits"),
    )
    with db.atomic():
        audit.record(actor, "export", "visit", None, summary=f"{count} → {path.name}")
    return count


# --- Checks ---------------------------------------------------------------------------------


def check_results() -> list[str]:
    """Done calls carry when and by whom, reached ones a satisfaction of 1–5; open calls carry
    no result."""
    problems = []
    done_without = ReturnVisit.select(ReturnVisit.id).where(
        ReturnVisit.status == "done", ReturnVisit.done_at.is_null()
    )
    problems += [
        _("Return visit {id} is done but has no time.").format(id=v.id) for v in done_without
    ]
    bad_score = ReturnVisit.select(ReturnVisit.id).where(
        ReturnVisit.status == "done",
        ReturnVisit.reached == True,
        ReturnVisit.satisfaction.is_null() | ~ReturnVisit.satisfaction.between(1, 5),
    )
    problems += [
        _("Return visit {id} reached the customer but has no satisfaction 1–5.").format(id=v.id)
        for v in bad_score
    ]
    open_done = ReturnVisit.select(ReturnVisit.id).where(
        ReturnVisit.status == "due", ReturnVisit.done_at.is_null(False)
    )
    problems += [
        _("Return visit {id} is still due but has a result time.").format(id=v.id)
        for v in open_done
    ]
    return problems
