"""Migration 7 (the answer library and the index of customers' receptions by time): a database
made by release 0.1.0 is upgraded to what the models create, on SQLite and on PostgreSQL; the
statistics, churn and trends give the same answers on both."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from csoffice import answers, auth, churn, statistics, trends
from csoffice.answers import AnswerInput
from csoffice.db import migrations
from csoffice.db.database import close_database, db, open_database
from tests.domain.test_statistics import AS_OF, JUNE, build_office

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "release-0.1.0.db"
NEW = ("answer_entry", "answer_use", "reception_customer_id_received_at")


def schema(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as con:
        rows = con.execute(
            "SELECT name, sql FROM sqlite_master WHERE name IN (?, ?, ?) OR tbl_name IN (?, ?)",
            (*NEW, "answer_entry", "answer_use"),
        ).fetchall()
    con.close()
    return {name: " ".join((sql or "").split()) for name, sql in rows}


def test_release_database_is_upgraded_to_what_the_models_create(tmp_path):
    old = tmp_path / "office.sqlite3"
    shutil.copyfile(FIXTURE, old)
    open_database(old)
    assert migrations.current_version(db.obj) == migrations.LATEST
    manager = auth.default_manager()
    answers.create(manager, AnswerInput(question="能开专票吗？", text="可以。"))
    close_database()
    fresh = tmp_path / "fresh.sqlite3"
    open_database(fresh)
    close_database()
    upgraded, created = schema(old), schema(fresh)
    assert set(NEW) <= set(created)
    assert upgraded == created
    assert list(tmp_path.glob("office.v1-*.bak.sqlite3"))  # the backup before the upgrade


def figures():
    return (
        {k: sorted(churn.churn_ids(k, AS_OF, months=3)) for k in churn.KINDS},
        churn.churn_trend(statistics.last_months(JUNE), 3),
        statistics.customer_statistics(JUNE),
        trends.trends(JUNE).complaints_by_department,
    )


def test_the_same_figures_on_postgresql(tmp_path, pg_url):
    open_database(tmp_path / "lite.sqlite3")
    build_office(auth.default_manager())
    on_sqlite = figures()
    close_database()
    open_database(pg_url)
    build_office(auth.default_manager())
    on_postgres = figures()
    close_database()
    assert on_postgres[0] == on_sqlite[0]
    assert on_postgres[1] == on_sqlite[1]
    assert on_postgres[2].by_district == on_sqlite[2].by_district
    assert on_postgres[2].active == on_sqlite[2].active
    assert on_postgres[3] == on_sqlite[3]


def test_step_seven_upgrades_a_postgresql_database(pg_url):
    open_database(pg_url)
    db.execute_sql('DROP TABLE "answer_use"')
    db.execute_sql('DROP TABLE "answer_entry"')
    db.execute_sql('DROP INDEX "reception_customer_id_received_at"')
    before = max(number for number, _d, _s in migrations.STEPS if number < 7)
    db.execute_sql(f"UPDATE schema_version SET version = {before}")
    close_database()
    open_database(pg_url)
    assert migrations.current_version(db.obj) == migrations.LATEST
    assert {"answer_entry", "answer_use"} <= set(db.get_tables())
    assert any(i.name == "reception_customer_id_received_at" for i in db.get_indexes("reception"))
    close_database()
