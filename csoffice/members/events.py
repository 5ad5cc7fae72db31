"""Member events (会员活动): planning, invitations by name or level, attendance."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from peewee import JOIN, fn

from csoffice import audit, auth, changes
from csoffice.changes import Change
from csoffice.db.database import db
from csoffice.db.lookup import dicts_of, get_or_not_found, in_id_order, tuples_of
from csoffice.db.models import (
    Customer,
    EventAttendance,
    MemberCard,
    MemberEvent,
    Staff,
    now,
)
from csoffice.errors import Conflict, ValidationError
from csoffice.i18n import _
from csoffice.members.codes import CURRENT_STATUSES, EVENT_STATUSES, _label
from csoffice.members.values import _one_line, _reason
from csoffice.validation import clean_text


@dataclass(frozen=True)
class MemberEventRow:
    id: int
    title: str
    date: dt.date
    place: str
    status: str
    status_label: str
    invited: int
    attended: int


def create_event(
    actor: Staff, title: str, date: dt.date | None, place: str = "", description: str = ""
) -> MemberEvent:
    auth.require(actor, "edit")
    errors: dict[str, str] = {}
    title = _one_line(errors, "title", title, 120, _("Enter the event's title."))
    if date is None:
        errors["date"] = _("Enter the event's date.")
    place = _one_line(errors, "place", place, 120)
    if errors:
        raise ValidationError(errors)
    with db.atomic():
        event = MemberEvent.create(
            title=title,
            date=date,
            place=place,
            description=clean_text(description, multiline=True),
            created_by=actor,
            updated_by=actor,
        )
        audit.record(actor, "create", "member_event", event.id, summary=f"{date} {title}")
    changes.emit(Change.CARD)
    return event


def _event(event_id: int) -> MemberEvent:
    return get_or_not_found(MemberEvent, _("No such event."), MemberEvent.id == event_id)


def set_event_status(actor: Staff, event_id: int, status: str, reason: str = "") -> MemberEvent:
    """Mark an event held or cancelled (cancelling needs a reason)."""
    auth.require(actor, "edit")
    if status not in EVENT_STATUSES:
        raise ValidationError.single("status", _("Choose a status from the list."))
    reason = _reason(reason, required=status == "cancelled")
    with db.atomic():
        event = _event(event_id)
        if event.status == "cancelled":
            raise Conflict(_("This event is cancelled."))
        before = event.status
        MemberEvent.update(status=status, updated_by=actor, updated_at=now()).where(
            MemberEvent.id == event.id
        ).execute()
        audit.record(
            actor,
            "move",
            "member_event",
            event.id,
            summary=f"{event.title}: {before} → {status}" + (f" ({reason})" if reason else ""),
            changes={"status": [before, status]},
        )
    changes.emit(Change.CARD)
    return _event(event_id)


def invite(actor: Staff, event_id: int, customer_ids: Iterable[int]) -> int:
    """Invite customers to an event; returns how many were newly invited."""
    auth.require(actor, "edit")
    wanted = sorted(set(customer_ids))
    with db.atomic():
        event = _event(event_id)
        if event.status != "planned":
            raise Conflict(_("Invitations are for planned events only."))
        already = {
            row[0]
            for row in tuples_of(
                EventAttendance.select(EventAttendance.customer).where(
                    EventAttendance.event == event.id, EventAttendance.customer.in_(wanted)
                )
            )
        }
        known = {
            row[0]
            for row in tuples_of(
                Customer.select(Customer.id).where(
                    Customer.id.in_(wanted), Customer.status == "active"
                )
            )
        }
        new = [cid for cid in wanted if cid in known and cid not in already]
        for start in range(0, len(new), 400):
            EventAttendance.insert_many(
                [
                    {"event": event.id, "customer": cid, "invited_at": now()}
                    for cid in new[start : start + 400]
                ]
            ).execute()
        audit.record(
            actor,
            "invite",
            "member_event",
            event.id,
            summary=_("{n} invited").format(n=len(new)),
            changes={"customers": new},
        )
    changes.emit(Change.CARD)
    return len(new)


def invite_level(actor: Staff, event_id: int, level_id: int) -> int:
    """Invite every current member of a level."""
    ids = [
        row[0]
        for row in tuples_of(
            MemberCard.select(MemberCard.customer).where(
                MemberCard.level == level_id, MemberCard.status.in_(CURRENT_STATUSES)
            )
        )
    ]
    return invite(actor, event_id, ids)


def set_attendance(actor: Staff, event_id: int, customer_id: int, attended: bool) -> None:
    auth.require(actor, "edit")
    with db.atomic():
        event = _event(event_id)
        if event.status == "cancelled":
            raise Conflict(_("This event is cancelled."))
        changed = (
            EventAttendance.update(attended=attended)
            .where(EventAttendance.event == event.id, EventAttendance.customer == customer_id)
            .execute()
        )
        if changed != 1:
            raise Conflict(_("This customer was not invited."))
        audit.record(
            actor,
            "attendance",
            "member_event",
            event.id,
            summary=f"{customer_id}: {'attended' if attended else 'absent'}",
        )
    changes.emit(Change.CARD)


def event_list_ids(sort_key: str | None = None, descending: bool = True) -> list[int]:
    order = MemberEvent.date.desc() if descending else MemberEvent.date.asc()
    return [
        row[0]
        for row in tuples_of(
            MemberEvent.select(MemberEvent.id).order_by(order, MemberEvent.id.desc())
        )
    ]


def event_list_rows(ids: list[int]) -> list[MemberEventRow]:
    if not ids:
        return []
    counts = {
        event_id: (invited, int(attended or 0))
        for event_id, invited, attended in tuples_of(
            EventAttendance.select(
                EventAttendance.event,
                fn.COUNT(EventAttendance.id),
                fn.SUM(EventAttendance.attended.cast("integer")),
            )
            .where(EventAttendance.event.in_(ids))
            .group_by(EventAttendance.event)
        )
    }
    by_id = {}
    for event in MemberEvent.select().where(MemberEvent.id.in_(ids)):
        invited, attended = counts.get(event.id, (0, 0))
        by_id[event.id] = MemberEventRow(
            event.id,
            event.title,
            event.date,
            event.place,
            event.status,
            _label(EVENT_STATUSES, event.status),
            invited,
            attended,
        )
    return in_id_order(ids, by_id)


@dataclass(frozen=True)
class AttendanceRow:
    id: int
    customer_id: int
    name: str
    mobile: str
    card_no: str
    invited_at: dt.datetime
    attended: bool


def attendance_ids(event_id: int) -> list[int]:
    query = (
        EventAttendance.select(EventAttendance.id)
        .join(Customer, on=(EventAttendance.customer == Customer.id))
        .where(EventAttendance.event == event_id)
        .order_by(Customer.name_pinyin, EventAttendance.id)
    )
    return [row[0] for row in tuples_of(query)]


def attendance_rows(ids: list[int]) -> list[AttendanceRow]:
    if not ids:
        return []
    query = (
        EventAttendance.select(EventAttendance, Customer.name, Customer.mobile, MemberCard.card_no)
        .join(Customer, on=(EventAttendance.customer == Customer.id))
        .join(
            MemberCard,
            JOIN.LEFT_OUTER,
            on=((MemberCard.customer == Customer.id) & (MemberCard.status.in_(CURRENT_STATUSES))),
        )
        .where(EventAttendance.id.in_(ids))
    )
    by_id = {
        row["id"]: AttendanceRow(
            row["id"],
            row["customer"],
            row["name"],
            row["mobile"],
            row["card_no"] or "",
            row["invited_at"],
            row["attended"],
        )
        for row in dicts_of(query)
    }
    return in_id_order(ids, by_id)
