"""The daily automatic backup, its rotation, and restoring (with the refusals)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from csoffice import backup, customers, settings
from csoffice.checks import run_checks
from csoffice.customers import CustomerInput
from csoffice.db.models import AuditLog, Customer
from csoffice.errors import CsofficeError, PermissionDenied


def names() -> list[str]:
    return sorted(c.name for c in Customer.select())


def test_daily_backup_once_a_day_into_the_chosen_folder(manager, tmp_path):
    folder = tmp_path / "usb"
    folder.mkdir()
    settings.put(manager, {"backup.folder": str(folder)})
    customers.create(manager, CustomerInput(name="张三"))
    morning = dt.datetime(2026, 11, 24, 8, 30)
    first = backup.daily_backup(manager, at=morning)
    assert first.path == folder / "csoffice-auto-20261124-083000.sqlite3"
    with sqlite3.connect(first.path) as copy:
        assert copy.execute("SELECT name FROM customer").fetchall() == [("张三",)]
    copy.close()
    again = backup.daily_backup(manager, at=morning + dt.timedelta(hours=5))
    assert again.path is None  # the day's first start made it already
    assert backup.daily_backup(manager, at=morning + dt.timedelta(days=1)).path is not None
    assert AuditLog.select().where(AuditLog.action == "backup").count() == 2


def test_a_missing_backup_folder_is_said_plainly(manager, tmp_path):
    settings.put(manager, {"backup.folder": str(tmp_path / "unplugged")})
    with pytest.raises(CsofficeError, match="U 盘"):
        backup.daily_backup(manager)


def test_default_folder_is_in_the_data_folder(manager, private_home):
    result = backup.daily_backup(manager)
    assert result.path.parent == private_home / "data" / "backups"


def test_rotation_keeps_days_weeks_and_months():
    start = dt.datetime(2026, 1, 1, 9, 0)
    stamps = [start + dt.timedelta(days=n) for n in range(200)]  # a copy every day
    keep = backup.to_keep(stamps, daily=7, weekly=4, monthly=6)
    newest = stamps[-1]
    assert {newest - dt.timedelta(days=n) for n in range(7)} <= keep  # the last 7 days
    weeks = {t.isocalendar()[:2] for t in keep}
    months = {(t.year, t.month) for t in keep}
    assert len(months) == 6 and len(weeks) >= 4
    assert len(keep) <= 7 + 4 + 6
    # Within each kept month the copy kept is that month's newest.
    for year, month in months - {(newest.year, newest.month)}:
        in_month = [t for t in stamps if (t.year, t.month) == (year, month)]
        assert max(in_month) in keep


def test_rotate_deletes_only_automatic_copies_beyond_the_plan(manager, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    settings.put(
        manager,
        {
            "backup.folder": str(folder),
            "backup.keep_daily": 3,
            "backup.keep_weekly": 0,
            "backup.keep_monthly": 0,
        },
    )
    for day in range(1, 11):
        (folder / f"csoffice-auto-202611{day:02d}-090000.sqlite3").write_bytes(b"x")
    (folder / "my-own-copy.sqlite3").write_bytes(b"x")
    removed = backup.rotate(folder)
    assert len(removed) == 7
    assert sorted(p.name for p in folder.iterdir()) == [
        "csoffice-auto-20261108-090000.sqlite3",
        "csoffice-auto-20261109-090000.sqlite3",
        "csoffice-auto-20261110-090000.sqlite3",
        "my-own-copy.sqlite3",
    ]


def test_restore_brings_back_the_copy_and_saves_the_current_first(manager, database, tmp_path):
    customers.create(manager, CustomerInput(name="张三"))
    saved = backup.backup_to(manager, tmp_path / "monday.sqlite3")
    customers.create(manager, CustomerInput(name="李四"))
    result = backup.restore_from(manager, saved, database)
    assert names() == ["张三"]
    with sqlite3.connect(result.safety_copy) as before:
        assert sorted(r[0] for r in before.execute("SELECT name FROM customer")) == ["张三", "李四"]
    before.close()
    restored = AuditLog.select().where(AuditLog.action == "restore_backup").get()
    assert "monday.sqlite3" in restored.summary and manager.username in restored.summary
    assert run_checks().ok
    customers.create(manager, CustomerInput(name="王五"))  # the database works on
    assert names() == ["张三", "王五"]


def corrupt(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for offset in range(4096 * 2, min(len(data), 4096 * 6), 7):
        data[offset] = 0xA5
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("kind", ["corrupted", "random", "foreign", "newer", "missing"])
def test_restore_refuses_a_bad_file_and_changes_nothing(manager, database, tmp_path, kind):
    customers.create(manager, CustomerInput(name="张三"))
    bad = tmp_path / f"{kind}.sqlite3"
    if kind == "corrupted":
        for n in range(300):  # enough pages for the damage to hit tables
            customers.create(manager, CustomerInput(name=f"客户{n}", notes="备注" * 40))
        backup.backup_to(manager, bad)
        corrupt(bad)
    elif kind == "random":
        bad.write_bytes(bytes(range(256)) * 64)
    elif kind == "foreign":
        with sqlite3.connect(bad) as other:
            other.execute("CREATE TABLE recipes (name TEXT)")
        other.close()
    elif kind == "newer":
        backup.backup_to(manager, bad)
        with sqlite3.connect(bad) as newer:
            newer.execute("UPDATE schema_version SET version = 999")
        newer.close()
    before = names()
    with pytest.raises(CsofficeError) as refused:
        backup.restore_from(manager, bad, database)
    message = str(refused.value)
    assert "\n" not in message and bad.name in message
    assert {
        "corrupted": "已损坏",
        "random": "已损坏",
        "foreign": "不是 csoffice 数据库",
        "newer": "更新版本",
        "missing": "不存在",
    }[kind] in message
    assert names() == before
    assert not list((tmp_path / "home" / "data" / "backups").glob("csoffice-before-restore-*"))


def test_only_the_manager_restores(manager, clerk, database, tmp_path):
    saved = backup.backup_to(manager, tmp_path / "copy.sqlite3")
    with pytest.raises(PermissionDenied, match="只有经理"):
        backup.restore_from(clerk, saved, database)


def test_restoring_an_older_schema_upgrades_it(manager, database, tmp_path, monkeypatch):
    from csoffice.db import migrations

    saved = backup.backup_to(manager, tmp_path / "old.sqlite3")
    newer = migrations.LATEST + 1  # whatever the current schema is
    steps = [*migrations.STEPS, (newer, "test step", lambda db: None)]
    monkeypatch.setattr(migrations, "STEPS", steps)
    monkeypatch.setattr(migrations, "LATEST", newer)
    backup.restore_from(manager, saved, database)
    from csoffice.db.database import db
    from csoffice.db.migrations import current_version

    assert current_version(db.obj) == newer


def test_a_damaged_database_file_is_replaced_and_kept_aside(manager, database, tmp_path):
    customers.create(manager, CustomerInput(name="张三"))
    saved = backup.backup_to(manager, tmp_path / "good.sqlite3")
    from csoffice.db.database import close_database

    close_database()
    live = database.path
    live.write_bytes(b"this is not a database" * 100)
    for suffix in ("-wal", "-shm"):
        Path(str(live) + suffix).unlink(missing_ok=True)
    aside = backup.replace_damaged(saved, live)
    assert aside.read_bytes().startswith(b"this is not")
    with sqlite3.connect(live) as restored:
        assert restored.execute("SELECT name FROM customer").fetchall() == [("张三",)]
    restored.close()


def test_viewers_make_no_copies_but_the_daily_backup_runs_for_anyone(viewer, clerk, tmp_path):
    with pytest.raises(PermissionDenied):
        backup.backup_to(viewer, tmp_path / "mine.sqlite3")
    with pytest.raises(PermissionDenied, match="备份文件夹"):
        backup.backup_to(clerk, tmp_path / "desk.sqlite3")
    assert backup.backup_to(clerk, backup.clerk_backup_path()).exists()
    assert backup.daily_backup(viewer).path is not None
