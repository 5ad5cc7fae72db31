"""Return-visit rules (回访规则) as the office sets them: which call falls due when, for whom.

A rule makes calls of one kind. It counts from a service event (a delivery, a repair …), from a
complaint's handling, or from the calendar (a repeating care call, e.g. key customers every
quarter). It names the due day and the day its window ends: 3DC is due on day 3 after a repair
and may be made until day 5; it is overdue from day 6. A rule may hold one condition — the
customer's source or outlet (二级网点 call on day 10 from the invoice), the event's amount (the
third-level call after a large repair), the customer's class or member level.

Within one kind, a rule with a condition takes the customers it holds for, the rule without a
condition the rest: the secondary outlet's 7DC replaces the ordinary 7DC for its customers.

Rules are the office setting "visits.rules" (a list). When the manager changes them, the calls
the rules made that nobody has tried yet are planned again (``replan``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from csoffice.dates import add_months
from csoffice.i18n import N_, _
from csoffice.service_events import SERVICE_KINDS
from csoffice.validation import clean_text

# The kinds of call a rule may make (labels in visits.KINDS).
RULE_VISIT_KINDS = ("7dc", "3dc", "1m", "1y", "complaint", "level3", "care")

STARTS = {
    "event": N_("A service event"),
    "complaint": N_("A complaint handled"),
    "calendar": N_("The calendar (repeating)"),
}

CONDITION_FIELDS = {
    "source": N_("Customer source / outlet is"),
    "amount": N_("Amount of the event at least (yuan)"),
    "class": N_("Customer class is"),
    "level": N_("Member level is"),
}

# A calendar rule's periods start in January and every N months after it.
REPEATS = (1, 2, 3, 4, 6, 12)
MAX_DAY = 3650
MAX_WINDOW = 366
NAME_MAX = 40


@dataclass(frozen=True)
class Condition:
    """One test on what is known about the customer and the event."""

    field: str
    value: str

    def holds(self, facts: Facts) -> bool:
        if self.field == "source":
            return facts.source.strip() == self.value
        if self.field == "class":
            return facts.customer_class == self.value
        if self.field == "level":
            return self.value in facts.levels
        if self.field == "amount":
            return facts.amount is not None and facts.amount >= Decimal(self.value)
        return False


@dataclass(frozen=True)
class Facts:
    """What a condition is checked against."""

    source: str = ""
    customer_class: str = ""
    levels: frozenset[str] = frozenset()  # the codes of the customer's active cards' levels
    amount: Decimal | None = None


@dataclass(frozen=True)
class Rule:
    """When a call of ``kind`` falls due: ``days`` or calendar ``months`` after an event of one
    of ``events`` (``start`` "event"), after a complaint was handled ("complaint"), or on day
    ``days`` of every period of ``repeat_months`` ("calendar"). The call may be made until day
    ``window_end`` (None: only on the due day)."""

    kind: str
    events: tuple[str, ...] = ()
    days: int = 0
    months: int = 0
    window_end: int | None = None
    condition: Condition | None = None
    repeat_months: int = 0
    start: str = "event"
    code: str = ""
    name: str = ""

    @property
    def key(self) -> str:
        """What the calls it plans remember it by."""
        return self.code or self.kind

    def due(self, start: dt.date) -> dt.date:
        """The due date for an event on ``start``: the same day ``months`` later (the month's
        last day when it is shorter: 31 January + 1 month is 28/29 February, 29 February + 1
        year is 28 February) plus ``days``. For a calendar rule ``start`` is the period's first
        day, which is day 1."""
        if self.start == "calendar":
            return start + dt.timedelta(days=max(self.days, 1) - 1)
        return add_months(start, self.months) + dt.timedelta(days=self.days)

    def window_end_on(self, start: dt.date) -> dt.date:
        """The last day the call is on time for an event (or period) on ``start``."""
        if self.window_end is None:
            return self.due(start)
        if self.start == "calendar":
            return start + dt.timedelta(days=max(self.window_end, 1) - 1)
        return add_months(start, self.months) + dt.timedelta(days=self.window_end)

    def earliest_start(self, due: dt.date) -> dt.date:
        """The earliest event date whose call can fall due on ``due`` or later (a lower bound)."""
        return due - dt.timedelta(days=self.days + 31 * self.months)

    def latest_start(self, due: dt.date) -> dt.date:
        """The latest event date whose call can already be due on ``due`` (an upper bound)."""
        return due - dt.timedelta(days=self.days + 28 * self.months)

    def period_start(self, day: dt.date) -> dt.date:
        """The first day of the calendar period ``day`` lies in."""
        months = self.repeat_months or 12
        month = (day.month - 1) // months * months + 1
        return dt.date(day.year, month, 1)

    def holds(self, facts: Facts) -> bool:
        return self.condition is None or self.condition.holds(facts)


# --- Reading and checking the setting -----------------------------------------------------


def _legacy(configured: dict) -> list[dict[str, Any]]:
    """The first release's setting ({kind: {"events", "days", "months", "off"}}) as a list."""
    found = []
    for kind, spec in configured.items():
        if isinstance(spec, dict):
            start = "complaint" if kind == "complaint" else "event"
            found.append({"code": str(kind), "kind": str(kind), "start": start, **spec})
    return found


def _as_int(value: Any, default: int | None = 0) -> int | None:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, float) and not value.is_integer():
        raise ValueError
    return int(value)


@dataclass
class _Checked:
    spec: dict[str, Any]
    rule: Rule | None
    errors: dict[str, str] = field(default_factory=dict)


def _check(raw: Any, known_levels: set[str], known_classes: set[str]) -> _Checked:
    """One rule's spec checked and normalised; ``errors`` by field."""
    errors: dict[str, str] = {}
    if not isinstance(raw, dict):
        return _Checked({}, None, {"kind": _("This rule is not readable.")})
    kind = str(raw.get("kind") or "")
    if kind not in RULE_VISIT_KINDS:
        errors["kind"] = _("Choose the kind of call.")
    start = str(raw.get("start") or ("complaint" if kind == "complaint" else "event"))
    if start not in STARTS:
        errors["start"] = _("Choose what the call counts from.")
    name = clean_text(str(raw.get("name") or ""))
    if len(name) > NAME_MAX:
        errors["name"] = _("At most {n} characters.").format(n=NAME_MAX)
    events = tuple(dict.fromkeys(str(e) for e in raw.get("events") or ()))
    if start == "event":
        unknown = [e for e in events if e not in SERVICE_KINDS]
        if unknown:
            errors["events"] = _("There is no event kind “{name}”.").format(name=unknown[0])
        elif not events:
            errors["events"] = _("Tick at least one event the call follows.")
    else:
        events = ()
    values: dict[str, int | None] = {}
    for key, default in (("days", 0), ("months", 0), ("repeat_months", 0), ("window_end", None)):
        try:
            values[key] = _as_int(raw.get(key), default)
        except (TypeError, ValueError):
            errors[key] = _("Enter a whole number.")
            values[key] = default
    days, months = values["days"] or 0, values["months"] or 0
    repeat, window = values["repeat_months"] or 0, values["window_end"]
    if "days" not in errors:
        if start == "calendar":
            longest = 28 * (repeat if repeat in REPEATS else 1)
            if not 1 <= days <= longest:
                errors["days"] = _("The due day must lie within the period: day 1 to {n}.").format(
                    n=longest
                )
        elif not 0 <= days <= MAX_DAY:
            errors["days"] = _("The due day must be from 0 to {n}.").format(n=MAX_DAY)
        elif days == 0 and months == 0:
            errors["days"] = _(
                "A return visit cannot fall due on the day of the event itself: enter a day after it."
            )
    if "months" not in errors and not 0 <= months <= 120:
        errors["months"] = _("Enter 0 to 120 months.")
    if start == "calendar":
        months = 0
        if "repeat_months" not in errors and repeat not in REPEATS:
            errors["repeat_months"] = _("Repeat every 1, 2, 3, 4, 6 or 12 months.")
    elif repeat and "repeat_months" not in errors:
        errors["repeat_months"] = _("Only a rule on the calendar repeats.")
        repeat = 0
    if window is not None and "window_end" not in errors and "days" not in errors:
        if window < days:
            errors["window_end"] = _(
                "The window cannot end before the due day (day {day})."
            ).format(day=days)
        elif window - days > MAX_WINDOW:
            errors["window_end"] = _("The window can be at most {n} days long.").format(
                n=MAX_WINDOW
            )
        elif start == "calendar" and window > 28 * (repeat or 1):
            errors["window_end"] = _(
                "The window must end within the period: day {n} at most."
            ).format(n=28 * (repeat or 1))
    condition = None
    spec_condition = raw.get("condition")
    if spec_condition:
        condition, message = _check_condition(spec_condition, start, known_levels, known_classes)
        if message:
            errors["condition"] = message
    spec = {
        "code": str(raw.get("code") or ""),
        "name": name,
        "kind": kind,
        "start": start,
        "events": list(events),
        "days": days,
        "months": months,
        "window_end": window,
        "repeat_months": repeat,
        "condition": {"field": condition.field, "value": condition.value} if condition else None,
        "off": bool(raw.get("off")),
    }
    rule = None
    if not errors:
        rule = Rule(
            kind=kind,
            events=events,
            days=days,
            months=months,
            window_end=window,
            condition=condition,
            repeat_months=repeat,
            start=start,
            code=spec["code"],
            name=name,
        )
    return _Checked(spec, rule, errors)


def _check_condition(
    raw: Any, start: str, known_levels: set[str], known_classes: set[str]
) -> tuple[Condition | None, str]:
    if not isinstance(raw, dict):
        return None, _("This condition is not readable.")
    name = str(raw.get("field") or "")
    value = clean_text(str(raw.get("value") or ""))
    if name not in CONDITION_FIELDS:
        return None, _("There is no field “{field}” to put a condition on.").format(field=name)
    if name == "amount":
        if start != "event":
            return None, _("Only a service event has an amount.")
        try:
            amount = Decimal(value.replace(",", "").replace("¥", ""))
            if amount < 0 or not amount.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            return None, _("Enter an amount like 5000.")
        return Condition(name, str(amount)), ""
    if not value:
        return None, _("Enter what the condition asks for.")
    if name == "class" and value not in known_classes:
        return None, _("There is no customer class “{value}”.").format(value=value)
    if name == "level" and value not in known_levels:
        return None, _("There is no member level “{value}”.").format(value=value)
    if len(value) > 40:
        return None, _("At most {n} characters.").format(n=40)
    return Condition(name, value), ""


def check(
    specs: Iterable[Any], known_levels: set[str], known_classes: set[str]
) -> tuple[list[dict[str, Any]], list[Rule], dict[str, str]]:
    """The specs normalised (each with a unique code), the rules switched on, and the errors by
    "<index>.<field>"."""
    checked = [_check(raw, known_levels, known_classes) for raw in specs]
    errors: dict[str, str] = {}
    used: set[str] = set()
    for index, item in enumerate(checked):
        for name, message in item.errors.items():
            errors[f"{index}.{name}"] = message
        code = item.spec.get("code") or ""
        if not code or code in used or len(code) > 24:
            base = (item.spec.get("kind") or "rule")[:16]
            number = 1
            code = base
            while code in used:
                number += 1
                code = f"{base}_{number}"
        used.add(code)
        item.spec["code"] = code
        if item.rule is not None:
            item.rule = Rule(**{**item.rule.__dict__, "code": code})
    plain: dict[tuple[str, str], int] = {}
    for index, item in enumerate(checked):
        rule = item.rule
        if rule is None or item.spec["off"] or rule.condition is not None:
            continue
        if rule.start == "calendar":
            continue  # repeating rules stand on their own
        group = (rule.kind, rule.start)
        if group in plain:
            errors[f"{index}.condition"] = _(
                "Rule {n} already makes this kind of call without a condition: give this one a condition."
            ).format(n=plain[group] + 1)
        else:
            plain[group] = index
    on = [item.rule for item in checked if item.rule is not None and not item.spec["off"]]
    return [item.spec for item in checked], on, errors


def specs_from_setting(value: Any) -> list[dict[str, Any]]:
    """The stored setting as a list of rule specs (the first release kept a dict by kind)."""
    if isinstance(value, dict):
        return _legacy(value)
    if isinstance(value, list):
        return [spec for spec in value if isinstance(spec, dict)]
    return []


def ordered(rules: Iterable[Rule]) -> dict[tuple[str, str], list[Rule]]:
    """The rules by (kind, start), those with a condition first (in the office's order): the
    first that holds for a customer and event decides."""
    groups: dict[tuple[str, str], list[Rule]] = {}
    for rule in rules:
        groups.setdefault((rule.kind, rule.start), []).append(rule)
    return {key: sorted(group, key=lambda r: r.condition is None) for key, group in groups.items()}


def deciding(group: list[Rule], facts: Facts, event_kind: str | None = None) -> Rule | None:
    """The rule of ``group`` that decides for these facts; None when it does not ask for a call
    (the deciding rule does not follow ``event_kind``, or no rule holds)."""
    for rule in group:
        if rule.holds(facts):
            if event_kind is not None and event_kind not in rule.events:
                return None
            return rule
    return None


def start_label(code: str) -> str:
    return _(STARTS[code]) if code in STARTS else code


def condition_label(code: str) -> str:
    return _(CONDITION_FIELDS[code]) if code in CONDITION_FIELDS else code
