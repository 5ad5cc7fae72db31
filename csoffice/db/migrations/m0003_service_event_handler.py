"""Version 3: service events name the salesperson or technician (``handled_by``), as the lists
handed over by sales and after-sales do."""

from __future__ import annotations

import peewee


def apply(database: peewee.Database) -> None:
    # SQLite can add a NOT NULL column only with a default, and rebuilding the table instead
    # would fire the return visits' ON DELETE SET NULL; the default is harmless there. On
    # PostgreSQL the default is dropped again, so the column equals what the models create.
    database.execute_sql(
        'ALTER TABLE "service_event" ADD COLUMN "handled_by" VARCHAR(60) NOT NULL DEFAULT \'\''
    )
    if isinstance(database, peewee.PostgresqlDatabase):
        database.execute_sql('ALTER TABLE "service_event" ALTER COLUMN "handled_by" DROP DEFAULT')
