"""Migration 6 (the customer list's order index) upgrades a database of release 0.1.0 to what
the models create, on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
from pathlib import Path

from csoffice import auth, customers
from csoffice.db import migrations
from csoffice.db.database import close_database, db, open_database
from tests.conftest import migrations_through

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "release-0.1.0.db"


def _customer_indexes() -> dict[str, list[str]]:
    return {
        index.name: list(index.columns)
        for index in db.get_indexes("customer")
        if not index.name.startswith("sqlite_")
    }


def test_release_0_1_0_is_upgraded_to_the_models_schema(tmp_path):
    fresh = tmp_path / "fresh.sqlite3"
    open_database(fresh)
    wanted = _customer_indexes()
    close_database()
    old = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURE, old)
    open_database(old)
    try:
        assert migrations.current_version(db.obj) == migrations.LATEST
        assert _customer_indexes() == wanted
        assert _search_key_schema()[1]["customer_search_key_key_sort_key_customer_id"] == [
            "key",
            "sort_key",
            "customer_id",
        ]
        assert wanted["customer_name_pinyin_id"] == ["name_pinyin", "id"]
        # The old office's customers are listed, counted and found as before.
        listed = customers.search_list(customers.SearchFilter())
        assert len(listed) == len(list(listed)) > 0
    finally:
        close_database()


def _search_key_schema() -> tuple[list[str], dict[str, list[str]]]:
    columns = [column.name for column in db.get_columns("customer_search_key")]
    indexes = {i.name: list(i.columns) for i in db.get_indexes("customer_search_key")}
    return columns, indexes


def test_postgresql_is_upgraded_to_the_models_schema(pg_url, monkeypatch):
    open_database(pg_url)
    try:
        wanted = (_search_key_schema(), _customer_indexes())
        customers.create(
            auth.default_manager(), customers.CustomerInput(name="张三", mobile="13812345678")
        )
        # Back to version 5: no sort key, no order indexes.
        db.execute_sql('DROP INDEX "customer_search_key_key_sort_key_customer_id"')
        db.execute_sql('DROP INDEX "customer_name_pinyin_id"')
        db.execute_sql('ALTER TABLE "customer_search_key" DROP COLUMN "sort_key"')
        db.execute_sql(f"UPDATE schema_version SET version = {migrations_through(monkeypatch, 6)}")
    finally:
        close_database()
    open_database(pg_url)
    try:
        assert migrations.current_version(db.obj) == migrations.LATEST
        assert (_search_key_schema(), _customer_indexes()) == wanted
        found = customers.search_list(customers.SearchFilter(text="张"))
        assert len(found) == 1 and list(found) == list(found[:1])
    finally:
        close_database()
