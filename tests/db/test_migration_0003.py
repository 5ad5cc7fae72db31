"""Migration 3 (service events name who handled them): upgrades the previous release's file and
a PostgreSQL database to what the models create."""

from __future__ import annotations

import shutil
from pathlib import Path

from csoffice.db import migrations
from csoffice.db.database import close_database, db, open_database
from csoffice.db.models import Customer, ServiceEvent
from tests.conftest import migrations_through

RELEASE = Path(__file__).parent.parent / "fixtures" / "release-0.1.0.db"


def _sqlite_columns(path: Path) -> list[tuple]:
    open_database(path)
    try:
        rows = db.execute_sql('PRAGMA table_info("service_event")').fetchall()
        return [(name, kind, notnull, pk) for _cid, name, kind, notnull, _dflt, pk in rows]
    finally:
        close_database()


def test_release_file_upgrades_and_keeps_its_events(tmp_path):
    copy = tmp_path / "old.sqlite3"
    shutil.copy(RELEASE, copy)
    fresh = _sqlite_columns(tmp_path / "fresh.sqlite3")
    upgraded = _sqlite_columns(copy)
    assert sorted(upgraded) == sorted(fresh)
    open_database(copy)
    try:
        assert migrations.current_version(db.obj) == migrations.LATEST
        before = ServiceEvent.select().count()
        customer = Customer.select().first()
        staff = customer.created_by
        ServiceEvent.create(
            customer=customer,
            kind="repair",
            date="2026-11-02",
            handled_by="王师傅",
            created_by=staff,
            updated_by=staff,
        )
        assert ServiceEvent.select().count() == before + 1
        assert ServiceEvent.select().where(ServiceEvent.handled_by == "").count() == before
    finally:
        close_database()
    assert list(tmp_path.glob("old.v1-*.bak.sqlite3"))


def _pg_columns() -> list[tuple]:
    return db.execute_sql(
        "SELECT column_name, data_type, character_maximum_length, is_nullable, column_default "
        "FROM information_schema.columns WHERE table_name = 'service_event' ORDER BY column_name"
    ).fetchall()


def test_postgresql_upgrades_to_the_models_schema(pg_url, monkeypatch):
    open_database(pg_url)
    fresh = _pg_columns()
    db.execute_sql('ALTER TABLE "service_event" DROP COLUMN "handled_by"')
    db.execute_sql(f"UPDATE schema_version SET version = {migrations_through(monkeypatch, 3)}")
    close_database()
    open_database(pg_url)
    try:
        assert migrations.current_version(db.obj) == migrations.LATEST
        assert _pg_columns() == fresh
    finally:
        close_database()
