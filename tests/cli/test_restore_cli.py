"""`backup --out FILE` and `restore FILE` on the command line; `check` exits non-zero on a
broken row."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.conftest import run_cli


def customer_names(path: Path) -> list[str]:
    with sqlite3.connect(path) as con:
        found = sorted(row[0] for row in con.execute("SELECT name FROM customer"))
    con.close()
    return found


def add_customer(path: Path, name: str) -> None:
    """Through the domain, as a desk would; the database is closed again for the command."""
    from csoffice import auth, customers
    from csoffice.db.database import close_database, open_database

    open_database(path)
    customers.create(auth.default_manager(), customers.CustomerInput(name=name))
    close_database()


def test_backup_then_restore(tmp_path):
    home, db = tmp_path / "home", tmp_path / "office.sqlite3"
    run_cli("--db", str(db), "init", home=home, check=True)
    add_customer(db, "张三")
    copy = tmp_path / "copy.sqlite3"
    result = run_cli("--db", str(db), "backup", "--out", str(copy), home=home)
    assert result.returncode == 0 and str(copy) in result.stdout
    add_customer(db, "李四")
    result = run_cli("--db", str(db), "restore", str(copy), home=home)
    assert result.returncode == 0, result.stderr
    assert "已恢复" in result.stdout
    assert customer_names(db) == ["张三"]
    safety = list((home / "data" / "backups").glob("csoffice-before-restore-*.sqlite3"))
    assert len(safety) == 1 and customer_names(safety[0]) == ["张三", "李四"]
    assert run_cli("--db", str(db), "check", home=home).returncode == 0


def test_restore_refuses_a_corrupted_file_in_one_line(tmp_path):
    home, db = tmp_path / "home", tmp_path / "office.sqlite3"
    run_cli("--db", str(db), "init", home=home, check=True)
    add_customer(db, "张三")
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 40)
    result = run_cli("--db", str(db), "restore", str(bad), home=home)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert "bad.sqlite3" in result.stderr and "已损坏" in result.stderr
    assert customer_names(db) == ["张三"]
    missing = run_cli("--db", str(db), "restore", str(tmp_path / "nope.sqlite3"), home=home)
    assert missing.returncode == 1 and "不存在" in missing.stderr


def test_restore_over_a_database_that_no_longer_opens(tmp_path):
    home, db = tmp_path / "home", tmp_path / "office.sqlite3"
    run_cli("--db", str(db), "init", home=home, check=True)
    add_customer(db, "张三")
    copy = tmp_path / "copy.sqlite3"
    run_cli("--db", str(db), "backup", "--out", str(copy), home=home, check=True)
    db.write_bytes(b"\x00ruined" * 1000)
    result = run_cli("--db", str(db), "restore", str(copy), home=home)
    assert result.returncode == 0, result.stderr
    assert customer_names(db) == ["张三"]
    assert list(tmp_path.glob("office.sqlite3.damaged-*"))


def test_check_fails_on_a_broken_row(tmp_path):
    home, db = tmp_path / "home", tmp_path / "office.sqlite3"
    run_cli("--db", str(db), "init", home=home, check=True)
    assert run_cli("--db", str(db), "check", home=home).returncode == 0
    from csoffice import auth, complaints
    from csoffice.db.database import close_database, open_database

    open_database(db)
    made = complaints.create(
        auth.default_manager(),
        complaints.ComplaintInput(contact_name="张三", category="quality", facts="坏了"),
    )
    close_database()
    with sqlite3.connect(db) as con:  # its first responder now points nowhere
        con.execute("PRAGMA foreign_keys = OFF")
        con.execute("UPDATE complaint SET receiver_id = 999 WHERE id = ?", (made.id,))
    con.close()
    result = run_cli("--db", str(db), "check", home=home)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert "ERR" in result.stdout and "complaint" in result.stdout
