"""The workflow: each move of the state machine, who may make it, what it records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from csoffice import audit, auth, customer_classes
from csoffice.changes import Change
from csoffice.complaints.codes import (
    MANAGER_SEVERITIES,
    MOVES,
    TRANSITIONS,
    action_label,
    severity_label,
    status_label,
)
from csoffice.complaints.form import _text
from csoffice.complaints.limits import deadline_hours
from csoffice.complaints.records import (
    ROUND_FIELDS,
    _check_version,
    _step,
    _write,
    get,
    refuse_if_final,
)
from csoffice.db.database import emit_after_commit
from csoffice.db.models import Complaint, Staff, now
from csoffice.errors import Conflict, ValidationError
from csoffice.i18n import _
from csoffice.workdays import add_complaint_hours


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
            results={name: values[name] for name in ROUND_FIELDS if name in values},
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
    emit_after_commit(Change.COMPLAINT)
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
        refuse_if_final(complaint)
        at = now()
        if complaint.first_response_at is None:
            Complaint.update(first_response_at=at).where(Complaint.id == complaint.id).execute()
        _step(complaint, actor, "note", complaint.status, note=text, at=at)
        audit.record(actor, "note", "complaint", complaint.id, summary=complaint.number)
    emit_after_commit(Change.COMPLAINT)
    return get(complaint_id)
