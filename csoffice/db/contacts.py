"""Each customer's last contact (``customer_contact``), kept by the database itself.

A contact is what csoffice.statistics counts as one: an active reception or any complaint
naming the customer, an active service event, a return visit done that reached them, a
points movement on one of their cards, a club event they attended that was not cancelled.
Churn asks "who has had no contact since …" of 100,000 customers; reading it from one narrow
table instead of six joined ones is what keeps the lists fast.

Triggers on those tables keep it, on SQLite and on PostgreSQL alike, so every write path —
the forms, the importers, the demo's bulk load, a merge of two customers, a restore — keeps
it right without knowing it exists: a new contact raises the customer's last one; a contact
voided, moved to another customer, re-dated or deleted makes the database recompute that
customer's from the six tables. tests/db/test_customer_contact.py proves the table equals
``MAX(at)`` over csoffice.statistics.activity() after each kind of write, on both backends.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import peewee

TABLE = "customer_contact"


@dataclass(frozen=True)
class Source:
    """A table whose rows are contacts. SQL fragments name the row ``r``."""

    table: str
    customer: str  # the customer's id
    at: str  # when
    where: str  # which rows are contacts
    watched: tuple[str, ...]  # the row's columns whose change can change its contact
    is_date: bool = False  # ``at`` is a DATE (counted from the day's start)
    join: tuple[str, str, str] | None = None  # (table, alias, ON condition)


SOURCES = (
    Source(
        "reception",
        "r.customer_id",
        "r.received_at",
        "r.customer_id IS NOT NULL AND r.status = 'active'",
        ("customer_id", "status", "received_at"),
    ),
    Source(
        "complaint",
        "r.customer_id",
        "r.received_at",
        "r.customer_id IS NOT NULL",
        ("customer_id", "received_at"),
    ),
    Source(
        "service_event",
        "r.customer_id",
        "r.date",
        "r.status = 'active'",
        ("customer_id", "status", "date"),
        is_date=True,
    ),
    Source(
        "return_visit",
        "r.customer_id",
        "r.done_at",
        "r.status = 'done' AND r.reached = TRUE AND r.done_at IS NOT NULL",
        ("customer_id", "status", "reached", "done_at"),
    ),
    Source(
        "points_entry",
        "c.customer_id",
        "r.at",
        "TRUE",
        ("card_id", "at"),
        join=("member_card", "c", "c.id = r.card_id"),
    ),
    Source(
        "event_attendance",
        "r.customer_id",
        "e.date",
        "r.attended = TRUE AND e.status <> 'cancelled'",
        ("customer_id", "event_id", "attended"),
        is_date=True,
        join=("member_event", "e", "e.id = r.event_id"),
    ),
)


def _is_postgres(database: peewee.Database) -> bool:
    return isinstance(database, peewee.PostgresqlDatabase)


def _stamp(database: peewee.Database, expression: str, is_date: bool) -> str:
    """``expression`` as a timestamp comparable with the other sources' (SQLite keeps ISO text)."""
    if not is_date:
        return expression
    if _is_postgres(database):
        return f"CAST({expression} AS TIMESTAMP)"
    return f"datetime({expression})"


def _from(source: Source, rows: str = "r") -> str:
    """FROM … of ``source``'s contacts, the row table read as ``rows`` (aliased ``r``)."""
    text = f"{rows} AS r" if rows != source.table else f'"{source.table}" AS r'
    if source.join is not None:
        table, alias, on = source.join
        text += f' JOIN "{table}" AS {alias} ON {on}'
    return text


def _last_of(database: peewee.Database, customer: str) -> str:
    """An expression for the last contact of the customer whose id is ``customer``."""
    parts = []
    for source in SOURCES:
        at = _stamp(database, f"max({source.at})", source.is_date)
        parts.append(
            f"(SELECT {at} FROM {_from(source, source.table)} "
            f"WHERE {source.customer} = {customer} AND {source.where})"
        )
    if _is_postgres(database):
        return f"GREATEST({', '.join(parts)})"
    # SQLite's max() of several values is NULL when any is; '' sorts before every timestamp.
    return "nullif(max(" + ", ".join(f"coalesce({p}, '')" for p in parts) + "), '')"


def _all_contacts(database: peewee.Database) -> str:
    """(customer_id, at) of every customer's last contact: one grouped query per source."""
    parts = []
    for source in SOURCES:
        at = _stamp(database, f"max({source.at})", source.is_date)
        parts.append(
            f"SELECT {source.customer} AS customer_id, {at} AS at "
            f"FROM {_from(source, source.table)} WHERE {source.where} GROUP BY {source.customer}"
        )
    union = " UNION ALL ".join(parts)
    return (
        f'SELECT u.customer_id, max(u.at) FROM ({union}) AS u JOIN "customer" AS k '
        "ON k.id = u.customer_id WHERE u.at IS NOT NULL GROUP BY u.customer_id"
    )


def rebuild(database: peewee.Database) -> None:
    """Fill the table from the six sources (the migration's first fill; a repair)."""
    database.execute_sql(f'DELETE FROM "{TABLE}"')
    database.execute_sql(f'INSERT INTO "{TABLE}" (customer_id, last_at) {_all_contacts(database)}')


def differences(database: peewee.Database) -> dict[int, tuple[object, object]]:
    """{customer id: (kept, recomputed)} wherever the table disagrees with the sources."""
    kept = dict(database.execute_sql(f'SELECT customer_id, last_at FROM "{TABLE}"').fetchall())
    fresh = dict(database.execute_sql(_all_contacts(database)).fetchall())
    out = {}
    for customer in kept.keys() | fresh.keys():
        a, b = kept.get(customer), fresh.get(customer)
        if (str(a)[:19] if a is not None else None) != (str(b)[:19] if b is not None else None):
            out[customer] = (a, b)
    return out


# --- The triggers -------------------------------------------------------------------------------

# Beside the sources, two tables a contact is read through: a card given to another customer
# moves its points movements with it (and a card deleted takes them away); an event re-dated,
# cancelled or taken back changes its attendees' contacts. (An event deleted takes its
# attendance rows with it, whose own triggers recompute.)


def triggers() -> list[tuple[str, str]]:
    """(name, table) of every trigger ``install`` creates."""
    out = []
    for source in SOURCES:
        out += [
            (f"{TABLE}_{source.table}_{event}", source.table) for event in ("ins", "upd", "del")
        ]
    return [
        *out,
        (f"{TABLE}_member_card_upd", "member_card"),
        (f"{TABLE}_member_card_del", "member_card"),
        (f"{TABLE}_member_event_upd", "member_event"),
    ]


def trigger_names() -> list[str]:
    return [name for name, _table in triggers()]


def install(database: peewee.Database) -> None:
    """Create the triggers (and PostgreSQL's functions they run), replacing any there: at the
    schema's creation and by migration 11."""
    statements = _postgres(database) if _is_postgres(database) else _sqlite(database)
    drop_triggers(database)
    for statement in statements:
        database.execute_sql(statement)


def drop_triggers(database: peewee.Database) -> None:
    for name, table in triggers():
        on = f' ON "{table}"' if _is_postgres(database) else ""
        database.execute_sql(f'DROP TRIGGER IF EXISTS "{name}"{on}')


@contextmanager
def set_aside(database: peewee.Database) -> Iterator[None]:
    """A bulk load's block without the triggers, the table rebuilt from the sources once at
    its end (a 100,000-customer demo: a fraction of a second instead of a recompute per
    row). Call inside the load's transaction: a load stopped half-way rolls the dropped
    triggers back with its rows, and on PostgreSQL the dropped triggers' locks keep other
    desks' writes to the source tables waiting until it commits, so none is missed."""
    drop_triggers(database)
    yield
    rebuild(database)
    install(database)


_ROW = re.compile(r"\br\.")


def _row(sql: str, row: str) -> str:
    """``sql`` (naming the row ``r``) naming it ``row`` instead (OLD, NEW, a transition alias)."""
    return _ROW.sub(f"{row}.", sql)


def _changed(source_columns: tuple[str, ...], old: str = "OLD", new: str = "NEW") -> str:
    return " OR ".join(f"{old}.{c} IS DISTINCT FROM {new}.{c}" for c in source_columns)


# SQLite: row triggers; one writer at a time, so a recompute may delete and insert.


def _sqlite_recompute(database: peewee.Database, ids: str) -> str:
    return (
        f'DELETE FROM "{TABLE}" WHERE customer_id IN ({ids}); '
        f'INSERT INTO "{TABLE}" (customer_id, last_at) SELECT id, m FROM '
        f'(SELECT k.id AS id, {_last_of(database, "k.id")} AS m FROM "customer" AS k '
        f"WHERE k.id IN ({ids})) WHERE m IS NOT NULL;"
    )


def _sqlite_row(source: Source, row: str, what: str) -> str:
    """``what`` of the contact in trigger row ``row`` (OLD or NEW), as SELECT … WHERE …."""
    where = _row(source.where, row)
    if source.join is None:
        return f"SELECT {_row(what, row)} WHERE {where}"
    table, alias, on = source.join
    return f'SELECT {_row(what, row)} FROM "{table}" AS {alias} WHERE {_row(on, row)} AND {where}'


def _sqlite(database: peewee.Database) -> list[str]:
    out = []
    for source in SOURCES:
        name = f"{TABLE}_{source.table}"
        at = _stamp(database, source.at, source.is_date)
        raise_last = (
            f'INSERT INTO "{TABLE}" (customer_id, last_at) '
            f"{_sqlite_row(source, 'NEW', f'{source.customer}, {at}')} "
            "ON CONFLICT (customer_id) DO UPDATE SET last_at = excluded.last_at "
            f'WHERE excluded.last_at > "{TABLE}".last_at;'
        )
        old_customer = _customer_of(source, "OLD")
        new_customer = _customer_of(source, "NEW")
        changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in source.watched)
        out += [
            f'CREATE TRIGGER "{name}_ins" AFTER INSERT ON "{source.table}" BEGIN {raise_last} END',
            f'CREATE TRIGGER "{name}_upd" AFTER UPDATE ON "{source.table}" WHEN {changed} BEGIN '
            f"{_sqlite_recompute(database, f'{old_customer}, {new_customer}')} END",
            f'CREATE TRIGGER "{name}_del" AFTER DELETE ON "{source.table}" BEGIN '
            f"{_sqlite_recompute(database, old_customer)} END",
        ]
    out += [
        f'CREATE TRIGGER "{TABLE}_member_card_upd" AFTER UPDATE ON "member_card" '
        "WHEN OLD.customer_id IS NOT NEW.customer_id BEGIN "
        f"{_sqlite_recompute(database, 'OLD.customer_id, NEW.customer_id')} END",
        f'CREATE TRIGGER "{TABLE}_member_card_del" AFTER DELETE ON "member_card" BEGIN '
        f"{_sqlite_recompute(database, 'OLD.customer_id')} END",
        f'CREATE TRIGGER "{TABLE}_member_event_upd" AFTER UPDATE ON "member_event" '
        "WHEN OLD.date IS NOT NEW.date OR OLD.status IS NOT NEW.status BEGIN "
        f"{_sqlite_recompute(database, 'SELECT customer_id FROM event_attendance WHERE event_id = NEW.id')} END",
    ]
    return out


def _customer_of(source: Source, row: str) -> str:
    """The customer of the row named ``row`` (OLD, NEW, a transition alias), whether or not
    the row is a contact."""
    if source.join is None or not source.customer.startswith(f"{source.join[1]}."):
        return _row(source.customer, row)
    table, alias, on = source.join
    return f'(SELECT {source.customer} FROM "{table}" AS {alias} WHERE {_row(on, row)})'


# PostgreSQL: statement triggers with transition tables, so a bulk load (COPY, a many-row
# INSERT) costs one grouped upsert per statement, not one per row.


def _postgres(database: peewee.Database) -> list[str]:
    recompute = (
        f"CREATE OR REPLACE FUNCTION {TABLE}_recompute(ids integer[]) RETURNS void "
        "LANGUAGE plpgsql AS $$ BEGIN "
        # Wait for every desk that is adding a contact for these customers (it holds a key
        # share lock on the customer row until it commits), so what is read next includes it.
        'PERFORM 1 FROM "customer" WHERE id = ANY(ids) ORDER BY id FOR UPDATE; '
        f'WITH fresh AS (SELECT k.id AS id, {_last_of(database, "k.id")} AS m FROM "customer" AS k '
        "WHERE k.id = ANY(ids)), "
        f'gone AS (DELETE FROM "{TABLE}" WHERE customer_id IN (SELECT id FROM fresh WHERE m IS NULL)) '
        f'INSERT INTO "{TABLE}" (customer_id, last_at) SELECT id, m FROM fresh WHERE m IS NOT NULL '
        "ON CONFLICT (customer_id) DO UPDATE SET last_at = EXCLUDED.last_at; "
        "END $$"
    )
    out = [recompute]
    for source in SOURCES:
        name = f"{TABLE}_{source.table}"
        at = _stamp(database, source.at, source.is_date)
        bodies = {
            "ins": (
                "NEW TABLE AS new_rows",
                f'INSERT INTO "{TABLE}" (customer_id, last_at) '
                f"SELECT {source.customer}, max({at}) FROM {_from(source, 'new_rows')} "
                f"WHERE {source.where} GROUP BY {source.customer} "
                f'ON CONFLICT (customer_id) DO UPDATE SET last_at = GREATEST("{TABLE}".last_at, EXCLUDED.last_at);',
            ),
            "upd": (
                "OLD TABLE AS old_rows NEW TABLE AS new_rows",
                f"PERFORM {TABLE}_recompute(ARRAY("
                f"SELECT {_customer_of(source, 'o')} FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id "
                f"WHERE {_changed(source.watched, 'o', 'n')} UNION "
                f"SELECT {_customer_of(source, 'n')} FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id "
                f"WHERE {_changed(source.watched, 'o', 'n')}));",
            ),
            "del": (
                "OLD TABLE AS old_rows",
                f"PERFORM {TABLE}_recompute(ARRAY(SELECT {_customer_of(source, 'o')} FROM old_rows AS o));",
            ),
        }
        events = {"ins": "INSERT", "upd": "UPDATE", "del": "DELETE"}
        for event, (referencing, body) in bodies.items():
            out += _pg_trigger(f"{name}_{event}", source.table, events[event], referencing, body)
    out += _pg_trigger(
        f"{TABLE}_member_card_upd",
        "member_card",
        "UPDATE",
        "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        f"PERFORM {TABLE}_recompute(ARRAY(SELECT o.customer_id FROM old_rows AS o JOIN new_rows AS n "
        "ON n.id = o.id WHERE o.customer_id IS DISTINCT FROM n.customer_id UNION "
        "SELECT n.customer_id FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id "
        "WHERE o.customer_id IS DISTINCT FROM n.customer_id));",
    )
    out += _pg_trigger(
        f"{TABLE}_member_card_del",
        "member_card",
        "DELETE",
        "OLD TABLE AS old_rows",
        f"PERFORM {TABLE}_recompute(ARRAY(SELECT customer_id FROM old_rows));",
    )
    out += _pg_trigger(
        f"{TABLE}_member_event_upd",
        "member_event",
        "UPDATE",
        "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        f"PERFORM {TABLE}_recompute(ARRAY(SELECT a.customer_id FROM event_attendance AS a "
        "JOIN old_rows AS o ON o.id = a.event_id JOIN new_rows AS n ON n.id = o.id "
        "WHERE o.date IS DISTINCT FROM n.date OR o.status IS DISTINCT FROM n.status));",
    )
    return out


def _pg_trigger(name: str, table: str, event: str, referencing: str, body: str) -> list[str]:
    return [
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"{body} RETURN NULL; END $$",
        f'CREATE TRIGGER "{name}" AFTER {event} ON "{table}" REFERENCING {referencing} '
        f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()",
    ]
