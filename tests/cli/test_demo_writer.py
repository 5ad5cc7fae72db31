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


def _schema(table: str) -> tuple[list, list]:
    keys = db.execute_sql(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE conrelid = %s::regclass ORDER BY 1",
        (table,),
    ).fetchall()
    indexes = db.execute_sql(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s ORDER BY 1", (table,)
    ).fetchall()
    return keys, indexes


def test_a_large_load_sets_keys_and_indexes_aside_and_makes_them_again(pg_url, monkeypatch):
    from csoffice.db import pg_bulk
    from csoffice.db.database import close_database, open_database
    from csoffice.db.models import CustomerDocument

    open_database(pg_url)
    try:
        manager = auth.default_manager()
        people = [
            Customer.create(name=f"客户{n}", created_by=manager, updated_by=manager)
            for n in range(3)
        ]
        before = _schema("customer_document")
        # The primary key and three foreign keys; its index, the unique one and three more.
        assert len(before[0]) == 4 and len(before[1]) == 5
        monkeypatch.setattr(pg_bulk, "SET_ASIDE_FROM", 5)
        rows = [(c.id, f"paper{n}", True, dt.date(2026, 1, 2)) for c in people for n in range(4)]
        columns = ["customer", "doc_type", "received", "received_on"]
        dropped = []
        real = pg_bulk.copy_rows

        def copy_and_look(cursor, target, given):
            dropped.append(_schema("customer_document"))
            real(cursor, target, given)

        monkeypatch.setattr(pg_bulk, "copy_rows", copy_and_look)
        with db.atomic():
            writer.insert(CustomerDocument, columns, rows)
        [(keys, indexes)] = dropped
        assert [name for name, _d in keys] == ["customer_document_pkey"]
        kept = ["customer_document_customer_id_doc_type", "customer_document_pkey"]
        assert [name for name, _d in indexes] == kept
        assert _schema("customer_document") == before
        assert CustomerDocument.select().count() == len(rows)
        # Stopped half-way (Ctrl+C): the rows and the schema changes go back together.
        more = [(c.id, f"more{n}", True, None) for c in people for n in range(4)]
        try:
            with db.atomic():
                writer.insert(CustomerDocument, columns, more)
                raise KeyboardInterrupt
        except KeyboardInterrupt:
            pass
        assert _schema("customer_document") == before
        assert CustomerDocument.select().count() == len(rows)
        # The keys are checked again when they come back: a row pointing nowhere is refused.
        import psycopg2

        bad = [(10_000 + n, "paper0", True, None) for n in range(6)]
        try:
            with db.atomic():
                writer.insert(CustomerDocument, columns, bad)
        except psycopg2.IntegrityError:
            pass
        else:
            raise AssertionError("a paper of no customer was written")
        assert _schema("customer_document") == before
    finally:
        close_database()


def test_a_load_transaction_checks_its_foreign_keys_once_at_the_end(database):
    """SQLite's keys are off inside the load and checked at its end: a row naming a missing
    customer rolls the whole load back; afterwards the keys are checked row by row again."""
    import sqlite3

    import peewee
    import pytest

    from csoffice.db import bulk

    manager = auth.default_manager()
    good = _receptions(manager.id)[:2]
    broken = [(*row[:12], 987_654, *row[13:]) for row in good]  # no such customer
    with pytest.raises(peewee.IntegrityError), bulk.load_transaction():
        writer.insert(Reception, RECEPTION_COLUMNS, good)
        writer.insert(Reception, RECEPTION_COLUMNS, broken)
    assert Reception.select().count() == 0
    assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    with bulk.load_transaction():
        writer.insert(Reception, RECEPTION_COLUMNS, good)
    assert Reception.select().count() == 2
    with pytest.raises(sqlite3.IntegrityError), db.atomic():  # the driver's own, row by row
        writer.insert(Reception, RECEPTION_COLUMNS, broken)


def test_insert_new_skips_the_rows_a_unique_index_already_holds(any_database):
    """The rules' scheduled calls: each once, however often they are scheduled, counted."""
    from csoffice.db import bulk
    from csoffice.db.models import ReturnVisit

    manager = auth.default_manager()
    customer = Customer.create(name="张三", created_by=manager, updated_by=manager)
    event = ServiceEvent.create(customer=customer, kind="purchase", date=dt.date(2026, 3, 1))
    rows = [
        dict(kind=kind, customer=customer.id, service_event=event.id, due_on=dt.date(2026, 3, d))
        for kind, d in (("7dc", 8), ("3dc", 4))
    ]
    with db.atomic():
        assert bulk.insert_new(ReturnVisit, rows) == 2
        assert bulk.insert_new(ReturnVisit, [*rows, {**rows[0], "kind": "30dc"}]) == 1
        assert bulk.insert_new(ReturnVisit, []) == 0
    stored = ReturnVisit.select().order_by(ReturnVisit.id)
    assert [(v.kind, v.due_on, v.status) for v in stored] == [
        ("7dc", dt.date(2026, 3, 8), "due"),
        ("3dc", dt.date(2026, 3, 4), "due"),
        ("30dc", dt.date(2026, 3, 8), "due"),
    ]
