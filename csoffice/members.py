"""Member cards and the club (会员卡): enrolment, the card's life, the points ledger, levels,
gifts, birthdays and member events.

The card's life is a state machine::

    active ──lost──▶ lost ──found──▶ active
    active|lost ──reissue──▶ replaced   (a new active card ``replaces`` it)
    active|lost ──cancel──▶ cancelled

The points balance is the sum of the card's ledger (PointsEntry); ``MemberCard.balance`` is
a cache written in the same transaction as every ledger row, and ``check`` verifies it.
Levels follow the points *earned* over the last 12 months (earnings, bonuses and manual
adjustments), never the balance, so redeeming a gift never demotes a member. Promotions
happen as soon as points are earned; demotions when a manual correction takes points back
and at a level review (``review_levels``), when old earnings leave the 12-month window.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from peewee import JOIN, Model, fn

from csoffice import audit, auth, settings
from csoffice.dates import add_months
from csoffice.db import counters
from csoffice.db.database import db
from csoffice.db.lookup import get_or_not_found
from csoffice.db.models import (
    CardEvent,
    Customer,
    EventAttendance,
    Gift,
    Greeting,
    MemberCard,
    MemberEvent,
    MemberLevel,
    PointsEntry,
    Redemption,
    Staff,
    now,
)
from csoffice.errors import Conflict, NotFound, ValidationError
from csoffice.i18n import N_, _, format_money
from csoffice.validation import luhn_digit, luhn_valid, to_halfwidth

STATUSES = {
    "active": N_("Active"),
    "lost": N_("Reported lost"),
    "replaced": N_("Replaced"),
    "cancelled": N_("Cancelled"),
}
CURRENT_STATUSES = ("active", "lost")  # a customer holds at most one such card

EVENT_KINDS = {
    "issued": N_("Issued"),
    "lost": N_("Reported lost"),
    "found": N_("Found"),
    "reissued": N_("Reissued"),
    "replaced": N_("Replaced by a new card"),
    "cancelled": N_("Cancelled"),
    "promoted": N_("Promoted"),
    "demoted": N_("Demoted"),
}

ENTRY_KINDS = {
    "earn": N_("Earned"),
    "bonus": N_("Bonus"),
    "adjust": N_("Adjustment"),
    "redeem": N_("Gift redeemed"),
    "redeem_void": N_("Redemption voided"),
    "expire": N_("Expired"),
    "transfer": N_("Transfer on reissue"),
    "forfeit": N_("Forfeited on cancelling"),
    "refund": N_("Refunded on cancelling"),
}
# The movements that count as "points earned" for levels; redeeming, expiry and transfers do not.
EARNING_KINDS = ("earn", "bonus", "adjust")

CANCEL_POLICIES = {"forfeit": N_("Forfeit the balance"), "refund": N_("Refund the balance")}
GREETING_KINDS = {
    "birthday": N_("Birthday"),
    "festival": N_("Festival"),
    "reminder": N_("Reminder"),
}
GREETING_CHANNELS = {
    "phone": N_("Phone call"),
    "sms": N_("Text message"),
    "wechat": N_("WeChat"),
    "card": N_("Greeting card"),
    "visit": N_("Visit"),
}
EVENT_STATUSES = {"planned": N_("Planned"), "held": N_("Held"), "cancelled": N_("Cancelled")}

# Default levels, seeded when the office has none. Offices rename them: they are data.
DEFAULT_LEVELS = [
    ("normal", "普通", 0, "生日问候、积分换礼"),
    ("silver", "银卡", 1_000, "生日问候、节日问候、会员活动优先邀请"),
    ("gold", "金卡", 5_000, "生日礼品、专属客服、保养提醒、会员活动优先邀请"),
    ("diamond", "钻石", 20_000, "生日礼品、专属客服经理、上门服务、年度答谢会"),
]

# --- small helpers ----------------------------------------------------------------------------


def normalize_card_no(text: str) -> str:
    """A card number as typed or scanned: full-width digits, spaces and dashes tolerated."""
    return "".join(ch for ch in to_halfwidth(text or "") if ch.isalnum()).upper()


def _money(value, field: str, default: str = "0") -> Decimal:
    text = str(value if value not in (None, "") else default).strip().replace("¥", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValidationError.single(field, _("Enter an amount such as 12.50.")) from None
    if not amount.is_finite() or amount < 0:
        raise ValidationError.single(field, _("The amount cannot be negative."))
    if amount > Decimal("99999999"):
        raise ValidationError.single(field, _("The amount is too large."))
    return amount.quantize(Decimal("0.01"))


def _one_line(
    errors: dict[str, str], field: str, text: str | None, limit: int, missing: str = ""
) -> str:
    """``text`` on one line with single spaces. Notes in ``errors`` under ``field`` when it is
    empty and ``missing`` (what to enter) is given, or when it is longer than ``limit``."""
    text = " ".join((text or "").split())
    if missing and not text:
        errors[field] = missing
    elif len(text) > limit:
        errors[field] = _("At most {n} characters.").format(n=limit)
    return text


def _reason(text: str, required: bool = True) -> str:
    errors: dict[str, str] = {}
    reason = _one_line(errors, "reason", text, 200, _("Give a reason.") if required else "")
    if errors:
        raise ValidationError(errors)
    return reason


def _when(at: dt.datetime | None) -> dt.datetime:
    return (at or now()).replace(microsecond=0)


def _label(table: dict[str, str], code: str) -> str:
    return _(table[code]) if code in table else code


def status_label(code: str) -> str:
    return _label(STATUSES, code)


def entry_kind_label(code: str) -> str:
    return _label(ENTRY_KINDS, code)


def event_kind_label(code: str) -> str:
    return _label(EVENT_KINDS, code)


def _stamps(actor: Staff, at: dt.datetime) -> dict[str, Any]:
    """Who created a row and when, for ``Model.create`` (the first update is the creation)."""
    return dict(created_by=actor, updated_by=actor, created_at=at, updated_at=at)


def _update_audited(actor: Staff, row: Model, entity: str, summary: str, **values: Any) -> None:
    """Set ``values`` on ``row``, save it and record in the audit trail what changed."""
    fields = list(values)
    before = audit.snapshot(row, fields)
    for name, value in values.items():
        setattr(row, name, value)
    row.save()
    audit.record(
        actor,
        "update",
        entity,
        row.id,
        summary=summary,
        changes=audit.diff(before, audit.snapshot(row, fields)),
    )


# --- levels -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LevelRow:
    id: int
    code: str
    name: str
    threshold: int
    care_plan: str
    active: bool


def ensure_levels(actor: Staff | None = None) -> None:
    """Seed the default levels when the office has none yet."""
    if MemberLevel.select().exists():
        return
    with db.atomic():
        for rank, (code, name, threshold, care) in enumerate(DEFAULT_LEVELS):
            MemberLevel.create(code=code, name=name, threshold=threshold, rank=rank, care_plan=care)
        audit.record(
            actor,
            "create",
            "member_level",
            None,
            summary=", ".join(name for _c, name, _t, _p in DEFAULT_LEVELS),
        )


def levels(include_inactive: bool = False) -> list[LevelRow]:
    """The levels from the lowest threshold up."""
    query = MemberLevel.select().order_by(MemberLevel.threshold, MemberLevel.id)
    if not include_inactive:
        query = query.where(MemberLevel.active == True)
    return [
        LevelRow(row.id, row.code, row.name, row.threshold, row.care_plan, row.active)
        for row in query
    ]


def save_level(
    actor: Staff,
    level_id: int | None,
    name: str,
    threshold: int,
    care_plan: str = "",
    active: bool = True,
    code: str = "",
) -> LevelRow:
    """Add or change a level (manager only); levels are never deleted, only set inactive."""
    auth.require(actor, "change_settings")
    errors: dict[str, str] = {}
    name = _one_line(errors, "name", name, 40, _("Enter the level's name."))
    if not isinstance(threshold, int) or threshold < 0:
        errors["threshold"] = _("The threshold is a whole number of points, 0 or more.")
    if errors:
        raise ValidationError(errors)
    with db.atomic():
        if level_id is None:
            code = code or f"level{MemberLevel.select().count() + 1}"
            if MemberLevel.select().where(MemberLevel.code == code).exists():
                raise ValidationError.single("code", _("This code is taken."))
            level = MemberLevel.create(
                code=code, name=name, threshold=threshold, care_plan=care_plan, active=active
            )
            audit.record(actor, "create", "member_level", level.id, summary=name)
        else:
            level = get_or_not_found(MemberLevel, _("No such level."), MemberLevel.id == level_id)
            _update_audited(
                actor,
                level,
                "member_level",
                name,
                name=name,
                threshold=threshold,
                care_plan=care_plan,
                active=active,
            )
        for rank, row in enumerate(
            MemberLevel.select().order_by(MemberLevel.threshold, MemberLevel.id)
        ):
            MemberLevel.update(rank=rank).where(MemberLevel.id == row.id).execute()
    return LevelRow(
        level.id, level.code, level.name, level.threshold, level.care_plan, level.active
    )


def level_for(earned: int) -> MemberLevel | None:
    """The highest active level whose threshold ``earned`` points reach."""
    return (
        MemberLevel.select()
        .where(MemberLevel.active == True, MemberLevel.threshold <= max(earned, 0))
        .order_by(MemberLevel.threshold.desc(), MemberLevel.id.desc())
        .first()
    ) or (
        MemberLevel.select()
        .where(MemberLevel.active == True)
        .order_by(MemberLevel.threshold, MemberLevel.id)
        .first()
    )


def _threshold(level: MemberLevel | None) -> int:
    return level.threshold if level is not None else -1


def chain_ids(card: MemberCard) -> list[int]:
    """The card and every card it replaced, newest first: one membership's whole history."""
    ids = [card.id]
    previous = card.replaces_id
    while previous is not None and previous not in ids:
        ids.append(previous)
        previous = MemberCard.select(MemberCard.replaces).where(MemberCard.id == previous).scalar()
    return ids


def earned_points(card: MemberCard, today: dt.date | None = None) -> int:
    """Points earned over the 12 months up to ``today``, across the card's reissues."""
    today = today or dt.date.today()
    since = dt.datetime.combine(add_months(today, -12), dt.time())
    until = dt.datetime.combine(today + dt.timedelta(days=1), dt.time())
    total = (
        PointsEntry.select(fn.COALESCE(fn.SUM(PointsEntry.points), 0))
        .where(
            PointsEntry.card.in_(chain_ids(card)),
            PointsEntry.kind.in_(EARNING_KINDS),
            PointsEntry.at >= since,
            PointsEntry.at < until,
        )
        .scalar()
    )
    return int(total or 0)


def _set_level(
    actor: Staff | None,
    card: MemberCard,
    earned: int,
    at: dt.datetime,
    allow_demote: bool,
) -> str | None:
    """Move the card to the level ``earned`` warrants; records the step; returns its kind."""
    target = level_for(earned)
    if target is None or target.id == card.level_id:
        return None
    current = MemberLevel.get_or_none(MemberLevel.id == card.level_id)
    promoted = target.threshold > _threshold(current)
    if not promoted and not allow_demote:
        return None
    kind = "promoted" if promoted else "demoted"
    MemberCard.update(level=target, updated_at=now(), updated_by=actor).where(
        MemberCard.id == card.id
    ).execute()
    card.level = target
    detail = f"{current.name if current else ''} → {target.name}"
    CardEvent.create(card=card, kind=kind, at=at, staff=actor, detail=detail)
    audit.record(
        actor,
        kind,
        "member_card",
        card.id,
        summary=f"{card.card_no}: {detail}",
        changes={"level": [current.code if current else None, target.code], "earned": earned},
    )
    return kind


def _regrade(actor: Staff, card: MemberCard, at: dt.datetime, allow_demote: bool) -> None:
    """After points moved at ``at``: the level the card's last 12 months' earnings warrant."""
    _set_level(actor, card, earned_points(card, at.date()), at, allow_demote=allow_demote)


def review_levels(actor: Staff, today: dt.date | None = None) -> list[tuple[str, str]]:
    """Re-grade every current card by its last 12 months' earnings: (card number, kind) moved."""
    auth.require(actor, "edit")
    today = today or dt.date.today()
    at = now() if today == dt.date.today() else dt.datetime.combine(today, dt.time(9, 0))
    since = dt.datetime.combine(add_months(today, -12), dt.time())
    until = dt.datetime.combine(today + dt.timedelta(days=1), dt.time())
    sums = dict(
        PointsEntry.select(PointsEntry.card, fn.SUM(PointsEntry.points))
        .where(
            PointsEntry.kind.in_(EARNING_KINDS),
            PointsEntry.at >= since,
            PointsEntry.at < until,
        )
        .group_by(PointsEntry.card)
        .tuples()
    )
    replaces = dict(
        MemberCard.select(MemberCard.id, MemberCard.replaces)
        .where(MemberCard.replaces.is_null(False))
        .tuples()
    )
    moved = []
    with db.atomic():
        for card in MemberCard.select().where(MemberCard.status.in_(CURRENT_STATUSES)):
            earned, previous, seen = sums.get(card.id, 0), replaces.get(card.id), {card.id}
            while previous is not None and previous not in seen:
                seen.add(previous)
                earned += sums.get(previous, 0)
                previous = replaces.get(previous)
            kind = _set_level(actor, card, int(earned), at, allow_demote=True)
            if kind:
                moved.append((card.card_no, kind))
        audit.record(
            actor,
            "review",
            "member_level",
            None,
            summary=_("{n} cards changed level").format(n=len(moved)),
        )
    return moved


# --- card numbers -----------------------------------------------------------------------------

CARD_COUNTER = "member_card"


def _next_card_no() -> str:
    """The next card number: prefix, running number, Luhn check digit (inside a transaction)."""
    prefix = normalize_card_no(str(settings.get("members.card_prefix") or ""))
    if not prefix.isdigit():
        raise ValidationError.single(
            "members.card_prefix", _("The card number prefix must be digits.")
        )
    width = int(settings.get("members.card_digits") or 6)
    while True:
        value = counters.next_value(CARD_COUNTER)
        body = f"{prefix}{value:0{width}d}"
        number = body + luhn_digit(body)
        # A prefix changed back and forth could meet an old number; never hand it out twice.
        if not MemberCard.select().where(MemberCard.card_no == number).exists():
            return number


def card_no_is_valid(text: str) -> bool:
    """Whether ``text`` could be one of our card numbers (its check digit is right)."""
    return luhn_valid(normalize_card_no(text))


# --- finding cards ----------------------------------------------------------------------------


def find_card(card_no: str) -> MemberCard:
    """The card with this number, whatever its state; NotFound otherwise."""
    number = normalize_card_no(card_no)
    card = MemberCard.get_or_none(MemberCard.card_no == number) if number else None
    if card is None:
        raise NotFound(_("No member card with number {number}.").format(number=card_no))
    return card


def _customer(customer_id: int) -> Customer:
    return get_or_not_found(
        Customer,
        _("No customer with number {id}.").format(id=customer_id),
        Customer.id == customer_id,
    )


def current_card(customer_id: int) -> MemberCard | None:
    """The customer's active or lost card, if any."""
    return (
        MemberCard.select()
        .where(MemberCard.customer == customer_id, MemberCard.status.in_(CURRENT_STATUSES))
        .first()
    )


def latest_card(customer_id: int) -> MemberCard | None:
    """The current card, or else the customer's most recent one."""
    return current_card(customer_id) or (
        MemberCard.select()
        .where(MemberCard.customer == customer_id)
        .order_by(MemberCard.id.desc())
        .first()
    )


def _successor_no(card: MemberCard) -> str:
    """The number of the card that replaced ``card`` ("" when none did)."""
    successor = MemberCard.get_or_none(MemberCard.replaces == card.id)
    return successor.card_no if successor else ""


def _usable(card: MemberCard, for_what: str = "points") -> None:
    """Refuse points movements on a card that is not active, saying why."""
    if card.status == "active":
        return
    if card.status == "lost":
        raise Conflict(
            _("Card {number} is reported lost; nothing may be earned or redeemed on it.").format(
                number=card.card_no
            )
        )
    if card.status == "replaced":
        raise Conflict(
            _("Card {number} was replaced by {new} and is no longer valid.").format(
                number=card.card_no, new=_successor_no(card) or "?"
            )
        )
    raise Conflict(_("Card {number} is cancelled.").format(number=card.card_no))


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


# --- the card's life --------------------------------------------------------------------------


def _new_card(
    actor: Staff,
    at: dt.datetime,
    customer: Customer | int,
    level: MemberLevel | int,
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
            if level is None:
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
    return find_card(card.card_no)


# --- the points ledger ------------------------------------------------------------------------


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
    entries = (
        PointsEntry.select(PointsEntry.points, PointsEntry.expires_on)
        .where(PointsEntry.card == card_id)
        .order_by(PointsEntry.at, PointsEntry.id)
        .tuples()
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
    source = " ".join((source or "").split())
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
    return entry


# --- gifts and redemption ---------------------------------------------------------------------


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
    return name, points_price, (description or "").strip()


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
    return [row[0] for row in query.tuples()]


def gift_rows(ids: list[int]) -> list[GiftRow]:
    if not ids:
        return []
    redeemed = dict(
        Redemption.select(Redemption.gift, fn.SUM(Redemption.quantity))
        .where(Redemption.gift.in_(ids), Redemption.status == "done")
        .group_by(Redemption.gift)
        .tuples()
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
    return [by_id[i] for i in ids if i in by_id]


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
    return Redemption.get_by_id(redemption_id)


@dataclass(frozen=True)
class HandoverSlip:
    """What the gift handover slip prints."""

    redemption_id: int
    at: dt.datetime
    card_no: str
    member_name: str
    member_mobile: str
    level_name: str
    gift_name: str
    quantity: int
    points: int
    balance_after: int
    clerk: str
    status: str


def handover_slip(redemption_id: int) -> HandoverSlip:
    redemption = _redemption(redemption_id)
    card = redemption.card
    entry = redemption.entry
    after = (
        PointsEntry.select(fn.COALESCE(fn.SUM(PointsEntry.points), 0))
        .where(PointsEntry.card == card.id, PointsEntry.id <= entry.id)
        .scalar()
        if entry is not None
        else card.balance
    )
    return HandoverSlip(
        redemption_id=redemption.id,
        at=redemption.created_at,
        card_no=card.card_no,
        member_name=card.customer.name,
        member_mobile=card.customer.mobile,
        level_name=card.level.name if card.level_id else "",
        gift_name=redemption.gift.name,
        quantity=redemption.quantity,
        points=redemption.points,
        balance_after=int(after or 0),
        clerk=redemption.created_by.display_name if redemption.created_by_id else "",
        status=redemption.status,
    )


# --- lists for the card panel -----------------------------------------------------------------


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
    return [row[0] for row in query.tuples()]


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
        .objects()
    )
    by_id = {}
    for row in query:
        by_id[row.id] = LedgerRow(
            id=row.id,
            at=row.at,
            card_no=row.card_no,
            kind=row.kind,
            kind_label=entry_kind_label(row.kind),
            points=row.points,
            amount_spent=row.amount_spent,
            source=row.source,
            reason=row.reason,
            gift_name=row.gift_name or "",
            expires_on=row.expires_on,
            staff_name=row.staff_name or "",
            redemption_id=row.redemption_id,
        )
    return [by_id[i] for i in ids if i in by_id]


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
    return [row[0] for row in query.tuples()]


def event_rows(ids: list[int]) -> list[EventRow]:
    if not ids:
        return []
    query = (
        CardEvent.select(CardEvent, MemberCard.card_no, Staff.display_name)
        .join(MemberCard, on=(CardEvent.card == MemberCard.id))
        .switch(CardEvent)
        .join(Staff, JOIN.LEFT_OUTER, on=(CardEvent.staff == Staff.id))
        .where(CardEvent.id.in_(ids))
        .objects()
    )
    by_id = {
        row.id: EventRow(
            row.id,
            row.at,
            row.card_no,
            row.kind,
            event_kind_label(row.kind),
            row.reason,
            row.fee,
            row.detail,
            getattr(row, "display_name", "") or "",
        )
        for row in query
    }
    return [by_id[i] for i in ids if i in by_id]


# --- birthdays and greetings ------------------------------------------------------------------


@dataclass(frozen=True)
class BirthdayRow:
    customer_id: int
    name: str
    mobile: str
    birthday: dt.date
    next_birthday: dt.date
    days_ahead: int
    age: int
    card_no: str
    level_name: str
    greeted: bool


def birthday_window() -> tuple[int, int]:
    """How many days ahead birthdays are due for a greeting (from, to), from the settings."""
    first = int(settings.get("members.birthday_first_day") or 0)
    last = int(settings.get("members.birthday_last_day") or 0)
    first = max(0, min(first, 60))
    return first, max(first, min(last, 60))


def _next_birthday(birthday: dt.date, today: dt.date) -> dt.date:
    for year in (today.year, today.year + 1):
        day = min(birthday.day, calendar.monthrange(year, birthday.month)[1])
        candidate = dt.date(year, birthday.month, day)
        if candidate >= today:
            return candidate
    return candidate


def next_birthday(birthday: dt.date, today: dt.date) -> dt.date:
    """The birthday's next day on or after ``today`` (29 February: the 28th in other years)."""
    return _next_birthday(birthday, today)


def birthday_condition(today: dt.date, window: tuple[int, int] | None = None):
    """The condition on Customer.birthday for birthdays in the window (None: empty window)."""
    first, last = window or birthday_window()
    days = [today + dt.timedelta(days=n) for n in range(first, last + 1)]
    month_days = {(day.month, day.day) for day in days}
    for day in days:  # 29 February is celebrated on the 28th in other years
        if day.month == 2 and day.day == 28 and not calendar.isleap(day.year):
            month_days.add((2, 29))
    condition = None
    for month in sorted({m for m, _d in month_days}):
        part = (Customer.birthday.month == month) & Customer.birthday.day.in_(
            sorted(d for m, d in month_days if m == month)
        )
        condition = part if condition is None else (condition | part)
    return condition


def birthday_ids(today: dt.date | None = None, window: tuple[int, int] | None = None) -> list[int]:
    """Members (holding a current card) whose birthday falls in the window, soonest first."""
    today = today or dt.date.today()
    condition = birthday_condition(today, window)
    if condition is None:
        return []
    rows = (
        Customer.select(Customer.id, Customer.birthday)
        .join(MemberCard, on=(MemberCard.customer == Customer.id))
        .where(
            MemberCard.status.in_(CURRENT_STATUSES),
            Customer.status == "active",
            Customer.birthday.is_null(False),
            condition,
        )
        .tuples()
    )
    found = sorted(
        ((_next_birthday(birthday, today), customer_id) for customer_id, birthday in rows),
    )
    return [customer_id for _day, customer_id in found]


def birthday_rows(ids: list[int], today: dt.date | None = None) -> list[BirthdayRow]:
    if not ids:
        return []
    today = today or dt.date.today()
    query = (
        Customer.select(Customer, MemberCard.card_no, MemberLevel.name.alias("level_name"))
        .join(
            MemberCard,
            JOIN.LEFT_OUTER,  # every customer's birthday is greeted, card holder or not
            on=((MemberCard.customer == Customer.id) & (MemberCard.status.in_(CURRENT_STATUSES))),
        )
        .join(MemberLevel, JOIN.LEFT_OUTER, on=(MemberCard.level == MemberLevel.id))
        .where(Customer.id.in_(ids))
        .objects()
    )
    by_id = {}
    for row in query:
        upcoming = _next_birthday(row.birthday, today)
        by_id[row.id] = (row, upcoming)
    greeted = set(
        Greeting.select(Greeting.customer, Greeting.occasion_on)
        .where(Greeting.customer.in_(ids), Greeting.kind == "birthday")
        .tuples()
    )
    out = []
    for customer_id in ids:
        if customer_id not in by_id:
            continue
        row, upcoming = by_id[customer_id]
        out.append(
            BirthdayRow(
                customer_id=row.id,
                name=row.name,
                mobile=row.mobile,
                birthday=row.birthday,
                next_birthday=upcoming,
                days_ahead=(upcoming - today).days,
                age=upcoming.year - row.birthday.year,
                card_no=row.card_no or "",
                level_name=row.level_name or "",
                greeted=(row.id, upcoming) in greeted,
            )
        )
    return out


def log_greeting(
    actor: Staff,
    customer_id: int,
    kind: str = "birthday",
    channel: str = "phone",
    content: str = "",
    occasion_on: dt.date | None = None,
    give_bonus: bool = False,
    at: dt.datetime | None = None,
) -> Greeting:
    """Record who greeted a member, how and with what; a birthday greeting may give the
    office's birthday bonus points (once per birthday) to the member's active card."""
    auth.require(actor, "edit")
    errors = {}
    if kind not in GREETING_KINDS:
        errors["kind"] = _("Choose what the greeting is for.")
    if channel not in GREETING_CHANNELS:
        errors["channel"] = _("Choose how the greeting was given.")
    content = (content or "").strip()
    if not content:
        errors["content"] = _("Write what was said or sent.")
    elif len(content) > 1000:
        errors["content"] = _("At most {n} characters.").format(n=1000)
    if errors:
        raise ValidationError(errors)
    at = _when(at)
    with db.atomic():
        customer = _customer(customer_id)
        if kind == "birthday" and occasion_on is None and customer.birthday:
            occasion_on = _next_birthday(customer.birthday, at.date())
        bonus = 0
        if give_bonus:
            bonus = int(settings.get("members.birthday_bonus") or 0)
            if kind != "birthday" or bonus <= 0:
                raise ValidationError.single("bonus", _("Only a birthday greeting gives a bonus."))
            card = current_card(customer.id)
            if card is None:
                raise ValidationError.single("bonus", _("The customer holds no member card."))
            _usable(card)
            if (
                Greeting.select()
                .where(
                    Greeting.customer == customer.id,
                    Greeting.kind == "birthday",
                    Greeting.occasion_on == occasion_on,
                    Greeting.bonus_points > 0,
                )
                .exists()
            ):
                raise Conflict(_("The bonus for this birthday was given already."))
            _post(
                actor,
                card,
                "bonus",
                bonus,
                at,
                reason=_("Birthday bonus"),
                expires_on=_expiry_for(at),
            )
            _regrade(actor, card, at, allow_demote=False)
        greeting = Greeting.create(
            customer=customer,
            kind=kind,
            occasion_on=occasion_on,
            channel=channel,
            content=content,
            bonus_points=bonus,
            **_stamps(actor, at),
        )
        audit.record(
            actor,
            "create",
            "greeting",
            greeting.id,
            summary=f"{customer.name} {kind} {channel}" + (f" +{bonus}" if bonus else ""),
        )
    return greeting


@dataclass(frozen=True)
class GreetingRow:
    id: int
    at: dt.datetime
    customer_name: str
    kind_label: str
    channel_label: str
    content: str
    bonus_points: int
    staff_name: str


def greeting_ids(customer_id: int | None = None) -> list[int]:
    query = Greeting.select(Greeting.id).order_by(Greeting.created_at.desc(), Greeting.id.desc())
    if customer_id is not None:
        query = query.where(Greeting.customer == customer_id)
    return [row[0] for row in query.tuples()]


def greeting_rows(ids: list[int]) -> list[GreetingRow]:
    if not ids:
        return []
    query = (
        Greeting.select(Greeting, Customer.name, Staff.display_name)
        .join(Customer, on=(Greeting.customer == Customer.id))
        .switch(Greeting)
        .join(Staff, JOIN.LEFT_OUTER, on=(Greeting.created_by == Staff.id))
        .where(Greeting.id.in_(ids))
        .objects()
    )
    by_id = {
        row.id: GreetingRow(
            row.id,
            row.created_at,
            row.name,
            _label(GREETING_KINDS, row.kind),
            _label(GREETING_CHANNELS, row.channel),
            row.content,
            row.bonus_points,
            getattr(row, "display_name", "") or "",
        )
        for row in query
    }
    return [by_id[i] for i in ids if i in by_id]


# --- member events ----------------------------------------------------------------------------


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
            description=(description or "").strip(),
            created_by=actor,
            updated_by=actor,
        )
        audit.record(actor, "create", "member_event", event.id, summary=f"{date} {title}")
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
            for row in EventAttendance.select(EventAttendance.customer)
            .where(EventAttendance.event == event.id, EventAttendance.customer.in_(wanted))
            .tuples()
        }
        known = {
            row[0]
            for row in Customer.select(Customer.id)
            .where(Customer.id.in_(wanted), Customer.status == "active")
            .tuples()
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
    return len(new)


def invite_level(actor: Staff, event_id: int, level_id: int) -> int:
    """Invite every current member of a level."""
    ids = [
        row[0]
        for row in MemberCard.select(MemberCard.customer)
        .where(MemberCard.level == level_id, MemberCard.status.in_(CURRENT_STATUSES))
        .tuples()
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


def event_list_ids(sort_key: str | None = None, descending: bool = True) -> list[int]:
    order = MemberEvent.date.desc() if descending else MemberEvent.date.asc()
    return [
        row[0]
        for row in MemberEvent.select(MemberEvent.id)
        .order_by(order, MemberEvent.id.desc())
        .tuples()
    ]


def event_list_rows(ids: list[int]) -> list[MemberEventRow]:
    if not ids:
        return []
    counts = {
        event_id: (invited, int(attended or 0))
        for event_id, invited, attended in EventAttendance.select(
            EventAttendance.event,
            fn.COUNT(EventAttendance.id),
            fn.SUM(EventAttendance.attended.cast("integer")),
        )
        .where(EventAttendance.event.in_(ids))
        .group_by(EventAttendance.event)
        .tuples()
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
    return [by_id[i] for i in ids if i in by_id]


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
    return [row[0] for row in query.tuples()]


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
        .objects()
    )
    by_id = {
        row.id: AttendanceRow(
            row.id,
            row.customer_id,
            row.name,
            row.mobile,
            getattr(row, "card_no", "") or "",
            row.invited_at,
            row.attended,
        )
        for row in query
    }
    return [by_id[i] for i in ids if i in by_id]


# --- export and checks ------------------------------------------------------------------------


def export(
    actor: Staff, path: Path, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> int:
    """``export members``: every card issued in the period, with the number it replaced."""
    from csoffice import transfer

    auth.require(actor, "export")
    path = Path(path)
    transfer.check_export_path(path)
    old = MemberCard.alias()
    query = (
        MemberCard.select(
            MemberCard.card_no,
            Customer.name,
            Customer.mobile,
            MemberLevel.name,
            MemberCard.status,
            MemberCard.balance,
            MemberCard.issued_on,
            MemberCard.expires_on,
            old.card_no,
            MemberCard.closed_at,
            MemberCard.close_reason,
        )
        .join(Customer, on=(MemberCard.customer == Customer.id))
        .switch(MemberCard)
        .join(MemberLevel, JOIN.LEFT_OUTER, on=(MemberCard.level == MemberLevel.id))
        .switch(MemberCard)
        .join(old, JOIN.LEFT_OUTER, on=(MemberCard.replaces == old.id))
        .order_by(MemberCard.issued_on, MemberCard.id)
    )
    if date_from is not None:
        query = query.where(MemberCard.issued_on >= date_from)
    if date_to is not None:
        query = query.where(MemberCard.issued_on <= date_to)
    headers = [
        _("Card number"),
        _("Customer"),
        _("Mobile"),
        _("Level"),
        _("Status"),
        _("Balance"),
        _("Issued on"),
        _("Expires on"),
        _("Replaces card"),
        _("Closed at"),
        _("Reason for closing"),
    ]

    def rows():
        for row in query.tuples().iterator():
            row = list(row)
            row[4] = status_label(row[4])
            yield row

    count = transfer.write_table(path, headers, rows(), sheet_title=_("Member cards"))
    with db.atomic():
        audit.record(
            actor,
            "export",
            "member_card",
            None,
            summary=_("{count} rows written to {path}").format(count=count, path=path.name),
        )
    return count


def balances_match_ledger() -> list[str]:
    """Every card's cached balance equals its ledger's sum and is not negative."""
    sums = (
        MemberCard.select(
            MemberCard.card_no,
            MemberCard.balance,
            fn.COALESCE(fn.SUM(PointsEntry.points), 0).alias("total"),
        )
        .join(PointsEntry, JOIN.LEFT_OUTER, on=(PointsEntry.card == MemberCard.id))
        .group_by(MemberCard.id, MemberCard.card_no, MemberCard.balance)
        .having(
            (MemberCard.balance != fn.COALESCE(fn.SUM(PointsEntry.points), 0))
            | (MemberCard.balance < 0)
        )
        .tuples()
    )
    return [
        _("Card {number}: balance {balance}, ledger sum {total}").format(
            number=number, balance=balance, total=total
        )
        for number, balance, total in sums
    ]


def one_current_card_per_customer() -> list[str]:
    rows = (
        MemberCard.select(MemberCard.customer, fn.COUNT(MemberCard.id))
        .where(MemberCard.status.in_(CURRENT_STATUSES))
        .group_by(MemberCard.customer)
        .having(fn.COUNT(MemberCard.id) > 1)
        .tuples()
    )
    return [
        _("Customer {id} holds {n} current member cards").format(id=customer, n=count)
        for customer, count in rows
    ]


# --- printing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CardFace:
    """What the printed card shows."""

    card_no: str
    member_name: str
    level_name: str
    issued_on: dt.date
    expires_on: dt.date | None


def card_face(card_no: str) -> CardFace:
    """The printable face of a valid card (a lost, replaced or cancelled card is not printed)."""
    card = find_card(card_no)
    if card.status != "active":
        raise Conflict(
            _("Card {number} is {status}; only an active card is printed.").format(
                number=card.card_no, status=status_label(card.status)
            )
        )
    return CardFace(
        card.card_no,
        card.customer.name,
        card.level.name if card.level_id else "",
        card.issued_on,
        card.expires_on,
    )
