"""Fetching one complaint, the write transaction every complaint write uses, and the
timeline step a write adds."""

from __future__ import annotations

import datetime as dt

from csoffice.complaints.codes import FINAL_STATUSES, status_label
from csoffice.db.database import db, is_sqlite
from csoffice.db.lookup import get_or_not_found
from csoffice.db.models import Complaint, ComplaintStep, Staff, now
from csoffice.errors import Conflict
from csoffice.i18n import _

# A complaint that repeats another is listed but counted with the one it repeats.
COUNTED = Complaint.duplicate_of.is_null()

# What a round of handling records, kept on the step that recorded it (handle: the first four;
# inform: the last three).
ROUND_FIELDS = (
    "result",
    "company_at_fault",
    "root_cause",
    "corrective_action",
    "customer_opinion",
    "satisfaction",
    "satisfaction_reason",
)


def _write():
    """A write transaction. On SQLite it takes the write lock at once (BEGIN IMMEDIATE), so two
    desks saving together queue up instead of one failing on a stale read snapshot."""
    if is_sqlite() and db.transaction_depth() == 0:
        return db.atomic(lock_type="IMMEDIATE")
    return db.atomic()


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


def _check_version(complaint: Complaint, version: int | None) -> None:
    if version is not None and complaint.version != version:
        who = complaint.updated_by.display_name if complaint.updated_by else "?"
        raise Conflict(
            _(
                "Complaint {number} was changed by {name} at {time}; reload it and try again."
            ).format(number=complaint.number, name=who, time=complaint.updated_at.strftime("%H:%M"))
        )


def refuse_if_final(complaint: Complaint) -> None:
    """A closed or rejected complaint is on file: nothing more is written on it."""
    if complaint.status in FINAL_STATUSES:
        raise Conflict(
            _("A {status} complaint cannot be changed.").format(
                status=status_label(complaint.status)
            )
        )


def _step(
    complaint: Complaint,
    actor: Staff | None,
    action: str,
    target: str,
    note: str = "",
    at: dt.datetime | None = None,
    department: str = "",
    assignee: str = "",
    results: dict[str, object] | None = None,
) -> ComplaintStep:
    """One timeline row; ``results`` are what a handle or inform move recorded (ROUND_FIELDS)."""
    return ComplaintStep.create(
        **(results or {}),
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
