"""The points ledger (积分): every movement a row, the card's balance its cached sum, points kept
as lots that expire soonest-first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_DOWN, Decimal

from peewee import fn

from csoffice import audit, auth, changes, settings
from csoffice.changes import Change
from csoffice.dates import add_months
from csoffice.db.database import db
from csoffice.db.lookup import tuples_of
from csoffice.db.models import (
    Gift,
    MemberCard,
    PointsEntry,
    Staff,
    now,
)
from csoffice.errors import Conflict, ValidationError
from csoffice.i18n import _, format_money
from csoffice.members.codes import CURRENT_STATUSES
from csoffice.members.finding import _usable, find_card
from csoffice.members.grading import _regrade
from csoffice.members.values import _money, _reason, _when
from csoffice.validation import clean_text


def _post(
    actor: Staff | None,
    card: MemberCard,
    kind: str,
    points: int,
    at: dt.datetime,
    *,
    amount_spent: Decimal | None = None,
    source: str = "",
    reason: str = "",
    gift: Gift | None = None,
    expires_on: dt.date | None = None,
    not_below_zero: bool = True,
) -> PointsEntry:
    """Write one ledger row and move the cached balance with it (inside the caller's transaction)."""
    query = MemberCard.update(balance=MemberCard.balance + points, updated_at=now()).where(
        MemberCard.id == card.id
    )
    if points < 0 and not_below_zero:
        query = query.where(MemberCard.balance >= -points)
    if query.execute() != 1:
        raise Conflict(
            _("Card {number} does not have {points} points.").format(
                number=card.card_no, points=-points
            )
        )
    return PointsEntry.create(
        card=card,
        at=at,
        kind=kind,
        points=points,
        amount_spent=amount_spent,
        source=source[:100],
        reason=reason[:200],
        gift=gift,
        expires_on=expires_on,
        staff=actor,
    )


def _expiry_for(at: dt.datetime) -> dt.date | None:
    months = int(settings.get("members.points_expiry_months") or 0)
    return add_months(at.date(), months) if months > 0 else None


def _lots(card_id: int) -> list[list]:
    """The card's unspent points as lots ``[expires_on, points]``."""
    entries = tuples_of(
        PointsEntry.select(PointsEntry.points, PointsEntry.expires_on)
        .where(PointsEntry.card == card_id)
        .order_by(PointsEntry.at, PointsEntry.id)
    )
    return unspent_lots(entries)


def unspent_lots(movements: Iterable[tuple[int, dt.date | None]]) -> list[list]:
    """What is left of a card's ``(points, expires_on)`` movements, in order, as lots
    ``[expires_on, points]``: every spending takes the points that expire soonest first (the
    member's best interest)."""
    lots: list[list] = []
    for points, expires_on in movements:
        if points > 0:
            lots.append([expires_on, points])
            continue
        need = -points
        for lot in sorted(
            (lot for lot in lots if lot[1] > 0),
            key=lambda lot: (lot[0] is None, lot[0] or dt.date.max),
        ):
            taken = min(need, lot[1])
            lot[1] -= taken
            need -= taken
            if not need:
                break
    return [lot for lot in lots if lot[1] > 0]


def _group_lots(lots: list[list]) -> list[tuple[dt.date | None, int]]:
    grouped: dict[dt.date | None, int] = {}
    for expires_on, points in lots:
        grouped[expires_on] = grouped.get(expires_on, 0) + points
    return sorted(grouped.items(), key=lambda item: (item[0] is None, item[0] or dt.date.max))


def _expire_due(actor: Staff | None, card: MemberCard, at: dt.datetime) -> int:
    """Write off the card's points whose expiry date has passed; returns how many."""
    today = at.date()
    if not (
        card.balance > 0
        and PointsEntry.select()
        .where(
            PointsEntry.card == card.id,
            PointsEntry.points > 0,
            PointsEntry.expires_on <= today,
        )
        .exists()
    ):
        return 0
    due = sum(points for expires_on, points in _lots(card.id) if expires_on and expires_on <= today)
    due = min(due, find_card(card.card_no).balance)
    if due > 0:
        _post(actor, card, "expire", -due, at, reason=_("Points past their expiry date"))
    return due


def _usable_card(actor: Staff, card_no: str, at: dt.datetime) -> MemberCard:
    """The active card ``card_no`` as it stands once its expired points are written off
    (inside the caller's transaction); a card that is not active is refused."""
    card = find_card(card_no)
    _usable(card)
    _expire_due(actor, card, at)
    return find_card(card.card_no)


def expire_points(actor: Staff, today: dt.date | None = None) -> int:
    """Write off every card's expired points (run by the desk now and then); returns the total."""
    auth.require(actor, "edit")
    today = today or dt.date.today()
    at = now() if today == dt.date.today() else dt.datetime.combine(today, dt.time(9, 0))
    candidates = (
        MemberCard.select()
        .where(
            MemberCard.status.in_(CURRENT_STATUSES),
            MemberCard.balance > 0,
            MemberCard.id.in_(
                PointsEntry.select(PointsEntry.card).where(
                    PointsEntry.points > 0, PointsEntry.expires_on <= today
                )
            ),
        )
        .order_by(MemberCard.id)
    )
    total = 0
    with db.atomic():
        for card in candidates:
            total += _expire_due(actor, card, at)
        audit.record(
            actor, "expire", "points", None, summary=_("{n} points expired").format(n=total)
        )
    changes.emit(Change.CARD)
    return total


def ledger_balance(card_id: int) -> int:
    """The balance as the ledger's sum (what the cached balance must equal)."""
    total = (
        PointsEntry.select(fn.COALESCE(fn.SUM(PointsEntry.points), 0))
        .where(PointsEntry.card == card_id)
        .scalar()
    )
    return int(total or 0)


def points_for(amount_spent: Decimal) -> int:
    """Points earned for spending ``amount_spent`` by the office's rule (whole points)."""
    rate = _money(settings.get("members.yuan_per_point"), "yuan_per_point", default="10")
    if rate <= 0:
        return 0
    return int((amount_spent / rate).to_integral_value(rounding=ROUND_DOWN))


def earn(
    actor: Staff,
    card_no: str,
    amount_spent: Decimal | str,
    source: str = "",
    at: dt.datetime | None = None,
) -> PointsEntry:
    """Points for a purchase, by the earning rule; may promote the member."""
    auth.require(actor, "edit")
    amount = _money(amount_spent, "amount_spent")
    if amount <= 0:
        raise ValidationError.single("amount_spent", _("Enter the amount spent."))
    points = points_for(amount)
    if points <= 0:
        raise ValidationError.single("amount_spent", _("This amount is too small to earn a point."))
    source = clean_text(source)
    at = _when(at)
    with db.atomic():
        card = _usable_card(actor, card_no, at)
        entry = _post(
            actor,
            card,
            "earn",
            points,
            at,
            amount_spent=amount,
            source=source,
            expires_on=_expiry_for(at),
        )
        audit.record(
            actor,
            "earn",
            "member_card",
            card.id,
            summary=f"{card.card_no} +{points} ({format_money(amount)})",
        )
        _regrade(actor, card, at, allow_demote=False)
    changes.emit(Change.CARD)
    return entry


def adjust(
    actor: Staff, card_no: str, points: int, reason: str, at: dt.datetime | None = None
) -> PointsEntry:
    """A manual correction of the balance (manager only, with a reason)."""
    auth.require(actor, "adjust_points")
    reason = _reason(reason)
    if not isinstance(points, int) or points == 0:
        raise ValidationError.single("points", _("Enter the points to add or take away."))
    if abs(points) > 10_000_000:
        raise ValidationError.single("points", _("The number is too large."))
    at = _when(at)
    with db.atomic():
        card = _usable_card(actor, card_no, at)
        if card.balance + points < 0:
            raise ValidationError.single(
                "points",
                _("The balance is {balance}; it cannot go below zero.").format(
                    balance=card.balance
                ),
            )
        entry = _post(
            actor,
            card,
            "adjust",
            points,
            at,
            reason=reason,
            expires_on=_expiry_for(at) if points > 0 else None,
        )
        audit.record(
            actor,
            "adjust",
            "member_card",
            card.id,
            summary=f"{card.card_no} {points:+d} ({reason})",
        )
        _regrade(actor, card, at, allow_demote=True)
    changes.emit(Change.CARD)
    return entry
