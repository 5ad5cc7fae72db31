"""The demo's bulk writer puts every kind of value in as peewee would, on SQLite and on
PostgreSQL (COPY), and hands out ids in the order of the rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from csoffice import auth
from csoffice.db.database import db
from csoffice.db.models import Customer, Gift, Reception, ServiceEvent
from csoffice.demo import writer

AWKWARD = ["a\tb", "line one\nline two\r\n", "back\\slash \\N", "", "刘䶮 𠀀 ①", "NULL", "\\."]


def _receptions(staff_id: int) -> list[tuple]:
    at = dt.datetime(2026, 3, 4, 9, 30, 15)
    return [
        (at + dt.timedelta(minutes=n), at, at, "phone", "consult", staff_id, staff_id,
         staff_id, "customer", text, "", "", None, text, "已答复", n % 2 == 0, None,
         dt.date(2026, 3, 5) if n % 3 else None, "active", "")
        for n, text in enumerate(AWKWARD)
    ]  # fmt: skip


RECEPTION_COLUMNS = [
    "received_at",
    "created_at",
    "updated_at",
    "channel",
    "category",
    "handler",
    "created_by",
    "updated_by",
    "caller_kind",
    "caller_name",
    "caller_phone",
    "caller_company",
    "customer",
    "content",
    "outcome",
    "followup_needed",
    "followup_done_at",
    "followup_due",
    "status",
    "void_reason",
]


def test_values_come_back_as_written_and_ids_in_order(any_database):
    manager = auth.default_manager()
    rows = _receptions(manager.id)
    with db.atomic():
        ids = writer.insert_returning_ids(Reception, RECEPTION_COLUMNS, rows)
        more = writer.insert_returning_ids(Reception, RECEPTION_COLUMNS, rows[:2])
    assert ids == sorted(ids) and len(set(ids)) == len(rows)
    assert more == [ids[-1] + 1, ids[-1] + 2]
    for reception_id, row in zip(ids, rows, strict=True):
        stored = Reception.get_by_id(reception_id)
        assert stored.caller_name == row[9] and stored.content == row[13]
        assert stored.received_at == row[0]
        assert stored.followup_needed is row[15]
        assert stored.followup_due == row[17]
        assert stored.customer_id is None and stored.followup_done_at is None
    # peewee's defaults (in Python, not in the schema) fill the columns left out.
    assert {r.direction for r in Reception.select()} == {"in"}


def test_decimals_dates_and_updates(any_database):
    manager = auth.default_manager()
    customer = Customer.create(name="张三", created_by=manager, updated_by=manager)
    day = dt.date(2025, 12, 31)
    with db.atomic():
        writer.insert(ServiceEvent, ["customer", "kind", "date"], [])
        writer.insert(
            ServiceEvent,
            ["customer", "kind", "date", "amount", "remind_on", "created_by", "updated_by"],
            [
                (customer.id, "purchase", day, Decimal("123456.78"), None, manager.id, None),
                (customer.id, "repair", day, None, day, manager.id, manager.id),
            ],
        )
        [gift] = writer.insert_returning_ids(
            Gift, ["name", "points_price", "stock"], [("保温杯\t500ml", 300, 40)]
        )
        writer.update(Gift, ["stock", "description"], [(39, "第二批\n到货", gift)])
    bought, repaired = ServiceEvent.select().order_by(ServiceEvent.id)
    assert Decimal(str(bought.amount)) == Decimal("123456.78") and repaired.amount is None
    assert (bought.date, bought.remind_on, repaired.remind_on) == (day, None, day)
    assert bought.status == "active" and bought.updated_by_id is None
    stored = Gift.get_by_id(gift)
    assert (stored.name, stored.stock, stored.description) == ("保温杯\t500ml", 39, "第二批\n到货")
