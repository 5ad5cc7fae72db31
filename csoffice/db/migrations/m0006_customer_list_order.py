"""Version 6: the customer list's order where a search reads it — each search key carries its
customer's name_pinyin (``sort_key``) in an index (key, sort_key, customer), and the customer
table an index (name_pinyin, id) — so a broad search's first page is read in order instead
of sorting every hit."""

from __future__ import annotations

import peewee


def apply(database: peewee.Database) -> None:
    postgres = isinstance(database, peewee.PostgresqlDatabase)
    collate = ' COLLATE "C"' if postgres else ""
    database.execute_sql(
        'ALTER TABLE "customer_search_key" '
        f"ADD COLUMN \"sort_key\" VARCHAR(400){collate} NOT NULL DEFAULT ''"
    )
    database.execute_sql(
        'UPDATE "customer_search_key" SET "sort_key" = COALESCE((SELECT "name_pinyin" '
        'FROM "customer" WHERE "customer"."id" = "customer_search_key"."customer_id"), \'\')'
    )
    database.execute_sql(
        'CREATE INDEX IF NOT EXISTS "customer_search_key_key_sort_key_customer_id" '
        'ON "customer_search_key" ("key", "sort_key", "customer_id")'
    )
    database.execute_sql(
        'CREATE INDEX IF NOT EXISTS "customer_name_pinyin_id" ON "customer" ("name_pinyin", "id")'
    )
