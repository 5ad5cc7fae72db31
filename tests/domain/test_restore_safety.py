"""A restore that cannot wreck: only a whole csoffice database goes in, another office's
backup asks first, a failure after the swap puts the old data back, safety copies are unique
and rotate, interrupted copies are cleaned and never offered, and the scans come back."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from csoffice import attachments, backup, backup_file, customers, settings
from csoffice.checks import run_checks
from csoffice.customers import CustomerInput
from csoffice.db.database import close_database, db, open_database
from csoffice.db.models import Customer
from csoffice.errors import CsofficeError
from tests.conftest import ROOT, run_cli


def names() -> list[str]:
    return sorted(c.name for c in Customer.select())


def edit_copy(path: Path, *statements: str) -> None:
    con = sqlite3.connect(path)
    for statement in statements:
        con.execute(statement)
    con.commit()
    con.close()


def make_shell(path: Path) -> Path:
    """A file with csoffice's version table and empty staff, customer and audit tables."""
    edit_copy(
        path,
        "CREATE TABLE schema_version (version INTEGER NOT NULL)",
        "INSERT INTO schema_version VALUES (1)",
        "CREATE TABLE staff (id INTEGER PRIMARY KEY)",
        "CREATE TABLE customer (id INTEGER PRIMARY KEY)",
        "CREATE TABLE audit_log (id INTEGER PRIMARY KEY)",
    )
    return path


def test_a_shell_database_is_refused_before_anything_is_touched(manager, database, tmp_path):
    customers.create(manager, CustomerInput(name="张三"))
    shell = tmp_path / "shell.sqlite3"
    make_shell(shell)
    with pytest.raises(CsofficeError, match="不是完整的") as refused:
        backup.restore_from(manager, shell, database)
    assert "shell.sqlite3" in str(refused.value)
    assert names() == ["张三"] and run_checks().ok
    assert not list((tmp_path / "home" / "data" / "backups").glob("csoffice-before-restore-*"))
    assert not list(tmp_path.glob("*.partial"))


def test_a_backup_missing_a_column_is_refused_naming_it(manager, database, tmp_path):
    saved = backup.backup_to(manager, tmp_path / "cut.sqlite3")
    edit_copy(saved, "ALTER TABLE customer DROP COLUMN notes")
    with pytest.raises(CsofficeError, match=r"customer\.notes"):
        backup.restore_from(manager, saved, database)


def test_broken_links_and_an_unreadable_audit_log_are_refused(manager, database, tmp_path):
    customers.create(manager, CustomerInput(name="张三"))
    links = backup.backup_to(manager, tmp_path / "links.sqlite3")
    edit_copy(links, "UPDATE customer SET created_by_id = 999")
    with pytest.raises(CsofficeError, match="不是完整的"):
        backup.restore_from(manager, links, database)
    trail = backup.backup_to(manager, tmp_path / "trail.sqlite3")
    edit_copy(trail, "UPDATE audit_log SET at = 'kaputt'")
    with pytest.raises(CsofficeError, match="审计"):
        backup.restore_from(manager, trail, database)
    nobody = backup.backup_to(manager, tmp_path / "nobody.sqlite3")
    edit_copy(nobody, "UPDATE staff SET active = 0")
    with pytest.raises(CsofficeError, match="经理"):
        backup.restore_from(manager, nobody, database)
    assert names() == ["张三"]


def test_another_offices_backup_asks_first(manager, database, tmp_path):
    settings.put(manager, {"office.name": "幸福汽车客服部"})
    customers.create(manager, CustomerInput(name="张三"))
    theirs = backup.backup_to(manager, tmp_path / "theirs.sqlite3")
    edit_copy(theirs, "UPDATE setting SET value = '\"如意家电售后\"' WHERE key = 'office.name'")
    customers.create(manager, CustomerInput(name="李四"))
    with pytest.raises(backup_file.ForeignOffice) as refused:
        backup.restore_from(manager, theirs, database)
    assert refused.value.theirs == "如意家电售后" and refused.value.ours == "幸福汽车客服部"
    assert "如意家电售后" in str(refused.value)
    assert names() == ["张三", "李四"]
    backup.restore_from(manager, theirs, database, allow_other_office=True)
    assert names() == ["张三"]


def test_a_failure_after_the_swap_puts_the_old_data_back(manager, database, tmp_path, monkeypatch):
    customers.create(manager, CustomerInput(name="张三"))
    saved = backup.backup_to(manager, tmp_path / "monday.sqlite3")
    customers.create(manager, CustomerInput(name="李四"))

    def failing_check() -> None:
        raise CsofficeError("simulated")

    monkeypatch.setattr(backup, "_verify_live", failing_check)
    with pytest.raises(CsofficeError, match="simulated") as refused:
        backup.restore_from(manager, saved, database)
    assert "恢复原样" in str(refused.value)
    assert names() == ["张三", "李四"]
    assert run_checks().ok
    customers.create(manager, CustomerInput(name="王五"))  # the database works on


def test_safety_copies_have_unique_names_and_rotate(manager, database, tmp_path):
    saved = backup.backup_to(manager, tmp_path / "copy.sqlite3")
    folder = backup.backup_folder()
    made = []
    for _ in range(7):  # several in one second: none overwrites another
        before = set(folder.glob("csoffice-before-restore-*"))
        made.append(backup.restore_from(manager, saved, database).safety_copy)
        assert made[-1] not in before
    kept = sorted(folder.glob("csoffice-before-restore-*.sqlite3"))
    assert len(kept) == backup.SAFETY_KEEP
    assert made[-1] in kept


def test_interrupted_copies_are_cleaned_and_never_restored(manager, database, tmp_path):
    folder = backup.backup_folder()
    folder.mkdir(parents=True, exist_ok=True)
    saved = backup.backup_to(manager, folder / "good.sqlite3")
    stale = folder / "csoffice-20261124-0900.sqlite3.partial"
    shutil.copy(saved, stale)
    with pytest.raises(CsofficeError, match="中断"):
        backup.restore_from(manager, stale, database)
    old = time.time() - 3600
    os.utime(stale, (old, old))
    fresh = folder / "being-written.sqlite3.partial"
    fresh.write_bytes(b"x")
    backup.restore_from(manager, saved, database)
    assert not stale.exists()  # an old interrupted copy is cleaned up
    assert fresh.exists()  # one being written now is left alone


def scan_file(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_a_backup_holds_the_scans_and_restore_puts_them_back(manager, database, tmp_path):
    customer = customers.create(manager, CustomerInput(name="张三"))
    data = b"%PDF-1.4 " + os.urandom(50_000)
    row = attachments.attach(
        manager, customer.id, scan_file(tmp_path, "合同.pdf", data), "contract"
    )
    saved = backup.backup_to(manager, tmp_path / "with-scans.sqlite3")
    with sqlite3.connect(saved) as con:
        assert con.execute("SELECT count(*) FROM attachment_blob").fetchone()[0] == 1
    con.close()
    # The PC dies: a new one has an empty data folder.
    shutil.rmtree(attachments.subfolder("attachments"))
    result = backup.restore_from(manager, saved, database)
    assert result.scans == 1
    restored = attachments.list_for(customer.id)[0].path
    assert restored.suffix == ".pdf"
    assert hashlib.sha256(restored.read_bytes()).hexdigest() == row.sha256
    # The live database does not keep the bytes twice (on SQLite they live in the folder).
    assert db.obj.execute_sql("SELECT count(*) FROM attachment_blob").fetchone()[0] == 0


def test_a_backup_with_a_damaged_scan_is_refused(manager, database, tmp_path):
    customer = customers.create(manager, CustomerInput(name="张三"))
    attachments.attach(manager, customer.id, scan_file(tmp_path, "a.jpg", b"\xff\xd8" * 999))
    saved = backup.backup_to(manager, tmp_path / "bad-scan.sqlite3")
    edit_copy(saved, "UPDATE attachment_blob SET data = x'00'")
    with pytest.raises(CsofficeError, match="扫描"):
        backup.restore_from(manager, saved, database)


def test_the_release_0_1_0_database_restores_and_upgrades(manager, database, tmp_path):
    old = tmp_path / "release-0.1.0.db"
    shutil.copy(ROOT / "tests" / "fixtures" / "release-0.1.0.db", old)
    backup.restore_from(manager, old, database, allow_other_office=True)
    from csoffice.db.migrations import LATEST, current_version

    assert current_version(db.obj) == LATEST
    assert not backup_file.schema_problems(db.obj)
    assert run_checks().ok


def make_big_database(path: Path, home: Path, rows: int) -> None:
    run_cli("--db", str(path), "init", home=home, check=True)
    con = sqlite3.connect(path)
    con.executemany(
        "INSERT INTO audit_log (at, action, entity, summary, changes, origin) "
        "VALUES ('2026-11-24 09:00:00', 'note', 'customer', ?, '', '')",
        [("备注" * 100,) for _ in range(rows)],
    )
    con.commit()
    con.close()


def audit_count(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    finally:
        con.close()


def test_kill_9_during_a_restore_leaves_the_old_data_or_the_new(tmp_path):
    home, live, big = tmp_path / "home", tmp_path / "office.sqlite3", tmp_path / "big.sqlite3"
    make_big_database(big, home, 120_000)
    run_cli("--db", str(live), "init", home=home, check=True)
    small = audit_count(live)
    large = audit_count(big)
    env = dict(os.environ, CSOFFICE_HOME=str(home))
    outcomes = set()
    for delay in (0.3, 0.9, 1.6, 2.5):
        process = subprocess.Popen(
            [sys.executable, "-m", "csoffice", "--db", str(live), "restore", str(big)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        con = sqlite3.connect(live)
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        con.close()
        count = audit_count(live)
        # The old data (plus at most the restore's own audit row) or the whole new data.
        assert small <= count <= small + 1 or large <= count <= large + 2, count
        outcomes.add("new" if count >= large else "old")
        assert run_cli("--db", str(live), "check", home=home).returncode == 0
    # Leftover work copies are never offered and are cleaned by the next restore.
    leftovers = list(tmp_path.glob("*.partial"))
    for path in leftovers:
        os.utime(path, (time.time() - 3600, time.time() - 3600))
    result = run_cli("--db", str(live), "restore", str(big), home=home)
    assert result.returncode == 0, result.stderr
    assert not list(tmp_path.glob("*.partial"))
    assert audit_count(live) >= large


def test_restore_of_a_foreign_office_on_the_command_line_needs_a_flag(tmp_path):
    home, live = tmp_path / "home", tmp_path / "office.sqlite3"
    run_cli("--db", str(live), "init", home=home, check=True)
    other = tmp_path / "other.sqlite3"
    shutil.copy(live, other)
    for path, name in ((live, "幸福汽车客服部"), (other, "如意家电售后")):
        open_database(path)
        from csoffice import auth

        settings.put(auth.default_manager(), {"office.name": name})
        close_database()
    result = run_cli("--db", str(live), "restore", str(other), home=home)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "--other-office" in result.stderr
    again = run_cli("--db", str(live), "restore", str(other), "--other-office", home=home)
    assert again.returncode == 0, again.stderr


def test_a_shell_database_on_the_command_line_is_one_line(tmp_path):
    home, live = tmp_path / "home", tmp_path / "office.sqlite3"
    run_cli("--db", str(live), "init", home=home, check=True)
    shell = tmp_path / "shell.sqlite3"
    make_shell(shell)
    result = run_cli("--db", str(live), "restore", str(shell), home=home)
    assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert run_cli("--db", str(live), "check", home=home).returncode == 0


def test_check_reports_a_missing_column_and_a_missing_scan(manager, database, tmp_path):
    customer = customers.create(manager, CustomerInput(name="张三"))
    row = attachments.attach(manager, customer.id, scan_file(tmp_path, "a.pdf", b"%PDF scan"))
    assert run_checks().ok
    attachments.local_path(row.sha256, row.filename).unlink()
    report = dict(run_checks().results)
    assert any("a.pdf" in problem for problem in report["每一份扫描件都能打开"])
    db.obj.execute_sql('ALTER TABLE "customer" DROP COLUMN "interests"')
    report = dict(run_checks().results)
    assert report["本版本的每个表和字段都在"] == ["缺少：customer.interests"]
