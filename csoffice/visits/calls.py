"""Writing calls: scheduled by hand, cancelled, reassigned, and each call's result."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from csoffice import audit, auth, changes, customer_classes, survey
from csoffice.changes import Change
from csoffice.db.database import db
from csoffice.db.lookup import get_or_not_found
from csoffice.db.models import Customer, ReturnVisit, Staff, now
from csoffice.errors import Conflict, ValidationError
from csoffice.i18n import _
from csoffice.validation import clean_text
from csoffice.visits.codes import (
    _MAX,
    DISSATISFIED,
    SATISFACTION,
    _int_setting,
    satisfaction_label,
    staff_choices,
    status_label,
)

# --- Writing calls ----------------------------------------------------------------------------


def _create(actor: Staff, **values: Any) -> ReturnVisit:
    """A new call with ``values``, signed by ``actor``."""
    return ReturnVisit.create(**values, created_by=actor, updated_by=actor)


def _update(actor: Staff | None, *where: Any, **values: Any) -> None:
    """Write ``values`` on the calls that match ``where``, signed by ``actor`` now."""
    ReturnVisit.update(**values, updated_by=actor, updated_at=now()).where(*where).execute()


# --- Calls scheduled by hand, cancelling ---------------------------------------------------------


def _check_caller(staff_id: int | None, errors: dict[str, str]) -> None:
    if staff_id is not None and staff_id not in {s for s, _n in staff_choices()}:
        errors["assigned_to"] = _("Choose a clerk who makes calls.")


def schedule(
    actor: Staff,
    customer_id: int | None,
    due_on: dt.date | None,
    assigned_to: int | None = None,
    note: str = "",
    today: dt.date | None = None,
) -> ReturnVisit:
    """A call scheduled by hand, with what it is about."""
    auth.require(actor, "edit")
    today = today or dt.date.today()
    errors: dict[str, str] = {}
    customer = Customer.get_or_none(Customer.id == customer_id) if customer_id else None
    if customer is None:
        errors["customer"] = _("Pick the customer to call.")
    elif customer.status != "active":
        errors["customer"] = _("This customer's file is archived.")
    if due_on is None:
        errors["due_on"] = _("Enter the date of the call.")
    elif due_on < today:
        errors["due_on"] = _("The call cannot be scheduled in the past.")
    elif due_on > today + dt.timedelta(days=730):
        errors["due_on"] = _("The date is too far in the future.")
    _check_caller(assigned_to, errors)
    note = clean_text(note)
    if len(note) > _MAX["note"]:
        errors["note"] = _("At most {n} characters.").format(n=_MAX["note"])
    if errors or customer is None:  # no customer has put its message in errors
        raise ValidationError(errors)
    with db.atomic():
        visit = _create(
            actor,
            customer=customer.id,
            kind="manual",
            due_on=due_on,
            assigned_to=assigned_to,
            note=note,
        )
        audit.record(actor, "create", "visit", visit.id, summary=f"{customer.name} {due_on}")
    changes.emit(Change.VISIT)
    return visit


def get(visit_id: int) -> ReturnVisit:
    return get_or_not_found(
        ReturnVisit,
        _("No return visit with number {id}.").format(id=visit_id),
        ReturnVisit.id == visit_id,
    )


def _open(visit_id: int) -> ReturnVisit:
    visit = get(visit_id)
    if visit.status != "due":
        who = visit.done_by.display_name if visit.done_by is not None else ""
        raise Conflict(
            _("This return visit is already {status} ({name}).").format(
                status=status_label(visit.status), name=who
            )
        )
    return visit


def cancel(actor: Staff, visit_id: int, reason: str) -> ReturnVisit:
    """Cancel a call that is no longer wanted, saying why (nothing is deleted)."""
    auth.require(actor, "edit")
    reason = clean_text(reason)
    if not reason:
        raise ValidationError.single("reason", _("Give a reason."))
    with db.atomic():
        visit = _open(visit_id)
        note = f"{visit.note}\n{reason}".strip()[: _MAX["note"]]
        _update(actor, ReturnVisit.id == visit_id, status="cancelled", note=note)
        audit.record(
            actor,
            "cancel",
            "visit",
            visit_id,
            summary=reason,
            changes={"status": ["due", "cancelled"]},
        )
    changes.emit(Change.VISIT)
    return get(visit_id)


def reassign(actor: Staff, visit_id: int, staff_id: int | None) -> ReturnVisit:
    """Give an open call to another clerk (None: anyone at the desk)."""
    auth.require(actor, "edit")
    errors: dict[str, str] = {}
    _check_caller(staff_id, errors)
    if errors:
        raise ValidationError(errors)
    with db.atomic():
        visit = _open(visit_id)
        if visit.assigned_to_id == staff_id:
            return visit
        _update(actor, ReturnVisit.id == visit_id, assigned_to=staff_id)
        audit.record(
            actor,
            "update",
            "visit",
            visit_id,
            changes={"assigned_to": [visit.assigned_to_id, staff_id]},
        )
    changes.emit(Change.VISIT)
    return get(visit_id)


# --- Recording a call -----------------------------------------------------------------------


@dataclass
class ResultInput:
    """What the clerk records after a call."""

    reached: bool = True
    answers: dict[str, str] = field(default_factory=dict)  # question → answer (or note)
    satisfaction: int | None = None  # 1–5, when reached
    remarks: str = ""
    choices: dict[str, str] = field(default_factory=dict)  # question → the option chosen


@dataclass(frozen=True)
class Outcome:
    """What recording a call led to."""

    visit_id: int
    status: str  # done | due (not reached, tried again on ``due_on``)
    due_on: dt.date
    attempts: int
    dissatisfied: bool
    recheck_id: int | None  # the call scheduled to follow a dissatisfied answer


def _clean_result(data: ResultInput) -> dict[str, Any]:
    errors: dict[str, str] = {}
    remarks = clean_text(data.remarks, multiline=True)
    if len(remarks) > _MAX["remarks"]:
        errors["remarks"] = _("At most {n} characters.").format(n=_MAX["remarks"])
    answers = {}
    for question, answer in (data.answers or {}).items():
        text = clean_text(str(answer or ""))
        if len(text) > _MAX["answer"]:
            errors["answers"] = _("At most {n} characters.").format(n=_MAX["answer"])
        if text:
            answers[str(question)] = text
    satisfaction = None
    if data.reached:
        if data.satisfaction not in SATISFACTION:
            errors["satisfaction"] = _("Choose the customer's satisfaction, 1 to 5.")
        satisfaction = data.satisfaction
    if errors:
        raise ValidationError(errors)
    return dict(remarks=remarks, answers=answers, satisfaction=satisfaction)


def record_result(
    actor: Staff, visit_id: int, data: ResultInput, at: dt.datetime | None = None
) -> Outcome:
    """Record a call. Reached: the answers, satisfaction and remarks, and the call is done; a
    dissatisfied answer (2 or less) schedules another call in "visits.recheck_days". Not
    reached: the attempt is counted and the call is tried again "visits.retry_days" later, until
    "visits.max_attempts" attempts (0: no limit) close it as not reached."""
    auth.require(actor, "edit")
    at = (at or now()).replace(microsecond=0)
    values = _clean_result(data)
    with db.atomic():
        visit = _open(visit_id)
        attempts = visit.attempts + 1
        before = audit.snapshot(visit, ["status", "due_on", "attempts", "reached", "satisfaction"])
        recheck_id = None
        finished = dict(status="done", done_at=at, done_by=actor.id, attempts=attempts)
        if data.reached:
            scored, texts = survey.clean_answers(visit.kind, data.choices, values["answers"])
            survey.write_answers(visit, scored, at.date())
            change = finished | dict(
                reached=True,
                answers=json.dumps(texts, ensure_ascii=False),
                satisfaction=values["satisfaction"],
                remarks=values["remarks"],
            )
            days = _int_setting("visits.recheck_days", 3)
            if values["satisfaction"] <= DISSATISFIED and days > 0:
                recheck_id = _create(
                    actor,
                    customer=visit.customer_id,
                    kind="recheck",
                    due_on=at.date() + dt.timedelta(days=days),
                    recheck_of=visit.id,
                    assigned_to=actor.id,
                ).id
        else:
            limit = _int_setting("visits.max_attempts", 3, high=100)
            remarks = f"{visit.remarks}\n{values['remarks']}".strip()[: _MAX["remarks"]]
            if limit and attempts >= limit:
                change = finished | dict(reached=False, remarks=remarks)
            else:
                retry = max(1, _int_setting("visits.retry_days", 1))
                change = dict(
                    attempts=attempts,
                    reached=False,
                    due_on=max(at.date(), visit.due_on) + dt.timedelta(days=retry),
                    remarks=remarks,
                )
        _update(actor, ReturnVisit.id == visit_id, **change)
        if data.reached:
            customer_classes.follow(actor, visit.customer_id)
        after = {**before, **{k: v for k, v in change.items() if k in before}}
        audit.record(
            actor,
            "record" if data.reached else "attempt",
            "visit",
            visit_id,
            summary=satisfaction_label(values["satisfaction"]) if data.reached else "",
            changes=audit.diff(before, after),
        )
    # A call that reached the customer may change their class (customer_classes.follow).
    changes.emit(*((Change.VISIT, Change.CUSTOMER) if data.reached else (Change.VISIT,)))
    visit = get(visit_id)
    return Outcome(
        visit_id=visit_id,
        status=visit.status,
        due_on=visit.due_on,
        attempts=visit.attempts,
        dissatisfied=bool(visit.reached and (visit.satisfaction or 5) <= DISSATISFIED),
        recheck_id=recheck_id,
    )
