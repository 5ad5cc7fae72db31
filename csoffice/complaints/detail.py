"""Reading one complaint as shown: the form, where it stands, its timeline and attachments."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

from peewee import JOIN

from csoffice import attachments as archive_files
from csoffice.complaints.codes import action_label, department_label, label, status_label
from csoffice.complaints.form import FIELD_LABELS, ComplaintInput, to_input
from csoffice.complaints.grouping import Complainant, complainants, duplicates_of
from csoffice.complaints.limits import overdue_kind
from csoffice.complaints.records import get, get_by_number
from csoffice.db.models import Attachment, Complaint, ComplaintStep, Staff
from csoffice.i18n import _


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
    # What a handle step recorded; what an inform step recorded (empty on other steps).
    result: str = ""
    company_at_fault: bool | None = None
    root_cause: str = ""
    corrective_action: str = ""
    customer_opinion: str = ""
    satisfaction: int | None = None
    satisfaction_reason: str = ""

    @property
    def action_label(self) -> str:
        return action_label(self.action)

    @property
    def status_label(self) -> str:
        return status_label(self.to_status)

    def results_text(self) -> str:
        """What this step recorded of its round (a handle or inform step), in words."""
        fault = {True: _("Yes"), False: _("No"), None: ""}[self.company_at_fault]
        score = ""
        if self.satisfaction is not None:
            score = _("{score} of 5").format(score=self.satisfaction)
            if self.satisfaction_reason:
                score += "：" + self.satisfaction_reason
        parts = [
            (_("Result"), self.result),
            (_("Company at fault"), fault),
            (_("Root cause"), self.root_cause),
            (_("Corrective action"), self.corrective_action),
            (_("Customer's opinion"), self.customer_opinion),
            (_("Satisfaction"), score),
        ]
        return "；".join(f"{label}：{value}" for label, value in parts if value)

    def remarks(self) -> str:
        """The timeline's remarks column: department, assignee, what was recorded, the note."""
        parts = (self.department, self.assignee, self.results_text(), self.note)
        return "；".join(part for part in parts if part)


@dataclass(frozen=True)
class Round:
    """One round of handling: from the complaint's receipt or a re-opening to the next
    re-opening (or now). Its result is the last handle step's in it, the customer's answer the
    last inform step's; a round sent back for rework keeps only its final result."""

    number: int  # 1, 2, …
    started_at: dt.datetime
    handled: StepRow | None
    informed: StepRow | None
    reopened: StepRow | None  # the re-opening that ended it; None for the current round

    @property
    def superseded(self) -> bool:
        return self.reopened is not None


def rounds_of(steps: list[StepRow]) -> list[Round]:
    """The rounds of a timeline, the first first."""
    out: list[Round] = []
    start = steps[0].at if steps else dt.datetime.min
    handled = informed = None
    for step in steps:
        if step.action == "handle":
            handled, informed = step, None  # a new result wants a new answer from the customer
        elif step.action == "inform":
            informed = step
        elif step.action == "reopen":
            out.append(Round(len(out) + 1, start, handled, informed, step))
            start, handled, informed = step.at, None, None
    out.append(Round(len(out) + 1, start, handled, informed, None))
    return out


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
    complainants: list[Complainant] = field(default_factory=list)  # a group's, its own first
    duplicate_of: str = ""  # the number of the complaint this one repeats
    duplicates: list[str] = field(default_factory=list)  # numbers of those repeating this one

    @property
    def status_label(self) -> str:
        return status_label(self.status)

    @property
    def people(self) -> int:
        """How many people complain: the contact and a group's other complainants."""
        return 1 + sum(1 for person in self.complainants if person.added_at is not None)

    @property
    def rounds(self) -> list[Round]:
        return rounds_of(self.steps)

    def as_input(self) -> ComplaintInput:
        return to_input(self)


def _step_note(action: str, note: str) -> str:
    if action == "edit":  # the fields corrected, stored as codes so they show in any language
        return ", ".join(label(FIELD_LABELS, name) for name in note.split(",") if name)
    return note


_HANDLED = ("result", "company_at_fault", "root_cause", "corrective_action")
_INFORMED = ("customer_opinion", "satisfaction", "satisfaction_reason")


def _with_current_values(c: Complaint, steps: list[StepRow]) -> list[StepRow]:
    """The steps, the last handle and inform ones carrying the complaint's current values when
    they recorded none themselves (rows written in bulk, such as the demo's): those values are
    theirs, as only a handle (inform) move writes them."""
    out = list(steps)
    for action, names in (("handle", _HANDLED), ("inform", _INFORMED)):
        last = next((i for i in range(len(out) - 1, -1, -1) if out[i].action == action), None)
        if last is None or any(getattr(out[last], n) not in (None, "") for n in names):
            continue
        out[last] = replace(out[last], **{n: getattr(c, n) for n in names})
    return out


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
            result=step.result,
            company_at_fault=step.company_at_fault,
            root_cause=step.root_cause,
            corrective_action=step.corrective_action,
            customer_opinion=step.customer_opinion,
            satisfaction=step.satisfaction,
            satisfaction_reason=step.satisfaction_reason,
        )
        for step in ComplaintStep.select(ComplaintStep, Staff)
        .join(Staff, JOIN.LEFT_OUTER, on=(ComplaintStep.staff == Staff.id))
        .where(ComplaintStep.complaint == c.id)
        .order_by(ComplaintStep.at, ComplaintStep.id)
    ]
    steps = _with_current_values(c, steps)
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
        complainants=complainants(c.id),
        duplicate_of=c.duplicate_of.number if c.duplicate_of_id else "",
        duplicates=duplicates_of(c.id),
    )
