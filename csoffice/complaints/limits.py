"""Response and resolution deadlines, what counts as overdue, and escalation to the manager."""

from __future__ import annotations

import datetime as dt

from csoffice import audit, settings
from csoffice.changes import Change
from csoffice.complaints.codes import DEFAULT_DEADLINES, OPEN_STATUSES
from csoffice.complaints.records import COUNTED, _write
from csoffice.db.database import emit_after_commit
from csoffice.db.models import Complaint, ComplaintStep, now
from csoffice.i18n import N_
from csoffice.workdays import add_complaint_hours


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
    "and that were not handled by that limit; rejected complaints and duplicates excepted."
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
        COUNTED,
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
    if escalated:
        emit_after_commit(Change.COMPLAINT)
    return escalated
