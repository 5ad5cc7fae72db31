"""Migration 8 (return visits remember their rule, window end and period): a database made by
release 0.1.0 is upgraded, keeps its calls and rules, and ends with the schema the models
create, on SQLite and on PostgreSQL."""

from __future__ import annotations

import shutil
from pathlib import Path

import peewee

from csoffice import visits
from csoffice.db import migrations
from csoffice.db.database import close_database, db, open_database
from csoffice.db.models import ReturnVisit
from tests.conftest import migrations_through

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "release-0.1.0.db"


def _shape(database: peewee.Database) -> list:
    """The changed tables' columns (name, type, null), indexes (name, columns, unique) and
    foreign keys."""
    shape = []
    for table in ("return_visit", "customer", "visit_answer", "referral"):
        shape.append(
            sorted((c.name, c.data_type.upper(), c.null) for c in database.get_columns(table))
        )
        shape.append(
            sorted((i.name, tuple(i.columns), i.unique) for i in database.get_indexes(table))
        )
        shape.append(
            sorted(
                (f.column, f.dest_table, f.dest_column) for f in database.get_foreign_keys(table)
            )
        )
    return shape


def test_release_0_1_0_file_is_upgraded(tmp_path):
    fresh = open_database(tmp_path / "fresh.sqlite3")
    expected = _shape(db.obj)
    close_database()
    assert fresh.kind == "sqlite"
    copy = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURE, copy)
    open_database(copy)
    assert migrations.current_version(db.obj) == migrations.LATEST >= 8
    assert _shape(db.obj) == expected
    assert list(tmp_path.glob("old.v1-*.bak.sqlite3"))  # copied before the step
    calls = ReturnVisit.select().count()
    assert calls and ReturnVisit.select().where(ReturnVisit.window_end.is_null(False)).count() == 0
    visits.rows([v.id for v in ReturnVisit.select(ReturnVisit.id)])  # old calls still list
    assert "3dc" in visits.rules()  # the first release's rules setting is still understood
    close_database()


def test_step_gives_the_models_schema_on_postgresql(pg_url, monkeypatch):
    before = migrations_through(monkeypatch, 8)
    open_database(pg_url)
    expected = _shape(db.obj)
    database = db.obj
    database.execute_sql('DROP INDEX "return_visit_customer_id_rule_period_start"')
    for column in ("rule", "window_end", "period_start"):
        database.execute_sql(f'ALTER TABLE "return_visit" DROP COLUMN "{column}"')
    database.execute_sql('ALTER TABLE "customer" DROP COLUMN "responsible_id"')
    database.execute_sql('DROP TABLE "visit_answer"')
    database.execute_sql('ALTER TABLE "referral" DROP COLUMN "interest"')
    database.execute_sql(f"UPDATE schema_version SET version = {before}")
    close_database()
    open_database(pg_url)
    assert migrations.current_version(db.obj) == 8
    assert _shape(db.obj) == expected
    close_database()
