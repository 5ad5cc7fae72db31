"""The card's life::

    active ──lost──▶ lost ──found──▶ active
    active|lost ──reissue──▶ replaced   (a new active card ``replaces`` it)
    active|lost ──cancel──▶ cancelled

and what the card panel shows of a card.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from csoffice import audit, auth, changes, settings
from csoffice.changes import Change
from csoffice.dates import add_months
from csoffice.db.database import db
from csoffice.db.lookup import get_or_not_found
from csoffice.db.models import (
    CardEvent,
    Customer,
    MemberCard,
    MemberLevel,
    Staff,
    now,
)
from csoffice.errors import Conflict, ValidationError
from csoffice.i18n import N_, _, format_money
from csoffice.members.codes import CANCEL_POLICIES, CURRENT_STATUSES, status_label
from csoffice.members.finding import _customer, _successor_no, current_card, find_card
from csoffice.members.grading import _threshold, earned_points, ensure_levels, level_for
from csoffice.members.numbers import _next_card_no
from csoffice.members.points import _expire_due, _group_lots, _lots, _post
from csoffice.members.values import _money, _reason, _stamps, _when


@dataclass(frozen=True)
class CardView:
    """What the card panel shows."""

    id: int
    card_no: str
    status: str
    status_label: str
    customer_id: int
    customer_name: str
    customer_mobile: str
    customer_birthday: dt.date | None
    level_name: str
    balance: int
    earned_12m: int
    next_level_name: str
    next_level_needs: int
    issued_on: dt.date
    expires_on: dt.date | None
    replaces_no: str
    replaced_by_no: str
    close_reason: str
    closed_at: dt.datetime | None
    version: int


def as_card(result: object) -> MemberCard | None:
    """``result`` when a member write returned a card (enrolment, a reissue, a card's move)."""
    return result if isinstance(result, MemberCard) else None


def card_view(card_id: int, today: dt.date | None = None) -> CardView:
    card = get_or_not_found(MemberCard, _("No such member card."), MemberCard.id == card_id)
    customer = card.customer
    earned = earned_points(card, today)
    level = MemberLevel.get_or_none(MemberLevel.id == card.level_id)
    higher = (
        MemberLevel.select()
        .where(MemberLevel.active == True, MemberLevel.threshold > _threshold(level))
        .order_by(MemberLevel.threshold)
        .first()
    )
    return CardView(
        id=card.id,
        card_no=card.card_no,
        status=card.status,
        status_label=status_label(card.status),
        customer_id=customer.id,
        customer_name=customer.name,
        customer_mobile=customer.mobile,
        customer_birthday=customer.birthday,
        level_name=level.name if level else "",
        balance=card.balance,
        earned_12m=earned,
        next_level_name=higher.name if higher else "",
        next_level_needs=max(0, higher.threshold - earned) if higher else 0,
        issued_on=card.issued_on,
        expires_on=card.expires_on,
        replaces_no=card.replaces.card_no if card.replaces_id else "",
        replaced_by_no=_successor_no(card),
        close_reason=card.close_reason,
        closed_at=card.closed_at,
        version=card.version,
    )


def _new_card(
    actor: Staff,
    at: dt.datetime,
    customer: Customer | int,
    level: MemberLevel | int | None,
    issued_on: dt.date,
    expires_on: dt.date | None,
    fee: Decimal,
    replaces: MemberCard | None = None,
) -> MemberCard:
    """A new active card with the next number and no points (inside the caller's transaction)."""
    return MemberCard.create(
        card_no=_next_card_no(),
        customer=customer,
        level=level,
        status="active",
        issued_on=issued_on,
        expires_on=expires_on,
        fee=fee,
        balance=0,
        replaces=replaces,
        **_stamps(actor, at),
    )


def enrol(
    actor: Staff,
    customer_id: int,
    level_id: int | None = None,
    fee: Decimal | str | None = None,
    expires_on: dt.date | None = None,
    issued_on: dt.date | None = None,
    at: dt.datetime | None = None,
) -> MemberCard:
    """Issue a card to a customer (办理). A starting level holds until the next level review."""
    auth.require(actor, "edit")
    ensure_levels(actor)
    at = _when(at)
    issued_on = issued_on or at.date()
    fee_amount = _money(fee, "fee", default=str(settings.get("members.enrol_fee") or "0"))
    if expires_on is None and int(settings.get("members.card_valid_years") or 0) > 0:
        expires_on = add_months(issued_on, 12 * int(settings.get("members.card_valid_years")))
    if expires_on is not None and expires_on <= issued_on:
        raise ValidationError.single("expires_on", _("The card must expire after it is issued."))
    with db.atomic():
        customer = _customer(customer_id)
        if customer.status != "active":
            raise Conflict(_("Only a customer whose file is active can be enrolled."))
        existing = current_card(customer_id)
        if existing is not None:
            raise Conflict(
                _("{name} already holds card {number}.").format(
                    name=customer.name, number=existing.card_no
                )
            )
        if level_id is None:
            level = level_for(0)
        else:
            level = MemberLevel.get_or_none(MemberLevel.id == level_id, MemberLevel.active == True)
        if level is None:  # no such active level, or (no level asked for) none is set up
            raise ValidationError.single("level", _("Choose a level from the list."))
        card = _new_card(actor, at, customer, level, issued_on, expires_on, fee_amount)
        CardEvent.create(
            card=card, kind="issued", at=at, staff=actor, fee=fee_amount, detail=level.name
        )
        audit.record(
            actor,
            "create",
            "member_card",
            card.id,
            summary=f"{card.card_no} {customer.name}",
            changes={"level": level.code, "fee": fee_amount},
        )
    changes.emit(Change.CARD)
    return card


def _move(
    actor: Staff,
    card: MemberCard,
    to_status: str,
    kind: str,
    at: dt.datetime,
    reason: str = "",
    fee: Decimal | None = None,
    detail: str = "",
    close: bool = False,
) -> None:
    """Change the card's status (guarded by its version) and record the dated, signed step."""
    values = dict(
        status=to_status,
        updated_by=actor,
        updated_at=now(),
        version=MemberCard.version + 1,
    )
    if close:
        values.update(closed_at=at, close_reason=reason)
    changed = (
        MemberCard.update(**values)
        .where(MemberCard.id == card.id, MemberCard.version == card.version)
        .execute()
    )
    if changed != 1:
        raise Conflict(_("This card was changed at another desk; look it up again."))
    CardEvent.create(
        card=card, kind=kind, at=at, staff=actor, reason=reason, fee=fee, detail=detail
    )
    audit.record(
        actor,
        "move",
        "member_card",
        card.id,
        summary=f"{card.card_no}: {card.status} → {to_status}" + (f" ({reason})" if reason else ""),
        changes={"status": [card.status, to_status]},
    )
    card.status = to_status


# The two moves between active and lost: the step's kind → (from status, to status, refusal).
_LOST_AND_FOUND = {
    "lost": (
        "active",
        "lost",
        N_("Only an active card can be reported lost; card {number} is {status}."),
    ),
    "found": (
        "lost",
        "active",
        N_("Only a card reported lost can be found; card {number} is {status}."),
    ),
}


def _lost_or_found(
    actor: Staff, kind: str, card_no: str, reason: str, at: dt.datetime | None
) -> MemberCard:
    """Report the card lost or found (``kind``), refusing when it is not in the state to be."""
    from_status, to_status, refusal = _LOST_AND_FOUND[kind]
    auth.require(actor, "edit")
    reason = _reason(reason, required=False)
    with db.atomic():
        card = find_card(card_no)
        if card.status != from_status:
            raise Conflict(_(refusal).format(number=card.card_no, status=status_label(card.status)))
        _move(actor, card, to_status, kind, _when(at), reason)
    changes.emit(Change.CARD)
    return find_card(card.card_no)


def report_lost(
    actor: Staff, card_no: str, reason: str = "", at: dt.datetime | None = None
) -> MemberCard:
    """挂失: block the card at once; nothing may be earned or redeemed until found or reissued."""
    return _lost_or_found(actor, "lost", card_no, reason, at)


def mark_found(
    actor: Staff, card_no: str, reason: str = "", at: dt.datetime | None = None
) -> MemberCard:
    """A card reported lost turned up: it becomes active again."""
    return _lost_or_found(actor, "found", card_no, reason, at)


def reissue(
    actor: Staff,
    card_no: str,
    reason: str,
    fee: Decimal | str | None = None,
    at: dt.datetime | None = None,
) -> MemberCard:
    """补办: a new card with a new number takes over the balance, level and history; the old
    number is marked replaced and is never valid again. Returns the new card."""
    auth.require(actor, "edit")
    reason = _reason(reason)
    fee_amount = _money(fee, "fee", default=str(settings.get("members.reissue_fee") or "0"))
    at = _when(at)
    with db.atomic():
        old = find_card(card_no)
        if old.status == "cancelled":
            raise Conflict(
                _("Card {number} is cancelled and cannot be reissued.").format(number=old.card_no)
            )
        if old.status == "replaced":
            raise Conflict(
                _("Card {number} was already replaced by {new}.").format(
                    number=old.card_no, new=_successor_no(old) or "?"
                )
            )
        _expire_due(actor, old, at)
        old = find_card(old.card_no)
        new = _new_card(
            actor,
            at,
            old.customer_id,
            old.level_id,
            at.date(),
            old.expires_on,
            fee_amount,
            replaces=old,
        )
        # The points move lot by lot so that each keeps its own expiry date.
        lots = _lots(old.id)
        for expires_on, points in _group_lots(lots):
            _post(actor, old, "transfer", -points, at, reason=new.card_no, expires_on=expires_on)
            _post(actor, new, "transfer", points, at, reason=old.card_no, expires_on=expires_on)
        rest = find_card(old.card_no).balance
        if rest:  # points not in any lot (should not happen): they move as they are
            _post(actor, old, "transfer", -rest, at, reason=new.card_no)
            _post(actor, new, "transfer", rest, at, reason=old.card_no)
        _move(actor, old, "replaced", "replaced", at, reason, detail=new.card_no, close=True)
        CardEvent.create(
            card=new,
            kind="reissued",
            at=at,
            staff=actor,
            reason=reason,
            fee=fee_amount,
            detail=old.card_no,
        )
        audit.record(
            actor,
            "create",
            "member_card",
            new.id,
            summary=f"{new.card_no} ← {old.card_no} ({reason})",
            changes={"replaces": old.card_no, "fee": fee_amount},
        )
    changes.emit(Change.CARD)
    return find_card(new.card_no)


def cancel(actor: Staff, card_no: str, reason: str, at: dt.datetime | None = None) -> MemberCard:
    """注销: close the card for good. The balance is forfeited or refunded by the office's
    policy; a refund's money is recorded as a negative fee on the step (paid to the member)."""
    auth.require(actor, "edit")
    reason = _reason(reason)
    at = _when(at)
    policy = settings.get("members.cancel_policy")
    policy = policy if policy in CANCEL_POLICIES else "forfeit"
    with db.atomic():
        card = find_card(card_no)
        if card.status not in CURRENT_STATUSES:
            raise Conflict(
                _("Card {number} is {status} and cannot be cancelled.").format(
                    number=card.card_no, status=status_label(card.status)
                )
            )
        _expire_due(actor, card, at)
        card = find_card(card.card_no)
        refund = None
        detail = ""
        if card.balance > 0:
            if policy == "refund":
                rate = _money(settings.get("members.refund_yuan_per_point"), "refund")
                refund = (rate * card.balance).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
                detail = _("{points} points refunded as {money}").format(
                    points=card.balance, money=format_money(refund)
                )
                refund = -refund
            else:
                detail = _("{points} points forfeited").format(points=card.balance)
            _post(actor, card, policy, -card.balance, at, reason=reason)
            card = find_card(card.card_no)
        _move(
            actor, card, "cancelled", "cancelled", at, reason, fee=refund, detail=detail, close=True
        )
    changes.emit(Change.CARD)
    return find_card(card.card_no)
