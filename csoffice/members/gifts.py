"""The gift list and redemption (积分换礼): stock and points taken in one transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import fn

from csoffice import audit, auth, changes
from csoffice.changes import Change
from csoffice.db.database import db
from csoffice.db.lookup import get_or_not_found, in_id_order, tuples_of
from csoffice.db.models import (
    Gift,
    Redemption,
    Staff,
    now,
)
from csoffice.errors import Conflict, ValidationError
from csoffice.i18n import _
from csoffice.members.finding import _usable
from csoffice.members.points import _expiry_for, _post, _usable_card
from csoffice.members.values import _one_line, _reason, _stamps, _update_audited, _when
from csoffice.validation import clean_text


@dataclass(frozen=True)
class GiftRow:
    id: int
    name: str
    points_price: int
    stock: int
    active: bool
    description: str
    redeemed: int


def _gift_values(name: str, points_price: int, description: str) -> tuple[str, int, str]:
    errors: dict[str, str] = {}
    name = _one_line(errors, "name", name, 100, _("Enter the gift's name."))
    if not isinstance(points_price, int) or points_price <= 0:
        errors["points_price"] = _("The price is a whole number of points above zero.")
    if errors:
        raise ValidationError(errors)
    return name, points_price, clean_text(description, multiline=True)


def create_gift(
    actor: Staff, name: str, points_price: int, stock: int = 0, description: str = ""
) -> Gift:
    auth.require(actor, "edit")
    name, points_price, description = _gift_values(name, points_price, description)
    if not isinstance(stock, int) or stock < 0:
        raise ValidationError.single("stock", _("The stock is a whole number, 0 or more."))
    with db.atomic():
        gift = Gift.create(
            name=name, points_price=points_price, stock=stock, description=description
        )
        audit.record(
            actor,
            "create",
            "gift",
            gift.id,
            summary=f"{name} ({points_price})",
            changes={"stock": stock},
        )
    changes.emit(Change.GIFT)
    return gift


def update_gift(
    actor: Staff,
    gift_id: int,
    name: str,
    points_price: int,
    description: str = "",
    active: bool = True,
) -> Gift:
    """Change a gift's name, price or description, or take it off the list (never deleted)."""
    auth.require(actor, "edit")
    name, points_price, description = _gift_values(name, points_price, description)
    with db.atomic():
        gift = _gift(gift_id)
        _update_audited(
            actor,
            gift,
            "gift",
            name,
            name=name,
            points_price=points_price,
            description=description,
            active=active,
        )
    changes.emit(Change.GIFT)
    return gift


def restock(actor: Staff, gift_id: int, quantity: int, reason: str = "") -> Gift:
    """Add (or, with a reason, take away) stock."""
    auth.require(actor, "edit")
    if not isinstance(quantity, int) or quantity == 0:
        raise ValidationError.single("quantity", _("Enter how many."))
    reason = _reason(reason, required=quantity < 0)
    with db.atomic():
        gift = _gift(gift_id)
        if gift.stock + quantity < 0:
            raise ValidationError.single("quantity", _("Only {n} in stock.").format(n=gift.stock))
        Gift.update(stock=Gift.stock + quantity, updated_at=now()).where(
            Gift.id == gift.id
        ).execute()
        audit.record(
            actor,
            "restock",
            "gift",
            gift.id,
            summary=f"{gift.name} {quantity:+d}" + (f" ({reason})" if reason else ""),
            changes={"stock": [gift.stock, gift.stock + quantity]},
        )
    changes.emit(Change.GIFT)
    return _gift(gift_id)


def _gift(gift_id: int) -> Gift:
    return get_or_not_found(Gift, _("No such gift."), Gift.id == gift_id)


def _redemption(redemption_id: int) -> Redemption:
    return get_or_not_found(Redemption, _("No such redemption."), Redemption.id == redemption_id)


GIFT_SORTS = {"name": Gift.name, "price": Gift.points_price, "stock": Gift.stock}


def gift_ids(
    active_only: bool = False, sort_key: str | None = None, descending: bool = False
) -> list[int]:
    column = GIFT_SORTS.get(sort_key or "price", Gift.points_price)
    query = Gift.select(Gift.id).order_by(
        column.desc() if descending else column.asc(), Gift.id.asc()
    )
    if active_only:
        query = query.where(Gift.active == True)
    return [row[0] for row in tuples_of(query)]


def gift_rows(ids: list[int]) -> list[GiftRow]:
    if not ids:
        return []
    redeemed = dict(
        tuples_of(
            Redemption.select(Redemption.gift, fn.SUM(Redemption.quantity))
            .where(Redemption.gift.in_(ids), Redemption.status == "done")
            .group_by(Redemption.gift)
        )
    )
    by_id = {
        gift.id: GiftRow(
            gift.id,
            gift.name,
            gift.points_price,
            gift.stock,
            gift.active,
            gift.description,
            int(redeemed.get(gift.id) or 0),
        )
        for gift in Gift.select().where(Gift.id.in_(ids))
    }
    return in_id_order(ids, by_id)


def as_redemption(result: object) -> Redemption | None:
    """``result`` when a member write returned a redemption (its slip can be printed)."""
    return result if isinstance(result, Redemption) else None


def redeem(
    actor: Staff,
    card_no: str,
    gift_id: int,
    quantity: int = 1,
    at: dt.datetime | None = None,
) -> Redemption:
    """积分换礼: take the gift's stock and the card's points in one transaction."""
    auth.require(actor, "edit")
    if not isinstance(quantity, int) or quantity < 1:
        raise ValidationError.single("quantity", _("Enter how many, at least one."))
    at = _when(at)
    with db.atomic():
        card = _usable_card(actor, card_no, at)
        gift = _gift(gift_id)
        if not gift.active:
            raise Conflict(_("{gift} is no longer on the gift list.").format(gift=gift.name))
        cost = gift.points_price * quantity
        if cost > card.balance:
            raise ValidationError.single(
                "quantity",
                _("{gift} costs {cost} points; the balance is {balance}.").format(
                    gift=gift.name, cost=cost, balance=card.balance
                ),
            )
        taken = (
            Gift.update(stock=Gift.stock - quantity, updated_at=now())
            .where(Gift.id == gift.id, Gift.stock >= quantity)
            .execute()
        )
        if taken != 1:
            raise ValidationError.single(
                "quantity", _("Only {n} in stock.").format(n=_gift(gift.id).stock)
            )
        entry = _post(
            actor,
            card,
            "redeem",
            -cost,
            at,
            gift=gift,
            reason=f"{gift.name} × {quantity}",
        )
        redemption = Redemption.create(
            card=card,
            gift=gift,
            quantity=quantity,
            points=cost,
            entry=entry,
            status="done",
            **_stamps(actor, at),
        )
        audit.record(
            actor,
            "redeem",
            "member_card",
            card.id,
            summary=f"{card.card_no} {gift.name} × {quantity} (-{cost})",
            changes={"redemption": redemption.id, "gift": gift.id, "points": cost},
        )
    changes.emit(Change.GIFT, Change.CARD)
    return redemption


def void_redemption(actor: Staff, redemption_id: int, reason: str) -> Redemption:
    """Undo a redemption (the gift came back): stock and points return (manager only)."""
    auth.require(actor, "adjust_points")
    reason = _reason(reason)
    at = now()
    with db.atomic():
        redemption = _redemption(redemption_id)
        if redemption.status != "done":
            raise Conflict(_("This redemption is already voided."))
        card = redemption.card
        if card.status != "active":
            _usable(card)
        Redemption.update(status="voided", updated_by=actor, updated_at=now()).where(
            Redemption.id == redemption.id
        ).execute()
        Gift.update(stock=Gift.stock + redemption.quantity).where(
            Gift.id == redemption.gift_id
        ).execute()
        _post(
            actor,
            card,
            "redeem_void",
            redemption.points,
            at,
            gift=redemption.gift,
            reason=reason,
            expires_on=_expiry_for(at),
        )
        audit.record(
            actor,
            "void",
            "redemption",
            redemption.id,
            summary=f"{card.card_no} {redemption.gift.name} ({reason})",
        )
    changes.emit(Change.GIFT, Change.CARD)
    return Redemption.get_by_id(redemption_id)
