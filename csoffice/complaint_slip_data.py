"""What the printed complaint slip carries beyond the complaint itself: the customer's file
number and address, the reception it came from, when it was handed to the department, which
copy is printed (the department's, with the full phone it must call, or the filed one,
masked) and, for a re-opened complaint, the earlier rounds' results it supersedes.

Gathered here, in the domain, so csoffice.printing lays out plain data (with the office's
letterhead in it)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from csoffice import complaints, settings
from csoffice.complaints import ComplaintView
from csoffice.db.models import AuditLog, Customer
from csoffice.i18n import N_
from csoffice.printing.office import Office
from csoffice.validation import mask_phone

COPIES = {"filed": N_("Filed copy"), "department": N_("Department copy")}
ROUND_FIELDS = ("result", "root_cause", "corrective_action", "customer_opinion", "satisfaction")


@dataclass(frozen=True)
class EarlierRound:
    """A round of handling that a re-opening superseded."""

    result: str
    root_cause: str
    corrective_action: str
    customer_opinion: str
    satisfaction: int | None
    reopened_at: dt.datetime
    reason: str


@dataclass(frozen=True)
class SlipData:
    """Everything the slip prints, and the letterhead it is printed on."""

    view: ComplaintView
    office: Office
    copy: str  # filed | department
    phone: str  # as printed: masked on the filed copy, in full on the department's
    customer_file_no: str
    customer_address: str
    reception_no: str
    handed_over_at: dt.datetime | None
    earlier_rounds: list[EarlierRound] = field(default_factory=list)
    # The current round's result fields are the earlier round's until it is handled again.
    current_round_open: bool = False


def slip_data(complaint_id: int, copy: str = "filed") -> SlipData:
    """Everything the slip of ``complaint_id`` prints, for the ``copy`` asked for."""
    view = complaints.view(complaint_id)
    customer = Customer.get_or_none(Customer.id == view.customer_id) if view.customer_id else None
    handed = next((step.at for step in view.steps if step.department), None)
    rounds = _earlier_rounds(view)
    last_reopen = max((r.reopened_at for r in rounds), default=None)
    handled_since = last_reopen is not None and any(
        step.action == "handle" and step.at >= last_reopen for step in view.steps
    )
    return SlipData(
        view=view,
        office=settings.office(),
        copy=copy if copy in COPIES else "filed",
        phone=view.contact_phone if copy == "department" else mask_phone(view.contact_phone),
        customer_file_no=str(customer.id) if customer else "",
        customer_address=customer.address if customer else "",
        reception_no=str(view.reception_id) if view.reception_id else "",
        handed_over_at=handed,
        earlier_rounds=rounds,
        current_round_open=last_reopen is not None and not handled_since,
    )


def _earlier_rounds(view: ComplaintView) -> list[EarlierRound]:
    """The result fields as they stood at each re-opening, replayed from the audit trail."""
    reopenings = [step for step in view.steps if step.action == "reopen"]
    if not reopenings:
        return []
    state: dict[str, object] = {}
    rounds: list[EarlierRound] = []
    moves = (
        AuditLog.select()
        .where(
            AuditLog.entity == "complaint",
            AuditLog.entity_id == view.id,
            AuditLog.action == "move",
        )
        .order_by(AuditLog.at, AuditLog.id)
    )
    steps = iter(reopenings)
    for row in moves:
        changes = json.loads(row.changes) if row.changes else {}
        if row.summary.endswith("(reopen)"):
            step = next(steps, None)
            rounds.append(
                EarlierRound(
                    result=str(state.get("result") or ""),
                    root_cause=str(state.get("root_cause") or ""),
                    corrective_action=str(state.get("corrective_action") or ""),
                    customer_opinion=str(state.get("customer_opinion") or ""),
                    satisfaction=state.get("satisfaction"),  # type: ignore[arg-type]
                    reopened_at=step.at if step else row.at,
                    reason=step.note if step else "",
                )
            )
        for name, (_before, after) in changes.items():
            if name in ROUND_FIELDS:
                state[name] = after
    return rounds
