"""The card panel's lazy lists: the points ledger and the card's steps, across reissues."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from peewee import JOIN

from csoffice.db.lookup import dicts_of, in_id_order, tuples_of
from csoffice.db.models import (
    CardEvent,
    Gift,
    MemberCard,
    PointsEntry,
    Redemption,
    Staff,
)
from csoffice.members.codes import entry_kind_label, event_kind_label
from csoffice.members.grading import chain_ids


@dataclass(frozen=True)
class LedgerRow:
    id: int
    at: dt.datetime
    card_no: str
    kind: str
    kind_label: str
    points: int
    amount_spent: Decimal | None
    source: str
    reason: str
    gift_name: str
    expires_on: dt.date | None
    staff_name: str
    redemption_id: int | None


def ledger_ids(card_id: int, sort_key: str | None = None, descending: bool = True) -> list[int]:
    """The ledger of the card and the cards it replaced, newest first by default."""
    card = MemberCard.get_or_none(MemberCard.id == card_id)
    if card is None:
        return []
    order = (
        (PointsEntry.at.desc(), PointsEntry.id.desc())
        if descending
        else (PointsEntry.at.asc(), PointsEntry.id.asc())
    )
    query = (
        PointsEntry.select(PointsEntry.id)
        .where(PointsEntry.card.in_(chain_ids(card)))
        .order_by(*order)
    )
    return [row[0] for row in tuples_of(query)]


def ledger_rows(ids: list[int]) -> list[LedgerRow]:
    if not ids:
        return []
    query = (
        PointsEntry.select(
            PointsEntry,
            MemberCard.card_no.alias("card_no"),
            Gift.name.alias("gift_name"),
            Staff.display_name.alias("staff_name"),
            Redemption.id.alias("redemption_id"),
        )
        .join(MemberCard, on=(PointsEntry.card == MemberCard.id))
        .switch(PointsEntry)
        .join(Gift, JOIN.LEFT_OUTER, on=(PointsEntry.gift == Gift.id))
        .switch(PointsEntry)
        .join(Staff, JOIN.LEFT_OUTER, on=(PointsEntry.staff == Staff.id))
        .switch(PointsEntry)
        .join(Redemption, JOIN.LEFT_OUTER, on=(Redemption.entry == PointsEntry.id))
        .where(PointsEntry.id.in_(ids))
    )
    by_id = {}
    for row in dicts_of(query):
        by_id[row["id"]] = LedgerRow(
            id=row["id"],
            at=row["at"],
            card_no=row["card_no"],
            kind=row["kind"],
            kind_label=entry_kind_label(row["kind"]),
            points=row["points"],
            amount_spent=row["amount_spent"],
            source=row["source"],
            reason=row["reason"],
            gift_name=row["gift_name"] or "",
            expires_on=row["expires_on"],
            staff_name=row["staff_name"] or "",
            redemption_id=row["redemption_id"],
        )
    return in_id_order(ids, by_id)


@dataclass(frozen=True)
class EventRow:
    id: int
    at: dt.datetime
    card_no: str
    kind: str
    kind_label: str
    reason: str
    fee: Decimal | None
    detail: str
    staff_name: str


def event_ids(card_id: int) -> list[int]:
    """The steps of the card's life and of the cards it replaced, newest first."""
    card = MemberCard.get_or_none(MemberCard.id == card_id)
    if card is None:
        return []
    query = (
        CardEvent.select(CardEvent.id)
        .where(CardEvent.card.in_(chain_ids(card)))
        .order_by(CardEvent.at.desc(), CardEvent.id.desc())
    )
    return [row[0] for row in tuples_of(query)]


def event_rows(ids: list[int]) -> list[EventRow]:
    if not ids:
        return []
    query = (
        CardEvent.select(CardEvent, MemberCard.card_no, Staff.display_name)
        .join(MemberCard, on=(CardEvent.card == MemberCard.id))
        .switch(CardEvent)
        .join(Staff, JOIN.LEFT_OUTER, on=(CardEvent.staff == Staff.id))
        .where(CardEvent.id.in_(ids))
    )
    by_id = {
        row["id"]: EventRow(
            row["id"],
            row["at"],
            row["card_no"],
            row["kind"],
            event_kind_label(row["kind"]),
            row["reason"],
            row["fee"],
            row["detail"],
            row["display_name"] or "",
        )
        for row in dicts_of(query)
    }
    return in_id_order(ids, by_id)
