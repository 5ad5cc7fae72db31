"""kill -9 in the middle of an import leaves all or none of it and a database that passes
`check`; a backup taken while another connection writes is one consistent moment."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from csoffice import auth, backup, customers
from csoffice.checks import run_checks
from csoffice.customers import CustomerInput
from csoffice.db.database import close_database, open_database
from csoffice.db.models import AuditLog, Customer
from tests.conftest import ROOT

ROWS = 30_000

# The import as the command line runs it, reporting each step on stdout.
IMPORTER = """
import sys
from pathlib import Path
from csoffice import auth
from csoffice.customer_import import ImportPlan, run_import
from csoffice.db.database import open_database

open_database(sys.argv[1])
plan = ImportPlan.read(Path(sys.argv[2]))
def report(done, total):
    print(f"progress {done} {total}", flush=True)
run_import(auth.default_manager(), plan, progress=report)
print("finished", flush=True)
"""


def write_sheet(path: Path, rows: int) -> None:
    lines = ["姓名,手机,地址,备注"]
    lines += [f"客户{n:05d},138{n:08d},人民路 {n} 号,{'很长的备注' * 20}" for n in range(rows)]
    path.write_text("\n".join(lines), encoding="utf-8")


def test_kill_9_during_an_import_leaves_all_or_nothing(tmp_path, private_home):
    db_path = tmp_path / "office.sqlite3"
    open_database(db_path)
    manager = auth.default_manager()
    customers.create(manager, CustomerInput(name="老客户", mobile="13900000001"))
    close_database()
    sheet = tmp_path / "customers.csv"
    write_sheet(sheet, ROWS)
    process = subprocess.Popen(
        [sys.executable, "-c", IMPORTER, str(db_path), str(sheet)],
        cwd=ROOT,
        env={**os.environ, "CSOFFICE_HOME": str(private_home)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    killed_at = None
    for line in process.stdout:
        words = line.split()
        # The second half of the progress is the writing, inside the one transaction.
        if words[0] == "progress" and int(words[1]) > int(words[2]) // 2:
            killed_at = line.strip()
            os.kill(process.pid, signal.SIGKILL)
            break
    process.wait(timeout=60)
    process.stdout.close()
    process.stderr.close()
    assert killed_at is not None, "the import finished before it could be interrupted"
    assert process.returncode == -signal.SIGKILL

    open_database(db_path)  # as the next start would
    count = Customer.select().count()
    assert count in (1, 1 + ROWS), f"half an import survived: {count} rows ({killed_at})"
    assert count == 1  # killed before the commit: nothing of it
    assert run_checks().ok, run_checks().results
    # The desk works on, and the same import can simply be run again.
    from csoffice.customer_import import ImportPlan, run_import

    result = run_import(auth.default_manager(), ImportPlan.read(sheet))
    assert result.created == ROWS and Customer.select().count() == 1 + ROWS
    assert run_checks().ok
    close_database()


def test_backup_while_another_connection_writes_is_consistent(manager, database, tmp_path):
    for n in range(2000):  # a few megabytes, so the copy takes a while
        customers.create(manager, CustomerInput(name=f"客户{n}", notes="备注" * 200))
    stop = threading.Event()
    written = []

    def writer() -> None:
        # Another desk: each of its transactions adds a customer and that customer's audit row.
        con = sqlite3.connect(database.path, timeout=10)
        n = 0
        while not stop.is_set():
            with con:
                cur = con.execute(
                    "INSERT INTO customer (created_at, updated_at, kind, name, name_pinyin, "
                    "name_initials, gender, id_type, id_number, mobile, phone2, email, address, "
                    "company, customer_class, source, tags, interests, notes, status, version) "
                    "VALUES (datetime('now'), datetime('now'), 'individual', ?, '', '', '', '', "
                    "'', '', '', '', '', '', 'ordinary', '', '', '', '', 'active', 1)",
                    (f"并发{n}",),
                )
                con.execute(
                    "INSERT INTO audit_log (at, action, entity, entity_id, summary, changes) "
                    "VALUES (datetime('now'), 'create', 'customer', ?, 'concurrent', '')",
                    (cur.lastrowid,),
                )
            n += 1
            written.append(n)
            # A desk pauses between saves; a writer that never lets go would starve every other
            # writer's busy timeout on a loaded two-core machine, which no office produces.
            time.sleep(0.002)
        con.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 20:  # the other desk is busy
            time.sleep(0.01)
        before = len(written)
        copies = [backup.backup_to(manager, tmp_path / f"copy{i}.sqlite3") for i in range(3)]
        after = len(written)
    finally:
        stop.set()
        thread.join()
    assert after > before  # the writer went on while the copies were taken
    for copy in copies:
        con = sqlite3.connect(copy)
        try:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            concurrent = con.execute(
                "SELECT count(*) FROM customer WHERE name LIKE '并发%'"
            ).fetchone()[0]
            logged = con.execute(
                "SELECT count(*) FROM audit_log WHERE summary = 'concurrent'"
            ).fetchone()[0]
            assert concurrent == logged > 0  # never a customer without its audit row
            assert con.execute("SELECT count(*) FROM customer").fetchone()[0] >= 2000
        finally:
            con.close()
    assert AuditLog.select().where(AuditLog.action == "backup").count() == 3
