"""The reception log (来访/来电登记): every call and visit, logged while it happens.

Create, edit (audited with before and after), void with a reason, follow-ups owed and
their completion, the day view's queries, finding a caller by phone as the digits arrive,
opening a customer file for an unknown caller, the daily sheet's figures and the export.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from peewee import JOIN, fn

from csoffice import audit, auth, customers, settings
from csoffice.changes import Change
from csoffice.db.database import db, emit_after_commit
from csoffice.db.lookup import get_or_not_found, in_id_order, tuples_of
from csoffice.db.models import Complaint, Customer, Reception, Staff, now
from csoffice.errors import Conflict, NotFound, ValidationError
from csoffice.i18n import N_, _
from csoffice.validation import check_phone, clean_text, normalize_phone

CHANNELS = {
    "phone": N_("Phone"),
    "visit": N_("Walk-in"),
    "wechat": N_("WeChat"),
    "qq": N_("QQ"),
    "email": N_("E-mail"),
    "letter": N_("Letter"),
    "other": N_("Other"),
}
DIRECTIONS = {"in": N_("Incoming"), "out": N_("Outgoing")}
CATEGORIES = {
    "consult": N_("Consultation"),
    "complaint": N_("Complaint"),
    "suggestion": N_("Suggestion"),
    "repair": N_("After-sales / repair"),
    "order": N_("Order"),
    "other": N_("Other"),
}
CALLER_KINDS = {
    "customer": N_("Customer"),
    "partner": N_("Partner"),
    "supplier": N_("Supplier"),
    "other": N_("Other"),
}
STATUSES = {"active": N_("Active"), "voided": N_("Voided")}


_MAX = {
    "caller_name": 100,
    "caller_company": 120,
    "content": 4000,
    "outcome": 4000,
    "void_reason": 200,
}
_CODE_MAX = 16  # the channel and category columns' width
# A clock a few minutes fast on another desk is no reason to refuse a call.
_FUTURE_TOLERANCE = dt.timedelta(minutes=10)


def channel_label(code: str) -> str:
    return _(CHANNELS[code]) if code in CHANNELS else code


def category_label(code: str) -> str:
    return _(CATEGORIES[code]) if code in CATEGORIES else code


def direction_label(code: str) -> str:
    return _(DIRECTIONS.get(code, code))


def caller_kind_label(code: str) -> str:
    return _(CALLER_KINDS.get(code, code))


def status_label(code: str) -> str:
    return _(STATUSES.get(code, code))


def _configured(key: str, known: dict[str, str]) -> list[str]:
    values = settings.get(key) or list(known)
    out = []
    for value in values:
        value = str(value).strip()[:_CODE_MAX]
        if value and value not in out:
            out.append(value)
    return out or list(known)


def channels() -> list[tuple[str, str]]:
    """The channels this office offers, in its order: (code, label)."""
    return [(code, channel_label(code)) for code in _configured("reception.channels", CHANNELS)]


def categories() -> list[tuple[str, str]]:
    """The categories this office offers, in its order: (code, label)."""
    return [
        (code, category_label(code)) for code in _configured("reception.categories", CATEGORIES)
    ]


@dataclass
class ReceptionInput:
    """What the quick-entry form hands in; ``received_at`` None means now."""

    channel: str = "phone"
    category: str = "consult"
    direction: str = "in"
    caller_name: str = ""
    caller_phone: str = ""
    caller_company: str = ""
    caller_kind: str = "customer"
    customer_id: int | None = None
    content: str = ""
    outcome: str = ""
    handler_id: int | None = None
    followup_needed: bool = False
    followup_due: dt.date | None = None
    received_at: dt.datetime | None = None


AUDITED_FIELDS = [
    "received_at",
    "channel",
    "direction",
    "caller_name",
    "caller_phone",
    "caller_company",
    "caller_kind",
    "customer",
    "category",
    "content",
    "handler",
    "outcome",
    "followup_needed",
    "followup_due",
]


def clean(
    data: ReceptionInput, actor: Staff, allowed_codes: tuple[str, str] = ("", "")
) -> dict[str, Any]:
    """Validate and normalise ``data`` into column values; ValidationError names every problem.

    ``allowed_codes`` lets an edit keep a channel and category that the office has since
    switched off.
    """
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    for name in ("caller_name", "caller_company", "content", "outcome"):
        value = clean_text(getattr(data, name), multiline=name in ("content", "outcome"))
        if len(value) > _MAX[name]:
            errors[name] = _("At most {n} characters.").format(n=_MAX[name])
        out[name] = value
    channel_codes = {code for code, _label in channels()} | {allowed_codes[0]} - {""}
    if data.channel not in channel_codes:
        errors["channel"] = _("Choose a channel from the list.")
    out["channel"] = data.channel
    category_codes = {code for code, _label in categories()} | {allowed_codes[1]} - {""}
    if data.category not in category_codes:
        errors["category"] = _("Choose a category from the list.")
    out["category"] = data.category
    out["direction"] = (
        data.direction if data.channel == "phone" and data.direction in DIRECTIONS else "in"
    )
    out["caller_kind"] = data.caller_kind if data.caller_kind in CALLER_KINDS else "other"
    try:
        out["caller_phone"] = check_phone(
            data.caller_phone, field="caller_phone", area_code=settings.area_code()
        )
    except ValidationError as exc:
        errors.update(exc.errors)
        out["caller_phone"] = ""
    customer = None
    if data.customer_id is not None:
        customer = Customer.get_or_none(Customer.id == data.customer_id)
        if customer is None or customer.status == "merged":
            errors["customer"] = _("This customer file no longer exists; choose it again.")
    out["customer"] = customer.id if customer is not None else None
    if customer is not None and not out["caller_name"]:
        out["caller_name"] = customer.name
    if not out["caller_name"] and not out["caller_phone"]:
        errors["caller_name"] = _("Enter the caller's name or phone number.")
    handler = actor
    if data.handler_id is not None and data.handler_id != actor.id:
        handler = Staff.get_or_none(Staff.id == data.handler_id)
        if handler is None or not handler.active:
            errors["handler"] = _("Choose an active staff member as handler.")
            handler = actor
    out["handler"] = handler.id
    received = data.received_at or now()
    received = received.replace(microsecond=0)
    if received > now() + _FUTURE_TOLERANCE:
        errors["received_at"] = _("The time cannot be in the future.")
    out["received_at"] = received
    out["followup_needed"] = bool(data.followup_needed)
    due = data.followup_due if data.followup_needed else None
    if data.followup_needed and due is None:
        due = received.date() + dt.timedelta(days=int(settings.get("reception.followup_days")))
    if due is not None and due < received.date():
        errors["followup_due"] = _("A follow-up cannot be due before the call.")
    out["followup_due"] = due
    if errors:
        raise ValidationError(errors)
    return out


def get(reception_id: int) -> Reception:
    return get_or_not_found(
        Reception,
        _("No reception with number {id}.").format(id=reception_id),
        Reception.id == reception_id,
    )


def load(reception_id: int) -> ReceptionInput:
    """What the form shows when a stored reception is opened for editing."""
    return to_input(get(reception_id))


def handlers() -> list[tuple[int, str]]:
    """Who can take a call: the active manager and clerks, (id, name)."""
    query = (
        Staff.select(Staff.id, Staff.display_name)
        .where(Staff.active == True, Staff.role.in_(["manager", "clerk"]))
        .order_by(Staff.display_name)
    )
    return [(staff_id, name) for staff_id, name in tuples_of(query)]


def _summary(values: dict[str, Any]) -> str:
    who = values["caller_name"] or values["caller_phone"]
    return f"{who} · {category_label(values['category'])}"


def create(actor: Staff, data: ReceptionInput) -> Reception:
    """Log a call or visit."""
    auth.require(actor, "edit")
    values = clean(data, actor)
    with db.atomic():
        reception = Reception.create(**values, created_by=actor, updated_by=actor)
        audit.record(actor, "create", "reception", reception.id, summary=_summary(values))
    emit_after_commit(Change.RECEPTION)
    return reception


def to_input(reception: Reception) -> ReceptionInput:
    """The form's view of a stored reception."""
    return ReceptionInput(
        channel=reception.channel,
        category=reception.category,
        direction=reception.direction,
        caller_name=reception.caller_name,
        caller_phone=reception.caller_phone,
        caller_company=reception.caller_company,
        caller_kind=reception.caller_kind,
        customer_id=reception.customer_id,
        content=reception.content,
        outcome=reception.outcome,
        handler_id=reception.handler_id,
        followup_needed=reception.followup_needed,
        followup_due=reception.followup_due,
        received_at=reception.received_at,
    )


def update(actor: Staff, reception_id: int, data: ReceptionInput) -> Reception:
    """Correct a logged reception; the audit row keeps each changed field's before and after."""
    auth.require(actor, "edit")
    with db.atomic():
        reception = get(reception_id)
        if reception.status != "active":
            raise Conflict(_("A voided reception cannot be changed."))
        values = clean(data, actor, allowed_codes=(reception.channel, reception.category))
        if data.handler_id is None:
            values["handler"] = reception.handler_id or actor.id
        before = audit.snapshot(reception, AUDITED_FIELDS)
        after = {name: values[name] for name in AUDITED_FIELDS}
        changes = audit.diff(before, after)
        if not changes:
            return reception
        Reception.update(**values, updated_by=actor, updated_at=now()).where(
            Reception.id == reception_id
        ).execute()
        audit.record(
            actor, "update", "reception", reception_id, summary=_summary(values), changes=changes
        )
    emit_after_commit(Change.RECEPTION)
    return get(reception_id)


def void(actor: Staff, reception_id: int, reason: str) -> Reception:
    """Take a reception logged by mistake out of the day's figures; nothing is deleted."""
    auth.require(actor, "edit")
    reason = clean_text(reason)
    if not reason:
        raise ValidationError.single("void_reason", _("Say why this reception is voided."))
    if len(reason) > _MAX["void_reason"]:
        raise ValidationError.single(
            "void_reason", _("At most {n} characters.").format(n=_MAX["void_reason"])
        )
    with db.atomic():
        reception = get(reception_id)
        if reception.status == "voided":
            raise Conflict(_("This reception is already voided."))
        if reception.complaint_id is not None:
            raise Conflict(_("This reception became a complaint; cancel the complaint instead."))
        Reception.update(
            status="voided", void_reason=reason, updated_by=actor, updated_at=now()
        ).where(Reception.id == reception_id).execute()
        audit.record(
            actor,
            "void",
            "reception",
            reception_id,
            summary=reason,
            changes={"status": ["active", "voided"]},
        )
    emit_after_commit(Change.RECEPTION)
    return get(reception_id)


def mark_followup_done(actor: Staff, reception_id: int, note: str = "") -> Reception:
    """Record that the follow-up owed was made; ``note`` is added to the outcome."""
    auth.require(actor, "edit")
    note = clean_text(note, multiline=True)
    with db.atomic():
        reception = get(reception_id)
        if reception.status != "active":
            raise Conflict(_("A voided reception cannot be changed."))
        if not reception.followup_needed:
            raise Conflict(_("No follow-up is owed for this reception."))
        if reception.followup_done_at is not None:
            raise Conflict(_("This follow-up is already done."))
        outcome = reception.outcome
        if note:
            outcome = f"{outcome}\n{note}".strip()[: _MAX["outcome"]]
        done_at = now()
        Reception.update(
            followup_done_at=done_at, outcome=outcome, updated_by=actor, updated_at=done_at
        ).where(Reception.id == reception_id).execute()
        audit.record(
            actor,
            "followup_done",
            "reception",
            reception_id,
            summary=note,
            changes={"followup_done_at": [None, done_at], "outcome": [reception.outcome, outcome]},
        )
    emit_after_commit(Change.RECEPTION)
    return get(reception_id)


# --- caller lookup ------------------------------------------------------------------------


@dataclass(frozen=True)
class CallerMatch:
    """What the phone typed so far says about the caller."""

    customers: list[customers.CustomerRow] = field(default_factory=list)
    total: int = 0  # customers matching (``customers`` holds the first few)
    # When no customer matches: the last reception from this number (partners, suppliers).
    previous_name: str = ""
    previous_company: str = ""
    previous_kind: str = ""

    @property
    def unique(self) -> customers.CustomerRow | None:
        return self.customers[0] if self.total == 1 else None


MIN_LOOKUP_DIGITS = 4


def lookup_caller(phone: str, limit: int = 5) -> CallerMatch:
    """Customers whose phone starts with (or, for four digits, ends with) what is typed."""
    digits = normalize_phone(phone)
    if len(digits) < MIN_LOOKUP_DIGITS or not digits.isdigit():
        return CallerMatch()
    ids = customers.search_ids(customers.SearchFilter(text=digits), limit=limit + 1)
    if ids:
        rows = customers.rows(ids[:limit])
        exact = [r for r in rows if r.mobile == digits]
        if len(exact) == 1 and len(ids) > 1:
            return CallerMatch([exact[0]], 1)
        return CallerMatch(rows, len(ids))
    if len(digits) >= 7:
        last = (
            Reception.select(Reception.caller_name, Reception.caller_company, Reception.caller_kind)
            .where(
                Reception.caller_phone == digits,
                Reception.status == "active",
                Reception.caller_name != "",
            )
            .order_by(Reception.received_at.desc())
            .first()
        )
        if last is not None:
            return CallerMatch(
                previous_name=last.caller_name,
                previous_company=last.caller_company,
                previous_kind=last.caller_kind,
            )
    return CallerMatch()


def completed_phone(typed: str, mobile: str) -> str:
    """The full number when ``typed`` is part of it (its start or its end, as the lookup finds
    a caller), else ``typed``: the quick entry saves the number of the caller it found."""
    digits = normalize_phone(typed)
    if (
        mobile
        and len(digits) >= MIN_LOOKUP_DIGITS
        and digits != mobile
        and (mobile.startswith(digits) or mobile.endswith(digits))
    ):
        return mobile
    return typed


def create_customer_from_caller(
    actor: Staff, name: str, phone: str, company: str = "", channel: str = "phone"
) -> Customer:
    """Open a customer file for an unknown caller in one step (DuplicateCustomer if on file)."""
    source = {
        "phone": N_("Phone"),
        "visit": N_("Walk-in"),
        "wechat": N_("Online"),
        "qq": N_("Online"),
        "email": N_("Online"),
    }.get(channel, N_("Other"))
    data = customers.CustomerInput(
        name=name,
        mobile=phone,
        company=company,
        customer_class="new",
        source=_(source),
    )
    # The form calls the fields caller_*; errors name its fields.
    renamed = {"name": "caller_name", "mobile": "caller_phone", "company": "caller_company"}
    try:
        return customers.create(actor, data)
    except customers.DuplicateCustomer as exc:
        errors = {renamed.get(k, k): v for k, v in exc.errors.items()}
        raise customers.DuplicateCustomer(errors, exc.existing_id) from exc
    except ValidationError as exc:
        raise ValidationError({renamed.get(k, k): v for k, v in exc.errors.items()}) from exc


# --- the day view -------------------------------------------------------------------------


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


def followups_owed(
    until: dt.date | None = None, handler_id: int | None = None
) -> list[ReceptionRow]:
    """Follow-ups still owed for receptions up to the end of ``until``, soonest due first."""
    query = _filtered(
        _row_query(),
        DayFilter(date_to=until, followup_pending=True, handler_id=handler_id),
    ).order_by(Reception.followup_due.asc(), Reception.received_at.asc())
    return [_make_row(values) for values in tuples_of(query)]


def followups_open_at_end_of(day: dt.date) -> list[ReceptionRow]:
    """The follow-ups that were still owed when ``day`` ended, whatever happened since: so a
    daily sheet reprinted next week prints the same list. A reception voided later counts as
    still owed that day (its last change, the void, came after)."""
    end = _start(day + dt.timedelta(days=1))
    query = (
        _row_query()
        .where(
            Reception.received_at < end,
            Reception.followup_needed == True,
            Reception.followup_done_at.is_null() | (Reception.followup_done_at >= end),
            (Reception.status == "active") | (Reception.updated_at >= end),
        )
        .order_by(Reception.followup_due.asc(), Reception.received_at.asc())
    )
    return [_make_row(values) for values in tuples_of(query)]


def followups_due(on: dt.date, handler_id: int | None = None) -> list[ReceptionRow]:
    """Follow-ups owed that are due on or before ``on`` (for the Today board)."""
    return [r for r in followups_owed(None, handler_id) if r.followup_due and r.followup_due <= on]


# --- the daily sheet ----------------------------------------------------------------------


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


# --- export -------------------------------------------------------------------------------

EXPORT_COLUMNS = [
    N_("No."),
    N_("Received at"),
    N_("Channel"),
    N_("Direction"),
    N_("Caller"),
    N_("Phone"),
    N_("Company"),
    N_("Caller is a"),
    N_("Customer file"),
    N_("Category"),
    N_("What was said"),
    N_("Taken by"),
    N_("Outcome"),
    N_("Follow-up owed"),
    N_("Follow-up due"),
    N_("Follow-up done at"),
    N_("Complaint"),
    N_("Status"),
    N_("Void reason"),
]


def _export_rows(criteria: DayFilter, batch: int = 2000) -> Iterator[list[Any]]:
    last = 0
    while True:
        query = (
            _filtered(_row_query(), criteria)
            .where(Reception.id > last)
            .order_by(Reception.id.asc())
            .limit(batch)
        )
        chunk = [_make_row(values) for values in query.tuples()]
        if not chunk:
            return
        for r in chunk:
            yield [
                r.id,
                r.received_at,
                channel_label(r.channel),
                direction_label(r.direction) if r.channel == "phone" else "",
                r.caller_name,
                r.caller_phone,
                r.caller_company,
                caller_kind_label(r.caller_kind),
                r.customer_name,
                category_label(r.category),
                r.content,
                r.handler_name,
                r.outcome,
                r.followup_needed,
                r.followup_due,
                r.followup_done_at,
                r.complaint_number,
                status_label(r.status),
                r.void_reason,
            ]
        last = chunk[-1].id


def export(
    actor: Staff,
    path: Path,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    progress=None,
) -> int:
    """Write the receptions of the period (voided ones marked) to CSV or XLSX; manager only."""
    from csoffice.transfer import check_export_path, write_table

    auth.require(actor, "export")
    check_export_path(Path(path))
    criteria = DayFilter(date_from=date_from, date_to=date_to, include_voided=True)
    written = write_table(
        Path(path),
        [_(title) for title in EXPORT_COLUMNS],
        _export_rows(criteria),
        progress=progress,
        sheet_title=_("Receptions"),
    )
    with db.atomic():
        audit.record(
            actor,
            "export",
            "reception",
            None,
            summary=_("{count} rows to {path}").format(count=written, path=Path(path).name),
        )
    return written


# --- checks -------------------------------------------------------------------------------


def check_links() -> list[str]:
    """Receptions that point to a missing complaint, or owe a follow-up without a due date."""
    problems = []
    dangling = (
        Reception.select(Reception.id, Reception.complaint_id)
        .join(Complaint, JOIN.LEFT_OUTER, on=(Reception.complaint_id == Complaint.id))
        .where(Reception.complaint_id.is_null(False), Complaint.id.is_null())
    )
    for reception_id, complaint_id in tuples_of(dangling):
        problems.append(
            _("Reception {id} points to a missing complaint {complaint}").format(
                id=reception_id, complaint=complaint_id
            )
        )
    undated = Reception.select(Reception.id).where(
        Reception.followup_needed == True,
        Reception.followup_due.is_null(),
        Reception.status == "active",
    )
    for (reception_id,) in tuples_of(undated):
        problems.append(
            _("Reception {id} owes a follow-up without a due date").format(id=reception_id)
        )
    return problems
