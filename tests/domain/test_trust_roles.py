"""Who may do what: the command line is audited as itself, migrate-to leaves a trail,
permissions follow the current staff record, sign-in does not tell which names exist, the
waiting time is capped and the manager can lift it; scans that change while read are
refused; on PostgreSQL every desk opens every scan; migration 5 upgrades release 0.1.0."""

from __future__ import annotations

import contextlib
import getpass
import hashlib
import shutil
import socket
import sqlite3
from pathlib import Path

import pytest

from csoffice import attachments, audit_log, auth, customers
from csoffice.customers import CustomerInput
from csoffice.db.database import close_database, db, open_database
from csoffice.db.models import AuditLog, Staff
from csoffice.errors import PermissionDenied, ValidationError
from tests.conftest import ROOT, migrations_through, run_cli


def test_command_line_actions_are_audited_as_the_command_line(tmp_path):
    home, path = tmp_path / "home", tmp_path / "office.sqlite3"
    run_cli("--db", str(path), "init", home=home, check=True)
    out = tmp_path / "customers.csv"
    result = run_cli("--db", str(path), "export", "customers", "--out", str(out), home=home)
    assert result.returncode == 0, result.stderr
    con = sqlite3.connect(path)
    staff_id, origin = con.execute(
        "SELECT staff_id, origin FROM audit_log WHERE action = 'export'"
    ).fetchone()
    con.close()
    assert staff_id is None
    assert origin == f"cli:{getpass.getuser()}@{socket.gethostname()}"
    open_database(path)
    try:
        manager = Staff.get(Staff.role == "manager")
        ids = audit_log.search_ids(manager, audit_log.AuditFilter(action="export"))
        assert audit_log.rows(manager, ids)[0].staff_name.startswith("命令行")
    finally:
        close_database()


def test_migrate_to_is_audited_in_both_databases(tmp_path):
    home, path, copy = tmp_path / "home", tmp_path / "office.sqlite3", tmp_path / "copy.sqlite3"
    run_cli("--db", str(path), "init", home=home, check=True)
    result = run_cli("--db", str(path), "migrate-to", str(copy), home=home)
    assert result.returncode == 0, result.stderr
    for database in (path, copy):
        con = sqlite3.connect(database)
        rows = con.execute(
            "SELECT staff_id, origin, summary FROM audit_log WHERE action = 'migrate_to'"
        ).fetchall()
        con.close()
        assert len(rows) == 1 and rows[0][0] is None and rows[0][1].startswith("cli:")
        assert "copy.sqlite3" in rows[0][2]


def test_a_clerk_deactivated_at_another_desk_is_refused_at_the_next_action(manager, clerk):
    customers.create(clerk, CustomerInput(name="张三"))
    # Another desk: the manager deactivates the clerk there (a separate write to the record).
    Staff.update(active=False).where(Staff.id == clerk.id).execute()
    with pytest.raises(PermissionDenied, match="停用"):
        customers.create(clerk, CustomerInput(name="李四"))
    assert clerk.active is False  # the desk's own copy follows
    # A role taken away works the same way.
    other = auth.create_staff(manager, "clerk2", "李静", auth.Role.CLERK, password="secret123")
    Staff.update(role="viewer").where(Staff.id == other.id).execute()
    with pytest.raises(PermissionDenied):
        customers.create(other, CustomerInput(name="王五"))


def test_an_unknown_user_name_costs_the_same_hash_work_as_a_wrong_password(clerk, monkeypatch):
    calls = []
    real = hashlib.scrypt

    def counting(*args, **kwargs):
        calls.append(kwargs.get("n"))
        return real(*args, **kwargs)

    auth._dummy_hash()  # made once per process, not per try
    monkeypatch.setattr(auth.hashlib, "scrypt", counting)
    with pytest.raises(auth.LoginRefused) as unknown:
        auth.authenticate("nobody", "whatever")
    with pytest.raises(auth.LoginRefused) as wrong:
        auth.authenticate("clerk1", "whatever")
    assert calls == [auth._SCRYPT_N, auth._SCRYPT_N]
    assert str(unknown.value).split("。")[0] == str(wrong.value).split("。")[0]
    failed = AuditLog.select().where(AuditLog.action == "login_failed").count()
    assert failed == 2  # both written, both visible to the manager


def test_waiting_is_capped_and_the_manager_can_lift_it(manager, clerk):
    assert auth.login_delay(10) == 300 and auth.login_delay(50) == 300
    for _ in range(12):
        with contextlib.suppress(auth.LoginRefused):
            auth.authenticate("clerk1", "wrong")
    with pytest.raises(auth.LoginRefused) as waiting:
        auth.authenticate("clerk1", "secret123")
    assert 0 < waiting.value.retry_after <= 300
    with pytest.raises(PermissionDenied):
        auth.clear_lockout(clerk, clerk.id)
    auth.clear_lockout(manager, clerk.id)
    assert auth.authenticate("clerk1", "secret123").failed_logins == 0
    assert AuditLog.select().where(AuditLog.action == "clear_lockout").count() == 1


def test_a_scan_that_changes_while_it_is_read_is_refused(clerk, tmp_path, monkeypatch):
    customer = customers.create(clerk, CustomerInput(name="张三"))
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4 " + b"x" * 300_000)
    real_fsync = attachments.os.fsync

    def scanner_still_writing(fd):  # the scanner appends a page while we copy
        with scan.open("ab") as fh:
            fh.write(b"more pages")
        real_fsync(fd)

    monkeypatch.setattr(attachments.os, "fsync", scanner_still_writing)
    with pytest.raises(ValidationError, match="发生了变化"):
        attachments.attach(clerk, customer.id, scan)
    monkeypatch.setattr(attachments.os, "fsync", real_fsync)
    assert attachments.list_for(customer.id) == []
    assert not list(attachments.subfolder("attachments").rglob("*.partial"))
    row = attachments.attach(clerk, customer.id, scan)  # once it is complete, it goes in
    assert row.sha256 == hashlib.sha256(scan.read_bytes()).hexdigest()


def test_a_shrinking_file_is_refused(clerk, tmp_path, monkeypatch):
    customer = customers.create(clerk, CustomerInput(name="张三"))
    scan = tmp_path / "id.jpg"
    scan.write_bytes(b"\xff\xd8" + b"y" * 100_000)
    real_fsync = attachments.os.fsync

    def truncated(fd):
        with scan.open("r+b") as fh:
            fh.truncate(10)
        real_fsync(fd)

    monkeypatch.setattr(attachments.os, "fsync", truncated)
    with pytest.raises(ValidationError):
        attachments.attach(clerk, customer.id, scan)


def test_on_postgresql_every_desk_opens_every_scan(pg_url, tmp_path):
    open_database(pg_url)
    try:
        manager = auth.default_manager()
        customer = customers.create(manager, CustomerInput(name="张三"))
        data = b"%PDF-1.4 " + bytes(range(256)) * 200
        scan = tmp_path / "合同.pdf"
        scan.write_bytes(data)
        attachments.attach(manager, customer.id, scan, "contract")
        # Another desk: its own data folder has never seen the file.
        shutil.rmtree(attachments.subfolder("attachments"))
        path = attachments.list_for(customer.id)[0].path
        assert path.suffix == ".pdf" and path.read_bytes() == data
    finally:
        close_database()


def table_columns(database) -> dict[str, list[tuple]]:
    from csoffice.db.models import ALL_MODELS

    return {
        m._meta.table_name: sorted(
            (c.name, c.data_type.lower(), c.null) for c in database.get_columns(m._meta.table_name)
        )
        for m in ALL_MODELS
    }


def test_release_0_1_0_upgrades_through_migration_5(tmp_path):
    from csoffice.backup_file import schema_problems
    from csoffice.checks import run_checks
    from csoffice.db.migrations import LATEST, current_version

    old = tmp_path / "release-0.1.0.db"
    shutil.copy(ROOT / "tests" / "fixtures" / "release-0.1.0.db", old)
    open_database(old)
    try:
        assert current_version(db.obj) == LATEST
        assert not schema_problems(db.obj)
        upgraded = table_columns(db.obj)
        assert run_checks().ok
    finally:
        close_database()
    open_database(tmp_path / "fresh.sqlite3")
    try:
        assert table_columns(db.obj) == upgraded
    finally:
        close_database()
    assert list(tmp_path.glob("release-0.1.0.v1-*.bak.db"))  # the upgrade backed it up first


def test_migration_5_on_postgresql_equals_the_models(pg_url, monkeypatch):
    open_database(pg_url)
    try:
        fresh = table_columns(db.obj)
        db.obj.execute_sql('DROP TABLE "attachment_blob"')
        db.obj.execute_sql('ALTER TABLE "audit_log" DROP COLUMN "origin"')
        db.obj.execute_sql(
            f"UPDATE schema_version SET version = {migrations_through(monkeypatch, 5)}"
        )
    finally:
        close_database()
    open_database(pg_url)
    try:
        assert table_columns(db.obj) == fresh
        defaults = db.obj.execute_sql(
            "SELECT column_default FROM information_schema.columns "
            "WHERE table_name = 'audit_log' AND column_name = 'origin'"
        ).fetchone()
        assert defaults[0].startswith("''")
    finally:
        close_database()


def test_clerk_backup_from_the_menu_goes_into_the_backup_folder(clerk):
    from csoffice import backup

    made = backup.backup_to(clerk, backup.clerk_backup_path())
    assert made.parent == backup.backup_folder()
    with pytest.raises(PermissionDenied):
        backup.backup_to(clerk, Path("/tmp") / "elsewhere.sqlite3")


def test_migrate_to_postgresql_takes_the_scans_along(pg_url, tmp_path, private_home):
    path = tmp_path / "office.sqlite3"
    open_database(path)
    manager = auth.default_manager()
    customer = customers.create(manager, CustomerInput(name="张三"))
    scan = tmp_path / "发票.jpg"
    scan.write_bytes(b"\xff\xd8\xff" + bytes(range(256)) * 50)
    attachments.attach(manager, customer.id, scan, "invoice")
    close_database()
    result = run_cli("--db", str(path), "migrate-to", pg_url, home=private_home)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "OK " in result.stdout and "1 → 1" in result.stdout
    shutil.rmtree(attachments.subfolder("attachments"))  # another desk
    open_database(pg_url)
    try:
        opened = attachments.list_for(customer.id)[0].path
        assert opened.suffix == ".jpg" and opened.read_bytes() == scan.read_bytes()
        rows = AuditLog.select().where(AuditLog.action == "migrate_to").count()
        assert rows == 1
    finally:
        close_database()


def test_init_signs_its_rows_as_the_command_line_too(tmp_path):
    path = tmp_path / "office.sqlite3"
    run_cli("--db", str(path), "init", home=tmp_path / "home", check=True)
    con = sqlite3.connect(path)
    rows = con.execute("SELECT staff_id, origin FROM audit_log").fetchall()
    con.close()
    assert rows and all(staff is None and origin.startswith("cli:") for staff, origin in rows)
