"""Demo members: cards at every level with their purchase histories, gifts and redemptions,
cards lost, found, reissued and cancelled, birthday greetings and member events.

The cards and their ledgers are worked out in memory by the rules of csoffice.members —
earning by the office's rate, promotion by the last 12 months' points, points expiring and
spent soonest-expiring first, the balance carried lot by lot to a reissued card — and written
in bulk, so every balance equals its ledger as a real desk's does.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from typing import Any

from peewee import EXCLUDED

import csoffice.demo.writer as writer
from csoffice import audit, members, settings
from csoffice.db.database import db
from csoffice.db.lookup import tuples_of
from csoffice.db.models import (
    CardEvent,
    Counter,
    Customer,
    Gift,
    MemberCard,
    PointsEntry,
    Redemption,
)
from csoffice.demo.desk import Desk, moment
from csoffice.i18n import _, format_money
from csoffice.validation import luhn_digit

GIFTS = [
    ("品牌保温杯", 300, 40, "304 不锈钢，500 毫升"),
    ("车载香薰礼盒", 500, 25, "三种香型可选"),
    ("定制雨伞", 200, 60, "印有公司标志"),
    ("免费洗车券（5 次）", 400, 100, "本店洗车区使用"),
    ("保养工时八折券", 800, 50, "有效期一年"),
    ("蓝牙音箱", 1500, 12, "便携防水"),
    ("电影票两张", 600, 30, "全国影院通兑"),
    ("行李箱 20 寸", 3000, 6, "万向轮登机箱"),
]
# Share of members at each level and the points they earn over the period.
TIERS = [(50, 80, 900), (25, 1_000, 4_800), (17, 5_000, 19_000), (8, 20_000, 45_000)]
SOURCES = ["购车", "保养", "维修", "购买配件", "续保", "精品加装", "购买家电", "物业服务"]
MAX_MEMBERS = 1_500
GIFT_RESERVE = 3  # the desk restocks before a gift runs out


@dataclass
class MadeMembers:
    cards: int
    entries: int
    redemptions: int


def _days(rng: random.Random, start: dt.date, end: dt.date, count: int) -> list[dt.date]:
    span = max(0, (end - start).days)
    return sorted(start + dt.timedelta(days=rng.randint(0, span)) for _ in range(count))


@dataclass
class _Card:
    """A card as the domain would leave it, with its ledger and steps, before it is written."""

    customer: int
    level: Any  # members.LevelRow
    issued_at: dt.datetime
    clerk: int
    fee: Decimal
    expires_on: dt.date | None = None
    replaces: _Card | None = None
    status: str = "active"
    balance: int = 0
    closed_at: dt.datetime | None = None
    close_reason: str = ""
    version: int = 1
    updated_at: dt.datetime | None = None
    updated_by: int | None = None
    entries: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    earned: list[tuple[dt.datetime, int]] = field(default_factory=list)  # shared by the chain
    id: int | None = None
    card_no: str = ""


class _Office:
    """The office's member rules (from its settings) applied to cards in memory."""

    def __init__(self, desk: Desk, gifts: list[Gift]):
        self.desk = desk
        self.levels = members.levels()
        self.rate = Decimal(str(settings.get("members.yuan_per_point") or "10"))
        self.expiry_months = int(settings.get("members.points_expiry_months") or 0)
        self.enrol_fee = Decimal(str(settings.get("members.enrol_fee") or "0"))
        self.reissue_fee = Decimal(str(settings.get("members.reissue_fee") or "0"))
        self.valid_years = int(settings.get("members.card_valid_years") or 0)
        policy = settings.get("members.cancel_policy")
        self.policy = policy if policy in members.CANCEL_POLICIES else "forfeit"
        self.refund_rate = Decimal(str(settings.get("members.refund_yuan_per_point") or "0"))
        self.gifts = gifts
        self.stock = {gift.id: gift.stock for gift in gifts}
        self.cards: list[_Card] = []
        self.redemptions: list[dict] = []

    # --- levels and points --------------------------------------------------------------

    def level_for(self, earned: int):
        reached = [lv for lv in self.levels if lv.threshold <= max(earned, 0)]
        return reached[-1] if reached else self.levels[0]

    def _touch(self, card: _Card, staff: int, at: dt.datetime) -> None:
        card.updated_at, card.updated_by = at, staff

    def event(self, card: _Card, kind: str, at: dt.datetime, staff: int, **extra) -> None:
        card.events.append(dict(kind=kind, at=at, staff=staff, **extra))
        self._touch(card, staff, at)

    def post(self, card: _Card, kind: str, points: int, at: dt.datetime, staff: int, **extra):
        entry = dict(kind=kind, points=points, at=at, staff=staff, **extra)
        card.entries.append(entry)
        card.balance += points
        if kind in members.EARNING_KINDS:
            card.earned.append((at, points))
        self._touch(card, staff, at)
        return entry

    def regrade(self, card: _Card, at: dt.datetime, staff: int) -> None:
        """Promote (never demote) by the points earned over the 12 months up to ``at``."""
        since = dt.datetime.combine(members.add_months(at.date(), -12), dt.time())
        target = self.level_for(sum(p for when, p in card.earned if when >= since))
        if target.threshold > card.level.threshold:
            detail = f"{card.level.name} → {target.name}"
            self.event(card, "promoted", at, staff, detail=detail)
            card.level = target

    def _lots(self, card: _Card) -> list[list]:
        """The unspent points as [expires_on, points], by the members rule."""
        return members.unspent_lots((e["points"], e.get("expires_on")) for e in card.entries)

    def expire_due(self, card: _Card, at: dt.datetime, staff: int) -> None:
        today = at.date()
        due = sum(p for expires, p in self._lots(card) if expires and expires <= today)
        due = min(due, card.balance)
        if due > 0:
            self.post(card, "expire", -due, at, staff, reason=_("Points past their expiry date"))

    def expiry(self, at: dt.datetime) -> dt.date | None:
        return members.add_months(at.date(), self.expiry_months) if self.expiry_months else None

    # --- the card's life ------------------------------------------------------------------

    def enrol(self, customer: int, at: dt.datetime, clerk: int) -> _Card:
        expires = members.add_months(at.date(), 12 * self.valid_years) if self.valid_years else None
        card = _Card(customer, self.level_for(0), at, clerk, self.enrol_fee, expires)
        self.event(card, "issued", at, clerk, fee=self.enrol_fee, detail=card.level.name)
        self.cards.append(card)
        return card

    def earn(self, card: _Card, spent: Decimal, source: str, at: dt.datetime, clerk: int) -> None:
        points = int((spent / self.rate).to_integral_value(rounding=ROUND_DOWN))
        if points <= 0:
            return
        self.expire_due(card, at, clerk)
        self.post(
            card,
            "earn",
            points,
            at,
            clerk,
            amount_spent=spent,
            source=source,
            expires_on=self.expiry(at),
        )
        self.regrade(card, at, clerk)

    def redeem(self, card: _Card, gift: Gift, at: dt.datetime, clerk: int) -> bool:
        self.expire_due(card, at, clerk)
        if gift.points_price > card.balance or self.stock[gift.id] <= GIFT_RESERVE:
            return False
        self.stock[gift.id] -= 1
        entry = self.post(
            card, "redeem", -gift.points_price, at, clerk, gift=gift.id, reason=f"{gift.name} × 1"
        )
        self.redemptions.append(
            dict(card=card, gift=gift.id, points=gift.points_price, entry=entry, at=at, staff=clerk)
        )
        return True

    def adjust(self, card: _Card, points: int, reason: str, at: dt.datetime) -> None:
        manager = self.desk.manager.id
        self.expire_due(card, at, manager)
        self.post(card, "adjust", points, at, manager, reason=reason)
        self.regrade(card, at, manager)

    def move(
        self,
        card: _Card,
        status: str,
        kind: str,
        at: dt.datetime,
        staff: int,
        reason: str = "",
        **extra,
    ) -> None:
        card.status = status
        card.version += 1
        if extra.pop("close", False):
            card.closed_at, card.close_reason = at, reason
        self.event(card, kind, at, staff, reason=reason, **extra)

    def reissue(self, old: _Card, reason: str, at: dt.datetime, clerk: int) -> _Card:
        self.expire_due(old, at, clerk)
        new = _Card(
            old.customer,
            old.level,
            at,
            clerk,
            self.reissue_fee,
            old.expires_on,
            replaces=old,
            earned=old.earned,
        )
        self.cards.append(new)
        grouped: dict[dt.date | None, int] = {}
        for expires, points in self._lots(old):
            grouped[expires] = grouped.get(expires, 0) + points
        for expires, points in sorted(
            grouped.items(), key=lambda item: (item[0] is None, item[0] or dt.date.max)
        ):
            self.post(old, "transfer", -points, at, clerk, reason=new, expires_on=expires)
            self.post(new, "transfer", points, at, clerk, reason=old, expires_on=expires)
        self.move(old, "replaced", "replaced", at, clerk, reason, detail=new, close=True)
        self.event(new, "reissued", at, clerk, reason=reason, fee=self.reissue_fee, detail=old)
        return new

    def cancel(self, card: _Card, reason: str, at: dt.datetime, clerk: int) -> None:
        self.expire_due(card, at, clerk)
        refund, detail = None, ""
        if card.balance > 0:
            if self.policy == "refund":
                money = (self.refund_rate * card.balance).quantize(Decimal("0.01"), ROUND_DOWN)
                detail = _("{points} points refunded as {money}").format(
                    points=card.balance, money=format_money(money)
                )
                refund = -money
            else:
                detail = _("{points} points forfeited").format(points=card.balance)
            self.post(card, self.policy, -card.balance, at, clerk, reason=reason)
        self.move(
            card, "cancelled", "cancelled", at, clerk, reason, fee=refund, detail=detail, close=True
        )


def create(desk: Desk) -> MadeMembers:
    rng = desk.rng("members")
    today = desk.today
    yesterday = today - dt.timedelta(days=1)
    members.ensure_levels(desk.manager)
    candidates = [
        (customer_id, created.date())
        for customer_id, created in tuples_of(
            Customer.select(Customer.id, Customer.created_at)
            .where(
                Customer.status == "active",
                Customer.id.not_in(MemberCard.select(MemberCard.customer)),
            )
            .order_by(Customer.id)
        )
    ]
    chosen = [c for c in candidates if rng.random() < 0.45]
    if len(chosen) > MAX_MEMBERS:
        chosen = sorted(rng.sample(chosen, MAX_MEMBERS))
    # Enough of each gift that the desk never runs out (it restocks as the club grows).
    scale = max(1, math.ceil(len(chosen) / 150))
    gifts = [
        members.create_gift(desk.manager, name, price, stock * scale, description)
        for name, price, stock, description in GIFTS
    ]
    office = _Office(desk, gifts)
    start = desk.start
    latest = desk.now - dt.timedelta(hours=1)
    history: list[tuple[_Card, dt.datetime]] = []
    for customer_id, created in chosen:
        clerk = rng.choice(desk.clerk_ids)
        issued = max(created, start)
        if issued >= yesterday:
            issued = yesterday - dt.timedelta(days=1)
        card = office.enrol(customer_id, moment(rng, issued, latest), clerk)
        history.append((card, _history(rng, desk, office, card, issued, yesterday)))
    _lifecycle(rng, desk, office, history, yesterday)
    _write(desk, office)
    _greetings(rng, desk)
    _events(desk, rng)
    return MadeMembers(
        cards=MemberCard.select().count(),
        entries=PointsEntry.select().count(),
        redemptions=Redemption.select().count(),
    )


def _history(
    rng: random.Random, desk: Desk, office: _Office, card: _Card, issued: dt.date, until: dt.date
) -> dt.datetime:
    """Purchases (points earned) and perhaps a gift or two; returns the last entry's time."""
    weights, lows, highs = zip(*TIERS, strict=True)
    tier = rng.choices(range(len(TIERS)), weights)[0]
    target = rng.randint(lows[tier], highs[tier])
    purchases = rng.randint(2, 8)
    latest = desk.now - dt.timedelta(hours=1)
    last = max(card.issued_at, dt.datetime.combine(issued, dt.time(18)))
    for day in _days(rng, issued + dt.timedelta(days=1), until, purchases):
        points = max(1, target // purchases + rng.randint(-20, 20))
        spent = Decimal(points * 10 + rng.randint(0, 9))
        last = moment(rng, day, latest)
        office.earn(card, spent, rng.choice(SOURCES), last, rng.choice(desk.clerk_ids))
    for _turn in range(rng.choice([0, 0, 1, 1, 2])):
        affordable = [g for g in office.gifts if g.points_price <= card.balance]
        if not affordable or last.date() >= until:
            break
        gift = rng.choice(affordable)
        day = last.date() + dt.timedelta(days=rng.randint(1, max(1, (until - last.date()).days)))
        at = moment(rng, min(day, until), latest)
        if office.redeem(card, gift, at, rng.choice(desk.clerk_ids)):
            last = at
    return last


def _lifecycle(
    rng: random.Random,
    desk: Desk,
    office: _Office,
    history: list[tuple[_Card, dt.datetime]],
    until: dt.date,
) -> None:
    """Some cards lost (still blocked), found again, reissued or cancelled; a few corrections."""
    for card, last in history:
        roll = rng.random()
        after = last + dt.timedelta(hours=rng.randint(2, 200))
        if after.date() > until:
            continue
        clerk = rng.choice(desk.clerk_ids)
        later = min(
            desk.now - dt.timedelta(minutes=30), after + dt.timedelta(hours=rng.randint(1, 48))
        )
        if roll < 0.05:
            office.move(
                card, "lost", "lost", after, clerk, rng.choice(["客户来电挂失", "钱包被盗"])
            )
        elif roll < 0.08:
            office.move(card, "lost", "lost", after, clerk, "客户来电挂失")
            office.move(card, "active", "found", later, clerk, "卡片在家中找到")
        elif roll < 0.14:
            office.move(card, "lost", "lost", after, clerk, "卡片遗失")
            office.reissue(card, rng.choice(["卡片遗失补办", "客户挂失后补办"]), later, clerk)
        elif roll < 0.17:
            office.reissue(card, "卡片磨损，芯片失效", after, clerk)
        elif roll < 0.21:
            reason = rng.choice(["客户搬离本市", "客户要求退会", "客户车辆已转让"])
            office.cancel(card, reason, after, clerk)
        elif roll < 0.24:
            office.adjust(card, rng.choice([50, 100, 200]), "系统故障漏记积分补录", after)


CARD_COLUMNS = [
    "card_no",
    "customer",
    "level",
    "status",
    "issued_on",
    "expires_on",
    "fee",
    "balance",
    "closed_at",
    "close_reason",
    "version",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
]
ENTRY_COLUMNS = [
    "card",
    "at",
    "kind",
    "points",
    "amount_spent",
    "source",
    "reason",
    "gift",
    "expires_on",
    "staff",
]
EVENT_COLUMNS = ["card", "kind", "at", "staff", "reason", "fee", "detail"]


def _text(value: Any) -> str:
    """A step's reason or detail; another card stands for its number."""
    return value.card_no if isinstance(value, _Card) else (value or "")


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _write(desk: Desk, office: _Office) -> None:
    """Number the cards in the order issued and write cards, ledgers and steps in bulk."""
    cards = sorted(office.cards, key=lambda card: card.issued_at)
    prefix = members.normalize_card_no(str(settings.get("members.card_prefix") or ""))
    width = int(settings.get("members.card_digits") or 6)
    value = Counter.select(Counter.value).where(Counter.name == members.CARD_COUNTER).scalar() or 0
    for card in cards:
        value += 1
        body = f"{prefix}{value:0{width}d}"
        card.card_no = body + luhn_digit(body)
    with db.atomic():
        rows = [
            [
                card.card_no,
                card.customer,
                card.level.id,
                card.status,
                card.issued_at.date(),
                card.expires_on,
                _money(card.fee),
                card.balance,
                card.closed_at,
                card.close_reason,
                card.version,
                card.issued_at,
                card.clerk,
                card.updated_at,
                card.updated_by,
            ]
            for card in cards
        ]
        for card, card_id in zip(
            cards, writer.insert_returning_ids(MemberCard, CARD_COLUMNS, rows), strict=True
        ):
            card.id = card_id
        writer.update(
            MemberCard, ["replaces"], [(c.replaces.id, c.id) for c in cards if c.replaces]
        )
        entries = sorted(
            ((entry, card) for card in cards for entry in card.entries),
            key=lambda pair: (pair[0]["at"], pair[1].id),
        )
        entry_rows = [
            [
                card.id,
                e["at"],
                e["kind"],
                e["points"],
                _money(e.get("amount_spent")),
                e.get("source", ""),
                _text(e.get("reason")),
                e.get("gift"),
                e.get("expires_on"),
                e["staff"],
            ]
            for e, card in entries
        ]
        for (entry, _card), entry_id in zip(
            entries,
            writer.insert_returning_ids(PointsEntry, ENTRY_COLUMNS, entry_rows),
            strict=True,
        ):
            entry["id"] = entry_id
        writer.insert(
            Redemption,
            [
                "card",
                "gift",
                "quantity",
                "points",
                "entry",
                "status",
                "created_at",
                "updated_at",
                "created_by",
                "updated_by",
            ],
            [
                [
                    r["card"].id,
                    r["gift"],
                    1,
                    r["points"],
                    r["entry"]["id"],
                    "done",
                    r["at"],
                    r["at"],
                    r["staff"],
                    r["staff"],
                ]
                for r in sorted(office.redemptions, key=lambda r: (r["at"], r["card"].id))
            ],
        )
        events = sorted(
            ((event, card) for card in cards for event in card.events),
            key=lambda pair: (pair[0]["at"], pair[1].id),
        )
        writer.insert(
            CardEvent,
            EVENT_COLUMNS,
            [
                [
                    card.id,
                    e["kind"],
                    e["at"],
                    e["staff"],
                    _text(e.get("reason")),
                    _money(e.get("fee")),
                    _text(e.get("detail")),
                ]
                for e, card in events
            ],
        )
        writer.update(
            Gift, ["stock"], [(stock, gift_id) for gift_id, stock in sorted(office.stock.items())]
        )
        Counter.insert(name=members.CARD_COUNTER, value=value).on_conflict(
            conflict_target=[Counter.name], update={Counter.value: EXCLUDED.value}
        ).execute()
        audit.record(desk.manager, "import", "member_card", None, summary=f"demo: {len(cards)}")


def _greetings(rng: random.Random, desk: Desk) -> None:
    """About half of the birthdays now due were already greeted, some with the bonus (which
    only an active card takes: a card reported lost earns nothing until found or reissued)."""
    today = desk.today
    due = members.birthday_rows(members.birthday_ids(today), today)
    active = {
        customer_id
        for (customer_id,) in tuples_of(
            MemberCard.select(MemberCard.customer).where(MemberCard.status == "active")
        )
    }
    for row in due:
        if rng.random() < 0.5:
            continue
        at = desk.now - dt.timedelta(minutes=rng.randrange(10, 24 * 60))
        members.log_greeting(
            desk.staff(rng.choice(desk.clerk_ids)),
            row.customer_id,
            channel=rng.choice(["phone", "sms", "wechat"]),
            content=f"{row.name}您好，提前祝您生日快乐，身体健康，万事如意！",
            occasion_on=row.next_birthday,
            give_bonus=rng.random() < 0.6 and row.customer_id in active,
            at=at,
        )


def _events(desk: Desk, rng: random.Random) -> None:
    member_ids = [
        row[0]
        for row in tuples_of(
            MemberCard.select(MemberCard.customer)
            .where(MemberCard.status.in_(members.CURRENT_STATUSES))
            .order_by(MemberCard.id)
        )
    ]
    if not member_ids:
        return
    today = desk.today
    clerk = desk.staff(rng.choice(desk.clerk_ids))
    held = members.create_event(
        clerk,
        "车主自驾游·春季踏青",
        today - dt.timedelta(days=45),
        "郊野公园",
        "自驾线路约 80 公里，含午餐",
    )
    invited = rng.sample(member_ids, k=min(20, len(member_ids)))
    members.invite(clerk, held.id, invited)
    for customer_id in invited:
        if rng.random() < 0.6:
            members.set_attendance(clerk, held.id, customer_id, True)
    members.set_event_status(clerk, held.id, "held")

    gala = members.create_event(
        clerk,
        "金卡钻石会员年度答谢会",
        today + dt.timedelta(days=12),
        "公司二楼会议厅",
        "茶歇、抽奖、新车型介绍",
    )
    for level in members.levels():
        if level.code in ("gold", "diamond"):
            members.invite_level(clerk, gala.id, level.id)

    lecture = members.create_event(
        clerk,
        "冬季用车安全讲座",
        today + dt.timedelta(days=5),
        "客户休息区",
        "讲解冬季胎压、防冻液与电瓶保养",
    )
    members.invite(clerk, lecture.id, rng.sample(member_ids, k=min(8, len(member_ids))))
    members.set_event_status(clerk, lecture.id, "cancelled", "讲师临时有事，改期举办")
