"""Bulk loading on PostgreSQL, as its manual's "Populating a Database" advises: rows sent with
COPY … FROM STDIN, new ids taken from the table's sequence beforehand, and, for a load that
dwarfs what a table held, its foreign keys and non-unique indexes set aside and made again
afterwards.

COPY is one stream per table instead of an INSERT statement per page of rows, which
execute_values builds in Python and the server parses (for the two million search keys of a
100,000-customer archive, most of the load). Values become COPY's text once per distinct
value of a column: stamps, dates, codes and sort keys repeat thousands of times. A foreign
key checks every new row with a query of its own and each index is kept up row by row;
checking and building them once over the loaded table is several times faster.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

Row = Sequence[Any]

# COPY's text format: a backslash, tab, newline or carriage return inside a value is escaped.
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_SPECIAL = re.compile(r"[\\\t\n\r]").search
NULL = "\\N"
# Below this many rows a table keeps its foreign keys and indexes during a load.
SET_ASIDE_FROM = 20_000


def copy_text(value: Any) -> str:
    """``value`` in COPY's text format (None is NULL; bytes as bytea's hex)."""
    if value is None:
        return NULL
    if isinstance(value, str):
        return value.translate(_ESCAPES) if _SPECIAL(value) else value
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.datetime):
        return value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    raw = getattr(value, "adapted", value)  # psycopg2.Binary, as peewee's BlobField gives it
    if isinstance(raw, bytes | bytearray | memoryview):
        return "\\\\x" + bytes(raw).hex()
    return str(value)


def _texts(column: Sequence[Any]) -> Sequence[str]:
    """A column's values as COPY text, each distinct value converted once."""
    kinds = set(map(type, column))
    if kinds == {str}:  # names, keys, codes: as they are, unless one needs escaping
        if _SPECIAL("".join(column)) is None:
            return column
        return [v.translate(_ESCAPES) if _SPECIAL(v) else v for v in column]
    if kinds == {int}:  # ids (bool is a type of its own)
        return list(map(str, column))
    if bool in kinds and len(kinds - {bool, type(None)}) > 0:
        return [copy_text(v) for v in column]  # True and 1 would share one text
    try:
        texts = {value: copy_text(value) for value in set(column)}
    except TypeError:  # an unhashable value
        return [copy_text(v) for v in column]
    return list(map(texts.__getitem__, column))


class _Stream:
    """The rows as COPY text, made a page at a time as psycopg2 reads them (a table of a
    million rows never sits in memory as one string)."""

    PAGE = 50_000

    def __init__(self, rows: Sequence[Row]):
        self.rows, self.done = rows, 0

    def read(self, _size: int = -1) -> str:
        page = self.rows[self.done : self.done + self.PAGE]
        if not page:
            return ""
        self.done += len(page)
        columns = [_texts(column) for column in zip(*page, strict=True)]
        return "\n".join(map("\t".join, zip(*columns, strict=True))) + "\n"


def copy_rows(cursor: Any, target: str, rows: Sequence[Row]) -> None:
    """COPY ``rows`` into ``target``: a table and its columns as SQL, e.g.
    ``"gift" ("name", "stock")``, the values in that order."""
    if rows:
        cursor.copy_expert(f"COPY {target} FROM STDIN", _Stream(rows))


def next_ids(cursor: Any, table: str, key: str, count: int) -> list[int]:
    """``count`` new ids from the sequence of ``table``'s serial column ``key``, in order."""
    if count <= 0:
        return []
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
        (f'"{table}"', key, count),
    )
    return sorted(row[0] for row in cursor.fetchall())


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@contextmanager
def set_aside(cursor: Any, tables: Sequence[str], adding: int) -> Iterator[bool]:
    """Load ``adding`` rows into ``tables`` with their foreign keys and non-unique indexes
    dropped, and made again (the keys checked over the whole table at once) when the block
    ends, and the tables analysed for the planner. Only when the load is large
    (SET_ASIDE_FROM rows) and several times what the tables hold: rebuilding a big table's
    indexes for a few rows would cost more, and its lookups during the load would go slow.

    Call inside the load's transaction: the schema changes are part of it, so an error or
    Ctrl+C rolls them back with the rows. Until it commits, other sessions wait to read or
    write these tables (the demo fills a database being set up). Yields whether they were
    set aside.
    """
    if adding < SET_ASIDE_FROM or not tables:
        yield False
        return
    names = [_quoted(table) for table in tables]
    cursor.execute(
        "SELECT COALESCE(MAX(c.reltuples), 0) FROM pg_class c WHERE c.oid = ANY(%s::regclass[])",
        (names,),
    )
    held = cursor.fetchone()[0]
    if held * 4 > adding:
        yield False
        return
    cursor.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY 1, 2",
        (names,),
    )
    keys = cursor.fetchall()
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i"
        " WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisunique AND NOT i.indisprimary"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)"
        " ORDER BY 1",
        (names,),
    )
    indexes = cursor.fetchall()
    for table, name, _definition in keys:
        cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {_quoted(name)}")
    for index, _definition in indexes:
        cursor.execute(f"DROP INDEX {index}")
    yield True
    # The manual's advice for a load: sort an index's rows in memory, not in files on disk
    # (the default 64 MB spills the two million search keys of 100,000 customers).
    cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    for _index, definition in indexes:
        cursor.execute(definition)
    for table, name, definition in keys:
        cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {_quoted(name)} {definition}")
    for table in names:
        cursor.execute(f"ANALYZE {table}")
