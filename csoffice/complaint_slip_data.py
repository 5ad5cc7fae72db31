"""What the printed complaint slip carries beyond the complaint itself: the customer's file
number and address, the reception it came from, when it was handed to the department, which
copy is printed (the department's, with the full phone it must call, or the filed one,
masked) and, for a re-opened complaint, the earlier rounds' results it supersedes.

Gathered here, in the domain, so csoffice.printing lays out plain data (with the office's
letterhead in it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from csoffice import complaints, settings
from csoffice.complaints import ComplaintView
from csoffice.db.models import Customer
from csoffice.i18n import N_
from csoffice.printing.office import Office
from csoffice.validation import mask_phone

COPIES = {"filed": N_("Filed copy"), "department": N_("Department copy")}


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
    # A group complaint's complainants (name and masked phone), its own customer first.
    complainants: list[str] = field(default_factory=list)


def slip_data(complaint_id: int, copy: str = "filed") -> SlipData:
    """Everything the slip of ``complaint_id`` prints, for the ``copy`` asked for."""
    view = complaints.view(complaint_id)
    customer = Customer.get_or_none(Customer.id == view.customer_id) if view.customer_id else None
    handed = next((step.at for step in view.steps if step.department), None)
    rounds = _earlier_rounds(view)
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
        complainants=[f"{person.name} {person.phone}".strip() for person in view.complainants],
    )


def _earlier_rounds(view: ComplaintView) -> list[EarlierRound]:
    """The rounds a re-opening superseded, each with the results its own steps recorded."""
    out = []
    for done in view.rounds[:-1]:
        handled, informed, reopened = done.handled, done.informed, done.reopened
        assert reopened is not None  # every round but the last ends with a re-opening
        out.append(
            EarlierRound(
                result=handled.result if handled else "",
                root_cause=handled.root_cause if handled else "",
                corrective_action=handled.corrective_action if handled else "",
                customer_opinion=informed.customer_opinion if informed else "",
                satisfaction=informed.satisfaction if informed else None,
                reopened_at=reopened.at,
                reason=reopened.note,
            )
        )
    return out
