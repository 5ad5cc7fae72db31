"""Fast multi-row inserts for imports and demo data.

peewee builds SQL for every row, which dominates a 100,000-row import; these helpers send
one prepared statement with ``executemany`` instead. peewee's defaults live in Python, not
in the schema, so the helpers fill them in for the columns a caller leaves out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import peewee

from csoffice.db import pg_bulk
from csoffice.db.database import db

# Below this many new rows a load keeps its tables' indexes: rebuilding them costs more.
DEFER_FROM = 5_000
_deferred: set[str] = set()  # tables whose indexes are being rebuilt after a load


def _insert_sql(model: type[peewee.Model], columns: Sequence[str]) -> str:
    table = model._meta.table_name
    names = ", ".join(f'"{model._meta.fields[c].column_name}"' for c in columns)
    marks = ", ".join([db.obj.param] * len(columns))
    return f'INSERT INTO "{table}" ({names}) VALUES ({marks})'


def execute_many(database: peewee.Database, sql: str, rows: Sequence[Sequence[Any]]) -> None:
    """Run an INSERT … VALUES (…) for every row: one executemany on SQLite; on PostgreSQL
    one COPY of all the rows (db/pg_bulk.py)."""
    if not rows:
        return
    cursor = database.cursor()
    if isinstance(database, peewee.PostgresqlDatabase):
        target = sql.split(" VALUES ", 1)[0].removeprefix("INSERT INTO ")
        pg_bulk.copy_rows(cursor, target, rows)
    else:
        for page in sqlite_pages(rows):
            cursor.executemany(sql, page)


_PAGE = 20_000


def _stamp_text(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat(" ")
    return value.isoformat() if isinstance(value, dt.date) else value


def sqlite_pages(rows: Sequence[Sequence[Any]]) -> Iterator[Iterable[Sequence[Any]]]:
    """``rows`` a page at a time, their dates and times as the ISO text SQLite keeps (what
    sqlite3's own adapters write), each distinct stamp converted once: a million-row load
    repeats a few thousand, and the adapter called for every value took a tenth of the demo."""
    for start in range(0, len(rows), _PAGE):
        page = rows[start : start + _PAGE]
        if not any(value is None or isinstance(value, dt.date) for value in page[0]):
            yield page  # no column that may hold a stamp (a million search keys)
            continue
        columns: list[Sequence[Any]] = list(zip(*page, strict=True))
        stamped = False
        for number, column in enumerate(columns):
            kinds = set(map(type, column))
            if dt.date in kinds or dt.datetime in kinds:
                texts = {value: _stamp_text(value) for value in set(column)}
                columns[number] = list(map(texts.__getitem__, column))
                stamped = True
        yield zip(*columns, strict=True) if stamped else page


def _with_defaults(
    model: type[peewee.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> tuple[list[str], Sequence[Sequence[Any]]]:
    """Add the model's Python-side defaults for the fields ``columns`` leaves out (``rows``
    themselves when it leaves none out: an import's million search keys are not copied)."""
    missing = [
        field
        for name, field in model._meta.fields.items()
        if name not in columns
        and not isinstance(field, peewee.AutoField)
        and field.default is not None
    ]
    if not missing:
        return list(columns), rows
    names = [*columns, *(field.name for field in missing)]
    if not any(callable(field.default) for field in missing):
        extra = tuple(field.db_value(field.default) for field in missing)
        return names, [(*row, *extra) for row in rows]
    out = []
    for row in rows:
        made = [
            field.db_value(field.default() if callable(field.default) else field.default)
            for field in missing
        ]
        out.append((*row, *made))
    return names, out


def insert_rows(
    model: type[peewee.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Insert ``rows`` (values in ``columns`` order, already in database form) in one go."""
    if rows:
        names, full_rows = _with_defaults(model, columns, rows)
        execute_many(db.obj, _insert_sql(model, names), full_rows)


def insert_new(model: type[peewee.Model], rows: Sequence[dict[str, Any]]) -> int:
    """Insert the rows (field name → value, every row the same fields) that break none of
    ``model``'s unique indexes, in their order; returns how many went in. One prepared
    statement instead of peewee building SQL for every row, which took most of the demo's
    10,000 scheduled calls."""
    if not rows:
        return 0
    fields = [model._meta.fields[name] for name in rows[0]]
    values = [[field.db_value(row[field.name]) for field in fields] for row in rows]
    names, full_rows = _with_defaults(model, [field.name for field in fields], values)
    sql = _insert_sql(model, names) + " ON CONFLICT DO NOTHING"
    cursor = db.cursor()
    if not isinstance(db.obj, peewee.PostgresqlDatabase):
        inserted = 0
        for page in sqlite_pages(full_rows):
            cursor.executemany(sql, page)
            inserted += cursor.rowcount
        return inserted
    from psycopg2.extras import execute_values

    head = sql.split(" VALUES ", 1)[0]
    returned = execute_values(
        cursor, f"{head} VALUES %s ON CONFLICT DO NOTHING RETURNING 1", full_rows, fetch=True
    )
    return len(returned)


def insert_returning_ids(
    model: type[peewee.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> list[int]:
    """Insert ``rows`` and return their new ids, in order. Call inside a transaction.

    On SQLite the first row is inserted alone; from then on this transaction holds the write
    lock, so the following ids are taken consecutively and given explicitly. Other databases
    insert with RETURNING.
    """
    if not rows:
        return []
    names, full_rows = _with_defaults(model, columns, rows)
    if isinstance(db.obj, peewee.PostgresqlDatabase):
        key = model._meta.primary_key
        if not isinstance(key, peewee.Field):
            raise TypeError(f"{model.__name__} has no primary key to number the rows by")
        ids = pg_bulk.next_ids(db.cursor(), model._meta.table_name, key.column_name, len(rows))
        execute_many(
            db.obj,
            _insert_sql(model, [key.name, *names]),
            [(i, *row) for i, row in zip(ids, full_rows, strict=True)],
        )
        return ids
    if not isinstance(db.obj, peewee.SqliteDatabase):
        query = model.insert_many(
            [dict(zip(names, row, strict=True)) for row in full_rows]
        ).returning(model._meta.primary_key)
        return [row.id for row in query.execute()]
    cursor = db.cursor()
    cursor.execute(_insert_sql(model, names), full_rows[0])
    first = cursor.lastrowid
    ids = list(range(first, first + len(full_rows)))
    numbered = [(i, *row) for i, row in zip(ids[1:], full_rows[1:], strict=True)]
    for page in sqlite_pages(numbered):
        cursor.executemany(_insert_sql(model, ["id", *names]), page)
    return ids


@contextmanager
def set_aside(models: Sequence[type[peewee.Model]], adding: int) -> Iterator[None]:
    """Load ``adding`` rows into ``models``' (nearly) empty tables with their non-unique
    indexes made after the rows: deferred_indexes on SQLite; on PostgreSQL their foreign keys
    too (pg_bulk.set_aside). Call inside the load's transaction."""
    if not isinstance(db.obj, peewee.PostgresqlDatabase):
        with deferred_indexes(models, adding):
            yield
        return
    tables = [model._meta.table_name for model in models]
    with pg_bulk.set_aside(db.cursor(), tables, adding) as aside:
        added = set(tables) - _deferred if aside else set()
        _deferred.update(added)
        try:
            yield
        finally:
            _deferred.difference_update(added)


@contextmanager
def load_transaction() -> Iterator[None]:
    """One transaction for a load that fills many tables (the demo): all or nothing.

    On SQLite its foreign keys are checked once over the whole database at the end instead
    of row by row, and a broken one rolls the load back (raised as IntegrityError). Row by
    row, in a transaction that had already written a few hundred megabytes, each update of a
    column naming a staff member or a customer cost a third of a millisecond. (PostgreSQL
    sets a loaded table's keys aside itself: db/pg_bulk.py.) Inside another transaction the
    block joins it and its keys stay checked row by row: SQLite cannot switch them there.
    """
    sqlite = isinstance(db.obj, peewee.SqliteDatabase) and not db.in_transaction()
    if sqlite:
        db.execute_sql("PRAGMA foreign_keys = OFF")
    try:
        with db.atomic():
            yield
            if sqlite:
                broken = db.execute_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    table, rowid, parent, _key = broken[0]
                    raise peewee.IntegrityError(
                        f"FOREIGN KEY constraint failed: {table} row {rowid} names a missing"
                        f" {parent} ({len(broken)} rows)"
                    )
    finally:
        if sqlite:
            db.execute_sql("PRAGMA foreign_keys = ON")


def indexes_deferred(model: type[peewee.Model]) -> bool:
    """Whether ``model``'s table is being loaded with its indexes dropped (rows then need not
    be sorted for them)."""
    return model._meta.table_name in _deferred


@contextmanager
def deferred_indexes(models: Sequence[type[peewee.Model]], adding: int) -> Iterator[None]:
    """Load ``adding`` rows into ``models``' tables with their non-unique indexes built after
    the load instead of kept up row by row (about half the cost of a large load on SQLite).

    Call inside the load's transaction: the indexes are dropped and created again in it, so
    an error or Ctrl+C rolls the whole load back, indexes included. Only on SQLite, and only
    when the load at least doubles the first table (rebuilding a large archive's indexes for
    a few rows would cost more; on PostgreSQL a dropped index would lock the desk's searches
    out until the load commits). Unique indexes stay: they check the rows as they come.
    """
    if not isinstance(db.obj, peewee.SqliteDatabase) or adding < DEFER_FROM:
        yield
        return
    if models[0].select().count() > adding:
        yield
        return
    # A table set aside by an enclosing load stays so until that load ends.
    tables = [model._meta.table_name for model in models]
    tables = [table for table in tables if table not in _deferred]
    if not tables:
        yield
        return
    marks = ", ".join("?" * len(tables))
    found = db.execute_sql(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        f" AND tbl_name IN ({marks}) ORDER BY name",
        tables,
    ).fetchall()
    kept = [(name, sql) for name, sql in found if not sql.upper().startswith("CREATE UNIQUE")]
    for name, _sql in kept:
        db.execute_sql(f'DROP INDEX "{name}"')
    _deferred.update(tables)
    try:
        yield
    finally:
        _deferred.difference_update(tables)
    # Only after a load that went through: on an error the transaction's rollback brings the
    # dropped indexes back with everything else.
    for _name, sql in kept:
        db.execute_sql(sql)
