"""The demo's bulk writer: rows made in memory go to the database a table at a time.

On PostgreSQL rows are sent with COPY (one stream per table instead of a statement per page
of rows; peewee's insert_many, and even execute_values, spent most of a 100,000-customer
demo building SQL text) and new ids are taken from the table's sequence beforehand, in
order. On SQLite one prepared statement runs for every row (executemany). Either way the
values are turned into text once per distinct value (stamps, dates and codes repeat
thousands of times), which is most of the Python work of a large table.

Call inside the demo's transaction: the ids taken on SQLite (one past the highest) hold
only while this transaction keeps the write lock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import peewee

# One rule for peewee's Python-side defaults of the fields a caller leaves out.
from csoffice.db.bulk import _with_defaults
from csoffice.db.database import db

Row = Sequence[Any]

# COPY's text format: a backslash, tab, newline or carriage return inside a value is escaped.
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_NULL = "\\N"


def _on_postgresql() -> bool:
    return isinstance(db.obj, peewee.PostgresqlDatabase)


def _copy_text(value: Any) -> str:
    if value is None:
        return _NULL
    if isinstance(value, str):
        return value.translate(_ESCAPES) if any(c in value for c in "\\\t\n\r") else value
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat(" ") if isinstance(value, dt.datetime) else value.isoformat()
    return str(value)


def _sqlite_value(value: Any) -> Any:
    """What peewee itself would bind on SQLite: times and dates as their ISO text, decimals
    as text (sqlite3 has no adapter for them)."""
    if isinstance(value, dt.datetime):
        return value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _converted(rows: Sequence[Row], width: int, convert: Callable[[Any], Any]) -> list[list[Any]]:
    """The rows' columns, each value converted once per distinct value of its column."""
    columns: list[list[Any]] = []
    for number in range(width):
        memo: dict[tuple[type, Any], Any] = {}
        out = []
        for row in rows:
            value = row[number]
            key = (type(value), value)  # True and 1 are equal keys; their texts differ
            try:
                out.append(memo[key])
            except KeyError:
                out.append(memo.setdefault(key, convert(value)))
            except TypeError:  # an unhashable value
                out.append(convert(value))
        columns.append(out)
    return columns


def _column_names(model: type[peewee.Model], columns: Sequence[str]) -> str:
    return ", ".join(f'"{model._meta.fields[c].column_name}"' for c in columns)


def insert(model: type[peewee.Model], columns: Sequence[str], rows: Sequence[Row]) -> None:
    """Insert ``rows`` (values in ``columns`` order; Python values: str, int, bool, Decimal,
    date, datetime or None) into ``model``'s table."""
    if not rows:
        return
    names, rows = _with_defaults(model, columns, rows)
    table = model._meta.table_name
    if _on_postgresql():
        db.cursor().copy_expert(
            f'COPY "{table}" ({_column_names(model, names)}) FROM STDIN',
            _CopyStream(rows, len(names)),
        )
        return
    marks = ", ".join([db.obj.param] * len(names))
    db.cursor().executemany(
        f'INSERT INTO "{table}" ({_column_names(model, names)}) VALUES ({marks})',
        zip(*_converted(rows, len(names), _sqlite_value), strict=True),
    )


class _CopyStream:
    """The rows as COPY text, made a page at a time as psycopg2 reads them (a table of a
    million rows never sits in memory as one string)."""

    PAGE = 20_000

    def __init__(self, rows: Sequence[Row], width: int):
        self.rows, self.width, self.done = rows, width, 0

    def read(self, _size: int = -1) -> str:
        page = self.rows[self.done : self.done + self.PAGE]
        if not page:
            return ""
        self.done += len(page)
        columns = _converted(page, self.width, _copy_text)
        return "\n".join(map("\t".join, zip(*columns, strict=True))) + "\n"


def new_ids(model: type[peewee.Model], count: int) -> list[int]:
    """``count`` ids for new rows of ``model``, in increasing order."""
    if count <= 0:
        return []
    table = model._meta.table_name
    key = model._meta.primary_key.column_name
    cursor = db.cursor()
    if _on_postgresql():
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            (f'"{table}"', key, count),
        )
        return sorted(row[0] for row in cursor.fetchall())
    cursor.execute(f'SELECT COALESCE(MAX("{key}"), 0) FROM "{table}"')
    first = cursor.fetchone()[0] + 1
    return list(range(first, first + count))


def insert_returning_ids(
    model: type[peewee.Model], columns: Sequence[str], rows: Sequence[Row]
) -> list[int]:
    """Insert ``rows`` and return their new ids, in the order of the rows."""
    ids = new_ids(model, len(rows))
    insert(model, ["id", *columns], [(i, *row) for i, row in zip(ids, rows, strict=True)])
    return ids


def update(model: type[peewee.Model], columns: Sequence[str], rows: Sequence[Row]) -> None:
    """``UPDATE model SET columns… WHERE id = ?`` for each row (the values, then the id): one
    executemany on SQLite, pages of statements per round trip on PostgreSQL."""
    if not rows:
        return
    table = model._meta.table_name
    sets = ", ".join(f'"{model._meta.fields[c].column_name}" = {db.obj.param}' for c in columns)
    sql = f'UPDATE "{table}" SET {sets} WHERE "id" = {db.obj.param}'
    cursor = db.cursor()
    if _on_postgresql():
        from psycopg2.extras import execute_batch

        execute_batch(cursor, sql, rows, page_size=500)
    else:
        cursor.executemany(
            sql, zip(*_converted(rows, len(columns) + 1, _sqlite_value), strict=True)
        )
