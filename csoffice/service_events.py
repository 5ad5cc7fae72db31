"""A customer's service events — purchase, delivery, repair, maintenance, inspection, insurance —
which return visits and reminders are scheduled from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from csoffice import audit, auth, changes, settings
from csoffice.changes import Change
from csoffice.dates import add_months
from csoffice.db.database import db
from csoffice.db.models import ServiceEvent, Staff
from csoffice.errors import NotFound, ValidationError
from csoffice.i18n import N_, _
from csoffice.validation import clean_text

# The kinds of service event, which the visit rules, the paper file's checklist and the
# importers name; the customer's history shows them under these labels.
SERVICE_KINDS = {
    "purchase": N_("Purchase"),
    "delivery": N_("Delivery"),
    "repair": N_("Repair"),
    "maintenance": N_("Maintenance"),
    "inspection": N_("Annual inspection"),
    "insurance": N_("Insurance renewal"),
    "handover": N_("Handover"),
}


@dataclass
class ServiceEventInput:
    kind: str = "purchase"
    date: dt.date | None = None
    product: str = ""
    amount: str = ""
    note: str = ""
    remind_on: dt.date | None = None


def clean(data: ServiceEventInput, today: dt.date) -> dict:
    """The columns of an event from ``data``; ValidationError names each wrong field."""
    errors = {}
    if data.kind not in SERVICE_KINDS:
        errors["kind"] = _("Choose a kind from the list.")
    if data.date is None:
        errors["date"] = _("Enter the date.")
    elif data.date > today + dt.timedelta(days=366):
        errors["date"] = _("The date is too far in the future.")
    amount = None
    if data.amount.strip():
        try:
            amount = Decimal(data.amount.strip().replace(",", "").replace("¥", ""))
            if amount < 0:
                raise InvalidOperation
        except InvalidOperation:
            errors["amount"] = _("Enter an amount like 1280.00.")
    if errors or data.date is None:  # no date is among the errors
        raise ValidationError(errors)
    return dict(
        kind=data.kind,
        date=data.date,
        product=clean_text(data.product)[:120],
        amount=amount,
        note=clean_text(data.note, multiline=True)[:2000],
        remind_on=data.remind_on or next_due(data.kind, data.date),
    )


def next_due(kind: str, date: dt.date) -> dt.date | None:
    """When the next one falls due after a maintenance, annual inspection or insurance renewal
    on ``date``, by the office's rule "reminders.months" ({kind: months}); None for other kinds
    or a rule switched off (0). The Today board reminds "today.reminder_days" ahead of it."""
    rules = settings.get("reminders.months") or {}
    try:
        months = int(rules.get(kind) or 0) if isinstance(rules, dict) else 0
    except (TypeError, ValueError):
        months = 0
    return add_months(date, months) if 0 < months <= 120 else None


def add(
    actor: Staff, customer_id: int, data: ServiceEventInput, today: dt.date | None = None
) -> ServiceEvent:
    auth.require(actor, "edit")
    values = clean(data, today or dt.date.today())
    with db.atomic():
        event = ServiceEvent.create(
            customer=customer_id, created_by=actor, updated_by=actor, **values
        )
        audit.record(
            actor,
            "create",
            "service_event",
            event.id,
            summary=f"{customer_id}: {data.kind} {data.date}",
        )
    changes.emit(Change.SERVICE_EVENT)
    return event


def void(actor: Staff, event_id: int, reason: str) -> None:
    auth.require(actor, "edit")
    if not reason.strip():
        raise ValidationError.single("reason", _("Give a reason."))
    with db.atomic():
        if (
            ServiceEvent.update(status="voided", updated_by=actor)
            .where(ServiceEvent.id == event_id)
            .execute()
            != 1
        ):
            raise NotFound(_("No such service event."))
        audit.record(actor, "void", "service_event", event_id, summary=reason)
    changes.emit(Change.SERVICE_EVENT)


@dataclass(frozen=True)
class ServiceEventRow:
    id: int
    kind: str
    date: dt.date
    product: str
    amount: Decimal | None
    note: str
    remind_on: dt.date | None
    handled_by: str = ""  # the salesperson or technician an imported list named


def list_for(customer_id: int) -> list[ServiceEventRow]:
    query = ServiceEvent.select().where(
        ServiceEvent.customer == customer_id, ServiceEvent.status == "active"
    )
    return [
        ServiceEventRow(
            e.id, e.kind, e.date, e.product, e.amount, e.note, e.remind_on, e.handled_by
        )
        for e in query.order_by(ServiceEvent.date.desc(), ServiceEvent.id.desc())
    ]


def kind_label(kind: str) -> str:
    return _(SERVICE_KINDS.get(kind, kind))
