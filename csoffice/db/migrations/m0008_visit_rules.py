"""Return visits remember the rule that planned them, the end of their window and, for a
repeating rule, the period they are for (one call per customer, rule and period); a customer's
file names the staff member who answers for the customer (管家 / 业务员); each survey answer is a
row of its own (visit_answer); a referral names what the prospect is interested in.

Each change is made only where it is missing and its table exists: the step completes a database
where part of it is there, and leaves a file that is no csoffice database for the completeness
check after the upgrade to refuse by name."""

from __future__ import annotations

import peewee

from csoffice.db.models import VisitAnswer

COLUMNS = [
    ("return_visit", "rule", "VARCHAR(24)"),
    ("return_visit", "window_end", "DATE"),
    ("return_visit", "period_start", "DATE"),
    ("customer", "responsible_id", 'INTEGER REFERENCES "staff" ("id") ON DELETE SET NULL'),
    ("referral", "interest", "VARCHAR(100) NOT NULL DEFAULT ''"),
]
INDEXES = [
    (
        "return_visit_customer_id_rule_period_start",
        'CREATE UNIQUE INDEX "return_visit_customer_id_rule_period_start" '
        'ON "return_visit" ("customer_id", "rule", "period_start")',
    ),
    (
        "customer_responsible_id",
        'CREATE INDEX "customer_responsible_id" ON "customer" ("responsible_id")',
    ),
]


def apply(database: peewee.Database) -> None:
    tables = set(database.get_tables())
    for table, column, kind in COLUMNS:
        if table in tables and column not in {c.name for c in database.get_columns(table)}:
            database.execute_sql(f'ALTER TABLE "{table}" ADD COLUMN "{column}" {kind}')
    for name, ddl in INDEXES:
        table = "return_visit" if name.startswith("return_visit") else "customer"
        if table in tables and name not in {i.name for i in database.get_indexes(table)}:
            database.execute_sql(ddl)
    with database.bind_ctx([VisitAnswer]):
        database.create_tables([VisitAnswer], safe=True)
