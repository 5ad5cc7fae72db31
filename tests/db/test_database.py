"""Opening databases, pragmas, schema versions and migrations."""

from __future__ import annotations

import sqlite3

import pytest

from csoffice.db import migrations
from csoffice.db.database import close_database, db, open_database, parse_target
from csoffice.db.models import ALL_MODELS, AuditLog, Customer
from csoffice.errors import DatabaseError


def test_new_database_has_every_table_and_the_latest_version(database):
    tables = set(db.get_tables())
    assert {model._meta.table_name for model in ALL_MODELS} <= tables
    assert migrations.current_version(db.obj) == migrations.LATEST


def test_sqlite_pragmas(database):
    pragma = lambda name: db.execute_sql(f"PRAGMA {name}").fetchone()[0]  # noqa: E731
    assert pragma("journal_mode") == "wal"
    assert pragma("foreign_keys") == 1
    assert pragma("busy_timeout") == 5000
    assert pragma("synchronous") == 1  # NORMAL


def test_reopening_keeps_data(tmp_path, manager):
    Customer.create(name="张三", created_by=manager)
    close_database()
    open_database(tmp_path / "test.sqlite3")
    assert Customer.select().where(Customer.name == "张三").count() == 1


def test_newer_schema_is_refused(tmp_path, database):
    db.execute_sql("UPDATE schema_version SET version = 999")
    close_database()
    with pytest.raises(DatabaseError, match="999"):
        open_database(tmp_path / "test.sqlite3")


def test_foreign_file_is_refused(tmp_path):
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE something (x)")
    con.close()
    with pytest.raises(DatabaseError):
        open_database(path)


def test_unusable_paths_are_refused(tmp_path):
    with pytest.raises(DatabaseError):
        open_database(tmp_path / "missing-folder" / "x.sqlite3")
    with pytest.raises(DatabaseError):
        open_database(tmp_path)
    (tmp_path / "garbage.sqlite3").write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(DatabaseError):
        open_database(tmp_path / "garbage.sqlite3")


def test_parse_target_forms(tmp_path):
    assert parse_target(None).kind == "sqlite"
    assert parse_target(str(tmp_path / "a.db")).path == tmp_path / "a.db"
    assert parse_target("sqlite:///" + str(tmp_path / "b.db")).path == tmp_path / "b.db"
    assert parse_target("postgresql://u@host/office").kind == "postgresql"
    with pytest.raises(DatabaseError):
        parse_target("mysql://host/x")


def test_upgrade_takes_a_backup_and_runs_new_steps(tmp_path, database, monkeypatch):
    applied = []
    old = migrations.LATEST

    def step(database_):
        database_.execute_sql("CREATE TABLE extra_test (x INTEGER)")
        applied.append(True)

    monkeypatch.setattr(
        migrations, "STEPS", [*migrations.STEPS, (migrations.LATEST + 1, "test step", step)]
    )
    monkeypatch.setattr(migrations, "LATEST", migrations.LATEST + 1)
    close_database()
    open_database(tmp_path / "test.sqlite3")
    assert applied == [True]
    assert "extra_test" in db.get_tables()
    assert migrations.current_version(db.obj) == migrations.LATEST
    backups = list(tmp_path.glob(f"test.v{old}-*.bak.sqlite3"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as con:
        assert con.execute("SELECT version FROM schema_version").fetchone()[0] == old
    con.close()


def test_failed_step_leaves_the_old_version(tmp_path, database, monkeypatch):
    def broken(database_):
        database_.execute_sql("CREATE TABLE half_done (x INTEGER)")
        raise RuntimeError("power cut")

    old = migrations.LATEST
    monkeypatch.setattr(
        migrations, "STEPS", [*migrations.STEPS, (migrations.LATEST + 1, "broken", broken)]
    )
    monkeypatch.setattr(migrations, "LATEST", migrations.LATEST + 1)
    close_database()
    with pytest.raises(RuntimeError):
        open_database(tmp_path / "test.sqlite3")
    assert "half_done" not in db.get_tables()
    assert migrations.current_version(db.obj) == old


def test_audit_rows_carry_who_and_when(manager):
    from csoffice import audit

    audit.record(manager, "update", "customer", 7, summary="x", changes={"name": ["a", "b"]})
    row = AuditLog.select().where(AuditLog.entity == "customer").get()
    assert row.staff_id == manager.id and row.entity_id == 7 and '"name"' in row.changes
