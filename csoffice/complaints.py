"""Complaint handling (投诉处理): the form, its workflow as an explicit state machine, running
numbers, deadlines and escalation, the ledger (投诉台帐) and its export.

The flow: received → (major and group complaints: awaiting the manager) → in progress
(a department and a person) → handled → customer informed → closed; or rejected with a
reason. Only the manager confirms major and group complaints and re-opens closed ones; each
move is a dated, signed step of the timeline. Whoever received a complaint owns it to the end
(首问负责制), whoever does the fixing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from peewee import JOIN, fn

from csoffice import attachments as archive_files
from csoffice import audit, auth, customer_classes, receptions, settings
from csoffice.db import counters
from csoffice.db.database import db, is_sqlite
from csoffice.db.lookup import get_or_not_found
from csoffice.db.models import (
    Attachment,
    Complaint,
    ComplaintStep,
    Counter,
    Customer,
    Reception,
    Staff,
    now,
)
from csoffice.errors import Conflict, NotFound, ValidationError
from csoffice.i18n import N_, _
from csoffice.validation import check_phone, mask_phone
from csoffice.workdays import add_complaint_hours

# --- Codes and their labels ------------------------------------------------------------------

STATUSES = {
    "received": N_("Received"),
    "awaiting_manager": N_("Awaiting the manager"),
    "in_progress": N_("In progress"),
    "handled": N_("Handled"),
    "informed": N_("Customer informed"),
    "closed": N_("Closed"),
    "rejected": N_("Rejected"),
}
# The resolution clock runs while a complaint is in one of these.
OPEN_STATUSES = ("received", "awaiting_manager", "in_progress")
# The first responder still has work to do (chase, inform the customer, close).
ACTIVE_STATUSES = (*OPEN_STATUSES, "handled", "informed")
FINAL_STATUSES = ("closed", "rejected")

SEVERITIES = {
    "ordinary": N_("Ordinary complaint"),
    "major": N_("Major complaint"),
    "group": N_("Group complaint"),
}
MANAGER_SEVERITIES = ("major", "group")

CHANNELS = receptions.CHANNELS  # a complaint comes in the ways a call or visit does
CATEGORIES = {
    "quality": N_("Product quality"),
    "attitude": N_("Service attitude"),
    "delivery": N_("Delivery"),
    "billing": N_("Billing"),
    "repair": N_("Repair"),
    "property": N_("Property management"),
    "other": N_("Other"),
}
DEPARTMENTS = {
    "service": N_("Customer service"),
    "sales": N_("Sales"),
    "aftersales": N_("After-sales service"),
    "finance": N_("Finance"),
    "logistics": N_("Logistics"),
    "property": N_("Property management office"),
}
ACTIONS = {
    "receive": N_("Received"),
    "submit": N_("Send to the manager"),
    "confirm": N_("Confirm and assign"),
    "assign": N_("Hand to a department"),
    "handle": N_("Record the result"),
    "rework": N_("Send back for rework"),
    "inform": N_("Record the customer's feedback"),
    "close": N_("Close and file"),
    "reject": N_("Reject"),
    "reopen": N_("Re-open"),
    "escalate": N_("Escalated to the manager"),
    "note": N_("Note added"),
    "edit": N_("Form corrected"),
}

# The state machine: (action, from status) → to status. Nothing else moves a complaint.
TRANSITIONS: dict[tuple[str, str], str] = {
    ("submit", "received"): "awaiting_manager",
    ("confirm", "awaiting_manager"): "in_progress",
    ("assign", "received"): "in_progress",  # ordinary complaints only
    ("assign", "in_progress"): "in_progress",  # handed on to another department or person
    ("handle", "in_progress"): "handled",
    ("rework", "handled"): "in_progress",
    ("inform", "handled"): "informed",
    ("close", "informed"): "closed",
    ("reject", "received"): "rejected",
    ("reject", "awaiting_manager"): "rejected",
    ("reject", "in_progress"): "rejected",
    ("reopen", "closed"): "in_progress",
    ("reopen", "rejected"): "received",
}
MOVES = tuple(dict.fromkeys(action for action, _status in TRANSITIONS))

DEFAULT_NUMBER_FORMAT = "TS-{year:04d}{month:02d}-{seq:04d}"
DEFAULT_DEADLINES = {"ordinary": (24, 72), "major": (4, 24), "group": (1, 24)}
PAGE_SIZES = ("A4", "A5")

_MAX = {
    "contact_name": 100,
    "facts": 4000,
    "desired_outcome": 2000,
    "department": 40,
    "handler_name": 60,
    "note": 2000,
    "result": 4000,
    "root_cause": 2000,
    "corrective_action": 2000,
    "customer_opinion": 2000,
    "satisfaction_reason": 1000,
}


def label(labels: dict[str, str], code: str) -> str:
    """The translated label of ``code``; a code the office added itself is shown as typed."""
    return _(labels[code]) if code in labels else code


def status_label(code: str) -> str:
    return label(STATUSES, code)


def severity_label(code: str) -> str:
    return label(SEVERITIES, code)


def channel_label(code: str) -> str:
    return label(CHANNELS, code)


def category_label(code: str) -> str:
    return label(CATEGORIES, code)


def department_label(code: str) -> str:
    return label(DEPARTMENTS, code)


def action_label(code: str) -> str:
    return label(ACTIONS, code)


def categories() -> list[tuple[str, str]]:
    """The office's complaint categories as (code, label), in the office's order."""
    return [(code, category_label(code)) for code in settings.get("complaints.categories") or []]


def departments() -> list[tuple[str, str]]:
    return [(code, department_label(code)) for code in settings.get("complaints.departments") or []]


def staff_choices(receivers_only: bool = False) -> list[tuple[int, str]]:
    """Active staff as (id, name): anyone may handle a complaint; clerks and the manager receive."""
    query = Staff.select(Staff.id, Staff.display_name).where(Staff.active == True)
    if receivers_only:
        query = query.where(Staff.role.in_([auth.Role.MANAGER, auth.Role.CLERK]))
    return [(row.id, row.display_name) for row in query.order_by(Staff.id)]


# --- Deadlines ------------------------------------------------------------------------------


def deadline_hours(severity: str) -> tuple[int, int]:
    """Hours allowed to respond and to resolve a complaint of ``severity`` (office settings)."""
    configured = settings.get("complaints.deadlines") or {}
    default = DEFAULT_DEADLINES.get(severity, DEFAULT_DEADLINES["ordinary"])
    value = configured.get(severity, default)
    try:
        response, resolve = int(value[0]), int(value[1])
    except (TypeError, ValueError, IndexError):
        return default
    if response <= 0 or resolve <= 0:
        return default
    return response, resolve


def deadlines(severity: str, received_at: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """When the first response and the resolution are due for a complaint received then (in
    office hours on working days when the office counts so: workdays.add_complaint_hours)."""
    response, resolve = deadline_hours(severity)
    return add_complaint_hours(received_at, response), add_complaint_hours(received_at, resolve)


def overdue_kind(
    status: str,
    response_due: dt.datetime | None,
    resolve_due: dt.datetime | None,
    first_response_at: dt.datetime | None,
    at: dt.datetime | None = None,
) -> str | None:
    """'resolution' when the resolution limit has passed, 'response' when nobody has responded
    in time, None when the complaint is on time (or no longer open)."""
    if status not in OPEN_STATUSES:
        return None
    at = at or now()
    if resolve_due is not None and at > resolve_due:
        return "resolution"
    if first_response_at is None and response_due is not None and at > response_due:
        return "response"
    return None


OVERDUE_LABELS = {
    "resolution": N_("Resolution overdue"),
    "response": N_("Response overdue"),
}


# The one meaning of 超时 in every printed figure (monthly report, appraisal form), printed
# under the figure so the paper says what it counts.
OVERDUE_DEFINITION = N_(
    "Overdue: complaints whose resolution limit fell in the period (up to the time printed) "
    "and that were not handled by that limit; rejected complaints excepted."
)


def overdue_in(
    start: dt.datetime,
    end: dt.datetime,
    at: dt.datetime | None = None,
    receiver_id: int | None = None,
) -> int:
    """How many complaints were overdue in [start, end) by OVERDUE_DEFINITION (of the first
    responder ``receiver_id`` only, when given)."""
    limit = min(end, at or now())
    query = Complaint.select().where(
        Complaint.status != "rejected",
        Complaint.resolve_due >= start,
        Complaint.resolve_due < limit,
        Complaint.handled_at.is_null() | (Complaint.handled_at > Complaint.resolve_due),
    )
    if receiver_id is not None:
        query = query.where(Complaint.receiver == receiver_id)
    return query.count()


def _overdue_condition(at: dt.datetime):
    return Complaint.status.in_(OPEN_STATUSES) & (
        (Complaint.resolve_due < at)
        | (Complaint.first_response_at.is_null() & (Complaint.response_due < at))
    )


def escalate_overdue(at: dt.datetime | None = None) -> list[str]:
    """Escalate to the manager every open complaint past its resolution limit and not escalated
    yet: stamp it and write the step. Returns the numbers escalated. Safe to call often."""
    at = at or now()
    late = list(
        Complaint.select(Complaint.id, Complaint.number, Complaint.status)
        .where(
            Complaint.status.in_(OPEN_STATUSES),
            Complaint.resolve_due < at,
            Complaint.escalated_at.is_null(),
        )
        .order_by(Complaint.id)  # one order of steps and audit rows on every database
    )
    if not late:
        return []
    escalated = []
    with _write():
        for complaint in late:
            changed = (
                Complaint.update(escalated_at=at)
                .where(Complaint.id == complaint.id, Complaint.escalated_at.is_null())
                .execute()
            )
            if not changed:  # another desk escalated it meanwhile
                continue
            ComplaintStep.create(
                complaint=complaint.id,
                at=at,
                staff=None,
                action="escalate",
                from_status=complaint.status,
                to_status=complaint.status,
            )
            audit.record(None, "escalate", "complaint", complaint.id, summary=complaint.number)
            escalated.append(complaint.number)
    return escalated


# --- Numbering ------------------------------------------------------------------------------


def _write():
    """A write transaction. On SQLite it takes the write lock at once (BEGIN IMMEDIATE), so two
    desks saving together queue up instead of one failing on a stale read snapshot."""
    if is_sqlite() and db.transaction_depth() == 0:
        return db.atomic(lock_type="IMMEDIATE")
    return db.atomic()


def format_number(period: str, seq: int, fmt: str | None = None) -> str:
    """The complaint number for place ``seq`` of month ``period`` (YYYYMM) in the office's
    format; a format without {seq} or that cannot be applied falls back to the default."""
    fmt = fmt if fmt is not None else settings.get("complaints.number_format")
    year, month = int(period[:4]), int(period[4:6])
    if fmt and "{seq" in fmt:
        try:
            return fmt.format(year=year, month=month, seq=seq)[:32]
        except (KeyError, ValueError, IndexError, AttributeError):
            pass
    return DEFAULT_NUMBER_FORMAT.format(year=year, month=month, seq=seq)


def _next_seq(period: str) -> int:
    """The next place in ``period``'s series; call inside the transaction that uses it, so a
    failed save rolls the counter back with it and no number is skipped."""
    return counters.next_value(f"complaint:{period}")


# --- The form -------------------------------------------------------------------------------


@dataclass
class ComplaintInput:
    """What the complaint form hands in."""

    received_at: dt.datetime | None = None  # None: now
    channel: str = "phone"
    customer_id: int | None = None
    contact_name: str = ""
    contact_phone: str = ""
    category: str = ""
    severity: str = "ordinary"
    facts: str = ""
    desired_outcome: str = ""
    receiver_id: int | None = None  # the first responder; None: whoever saves it
    attachments: list[Path] = field(default_factory=list)  # files to attach when saving


def _text(value: str | None, name: str, errors: dict[str, str], multiline: bool = True) -> str:
    text = (value or "").replace("\x00", "")
    text = text.strip() if multiline else " ".join(text.split())
    if len(text) > _MAX[name]:
        errors[name] = _("At most {n} characters.").format(n=_MAX[name])
    return text


def clean(data: ComplaintInput, actor: Staff | None, at: dt.datetime | None = None) -> dict:
    """Validate and normalise the form; raises ValidationError naming every field's problem."""
    errors: dict[str, str] = {}
    at = at or now()
    out: dict[str, Any] = {}
    received = (data.received_at or at).replace(microsecond=0)
    if received > at + dt.timedelta(minutes=5):
        errors["received_at"] = _("The time received cannot be in the future.")
    out["received_at"] = received
    if data.channel not in CHANNELS:
        errors["channel"] = _("Choose how the complaint came in.")
    out["channel"] = data.channel
    customer = None
    if data.customer_id is not None:
        customer = Customer.get_or_none(Customer.id == data.customer_id)
        if customer is None:
            errors["customer"] = _("No customer with number {id}.").format(id=data.customer_id)
    out["customer"] = customer.id if customer else None
    out["contact_name"] = _text(data.contact_name, "contact_name", errors, multiline=False)
    if not out["contact_name"] and customer is not None:
        out["contact_name"] = customer.name
    if not out["contact_name"]:
        errors["contact_name"] = _("Pick the customer from the archive or type the contact's name.")
    try:
        out["contact_phone"] = check_phone(
            data.contact_phone, field="contact_phone", area_code=settings.area_code()
        )
    except ValidationError as exc:
        errors.update(exc.errors)
    else:
        if not out["contact_phone"] and customer is not None:
            out["contact_phone"] = customer.mobile
    category = " ".join((data.category or "").split())
    if not category:
        errors["category"] = _("Choose a category.")
    elif len(category) > 24:
        errors["category"] = _("At most {n} characters.").format(n=24)
    out["category"] = category
    if data.severity not in SEVERITIES:
        errors["severity"] = _("Choose a severity.")
    out["severity"] = data.severity
    out["facts"] = _text(data.facts, "facts", errors)
    if not out["facts"]:
        errors["facts"] = _("Write down what happened.")
    out["desired_outcome"] = _text(data.desired_outcome, "desired_outcome", errors)
    receiver_id = data.receiver_id if data.receiver_id is not None else getattr(actor, "id", None)
    receiver = Staff.get_or_none(Staff.id == receiver_id) if receiver_id is not None else None
    if receiver is None or not receiver.active or receiver.role == auth.Role.VIEWER:
        errors["receiver"] = _("Choose the clerk who received the complaint.")
    out["receiver"] = receiver.id if receiver else None
    for path in data.attachments:
        if not Path(path).is_file():
            errors["attachments"] = _("No such file: {path}").format(path=path)
    if errors:
        raise ValidationError(errors)
    return out


def create(actor: Staff, data: ComplaintInput, reception_id: int | None = None) -> Complaint:
    """Save a new complaint form with the next running number of its month. With
    ``reception_id`` the reception it came from is linked both ways in the same transaction."""
    auth.require(actor, "edit")
    values = clean(data, actor)
    stored = [_store_file(Path(path)) for path in data.attachments]
    with _write():
        reception = None
        if reception_id is not None:
            reception = receptions.get(reception_id)
            if reception.complaint_id is not None:
                raise Conflict(_("This reception has already become a complaint."))
        received_at = values["received_at"]
        period = received_at.strftime("%Y%m")
        seq = _next_seq(period)
        response_due, resolve_due = deadlines(values["severity"], received_at)
        complaint = Complaint.create(
            **values,
            number=format_number(period, seq),
            number_period=period,
            number_seq=seq,
            status="received",
            response_due=response_due,
            resolve_due=resolve_due,
            reception=reception.id if reception else None,
            created_by=actor,
            updated_by=actor,
        )
        ComplaintStep.create(
            complaint=complaint,
            at=received_at,
            staff=values["receiver"],
            action="receive",
            from_status="",
            to_status="received",
        )
        if reception is not None:
            Reception.update(complaint_id=complaint.id, updated_at=now(), updated_by=actor).where(
                Reception.id == reception.id
            ).execute()
        for info in stored:
            _attachment_row(actor, complaint.id, info)
        audit.record(
            actor,
            "create",
            "complaint",
            complaint.id,
            summary=complaint.number,
            changes={"reception": [None, reception.id]} if reception is not None else None,
        )
        customer_classes.follow(actor, complaint.customer_id)
    return complaint


def draft_from_reception(reception_id: int) -> ComplaintInput:
    """A complaint form filled in from a reception: customer, channel, what was said, when, who."""
    reception = receptions.get(reception_id)
    customer = reception.customer
    return ComplaintInput(
        received_at=reception.received_at,
        channel=reception.channel if reception.channel in CHANNELS else "other",
        customer_id=customer.id if customer else None,
        contact_name=reception.caller_name or (customer.name if customer else ""),
        contact_phone=reception.caller_phone or (customer.mobile if customer else ""),
        facts=reception.content,
        receiver_id=reception.handler_id,
    )


FIELD_LABELS = {
    "received_at": N_("Time received"),
    "channel": N_("Channel"),
    "customer": N_("Customer"),
    "contact_name": N_("Contact"),
    "contact_phone": N_("Contact phone"),
    "category": N_("Category"),
    "severity": N_("Severity"),
    "facts": N_("Facts"),
    "desired_outcome": N_("Desired outcome"),
}
FORM_FIELDS = list(FIELD_LABELS)


def update(actor: Staff, complaint_id: int, data: ComplaintInput, version: int) -> Complaint:
    """Correct the form of a complaint read at ``version`` while it is still open. The number and
    the first responder never change; the severity only before the complaint is handed on."""
    auth.require(actor, "edit")
    with _write():
        complaint = get(complaint_id)
        _check_version(complaint, version)
        if complaint.status in FINAL_STATUSES:
            raise Conflict(
                _("A {status} complaint cannot be changed.").format(
                    status=status_label(complaint.status)
                )
            )
        data.receiver_id = complaint.receiver_id
        if data.received_at is None:
            data.received_at = complaint.received_at
        values = clean(data, actor)
        values.pop("receiver")
        errors = {}
        if values["received_at"].strftime("%Y%m") != complaint.number_period:
            errors["received_at"] = _(
                "The time received must stay in the month of the number {number}."
            ).format(number=complaint.number)
        if values["severity"] != complaint.severity and complaint.status != "received":
            errors["severity"] = _(
                "The severity can only be changed before the complaint is handed on."
            )
        if errors:
            raise ValidationError(errors)
        before = audit.snapshot(complaint, FORM_FIELDS)
        changes = audit.diff(before, values)
        if not changes and not data.attachments:
            return complaint
        if "severity" in changes or "received_at" in changes:
            values["response_due"], values["resolve_due"] = deadlines(
                values["severity"], values["received_at"]
            )
        Complaint.update(
            **values, updated_at=now(), updated_by=actor, version=Complaint.version + 1
        ).where(Complaint.id == complaint.id).execute()
        for path in data.attachments:
            _attachment_row(actor, complaint.id, _store_file(Path(path)))
        if changes:
            fields = ",".join(name for name in FORM_FIELDS if name in changes)
            _step(complaint, actor, "edit", complaint.status, note=fields)
            audit.record(
                actor, "update", "complaint", complaint.id, complaint.number, changes=changes
            )
    return get(complaint_id)


def get(complaint_id: int) -> Complaint:
    return get_or_not_found(
        Complaint,
        _("No complaint with id {id}.").format(id=complaint_id),
        Complaint.id == complaint_id,
    )


def get_by_number(number: str) -> Complaint:
    number = number.strip()
    return get_or_not_found(
        Complaint,
        _("No complaint numbered {number}.").format(number=number),
        Complaint.number == number,
    )


def to_input(complaint: Complaint | ComplaintView) -> ComplaintInput:
    """The form's view of a stored complaint (or of one as shown)."""
    return ComplaintInput(
        received_at=complaint.received_at,
        channel=complaint.channel,
        customer_id=complaint.customer_id,
        contact_name=complaint.contact_name,
        contact_phone=complaint.contact_phone,
        category=complaint.category,
        severity=complaint.severity,
        facts=complaint.facts,
        desired_outcome=complaint.desired_outcome,
        receiver_id=complaint.receiver_id,
    )


def _check_version(complaint: Complaint, version: int | None) -> None:
    if version is not None and complaint.version != version:
        who = complaint.updated_by.display_name if complaint.updated_by else "?"
        raise Conflict(
            _(
                "Complaint {number} was changed by {name} at {time}; reload it and try again."
            ).format(number=complaint.number, name=who, time=complaint.updated_at.strftime("%H:%M"))
        )


# --- The workflow ---------------------------------------------------------------------------


@dataclass
class StepInput:
    """What a workflow move records; which fields a move needs depends on the move."""

    note: str = ""  # the reason for reject / reopen / rework; a remark otherwise
    department: str = ""
    handler_id: int | None = None
    handler_name: str = ""  # a person outside the desk
    result: str = ""
    company_at_fault: bool | None = None
    root_cause: str = ""
    corrective_action: str = ""
    customer_opinion: str = ""
    satisfaction: int | None = None
    satisfaction_reason: str = ""


def _refusal(complaint: Complaint, action: str) -> str | None:
    """Why ``action`` may not be done on ``complaint`` now (state and severity), or None."""
    if (action, complaint.status) not in TRANSITIONS:
        return _("“{action}” is not possible while the complaint is “{status}”.").format(
            action=action_label(action), status=status_label(complaint.status)
        )
    if (
        action == "assign"
        and complaint.status == "received"
        and complaint.severity in MANAGER_SEVERITIES
    ):
        return _(
            "This complaint is “{severity}”: the manager must confirm it first. Send it to the manager."
        ).format(severity=severity_label(complaint.severity))
    return None


def _permission(complaint: Complaint, action: str) -> str:
    if action == "confirm":
        return "confirm_major_complaint"
    if action == "reopen":
        return "reopen_complaint"
    if action == "reject" and complaint.severity in MANAGER_SEVERITIES:
        return "confirm_major_complaint"  # the manager arbitrates major and group complaints
    return "edit"


def allowed_actions(actor: Staff | None, complaint: Complaint) -> list[str]:
    """The moves ``actor`` may make on ``complaint`` now, in the order of the flow."""
    return [
        action
        for action in MOVES
        if _refusal(complaint, action) is None and auth.can(actor, _permission(complaint, action))
    ]


def _check_step(action: str, step: StepInput) -> dict[str, Any]:
    errors: dict[str, str] = {}
    out: dict[str, Any] = {"note": _text(step.note, "note", errors)}
    if action in ("reject", "reopen", "rework") and not out["note"]:
        errors["note"] = _("Give the reason.")
    if action in ("confirm", "assign"):
        out["department"] = _text(step.department, "department", errors, multiline=False)
        if not out["department"]:
            errors["department"] = _("Choose the department responsible.")
        out["handler_name"] = _text(step.handler_name, "handler_name", errors, multiline=False)
        handler = None
        if step.handler_id is not None:
            handler = Staff.get_or_none(Staff.id == step.handler_id, Staff.active == True)
            if handler is None:
                errors["handler"] = _("Choose an active staff member.")
        out["handler"] = handler.id if handler else None
        if handler is None and not out["handler_name"] and "handler" not in errors:
            errors["handler"] = _("Name the person who handles it.")
        if handler is not None and not out["handler_name"]:
            out["handler_name"] = handler.display_name
    if action == "handle":
        out["result"] = _text(step.result, "result", errors)
        if not out["result"]:
            errors["result"] = _("Describe how it was handled.")
        if step.company_at_fault is None:
            errors["company_at_fault"] = _("Say whether the company was at fault.")
        out["company_at_fault"] = step.company_at_fault
        out["root_cause"] = _text(step.root_cause, "root_cause", errors)
        out["corrective_action"] = _text(step.corrective_action, "corrective_action", errors)
        if step.company_at_fault:
            if not out["root_cause"]:
                errors["root_cause"] = _("When the company was at fault, give the root cause.")
            if not out["corrective_action"]:
                errors["corrective_action"] = _(
                    "When the company was at fault, say what will be corrected."
                )
    if action == "inform":
        out["customer_opinion"] = _text(step.customer_opinion, "customer_opinion", errors)
        if not out["customer_opinion"]:
            errors["customer_opinion"] = _("Write down the customer's opinion.")
        if step.satisfaction not in (1, 2, 3, 4, 5):
            errors["satisfaction"] = _("Choose a satisfaction from 1 to 5.")
        out["satisfaction"] = step.satisfaction
        out["satisfaction_reason"] = _text(step.satisfaction_reason, "satisfaction_reason", errors)
        if not out["satisfaction_reason"]:
            errors["satisfaction_reason"] = _("Give the reason for the satisfaction.")
    if errors:
        raise ValidationError(errors)
    return out


def move(
    actor: Staff,
    complaint_id: int,
    action: str,
    step: StepInput | None = None,
    version: int | None = None,
    at: dt.datetime | None = None,
) -> Complaint:
    """Make one workflow move (see TRANSITIONS); refused with a clear message when illegal."""
    if action not in MOVES:
        raise ValidationError.single("action", _("Unknown action."))
    step = step or StepInput()
    at = at or now()
    with _write():
        complaint = get(complaint_id)
        _check_version(complaint, version)
        refusal = _refusal(complaint, action)
        if refusal:
            raise Conflict(refusal)
        auth.require(actor, _permission(complaint, action))
        values = _check_step(action, step)
        note = values.pop("note")
        target = TRANSITIONS[(action, complaint.status)]
        changes: dict[str, Any] = dict(values)
        changes["status"] = target
        if complaint.first_response_at is None and action != "reopen":
            changes["first_response_at"] = at
        if action == "handle":
            changes["handled_at"] = at
        elif action == "close":
            changes["closed_at"] = at
        elif action == "reopen":
            # A re-opened complaint is a new piece of work with its own resolution limit.
            changes.update(closed_at=None, handled_at=None, escalated_at=None)
            changes["resolve_due"] = add_complaint_hours(at, deadline_hours(complaint.severity)[1])
        elif action == "rework":
            changes["handled_at"] = None
        Complaint.update(
            **changes, updated_at=now(), updated_by=actor, version=Complaint.version + 1
        ).where(Complaint.id == complaint.id).execute()
        _step(
            complaint,
            actor,
            action,
            target,
            note=note,
            at=at,
            department=values.get("department", ""),
            assignee=values.get("handler_name", ""),
        )
        audit.record(
            actor,
            "move",
            "complaint",
            complaint.id,
            summary=f"{complaint.number}: {complaint.status} → {target} ({action})",
            changes=audit.diff(audit.snapshot(complaint, list(changes)), changes),
        )
        customer_classes.follow(actor, complaint.customer_id)
    return get(complaint_id)


def add_note(actor: Staff, complaint_id: int, note: str) -> Complaint:
    """A dated, signed remark in the timeline (a call to the customer, a reminder sent…);
    the first one counts as the response to the customer."""
    auth.require(actor, "edit")
    errors: dict[str, str] = {}
    text = _text(note, "note", errors)
    if not text:
        errors["note"] = _("Write the note.")
    if errors:
        raise ValidationError(errors)
    with _write():
        complaint = get(complaint_id)
        if complaint.status in FINAL_STATUSES:
            raise Conflict(
                _("A {status} complaint cannot be changed.").format(
                    status=status_label(complaint.status)
                )
            )
        at = now()
        if complaint.first_response_at is None:
            Complaint.update(first_response_at=at).where(Complaint.id == complaint.id).execute()
        _step(complaint, actor, "note", complaint.status, note=text, at=at)
        audit.record(actor, "note", "complaint", complaint.id, summary=complaint.number)
    return get(complaint_id)


def _step(
    complaint: Complaint,
    actor: Staff | None,
    action: str,
    target: str,
    note: str = "",
    at: dt.datetime | None = None,
    department: str = "",
    assignee: str = "",
) -> ComplaintStep:
    return ComplaintStep.create(
        complaint=complaint.id,
        at=at or now(),
        staff=actor,
        action=action,
        from_status=complaint.status,
        to_status=target,
        note=note,
        department=department,
        assignee=assignee,
    )


# --- Attachments ----------------------------------------------------------------------------


def _store_file(path: Path) -> archive_files.StoredFile:
    """Copy ``path`` into the content store (before the transaction; see store_file)."""
    stored = archive_files.store_file(path, field="attachments")
    if not stored.mime_type:
        return dataclasses.replace(stored, mime_type="application/octet-stream")
    return stored


def _attachment_row(actor: Staff, complaint_id: int, info: archive_files.StoredFile) -> Attachment:
    archive_files.keep_in_database(info)
    kind = "photo" if info.mime_type.startswith("image/") else "document"
    return Attachment.create(
        sha256=info.sha256,
        filename=info.filename,
        size=info.size,
        mime_type=info.mime_type,
        doc_type=kind,
        complaint_id=complaint_id,
        created_by=actor,
        updated_by=actor,
    )


def attach(actor: Staff, complaint_id: int, path: Path) -> int:
    """Attach a photo or document to a complaint; returns the attachment's id."""
    auth.require(actor, "edit")
    path = Path(path)
    if not path.is_file():
        raise ValidationError.single("attachments", _("No such file: {path}").format(path=path))
    info = _store_file(path)
    with _write():
        complaint = get(complaint_id)
        row = _attachment_row(actor, complaint.id, info)
        audit.record(
            actor, "attach", "complaint", complaint.id, f"{complaint.number}: {info.filename}"
        )
    return row.id


def void_attachment(actor: Staff, attachment_id: int, reason: str) -> None:
    """Take an attachment off a complaint (kept on record, with the reason)."""
    auth.require(actor, "edit")
    if not reason.strip():
        raise ValidationError.single("reason", _("Give the reason."))
    with _write():
        row = Attachment.get_or_none(Attachment.id == attachment_id)
        if row is None or row.complaint_id is None:
            raise NotFound(_("No such attachment."))
        Attachment.update(status="voided", updated_at=now(), updated_by=actor).where(
            Attachment.id == attachment_id
        ).execute()
        audit.record(
            actor, "void", "attachment", attachment_id, f"{row.filename}: {reason.strip()}"
        )


# --- Reading one complaint ------------------------------------------------------------------


@dataclass(frozen=True)
class StepRow:
    at: dt.datetime
    action: str
    from_status: str
    to_status: str
    staff_name: str
    note: str
    department: str
    assignee: str

    @property
    def action_label(self) -> str:
        return action_label(self.action)

    @property
    def status_label(self) -> str:
        return status_label(self.to_status)


@dataclass(frozen=True)
class AttachmentRow:
    id: int
    filename: str
    size: int
    mime_type: str
    path: Path
    added_at: dt.datetime


@dataclass(frozen=True)
class ComplaintView:
    """Everything shown about one complaint: the form, where it stands, its timeline."""

    id: int
    version: int
    number: str
    status: str
    received_at: dt.datetime
    channel: str
    customer_id: int | None
    customer_name: str
    contact_name: str
    contact_phone: str
    category: str
    severity: str
    facts: str
    desired_outcome: str
    receiver_id: int
    receiver_name: str
    department: str
    handler_id: int | None
    handler_name: str
    result: str
    company_at_fault: bool | None
    root_cause: str
    corrective_action: str
    customer_opinion: str
    satisfaction: int | None
    satisfaction_reason: str
    response_due: dt.datetime | None
    resolve_due: dt.datetime | None
    first_response_at: dt.datetime | None
    handled_at: dt.datetime | None
    closed_at: dt.datetime | None
    escalated_at: dt.datetime | None
    reception_id: int | None
    overdue: str | None
    steps: list[StepRow]
    attachments: list[AttachmentRow]

    @property
    def status_label(self) -> str:
        return status_label(self.status)

    def as_input(self) -> ComplaintInput:
        return to_input(self)


def _step_note(action: str, note: str) -> str:
    if action == "edit":  # the fields corrected, stored as codes so they show in any language
        return ", ".join(label(FIELD_LABELS, name) for name in note.split(",") if name)
    return note


def view(complaint_id: int, at: dt.datetime | None = None) -> ComplaintView:
    complaint = get(complaint_id)
    return _view(complaint, at)


def view_by_number(number: str) -> ComplaintView:
    return _view(get_by_number(number))


def _view(c: Complaint, at: dt.datetime | None = None) -> ComplaintView:
    steps = [
        StepRow(
            at=step.at,
            action=step.action,
            from_status=step.from_status,
            to_status=step.to_status,
            staff_name=step.staff.display_name if step.staff_id else _("System"),
            note=_step_note(step.action, step.note),
            department=department_label(step.department) if step.department else "",
            assignee=step.assignee,
        )
        for step in ComplaintStep.select(ComplaintStep, Staff)
        .join(Staff, JOIN.LEFT_OUTER, on=(ComplaintStep.staff == Staff.id))
        .where(ComplaintStep.complaint == c.id)
        .order_by(ComplaintStep.at, ComplaintStep.id)
    ]
    attachments = [
        AttachmentRow(
            row.id,
            row.filename,
            row.size,
            row.mime_type,
            archive_files.local_path(row.sha256, row.filename),
            row.created_at,
        )
        for row in Attachment.select()
        .where(Attachment.complaint_id == c.id, Attachment.status == "active")
        .order_by(Attachment.id)
    ]
    customer = c.customer if c.customer_id else None
    return ComplaintView(
        id=c.id,
        version=c.version,
        number=c.number,
        status=c.status,
        received_at=c.received_at,
        channel=c.channel,
        customer_id=c.customer_id,
        customer_name=customer.name if customer else "",
        contact_name=c.contact_name,
        contact_phone=c.contact_phone,
        category=c.category,
        severity=c.severity,
        facts=c.facts,
        desired_outcome=c.desired_outcome,
        receiver_id=c.receiver_id,
        receiver_name=c.receiver.display_name,
        department=c.department,
        handler_id=c.handler_id,
        handler_name=c.handler_name,
        result=c.result,
        company_at_fault=c.company_at_fault,
        root_cause=c.root_cause,
        corrective_action=c.corrective_action,
        customer_opinion=c.customer_opinion,
        satisfaction=c.satisfaction,
        satisfaction_reason=c.satisfaction_reason,
        response_due=c.response_due,
        resolve_due=c.resolve_due,
        first_response_at=c.first_response_at,
        handled_at=c.handled_at,
        closed_at=c.closed_at,
        escalated_at=c.escalated_at,
        reception_id=c.reception_id,
        overdue=overdue_kind(c.status, c.response_due, c.resolve_due, c.first_response_at, at),
        steps=steps,
        attachments=attachments,
    )


# --- The ledger (投诉台帐) --------------------------------------------------------------------


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
    text = " ".join(criteria.text.split())
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


def rows(ids: list[int], at: dt.datetime | None = None) -> list[ComplaintRow]:
    """The ledger lines of ``ids``, in that order."""
    if not ids:
        return []
    at = at or now()
    query = (
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
        )
        .join(Customer, JOIN.LEFT_OUTER, on=(Complaint.customer == Customer.id))
        .switch(Complaint)
        .join(Owner, on=(Complaint.receiver == Owner.id))
        .where(Complaint.id.in_(ids))
        .dicts()
    )
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
        )
    return [by_id[i] for i in ids if i in by_id]


@dataclass(frozen=True)
class LedgerTotals:
    """The sums under the ledger for the filtered complaints."""

    count: int
    by_status: dict[str, int]
    open: int
    overdue: int
    major_or_group: int
    at_fault: int
    average_satisfaction: float | None


def totals(criteria: LedgerFilter, at: dt.datetime | None = None) -> LedgerTotals:
    at = at or now()
    by_status = {
        status: count
        for status, count in _where(
            Complaint.select(Complaint.status, fn.COUNT(Complaint.id)), criteria, at
        )
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
        .tuples()
        .get()
    )
    overdue = _where(Complaint.select(), criteria, at).where(_overdue_condition(at)).count()
    return LedgerTotals(
        count=sum(by_status.values()),
        by_status=by_status,
        open=sum(by_status.get(status, 0) for status in OPEN_STATUSES),
        overdue=overdue,
        major_or_group=int(figures[0] or 0),
        at_fault=int(figures[1] or 0),
        average_satisfaction=float(figures[2]) if figures[2] is not None else None,
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


# --- Export ---------------------------------------------------------------------------------

EXPORT_COLUMNS: list[tuple[str, Callable[[Complaint], Any]]] = [
    (N_("Number"), lambda c: c.number),
    (N_("Status"), lambda c: status_label(c.status)),
    (N_("Time received"), lambda c: c.received_at),
    (N_("Channel"), lambda c: channel_label(c.channel)),
    (N_("Customer"), lambda c: c.customer.name if c.customer_id else ""),
    (N_("Contact"), lambda c: c.contact_name),
    (N_("Contact phone"), lambda c: c.contact_phone),
    (N_("Category"), lambda c: category_label(c.category)),
    (N_("Severity"), lambda c: severity_label(c.severity)),
    (N_("Facts"), lambda c: c.facts),
    (N_("Desired outcome"), lambda c: c.desired_outcome),
    (N_("First responder"), lambda c: c.receiver.display_name),
    (N_("Department"), lambda c: department_label(c.department) if c.department else ""),
    (N_("Handler"), lambda c: c.handler_name),
    (N_("Result"), lambda c: c.result),
    (N_("Company at fault"), lambda c: c.company_at_fault),
    (N_("Root cause"), lambda c: c.root_cause),
    (N_("Corrective action"), lambda c: c.corrective_action),
    (N_("Customer's opinion"), lambda c: c.customer_opinion),
    (N_("Satisfaction"), lambda c: c.satisfaction),
    (N_("Reason for the satisfaction"), lambda c: c.satisfaction_reason),
    (N_("Response due"), lambda c: c.response_due),
    (N_("Resolution due"), lambda c: c.resolve_due),
    (N_("First response"), lambda c: c.first_response_at),
    (N_("Handled at"), lambda c: c.handled_at),
    (N_("Closed at"), lambda c: c.closed_at),
    (N_("Escalated at"), lambda c: c.escalated_at),
    (
        N_("Overdue"),
        lambda c: (
            _(OVERDUE_LABELS[kind])
            if (kind := overdue_kind(c.status, c.response_due, c.resolve_due, c.first_response_at))
            else ""
        ),
    ),
]


def _export_rows(ids: list[int], progress: Callable[[int], None] | None) -> Iterator[list[Any]]:
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        query = (
            Complaint.select(Complaint, Customer, Owner)
            .join(Customer, JOIN.LEFT_OUTER, on=(Complaint.customer == Customer.id))
            .switch(Complaint)
            .join(Owner, on=(Complaint.receiver == Owner.id))
            .where(Complaint.id.in_(chunk))
        )
        by_id = {c.id: c for c in query}
        for complaint_id in chunk:
            complaint = by_id.get(complaint_id)
            if complaint is not None:
                yield [value(complaint) for _title, value in EXPORT_COLUMNS]
        if progress:
            progress(start + len(chunk))


def export_ledger(
    actor: Staff,
    path: Path,
    criteria: LedgerFilter,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the filtered ledger to CSV or XLSX (manager); returns the number of rows."""
    from csoffice.transfer import check_export_path, write_table

    auth.require(actor, "export")
    path = Path(path)
    check_export_path(path)
    ids = search_ids(criteria, "number", descending=False)
    count = write_table(
        path,
        [_(title) for title, _value in EXPORT_COLUMNS],
        _export_rows(ids, progress),
        sheet_title=_("Complaint ledger"),
    )
    with db.atomic():
        audit.record(
            actor, "export", "complaint", None, summary=f"{count} → {path.name}", changes=None
        )
    return count


def export(
    actor: Staff, path: Path, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> int:
    """``python -m csoffice export complaints --out FILE [--from D --to D]``."""
    return export_ledger(actor, path, LedgerFilter(date_from=date_from, date_to=date_to))


# --- Checks ---------------------------------------------------------------------------------


def numbers_gap_free() -> list[str]:
    """Each month's numbers run 1, 2, 3… without a gap or a repeat, and match the counter."""
    problems = []
    counters = {
        row.name.split(":", 1)[1]: row.value
        for row in Counter.select().where(Counter.name.startswith("complaint:"))
    }
    seen = set()
    query = (
        Complaint.select(
            Complaint.number_period,
            fn.COUNT(Complaint.id),
            fn.COUNT(Complaint.number_seq.distinct()),
            fn.MIN(Complaint.number_seq),
            fn.MAX(Complaint.number_seq),
        )
        .group_by(Complaint.number_period)
        .tuples()
    )
    for period, count, distinct, low, high in query:
        seen.add(period)
        if distinct != count:
            problems.append(
                _("Complaint numbers of {period} are used more than once.").format(period=period)
            )
        if low != 1 or high != count:
            problems.append(
                _(
                    "Complaint numbers of {period} have gaps: {count} complaints, 1 to {high}."
                ).format(period=period, count=count, high=high)
            )
        if counters.get(period, 0) != high:
            problems.append(
                _(
                    "The number counter of {period} stands at {value}, the last number is {high}."
                ).format(period=period, value=counters.get(period, 0), high=high)
            )
    for period, value in counters.items():
        if period not in seen and value:
            problems.append(
                _(
                    "The number counter of {period} stands at {value}, but no complaint has such a number."
                ).format(period=period, value=value)
            )
    duplicates = (
        Complaint.select(Complaint.number)
        .group_by(Complaint.number)
        .having(fn.COUNT(Complaint.id) > 1)
        .tuples()
    )
    problems.extend(
        _("Complaint number {number} is used more than once.").format(number=number)
        for (number,) in duplicates
    )
    return problems
