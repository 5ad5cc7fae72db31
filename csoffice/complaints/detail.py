"""Reading one complaint as shown: the form, where it stands, its timeline and attachments."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from peewee import JOIN

from csoffice import attachments as archive_files
from csoffice.complaints.codes import action_label, department_label, label, status_label
from csoffice.complaints.form import FIELD_LABELS, ComplaintInput
from csoffice.complaints.limits import overdue_kind
from csoffice.complaints.records import get, get_by_number
from csoffice.db.models import Attachment, Complaint, ComplaintStep, Staff
from csoffice.i18n import _


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
            staff_name=step.staff.display_name if step.staff is not None else _("System"),
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
