"""Version 9: the search keys keep one index, (key, sort_key, customer). The unique
(key, customer) index served only the removal of a customer's keys, which the other index
serves as well; every search key written (about ten per customer) updated both, which made
up a third of a large import."""

from __future__ import annotations

import peewee


def apply(database: peewee.Database) -> None:
    database.execute_sql('DROP INDEX IF EXISTS "customer_search_key_key_customer_id"')
