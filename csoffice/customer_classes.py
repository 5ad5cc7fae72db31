"""Customer classes that follow the facts: a dissatisfied return visit or an open complaint marks
the customer 不满意客户 until a satisfied visit or a closed complaint clears it (the class they
had comes back); a 新客户 becomes 普通 after "customers.new_months" months. Every change is an
audit row ("class") the customer's history shows.
"""

from __future__ import annotations

import datetime as dt
import json

from csoffice import audit, changes, settings
from csoffice.changes import Change
from csoffice.dates import add_months
from csoffice.db.database import db
from csoffice.db.lookup import tuples_of
from csoffice.db.models import AuditLog, Complaint, Customer, ReturnVisit, Staff, now
from csoffice.i18n import _

DISSATISFIED_SCORE = 2  # a satisfaction of 2 or less marks; 4 or more clears
SATISFIED_SCORE = 4
_OPEN = ("closed", "rejected")


def _set_class(actor: Staff | None, customer: Customer, new: str, reason: str) -> None:
    Customer.update(customer_class=new, updated_at=now(), version=Customer.version + 1).where(
        Customer.id == customer.id
    ).execute()
    audit.record(
        actor,
        "class",
        "customer",
        customer.id,
        summary=reason,
        changes={"customer_class": [customer.customer_class, new]},
    )


def _class_before_marking(customer_id: int) -> str:
    """The class the customer had when last marked dissatisfied (ordinary when unknown)."""
    rows = (
        AuditLog.select(AuditLog.changes)
        .where(
            AuditLog.entity == "customer",
            AuditLog.entity_id == customer_id,
            AuditLog.action == "class",
        )
        .order_by(AuditLog.id.desc())
    )
    for (recorded,) in tuples_of(rows):
        try:
            before, after = json.loads(recorded)["customer_class"]
        except (ValueError, KeyError, TypeError):
            continue
        if after == "dissatisfied" and before and before != "dissatisfied":
            return before
    return "ordinary"


def _last_signal(customer_id: int) -> str | None:
    """ "bad" or "good": what the latest scored visit or closed complaint said (None: neither)."""
    visit = (
        ReturnVisit.select(ReturnVisit.done_at, ReturnVisit.satisfaction)
        .where(
            ReturnVisit.customer == customer_id,
            ReturnVisit.status == "done",
            ReturnVisit.reached == True,
            (ReturnVisit.satisfaction <= DISSATISFIED_SCORE)
            | (ReturnVisit.satisfaction >= SATISFIED_SCORE),
        )
        .order_by(ReturnVisit.done_at.desc(), ReturnVisit.id.desc())
        .first()
    )
    closed = (
        Complaint.select(Complaint.closed_at)
        .where(
            Complaint.customer == customer_id,
            Complaint.status == "closed",
            Complaint.closed_at.is_null(False),
        )
        .order_by(Complaint.closed_at.desc(), Complaint.id.desc())
        .first()
    )
    if visit is None and closed is None:
        return None
    if visit is None or (closed is not None and closed.closed_at >= visit.done_at):
        return "good"
    return "bad" if visit.satisfaction <= DISSATISFIED_SCORE else "good"


def follow(actor: Staff | None, customer_id: int | None) -> str | None:
    """Mark or clear 不满意客户 from the customer's facts (inside the caller's transaction);
    returns the new class when it changed."""
    if customer_id is None:
        return None
    customer = Customer.get_or_none(Customer.id == customer_id)
    if customer is None or customer.status != "active":
        return None
    open_complaint = (
        Complaint.select()
        .where(Complaint.customer == customer_id, Complaint.status.not_in(_OPEN))
        .exists()
    )
    signal = "bad" if open_complaint else _last_signal(customer_id)
    if signal == "bad" and customer.customer_class != "dissatisfied":
        reason = (
            _("Marked dissatisfied: an open complaint")
            if open_complaint
            else _("Marked dissatisfied: a dissatisfied return visit")
        )
        _set_class(actor, customer, "dissatisfied", reason)
        return "dissatisfied"
    if signal == "good" and customer.customer_class == "dissatisfied":
        before = _class_before_marking(customer_id)
        _set_class(
            actor,
            customer,
            before,
            _("Dissatisfied cleared: a satisfied return visit or a closed complaint"),
        )
        return before
    return None


def new_months() -> int:
    try:
        return max(1, min(int(settings.get("customers.new_months")), 120))
    except (TypeError, ValueError):
        return 6


def age_new_customers(actor: Staff | None, today: dt.date | None = None) -> int:
    """新客户 whose file is older than "customers.new_months" months become 普通; returns how
    many. Safe to run at every start."""
    today = today or dt.date.today()
    cutoff = dt.datetime.combine(add_months(today, -new_months()), dt.time())
    old = list(
        Customer.select().where(
            Customer.customer_class == "new",
            Customer.status == "active",
            Customer.created_at < cutoff,
        )
    )
    if not old:
        return 0
    reason = _("New customer for {n} months: now ordinary").format(n=new_months())
    with db.atomic():
        for customer in old:
            _set_class(actor, customer, "ordinary", reason)
    changes.emit(Change.CUSTOMER)
    return len(old)
