"""Version 7: the answer library (常用答复), which answer was read to which caller, and an index
of each customer's receptions by time (for churn and the customer statistics)."""

from __future__ import annotations

import peewee

from csoffice.db.models import AnswerEntry, AnswerUse, Reception


def apply(database: peewee.Database) -> None:
    with database.bind_ctx([AnswerEntry, AnswerUse, Reception]):
        database.create_tables([AnswerEntry, AnswerUse])
        if "reception" not in database.get_tables():
            return  # not a whole csoffice database; the restore's own check names what is missing
        # The models' create_tables names it the same way (table, columns).
        database.execute_sql(
            'CREATE INDEX IF NOT EXISTS "reception_customer_id_received_at" '
            'ON "reception" ("customer_id", "received_at")'
        )
