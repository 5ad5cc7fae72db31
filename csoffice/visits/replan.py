"""Changing the visit rules: saving them and moving or cancelling the open calls they planned."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from peewee import JOIN

from csoffice import audit, auth, changes, settings, visit_rules
from csoffice.changes import Change
from csoffice.customers import CLASSES
from csoffice.db.database import db, emit_after_commit
from csoffice.db.lookup import dicts_of
from csoffice.db.models import Complaint, ReturnVisit, ServiceEvent, Staff
from csoffice.errors import ValidationError
from csoffice.i18n import _
from csoffice.visit_rules import Rule
from csoffice.visits.calls import _update
from csoffice.visits.codes import _MAX
from csoffice.visits.planning import _customer_facts, _level_codes, rules, schedule_due_visits

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
        emit_after_commit(Change.VISIT)  # inside a caller's transaction: once it commits
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
    query = dicts_of(
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
    # Inside save_rules' transaction, save_rules tells once it commits.
    if (moved or cancelled) and not db.in_transaction():
        changes.emit(Change.VISIT)
    return Replanned(moved, cancelled, 0)
