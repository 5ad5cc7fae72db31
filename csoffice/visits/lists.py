"""The due list (to call, overdue, done…), its rows and one call as the dialog shows it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from peewee import JOIN

from csoffice import survey
from csoffice.db.database import db
from csoffice.db.lookup import dicts_of, in_id_order, tuples_of
from csoffice.db.models import Complaint, Customer, ReturnVisit, ServiceEvent, Staff
from csoffice.i18n import N_, _, format_date
from csoffice.service_events import kind_label as event_label
from csoffice.validation import mask_phone
from csoffice.visits.calls import get
from csoffice.visits.codes import DISSATISFIED, label, questions, satisfaction_label, status_label
from csoffice.visits.follow_up import _answers

# --- The due list ---------------------------------------------------------------------------

VIEWS = {
    "due": N_("Due today and overdue"),
    "upcoming": N_("Scheduled later"),
    "done": N_("Done"),
    "cancelled": N_("Cancelled"),
    "all": N_("All"),
}


@dataclass(frozen=True)
class VisitFilter:
    """The list's filters; empty values mean 'any'. Dates are due dates."""

    view: str = "due"
    kind: str = ""
    staff_id: int | None = None  # assigned to (for done calls: who made them)
    unassigned: bool = False
    date_from: dt.date | None = None
    date_to: dt.date | None = None


Assignee = Staff.alias()
Caller = Staff.alias()

SORT_KEYS = {
    "due_on": (ReturnVisit.due_on,),
    "kind": (ReturnVisit.kind,),
    "customer": (Customer.name,),
    "assigned": (ReturnVisit.assigned_to,),
    "done_at": (ReturnVisit.done_at,),
    "satisfaction": (ReturnVisit.satisfaction,),
    "attempts": (ReturnVisit.attempts,),
}


def _where(query, criteria: VisitFilter, today: dt.date):
    view = criteria.view
    if view == "due":
        query = query.where(ReturnVisit.status == "due", ReturnVisit.due_on <= today)
    elif view == "upcoming":
        query = query.where(ReturnVisit.status == "due", ReturnVisit.due_on > today)
    elif view in ("done", "cancelled"):
        query = query.where(ReturnVisit.status == view)
    if criteria.kind:
        query = query.where(ReturnVisit.kind == criteria.kind)
    if criteria.unassigned:
        query = query.where(ReturnVisit.assigned_to.is_null())
    elif criteria.staff_id is not None:
        if view == "done":
            query = query.where(ReturnVisit.done_by == criteria.staff_id)
        else:
            query = query.where(ReturnVisit.assigned_to == criteria.staff_id)
    if criteria.date_from:
        query = query.where(ReturnVisit.due_on >= criteria.date_from)
    if criteria.date_to:
        query = query.where(ReturnVisit.due_on <= criteria.date_to)
    return query


def search_ids(
    criteria: VisitFilter,
    sort_key: str | None = None,
    descending: bool = False,
    today: dt.date | None = None,
) -> list[int]:
    """The ids of the calls that match: by due date (oldest first) unless sorted otherwise; done
    calls newest first."""
    today = today or dt.date.today()
    if sort_key not in SORT_KEYS:
        sort_key, descending = ("done_at", True) if criteria.view == "done" else ("due_on", False)
    order = [c.desc() if descending else c.asc() for c in SORT_KEYS[sort_key]]
    order.append(ReturnVisit.id.desc() if descending else ReturnVisit.id.asc())
    query = ReturnVisit.select(ReturnVisit.id)
    if sort_key == "customer":
        query = query.join(Customer, on=(ReturnVisit.customer == Customer.id))
    query = _where(query, criteria, today).order_by(*order)
    return [row[0] for row in db.execute(query).fetchall()]


def due_ids(today: dt.date | None = None) -> list[int]:
    """Every call due today or overdue, the oldest first (the desk's list for today)."""
    return search_ids(VisitFilter(view="due"), today=today)


@dataclass(frozen=True)
class VisitRow:
    """One line of the list."""

    id: int
    customer_id: int
    customer_name: str
    phone: str  # masked
    kind: str
    due_on: dt.date
    status: str
    attempts: int
    assigned_name: str
    reached: bool | None
    satisfaction: int | None
    done_at: dt.datetime | None
    done_by_name: str
    subject: str
    overdue_days: int  # days past the end of the call's window (negative: not due yet)
    window_end: dt.date | None = None  # the last day it is on time, when later than due_on

    @property
    def kind_label(self) -> str:
        return label(self.kind)

    @property
    def status_label(self) -> str:
        return status_label(self.status)

    @property
    def result_label(self) -> str:
        return result_text(self.status, self.reached, self.attempts)

    @property
    def in_window(self) -> bool:
        """Due, and still on time until a later day of its window."""
        if self.status != "due" or self.window_end is None or self.overdue_days >= 0:
            return False
        return (self.window_end - self.due_on).days >= -self.overdue_days

    @property
    def deadline_label(self) -> str:
        """How the call stands against its window: overdue, last day, by a date, or ""."""
        if self.status != "due":
            return ""
        if self.overdue_days > 0:
            return _("{n} days overdue").format(n=self.overdue_days)
        if self.overdue_days == 0:
            return _("today")
        if self.in_window:
            return _("by {date}").format(date=format_date(self.window_end, "short"))
        return ""

    @property
    def satisfaction_label(self) -> str:
        if self.satisfaction is None:
            return ""
        return f"{self.satisfaction} {satisfaction_label(self.satisfaction)}"


def result_text(status: str, reached: bool | None, attempts: int) -> str:
    if status == "done":
        return _("Reached") if reached else _("Not reached")
    if status == "cancelled":
        return status_label(status)
    if attempts:
        return _("Not reached yet ({n} attempts)").format(n=attempts)
    return ""


_SUBJECT_FIELDS = (
    ReturnVisit.id,
    ReturnVisit.service_event,
    ReturnVisit.complaint,
    ReturnVisit.note,
    ReturnVisit.recheck_of,
    ReturnVisit.sample_of,
)


def _subjects(visits: list[dict[str, Any]], depth: int = 0) -> dict[int, str]:
    """What each call is about: the product and event, the complaint number, the reason it was
    scheduled by hand; a recheck or sample check is about what its earlier call was about."""
    event_ids = {v["service_event"] for v in visits if v["service_event"]}
    complaint_ids = {v["complaint"] for v in visits if v["complaint"]}
    events = {
        e.id: e
        for e in ServiceEvent.select(
            ServiceEvent.id, ServiceEvent.kind, ServiceEvent.date, ServiceEvent.product
        ).where(ServiceEvent.id.in_(list(event_ids)))
    }
    numbers = dict(
        tuples_of(
            Complaint.select(Complaint.id, Complaint.number).where(
                Complaint.id.in_(list(complaint_ids))
            )
        )
    )
    parents = {
        v["id"]: v["recheck_of"] or v["sample_of"]
        for v in visits
        if not v["service_event"] and not v["complaint"] and (v["recheck_of"] or v["sample_of"])
    }
    earlier: dict[int, str] = {}
    if parents and depth < 5:
        found = ReturnVisit.select(*_SUBJECT_FIELDS).where(
            ReturnVisit.id.in_(list(set(parents.values())))
        )
        earlier = _subjects(list(dicts_of(found)), depth + 1)
    out = {}
    for v in visits:
        event = events.get(v["service_event"])
        if event is not None:
            out[v["id"]] = " ".join(
                x for x in (event_label(event.kind), event.date.isoformat(), event.product) if x
            )
        elif v["complaint"] in numbers:
            out[v["id"]] = numbers[v["complaint"]]
        else:
            parent = parents.get(v["id"])
            out[v["id"]] = v["note"] or (earlier.get(parent, "") if parent is not None else "")
    return out


def rows(ids: list[int], today: dt.date | None = None) -> list[VisitRow]:
    """The lines of ``ids``, in that order."""
    if not ids:
        return []
    today = today or dt.date.today()
    query = dicts_of(
        ReturnVisit.select(
            ReturnVisit.id,
            ReturnVisit.customer,
            ReturnVisit.kind,
            ReturnVisit.due_on,
            ReturnVisit.window_end,
            ReturnVisit.status,
            ReturnVisit.attempts,
            ReturnVisit.reached,
            ReturnVisit.satisfaction,
            ReturnVisit.done_at,
            ReturnVisit.service_event,
            ReturnVisit.complaint,
            ReturnVisit.note,
            ReturnVisit.recheck_of,
            ReturnVisit.sample_of,
            Customer.name.alias("customer_name"),
            Customer.mobile.alias("mobile"),
            Assignee.display_name.alias("assigned_name"),
            Caller.display_name.alias("done_by_name"),
        )
        .join(Customer, on=(ReturnVisit.customer == Customer.id))
        .switch(ReturnVisit)
        .join(Assignee, JOIN.LEFT_OUTER, on=(ReturnVisit.assigned_to == Assignee.id))
        .switch(ReturnVisit)
        .join(Caller, JOIN.LEFT_OUTER, on=(ReturnVisit.done_by == Caller.id))
        .where(ReturnVisit.id.in_(ids))
    )
    found = list(query)
    subjects = _subjects(found)
    by_id = {}
    for r in found:
        end = max(r["due_on"], r["window_end"] or r["due_on"])
        by_id[r["id"]] = VisitRow(
            id=r["id"],
            customer_id=r["customer"],
            customer_name=r["customer_name"],
            phone=mask_phone(r["mobile"] or ""),
            kind=r["kind"],
            due_on=r["due_on"],
            status=r["status"],
            attempts=r["attempts"],
            assigned_name=r["assigned_name"] or "",
            reached=r["reached"],
            satisfaction=r["satisfaction"],
            done_at=r["done_at"],
            done_by_name=r["done_by_name"] or "",
            subject=subjects.get(r["id"], ""),
            overdue_days=(today - end).days if r["status"] == "due" else 0,
            window_end=end if end > r["due_on"] else None,
        )
    return in_id_order(ids, by_id)


# --- One call, for the dialog ------------------------------------------------------------------


@dataclass(frozen=True)
class VisitView:
    """A call as the clerk sees it when making it."""

    id: int
    customer_id: int
    customer_name: str
    phone: str  # in full: the clerk is about to dial it
    kind: str
    due_on: dt.date
    status: str
    attempts: int
    assigned_to: int | None
    subject: str
    note: str
    background: list[str]  # what the earlier call of a recheck or sample check said
    questions: list[str]
    answers: dict[str, str]
    reached: bool | None
    satisfaction: int | None
    remarks: str
    done_at: dt.datetime | None
    done_by_name: str
    raised_complaint_id: int | None
    raised_complaint_number: str
    survey: tuple[survey.Question, ...] = ()  # the questions asked, with their options

    @property
    def kind_label(self) -> str:
        return label(self.kind)

    @property
    def is_open(self) -> bool:
        return self.status == "due"

    @property
    def dissatisfied(self) -> bool:
        score = self.satisfaction
        return bool(self.reached) and score is not None and score <= DISSATISFIED


def view(visit_id: int, today: dt.date | None = None) -> VisitView:
    visit = get(visit_id)
    customer = visit.customer
    subject = rows([visit_id], today)[0].subject
    background = []
    parent_id = visit.recheck_of_id or visit.sample_of_id
    if parent_id:
        parent = ReturnVisit.get_or_none(ReturnVisit.id == parent_id)
        if parent is not None:
            background.append(
                _("Earlier call ({kind}) on {date} by {name}: {result} {score}")
                .format(
                    kind=label(parent.kind),
                    date=format_date(parent.done_at.date()) if parent.done_at else "",
                    name=parent.done_by.display_name if parent.done_by is not None else "",
                    result=result_text(parent.status, parent.reached, parent.attempts),
                    score=satisfaction_label(parent.satisfaction),
                )
                .strip()
            )
            background += [f"{q}：{a}" for q, a in _answers(parent).items()]
            if parent.remarks:
                background.append(parent.remarks)
            if not subject:
                subject = rows([parent.id], today)[0].subject
    answers = _answers(visit)
    asked = questions(visit.kind) if visit.status == "due" else list(answers)
    raised = visit.raised_complaint if visit.raised_complaint_id else None
    return VisitView(
        id=visit.id,
        customer_id=customer.id,
        customer_name=customer.name,
        phone=customer.mobile or customer.phone2,
        kind=visit.kind,
        due_on=visit.due_on,
        status=visit.status,
        attempts=visit.attempts,
        assigned_to=visit.assigned_to_id,
        subject=subject,
        note=visit.note,
        background=background,
        questions=asked,
        answers=answers,
        reached=visit.reached,
        satisfaction=visit.satisfaction,
        remarks=visit.remarks,
        done_at=visit.done_at,
        done_by_name=visit.done_by.display_name if visit.done_by is not None else "",
        raised_complaint_id=raised.id if raised else None,
        raised_complaint_number=raised.number if raised else "",
        survey=tuple(survey.questions(visit.kind)) if visit.status == "due" else (),
    )
