"""Demo customers with lifelike Chinese names, phones, resident IDs, companies and service events."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from faker import Faker

from csoffice import customers
from csoffice.db.database import db
from csoffice.db.models import Customer, ServiceEvent, Staff

PRODUCTS = [
    "轿车 A3 型",
    "SUV X5 型",
    "电动车 E1",
    "空调 KF-35",
    "冰箱 BCD-520",
    "洗衣机 XQG-100",
    "三居室 8-1-602",
    "商铺 3-105",
]
TAGS = ["老客户", "团购", "转介绍", "企业客户", "高意向", "已投诉过"]
SOURCES = ["到店", "转介绍", "电话", "网络", "活动", "二级网点", "其他"]
INTERESTS = ["保养", "新车型", "理财", "亲子活动", "自驾游", "家装", "健康讲座"]
CLASS_WEIGHTS = [("ordinary", 70), ("vip", 12), ("new", 14), ("dissatisfied", 4)]
RARE_NAMES = ["刘䶮", "王㛃", "曾国藩", "单田芳", "解晓东", "区志强", "朴美兰", "乐嘉怡"]


@dataclass
class Made:
    customers: int
    events: int


def _input(fake: Faker, rng: random.Random, name: str | None = None) -> customers.CustomerInput:
    is_company = rng.random() < 0.08
    if is_company:
        return customers.CustomerInput(
            kind="company",
            name=fake.company(),
            mobile=fake.phone_number(),
            address=fake.address(),
            customer_class=rng.choices(
                [c for c, _w in CLASS_WEIGHTS], [w for _c, w in CLASS_WEIGHTS]
            )[0],
            source=rng.choice(SOURCES),
            tags=["企业客户"],
            notes="",
        )
    has_id = rng.random() < 0.7
    return customers.CustomerInput(
        kind="individual",
        name=name or fake.name(),
        mobile=fake.phone_number(),
        phone2=fake.phone_number() if rng.random() < 0.1 else "",
        id_number=fake.ssn(min_age=18, max_age=80) if has_id else "",
        address=fake.address(),
        company=fake.company() if rng.random() < 0.4 else "",
        customer_class=rng.choices([c for c, _w in CLASS_WEIGHTS], [w for _c, w in CLASS_WEIGHTS])[
            0
        ],
        source=rng.choice(SOURCES),
        tags=rng.sample(TAGS, k=rng.choice([0, 0, 1, 1, 2])),
        interests="、".join(rng.sample(INTERESTS, k=rng.choice([0, 1, 2]))),
        email=fake.free_email() if rng.random() < 0.3 else "",
    )


def create(
    actor: Staff,
    rng: random.Random,
    count: int,
    months: int,
    seed: int,
    today: dt.date | None = None,
) -> Made:
    """``count`` customers who came over the last ``months`` months, each with a purchase."""
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    today = today or dt.date.today()
    start = today - dt.timedelta(days=max(1, months) * 30)
    span = (today - start).days
    inputs = []
    stamps = []
    for number in range(count):
        name = RARE_NAMES[number] if number < len(RARE_NAMES) and count >= 50 else None
        inputs.append((number + 1, _input(fake, rng, name)))
        day = start + dt.timedelta(days=int(span * (number / max(1, count))))
        stamps.append(
            dt.datetime.combine(day, dt.time(9, 0)) + dt.timedelta(minutes=rng.randrange(0, 540))
        )
    result = customers.bulk_create(actor, inputs, skip_invalid=True, created_at=stamps)
    events = _service_events(actor, rng, today)
    return Made(customers=result.created, events=events)


def _event_row(
    actor: Staff,
    customer_id: int,
    product: str,
    kind: str,
    date: dt.date,
    amount: Decimal | None = None,
    note: str = "",
    remind_on: dt.date | None = None,
) -> dict:
    """A service event row for ``insert_many``, which takes its columns from the first row:
    every row names the same ones."""
    return dict(
        customer=customer_id,
        kind=kind,
        date=date,
        product=product,
        amount=amount,
        note=note,
        remind_on=remind_on,
        created_by=actor.id,
        updated_by=actor.id,
    )


def _service_events(actor: Staff, rng: random.Random, today: dt.date) -> int:
    rows = []
    query = Customer.select(Customer.id, Customer.created_at).where(
        Customer.id.not_in(ServiceEvent.select(ServiceEvent.customer))
    )
    for customer_id, created in query.tuples():
        bought = created.date()
        product = rng.choice(PRODUCTS)
        amount = Decimal(rng.randrange(2_000, 400_000))
        rows.append(_event_row(actor, customer_id, product, "purchase", bought, amount=amount))
        delivered = bought + dt.timedelta(days=rng.randrange(0, 15))
        if delivered <= today:
            rows.append(_event_row(actor, customer_id, product, "delivery", delivered))
        if rng.random() < 0.25:
            repaired = bought + dt.timedelta(days=rng.randrange(10, 120))
            if repaired <= today:
                note = rng.choice(["异响检修", "更换配件", "系统升级", "漏水维修"])
                rows.append(_event_row(actor, customer_id, product, "repair", repaired, note=note))
        if rng.random() < 0.3:
            kind = rng.choice(["maintenance", "inspection", "insurance"])
            remind_on = today + dt.timedelta(days=rng.randrange(-5, 30))
            rows.append(_event_row(actor, customer_id, product, kind, bought, remind_on=remind_on))
    with db.atomic():
        for start in range(0, len(rows), 500):
            ServiceEvent.insert_many(rows[start : start + 500]).execute()
    return len(rows)
