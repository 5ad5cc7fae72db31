"""Return visits remember the rule that planned them, the end of their window and, for a
repeating rule, the period they are for (one call per customer, rule and period); a customer's
file names the staff member who answers for the customer (管家 / 业务员); each survey answer is a
row of its own (visit_answer); a referral names what the prospect is interested in."""

from __future__ import annotations

import peewee

from csoffice.db.models import VisitAnswer


def apply(database: peewee.Database) -> None:
    for column, kind in (("rule", "VARCHAR(24)"), ("window_end", "DATE"), ("period_start", "DATE")):
        database.execute_sql(f'ALTER TABLE "return_visit" ADD COLUMN "{column}" {kind}')
    database.execute_sql(
        'CREATE UNIQUE INDEX "return_visit_customer_id_rule_period_start" '
        'ON "return_visit" ("customer_id", "rule", "period_start")'
    )
    database.execute_sql(
        'ALTER TABLE "customer" ADD COLUMN "responsible_id" INTEGER '
        'REFERENCES "staff" ("id") ON DELETE SET NULL'
    )
    database.execute_sql('CREATE INDEX "customer_responsible_id" ON "customer" ("responsible_id")')
    database.execute_sql(
        'ALTER TABLE "referral" ADD COLUMN "interest" VARCHAR(100) NOT NULL DEFAULT \'\''
    )
    with database.bind_ctx([VisitAnswer]):
        database.create_tables([VisitAnswer])
