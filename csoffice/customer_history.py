"""A customer's whole history in one timeline: receptions, complaints, visits, service events,
card and points movements, greetings."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from csoffice import complaints, members, receptions, service_events, visits
from csoffice.customers import class_label
from csoffice.db.models import (
    AuditLog,
    CardEvent,
    Complaint,
    Greeting,
    MemberCard,
    PointsEntry,
    Reception,
    ReturnVisit,
    ServiceEvent,
)
from csoffice.i18n import N_, _

# The service kinds belong to service_events; kept here for the callers that read them here.
from csoffice.service_events import SERVICE_KINDS as SERVICE_KINDS

PER_SOURCE = 300

KIND_LABELS = {
    "reception": N_("Reception"),
    "complaint": N_("Complaint"),
    "visit": N_("Return visit"),
    "service": N_("Service"),
    "card": N_("Member card"),
    "points": N_("Points"),
    "greeting": N_("Greeting"),
    "class": N_("Customer class"),
}


@dataclass(frozen=True)
class TimelineEntry:
    """One line of the timeline, newest first; ``ref`` is (kind, id) of the record."""

    at: dt.datetime
    kind: str
    title: str
    detail: str
    ref: tuple[str, int]


def _at(value: dt.date | dt.datetime) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())


def history(customer_id: int) -> list[TimelineEntry]:
    entries: list[TimelineEntry] = []
    for r in (
        Reception.select()
        .where(Reception.customer == customer_id)
        .order_by(Reception.received_at.desc())
        .limit(PER_SOURCE)
    ):
        entries.append(
            TimelineEntry(
                r.received_at,
                "reception",
                f"{receptions.channel_label(r.channel)} · {receptions.category_label(r.category)}",
                r.content[:120],
                ("reception", r.id),
            )
        )
    for c in (
        Complaint.select()
        .where(Complaint.customer == customer_id)
        .order_by(Complaint.received_at.desc())
        .limit(PER_SOURCE)
    ):
        entries.append(
            TimelineEntry(
                c.received_at,
                "complaint",
                f"{c.number} · {complaints.status_label(c.status)}",
                c.facts[:120],
                ("complaint", c.id),
            )
        )
    for v in (
        ReturnVisit.select()
        .where(ReturnVisit.customer == customer_id)
        .order_by(ReturnVisit.due_on.desc())
        .limit(PER_SOURCE)
    ):
        when = v.done_at or _at(v.due_on)
        detail = (
            v.remarks[:120]
            if v.status == "done"
            else _("due {date}").format(date=v.due_on.isoformat())
        )
        entries.append(TimelineEntry(when, "visit", visits.label(v.kind), detail, ("visit", v.id)))
    for s in (
        ServiceEvent.select()
        .where(ServiceEvent.customer == customer_id)
        .order_by(ServiceEvent.date.desc())
        .limit(PER_SOURCE)
    ):
        entries.append(
            TimelineEntry(
                _at(s.date),
                "service",
                service_events.kind_label(s.kind),
                " ".join(x for x in (s.product, s.note) if x)[:120],
                ("service", s.id),
            )
        )
    cards = MemberCard.select(MemberCard.id).where(MemberCard.customer == customer_id)
    for e in (
        CardEvent.select(CardEvent, MemberCard.card_no)
        .join(MemberCard)
        .where(CardEvent.card.in_(cards))
        .order_by(CardEvent.at.desc())
        .limit(PER_SOURCE)
    ):
        entries.append(
            TimelineEntry(
                e.at,
                "card",
                f"{e.card.card_no} · {members.event_kind_label(e.kind)}",
                e.reason,
                ("card", e.card_id),
            )
        )
    for p in (
        PointsEntry.select()
        .where(PointsEntry.card.in_(cards))
        .order_by(PointsEntry.at.desc())
        .limit(PER_SOURCE)
    ):
        entries.append(
            TimelineEntry(
                p.at,
                "points",
                f"{p.points:+d} · {members.entry_kind_label(p.kind)}",
                p.reason or p.source,
                ("points", p.id),
            )
        )
    for g in (
        Greeting.select()
        .where(Greeting.customer == customer_id)
        .order_by(Greeting.created_at.desc())
        .limit(PER_SOURCE)
    ):
        entries.append(
            TimelineEntry(
                g.created_at,
                "greeting",
                greeting_label(g.kind, g.channel),
                g.content[:120],
                ("greeting", g.id),
            )
        )
    for a in (
        AuditLog.select()
        .where(
            AuditLog.entity == "customer",
            AuditLog.entity_id == customer_id,
            AuditLog.action == "class",
        )
        .order_by(AuditLog.id.desc())
        .limit(PER_SOURCE)
    ):
        try:
            before, after = json.loads(a.changes)["customer_class"]
        except (ValueError, KeyError, TypeError):
            before = after = ""
        title = f"{class_label(before)} → {class_label(after)}"
        entries.append(TimelineEntry(a.at, "class", title, a.summary, ("class", a.id)))
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries


def greeting_label(kind: str, channel: str = "") -> str:
    """A greeting's line title in the user's language: its kind (生日, 节日…) and how it was
    sent; an unknown code is shown as stored."""
    kind_text = _(members.GREETING_KINDS[kind]) if kind in members.GREETING_KINDS else kind
    if channel in members.GREETING_CHANNELS:
        return f"{kind_text} · {_(members.GREETING_CHANNELS[channel])}"
    return kind_text


def kind_label(kind: str) -> str:
    return _(KIND_LABELS.get(kind, kind))
