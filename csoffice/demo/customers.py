"""Demo customers with lifelike Chinese names, phones, resident IDs, companies and service events.

An office's archive grows over years: most files are older than the demo months (their
purchases long past, no call due any more), and a steady few new customers a day buy within
them — so return visits and reminders come at the pace a small desk really works at, whatever
the archive's size.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from faker import Faker

import csoffice.demo.writer as writer
from csoffice import customers
from csoffice.db import bulk
from csoffice.db.database import db
from csoffice.db.lookup import raw_rows
from csoffice.db.models import Customer, CustomerSearchKey, CustomerTag, Greeting, ServiceEvent
from csoffice.demo.desk import Desk, Progress, moment
from csoffice.validation import resident_check_digit

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
REPAIRS = ["异响检修", "更换配件", "系统升级", "漏水维修"]
REMINDER_KINDS = ["maintenance", "inspection", "insurance"]
REMINDER_TEXT = {
    "maintenance": "提醒客户车辆/设备已到保养周期，可预约本周到店保养。",
    "inspection": "提醒客户年审即将到期，请带齐证件办理。",
    "insurance": "提醒客户保险即将到期，已介绍续保方案。",
}
NEW_PER_DAY = 8  # new customers a day within the demo months
REPAIRS_PER_DAY = 2  # repairs a day for customers of earlier years
REMINDERS_PER_DAY = 2  # maintenance, inspection and insurance dates a day
YEARS_OF_ARCHIVE = 4
# Key (VIP) customers get a care call every quarter: a desk of three has a few hundred of
# them, whatever the archive's size (12% of 100,000 asked for 190 such calls a day).
KEY_CUSTOMERS = 600


@dataclass
class Made:
    customers: int
    events: int


def _classes(rng: random.Random) -> str:
    return rng.choices([c for c, _w in CLASS_WEIGHTS], [w for _c, w in CLASS_WEIGHTS])[0]


class _Faces:
    """Lifelike values drawn from pools Faker fills once — names, addresses, companies, phone
    prefixes and the regions of resident IDs — each completed with a room, a number or a
    birth date of its own (Faker itself, called for every value, took most of a
    100,000-customer demo). Faker's own name list repeats after a few thousand anyway."""

    def __init__(
        self,
        fake: Faker,
        rng: random.Random,
        size: int,
        today: dt.date,
        helpers: tuple[random.Random, list[int]] | None = None,
    ):
        self.fake, self.rng, self.today = fake, rng, today
        self.helpers = helpers or (rng, [])  # who looks after customers, and a stream to pick by
        pool = max(50, min(size, 4000))
        self.names = [fake.name() for _ in range(max(50, min(size, 8000)))]
        self.streets = [fake.address().rsplit(" ", 1)[0] for _ in range(pool)]
        self.companies = [fake.company() for _ in range(max(20, pool // 2))]
        self.prefixes = sorted({fake.phone_number()[:3] for _ in range(300)})
        self.regions = sorted({fake.ssn()[:6] for _ in range(300)})
        self.emails = [fake.free_email() for _ in range(max(20, pool // 2))]
        self.key_customers = 0

    def customer_class(self) -> str:
        chosen = _classes(self.rng)
        if chosen == "vip":
            if self.key_customers >= KEY_CUSTOMERS:
                return "ordinary"
            self.key_customers += 1
        return chosen

    def name(self) -> str:
        return self.rng.choice(self.names)

    def resident_id(self) -> str:
        """A resident ID of someone 18 to 80 years old, with its check digit."""
        rng = self.rng
        born = self.today - dt.timedelta(days=rng.randrange(18 * 366, 80 * 365))
        body = f"{rng.choice(self.regions)}{born:%Y%m%d}{rng.randrange(1000):03d}"
        return body + resident_check_digit(body)

    def address(self) -> str:
        rng = self.rng
        room = f"{rng.randint(1, 33)}{rng.randint(1, 6):02d}室"
        return f"{rng.choice(self.streets)}{rng.randint(1, 30)}号{room}"

    def company(self) -> str:
        return self.rng.choice(self.companies)

    def phone(self) -> str:
        return f"{self.rng.choice(self.prefixes)}{self.rng.randrange(10**8):08d}"

    def email(self) -> str:
        return self.rng.choice(self.emails)

    def responsible(self) -> int | None:
        """Most customers have a 管家 / 业务员 who looks after them: one of the desk's clerks
        (drawn from a stream of its own, so the rest of a file is what it was without)."""
        rng, clerks = self.helpers
        if clerks and rng.random() < 0.8:
            return rng.choice(clerks)
        return None


def _input(faces: _Faces, rng: random.Random, name: str | None = None) -> customers.CustomerInput:
    if rng.random() < 0.08:
        return customers.CustomerInput(
            kind="company",
            name=faces.company(),
            mobile=faces.phone(),
            address=faces.address(),
            customer_class=faces.customer_class(),
            source=rng.choice(SOURCES),
            tags=["企业客户"],
            notes="",
            responsible_id=faces.responsible(),
        )
    has_id = rng.random() < 0.7
    return customers.CustomerInput(
        kind="individual",
        name=name or faces.name(),
        mobile=faces.phone(),
        phone2=faces.phone() if rng.random() < 0.1 else "",
        id_number=faces.resident_id() if has_id else "",
        address=faces.address(),
        company=faces.company() if rng.random() < 0.4 else "",
        customer_class=faces.customer_class(),
        source=rng.choice(SOURCES),
        tags=rng.sample(TAGS, k=rng.choice([0, 0, 1, 1, 2])),
        interests="、".join(rng.sample(INTERESTS, k=rng.choice([0, 1, 2]))),
        email=faces.email() if rng.random() < 0.3 else "",
        responsible_id=faces.responsible(),
    )


def lookback_days(months: int) -> int:
    """How far back the demo's rules schedule return visits (the demo months and a month)."""
    return max(1, months) * 31 + 31


def _first_days(desk: Desk, count: int, rng: random.Random) -> list[dt.datetime]:
    """When each customer came, oldest first: the archive of earlier years, then the new ones."""
    recent = min(count, NEW_PER_DAY * desk.days)
    older = count - recent
    # Older purchases end where no rule could still ask for a call about them (1 year + lookback).
    archive_end = desk.today - dt.timedelta(days=lookback_days(desk.months) + 372)
    archive_start = archive_end - dt.timedelta(days=365 * YEARS_OF_ARCHIVE)
    span = (archive_end - archive_start).days
    days = [archive_start + dt.timedelta(days=span * n // max(1, older)) for n in range(older)]
    days += [
        desk.start + dt.timedelta(days=(desk.days - 1) * n // max(1, recent)) for n in range(recent)
    ]
    latest = desk.now - dt.timedelta(hours=1)
    return [moment(rng, day, latest) for day in days]


def create(desk: Desk, count: int, progress: Progress | None = None) -> Made:
    """``count`` customers, each with a purchase; returns what was made. ``progress`` hears
    (done, count): the files made up to half-way, then those written."""

    def report(done: int) -> None:
        if progress is not None:
            progress(done, count)

    report(0)
    rng = desk.rng("customers")
    fake = Faker("zh_CN")
    fake.seed_instance(desk.seed)
    stamps = _first_days(desk, count, rng)
    # 管家 are the desk's clerks: neither the manager nor a read-only account looks after one.
    clerks = [staff_id for staff_id in desk.clerk_ids if staff_id != desk.manager.id]
    faces = _Faces(fake, rng, count, desk.today, (desk.rng("responsible"), clerks))
    inputs = []
    for number in range(count):
        name = RARE_NAMES[number] if number < len(RARE_NAMES) and count >= 50 else None
        inputs.append((number + 1, _input(faces, rng, name)))
        if number % 2000 == 0:
            report(number // 2)
    with bulk.set_aside([Customer, CustomerTag, CustomerSearchKey], count):
        result = customers.bulk_create(
            desk.manager,
            inputs,
            skip_invalid=True,
            created_at=stamps,
            progress=lambda done, total: report(count // 2 + done * count // max(1, 2 * total)),
        )
    events = _service_events(desk, rng)
    return Made(customers=result.created, events=events)


def _event(
    desk: Desk,
    customer_id: int,
    product: str,
    kind: str,
    date: dt.date,
    amount: Decimal | None = None,
    note: str = "",
    remind_on: dt.date | None = None,
) -> tuple:
    at = dt.datetime.combine(date, dt.time(17, 30))
    return (
        customer_id,
        kind,
        date,
        product,
        str(amount) if amount is not None else None,
        note,
        remind_on,
        desk.manager.id,
        desk.manager.id,
        min(at, desk.now),
        min(at, desk.now),
    )


EVENT_COLUMNS = [
    "customer",
    "kind",
    "date",
    "product",
    "amount",
    "note",
    "remind_on",
    "created_by",
    "updated_by",
    "created_at",
    "updated_at",
]


def _service_events(desk: Desk, rng: random.Random) -> int:
    """A purchase (and its delivery) for every customer, some repairs, and the maintenance,
    inspection and insurance dates the desk reminds customers of."""
    today = desk.today
    query = (
        Customer.select(Customer.id, Customer.created_at)
        .where(Customer.id.not_in(ServiceEvent.select(ServiceEvent.customer)))
        .order_by(Customer.id)
    )
    people = [
        (customer_id, dt.datetime.fromisoformat(at) if isinstance(at, str) else at)
        for customer_id, at in raw_rows(query)
    ]
    older = sum(1 for _id, created in people if created.date() < desk.start)
    repair_share = min(0.25, REPAIRS_PER_DAY * desk.days / max(1, older))
    reminder_share = min(0.3, REMINDERS_PER_DAY * 121 / max(1, len(people)))
    rows, greetings = [], []
    for customer_id, created in people:
        bought = created.date()
        product = rng.choice(PRODUCTS)
        amount = Decimal(rng.randrange(2_000, 400_000))
        rows.append(_event(desk, customer_id, product, "purchase", bought, amount=amount))
        delivered = bought + dt.timedelta(days=rng.randrange(0, 15))
        if delivered < today:
            rows.append(_event(desk, customer_id, product, "delivery", delivered))
        if bought >= desk.start:
            repaired = (
                bought + dt.timedelta(days=rng.randrange(10, 120)) if rng.random() < 0.25 else None
            )
        elif rng.random() < repair_share:
            repaired = desk.start + dt.timedelta(days=rng.randrange(desk.days))
        else:
            repaired = None
        if repaired is not None and repaired < today:
            rows.append(
                _event(desk, customer_id, product, "repair", repaired, note=rng.choice(REPAIRS))
            )
        if rng.random() < reminder_share:
            kind = rng.choice(REMINDER_KINDS)
            remind_on = today + dt.timedelta(days=rng.randrange(-60, 61))
            rows.append(_event(desk, customer_id, product, kind, bought, remind_on=remind_on))
            # The desk called about most reminders already due; a few of the last days wait.
            greeted = remind_on < today - dt.timedelta(days=3) or rng.random() < 0.6
            if remind_on < today and greeted and rng.random() < 0.97:
                greetings.append(_reminder_greeting(desk, rng, customer_id, kind, remind_on))
    with db.atomic():
        writer.insert(ServiceEvent, EVENT_COLUMNS, rows)
        writer.insert(Greeting, GREETING_COLUMNS, greetings)
    return len(rows)


GREETING_COLUMNS = [
    "customer",
    "kind",
    "occasion_on",
    "channel",
    "content",
    "bonus_points",
    "created_by",
    "updated_by",
    "created_at",
    "updated_at",
]


def _reminder_greeting(
    desk: Desk, rng: random.Random, customer_id: int, kind: str, remind_on: dt.date
) -> tuple:
    day = remind_on - dt.timedelta(days=rng.choice([0, 1, 2, 3]))
    at = moment(rng, day, desk.now - dt.timedelta(minutes=30))
    clerk = rng.choice(desk.clerk_ids)
    channel = rng.choice(["phone", "phone", "sms", "wechat"])
    return (
        customer_id,
        "reminder",
        remind_on,
        channel,
        REMINDER_TEXT[kind],
        0,
        clerk,
        clerk,
        at,
        at,
    )
