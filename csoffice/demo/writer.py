"""The demo's bulk writes: rows made in memory go to the database a table at a time.

Inserts go through csoffice.db.bulk (one executemany on SQLite, one COPY on PostgreSQL).
A load that fills a table (a paper file for every customer, two million search keys) runs
with the table's non-unique indexes set aside and made again afterwards (db/bulk.py; on
PostgreSQL its foreign keys too, db/pg_bulk.py). On PostgreSQL updates go through a temporary
table: one COPY and one UPDATE … FROM instead of a statement per row.

Call inside the demo's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import peewee

from csoffice.db import bulk, pg_bulk
from csoffice.db.database import db

Row = Sequence[Any]


def _on_postgresql() -> bool:
    return isinstance(db.obj, peewee.PostgresqlDatabase)


def insert(model: type[peewee.Model], columns: Sequence[str], rows: Sequence[Row]) -> None:
    """Insert ``rows`` (values in ``columns`` order) into ``model``'s table."""
    with bulk.set_aside([model], len(rows)):
        bulk.insert_rows(model, columns, rows)


def insert_returning_ids(
    model: type[peewee.Model], columns: Sequence[str], rows: Sequence[Row]
) -> list[int]:
    """Insert ``rows`` and return their new ids, in the order of the rows."""
    with bulk.set_aside([model], len(rows)):
        return bulk.insert_returning_ids(model, columns, rows)


def update(model: type[peewee.Model], columns: Sequence[str], rows: Sequence[Row]) -> None:
    """``UPDATE model SET columns… WHERE id = …`` for each row (the values, then the id)."""
    if not rows:
        return
    table = model._meta.table_name
    names = [model._meta.fields[c].column_name for c in columns]
    cursor = db.cursor()
    if not _on_postgresql():
        sets = ", ".join(f'"{name}" = ?' for name in names)
        for page in bulk.sqlite_pages(rows):
            cursor.executemany(f'UPDATE "{table}" SET {sets} WHERE "id" = ?', page)
        return
    listed = ", ".join(f'"{name}"' for name in [*names, "id"])
    cursor.execute(
        f'CREATE TEMPORARY TABLE "demo_changes" AS SELECT {listed} FROM "{table}" WITH NO DATA'
    )
    pg_bulk.copy_rows(cursor, f'"demo_changes" ({listed})', rows)
    sets = ", ".join(f'"{name}" = "demo_changes"."{name}"' for name in names)
    cursor.execute(
        f'UPDATE "{table}" SET {sets} FROM "demo_changes" WHERE "{table}"."id" = "demo_changes"."id"'
    )
    cursor.execute('DROP TABLE "demo_changes"')
