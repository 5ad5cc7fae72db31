"""After a call: a dissatisfied answer becomes a complaint; the manager's sample check."""

from __future__ import annotations

import datetime as dt
import json
import random

from csoffice import audit, auth, changes, complaints
from csoffice.changes import Change
from csoffice.db.database import db
from csoffice.db.lookup import tuples_of
from csoffice.db.models import Complaint, Customer, ReturnVisit, Staff, now
from csoffice.errors import Conflict, ValidationError
from csoffice.i18n import _, format_date
from csoffice.visits.calls import _create, _update, get
from csoffice.visits.codes import _int_setting, label, satisfaction_label

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
    elif origin.complaint is not None:
        category = origin.complaint.category
    elif origin.kind == "7dc" and origin.service_event is not None:
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
    # Inside raise_complaint's transaction, raise_complaint tells once it commits.
    if not db.in_transaction():
        changes.emit(Change.VISIT)


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
    changes.emit(Change.COMPLAINT, Change.VISIT)
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
        for row in tuples_of(
            ReturnVisit.select(ReturnVisit.id, ReturnVisit.customer)
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
        )
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
    changes.emit(Change.VISIT)
    return ids
