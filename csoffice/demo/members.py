"""Demo members: cards at every level with their purchase histories, gifts and redemptions,
cards lost, found, reissued and cancelled, birthday greetings and member events.

Everything goes through the domain functions (dated in the past), so the demo's ledgers
add up exactly as real ones do.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from csoffice import members
from csoffice.auth import Role
from csoffice.db.models import Customer, MemberCard, PointsEntry, Redemption, Staff

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


@dataclass
class MadeMembers:
    cards: int
    entries: int
    redemptions: int


def _moment(rng: random.Random, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9)) + dt.timedelta(minutes=rng.randrange(0, 540))


def _days(rng: random.Random, start: dt.date, end: dt.date, count: int) -> list[dt.date]:
    span = max(0, (end - start).days)
    return sorted(start + dt.timedelta(days=rng.randint(0, span)) for _ in range(count))


def create(
    actor: Staff, rng: random.Random, months: int = 6, today: dt.date | None = None
) -> MadeMembers:
    today = today or dt.date.today()
    yesterday = today - dt.timedelta(days=1)
    members.ensure_levels(actor)
    clerks = list(
        Staff.select().where(Staff.role == Role.CLERK, Staff.active == True).order_by(Staff.id)
    ) or [actor]
    gifts = [
        members.create_gift(actor, name, price, stock, description)
        for name, price, stock, description in GIFTS
    ]
    candidates = [
        (customer_id, created.date())
        for customer_id, created in Customer.select(Customer.id, Customer.created_at)
        .where(
            Customer.status == "active",
            Customer.id.not_in(MemberCard.select(MemberCard.customer)),
        )
        .order_by(Customer.id)
        .tuples()
    ]
    chosen = [c for c in candidates if rng.random() < 0.45][:MAX_MEMBERS]
    start = today - dt.timedelta(days=max(1, months) * 30)
    cards: list[tuple[str, dt.datetime]] = []
    for customer_id, created in chosen:
        clerk = rng.choice(clerks)
        issued = max(created, start)
        if issued >= yesterday:
            issued = yesterday - dt.timedelta(days=1)
        card = members.enrol(clerk, customer_id, at=_moment(rng, issued))
        last = _history(rng, clerks, gifts, card.card_no, issued, yesterday)
        cards.append((card.card_no, last))
    _lifecycle(actor, rng, clerks, cards, yesterday)
    _greetings(rng, clerks, today)
    _events(actor, rng, clerks, today)
    return MadeMembers(
        cards=MemberCard.select().count(),
        entries=PointsEntry.select().count(),
        redemptions=Redemption.select().count(),
    )


def _history(
    rng: random.Random,
    clerks: list[Staff],
    gifts: list,
    card_no: str,
    issued: dt.date,
    until: dt.date,
) -> dt.datetime:
    """Purchases (points earned) and perhaps a gift or two; returns the last entry's time."""
    weights, lows, highs = zip(*[(w, lo, hi) for w, lo, hi in TIERS], strict=True)
    tier = rng.choices(range(len(TIERS)), weights)[0]
    target = rng.randint(lows[tier], highs[tier])
    purchases = rng.randint(2, 8)
    last = dt.datetime.combine(issued, dt.time(18))
    for day in _days(rng, issued + dt.timedelta(days=1), until, purchases):
        points = max(1, target // purchases + rng.randint(-20, 20))
        spent = points * 10 + rng.randint(0, 9)
        last = _moment(rng, day)
        members.earn(rng.choice(clerks), card_no, str(spent), rng.choice(SOURCES), at=last)
    balance = members.find_card(card_no).balance
    for _ in range(rng.choice([0, 0, 1, 1, 2])):
        affordable = [g for g in gifts if g.points_price <= balance]
        if not affordable or last.date() >= until:
            break
        gift = rng.choice(affordable)
        day = last.date() + dt.timedelta(days=rng.randint(1, max(1, (until - last.date()).days)))
        last = _moment(rng, min(day, until))
        try:
            members.redeem(rng.choice(clerks), card_no, gift.id, at=last)
        except members.ValidationError:  # out of stock: the member chose nothing today
            continue
        balance -= gift.points_price
    return last


def _lifecycle(
    manager: Staff,
    rng: random.Random,
    clerks: list[Staff],
    cards: list[tuple[str, dt.datetime]],
    until: dt.date,
) -> None:
    """Some cards lost (still blocked), found again, reissued or cancelled; a few corrections."""
    for card_no, last in cards:
        roll = rng.random()
        after = last + dt.timedelta(hours=rng.randint(2, 200))
        if after.date() > until:
            continue
        clerk = rng.choice(clerks)
        if roll < 0.05:
            members.report_lost(clerk, card_no, rng.choice(["客户来电挂失", "钱包被盗"]), at=after)
        elif roll < 0.08:
            members.report_lost(clerk, card_no, "客户来电挂失", at=after)
            members.mark_found(
                clerk, card_no, "卡片在家中找到", at=after + dt.timedelta(hours=rng.randint(1, 30))
            )
        elif roll < 0.14:
            members.report_lost(clerk, card_no, "卡片遗失", at=after)
            members.reissue(
                clerk,
                card_no,
                rng.choice(["卡片遗失补办", "客户挂失后补办"]),
                at=after + dt.timedelta(hours=rng.randint(1, 48)),
            )
        elif roll < 0.17:
            members.reissue(clerk, card_no, "卡片磨损，芯片失效", at=after)
        elif roll < 0.21:
            members.cancel(
                clerk,
                card_no,
                rng.choice(["客户搬离本市", "客户要求退会", "客户车辆已转让"]),
                at=after,
            )
        elif roll < 0.24:
            members.adjust(
                manager, card_no, rng.choice([50, 100, 200]), "系统故障漏记积分补录", at=after
            )


def _greetings(rng: random.Random, clerks: list[Staff], today: dt.date) -> None:
    """About half of the birthdays now due were already greeted, some with the bonus."""
    due = members.birthday_rows(members.birthday_ids(today), today)
    for row in due:
        if rng.random() < 0.5:
            continue
        members.log_greeting(
            rng.choice(clerks),
            row.customer_id,
            channel=rng.choice(["phone", "sms", "wechat"]),
            content=f"{row.name}您好，提前祝您生日快乐，身体健康，万事如意！",
            occasion_on=row.next_birthday,
            give_bonus=rng.random() < 0.6 and bool(row.card_no),
        )


def _events(actor: Staff, rng: random.Random, clerks: list[Staff], today: dt.date) -> None:
    member_ids = [
        row[0]
        for row in MemberCard.select(MemberCard.customer)
        .where(MemberCard.status.in_(members.CURRENT_STATUSES))
        .order_by(MemberCard.id)
        .tuples()
    ]
    if not member_ids:
        return
    clerk = rng.choice(clerks)
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
