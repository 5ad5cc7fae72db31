"""An office's database made by the previous release opens, upgrades and keeps every record.

``tests/fixtures/release-0.1.0.db`` was written by csoffice 0.1.0 (schema 1) with
``python -m csoffice --db tests/fixtures/release-0.1.0.db demo --customers 60 --months 2 --seed 1``.
It is never regenerated: it stands for a file an office already has.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from csoffice.db import migrations
from csoffice.db.database import close_database, db, open_database

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "release-0.1.0.db"


def _counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def _schema(path: Path) -> dict[str, object]:
    """Every table's columns (name, type, not null, primary key) and every index's columns."""
    with sqlite3.connect(path) as connection:
        shape: dict[str, object] = {}
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        for table in tables:
            columns = connection.execute(f'PRAGMA table_info("{table}")').fetchall()
            shape[table] = sorted((c[1], c[2].upper(), c[3], c[5]) for c in columns)
            indexes = connection.execute(f'PRAGMA index_list("{table}")').fetchall()
            for index in indexes:
                if index[1].startswith("sqlite_autoindex"):
                    continue
                cols = connection.execute(f'PRAGMA index_info("{index[1]}")').fetchall()
                shape[f"index {index[1]}"] = (table, index[2], [c[2] for c in cols])
        return shape


@pytest.fixture
def old_database(tmp_path: Path) -> Path:
    copy = tmp_path / "office" / "csoffice.sqlite3"
    copy.parent.mkdir()
    shutil.copyfile(FIXTURE, copy)
    return copy


def test_fixture_is_the_previous_release() -> None:
    with sqlite3.connect(FIXTURE) as connection:
        assert connection.execute("SELECT max(version) FROM schema_version").fetchone()[0] == 1


def test_upgrade_backs_up_first_and_keeps_every_row(old_database: Path) -> None:
    before = _counts(old_database)
    open_database(old_database)
    try:
        assert migrations.current_version(db.obj) == migrations.LATEST
    finally:
        close_database()
    backups = list(old_database.parent.glob("csoffice.v1-*.bak.sqlite3"))
    if migrations.LATEST == 1:
        assert backups == []  # nothing to upgrade yet: the file is opened as it is
        return
    assert len(backups) == 1
    # The backup is the untouched release-0.1.0 database.
    assert _counts(backups[0]) == before
    with sqlite3.connect(backups[0]) as connection:
        assert connection.execute("SELECT max(version) FROM schema_version").fetchone()[0] == 1
    after = _counts(old_database)
    for table, count in before.items():
        if table == "schema_version":
            continue
        assert after.get(table, count) >= count, table


def test_upgraded_schema_equals_a_new_database(old_database: Path, tmp_path: Path) -> None:
    open_database(old_database)
    close_database()
    fresh = tmp_path / "fresh.sqlite3"
    open_database(fresh)
    close_database()
    assert _schema(old_database) == _schema(fresh)


def test_upgraded_database_passes_check_and_takes_new_records(old_database: Path) -> None:
    from csoffice import auth, customers
    from csoffice.checks import run_checks

    open_database(old_database)
    try:
        report = run_checks()
        assert report.ok, [r for r in report.results if r[1]]
        manager = auth.default_manager()
        created = customers.create(
            manager, customers.CustomerInput(name="升级后新客户", mobile="13812345678")
        )
        assert created.id
    finally:
        close_database()


def test_upgrade_is_done_once(old_database: Path) -> None:
    open_database(old_database)
    close_database()
    open_database(old_database)
    close_database()
    expected = 0 if migrations.LATEST == 1 else 1
    assert len(list(old_database.parent.glob("csoffice.v1-*.bak.sqlite3"))) == expected
