"""Fault injection: a full disk, a locked database, two processes writing at once (SQLite
and PostgreSQL), a database on a network share. Every fault becomes the app's own typed
error; the command line prints one line and exits non-zero; nothing is half-written."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import peewee
import pytest

from csoffice import auth, customers
from csoffice.customers import CustomerInput
from csoffice.db import errors
from csoffice.db.database import close_database, db, open_database
from csoffice.db.filesystems import filesystem_type, mounts_from_mountinfo
from csoffice.db.models import Customer
from csoffice.errors import CsofficeError
from tests.conftest import ROOT, run_cli


def write_csv(path: Path, count: int, start: int = 0) -> Path:
    lines = ["姓名,手机"] + [f"客户{start + i},139{start + i:08d}" for i in range(count)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@contextlib.contextmanager
def small_filesystem(folder: Path, size_kb: int):
    """A tmpfs of ``size_kb`` at ``folder`` (root, as on CI); None where mounting is refused."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = (
        os.geteuid() == 0
        and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(folder)],
            capture_output=True,
        ).returncode
        == 0
    )
    try:
        yield mounted
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def test_driver_errors_become_typed_errors():
    def sqlite_error(text: str, name: str = "") -> peewee.OperationalError:
        original = sqlite3.OperationalError(text)
        if name:
            original.sqlite_errorname = name
        return peewee.OperationalError(original, text)

    assert isinstance(errors.translate(sqlite_error("database is locked")), errors.DatabaseBusy)
    assert isinstance(
        errors.translate(sqlite_error("x", "SQLITE_BUSY_SNAPSHOT")), errors.DatabaseBusy
    )
    assert isinstance(errors.translate(sqlite_error("database or disk is full")), errors.DiskFull)
    assert isinstance(errors.translate(sqlite_error("disk I/O error")), errors.DiskIOError)
    assert isinstance(
        errors.translate(sqlite_error("attempt to write a readonly database")),
        errors.ReadOnlyDatabase,
    )
    assert isinstance(
        errors.translate(sqlite_error("database disk image is malformed")), errors.CorruptDatabase
    )
    unique = errors.translate(sqlite_error("UNIQUE constraint failed: staff.username"))
    assert isinstance(unique, errors.DuplicateRecord) and isinstance(unique, peewee.IntegrityError)
    assert isinstance(errors.translate(OSError(28, "No space left on device")), errors.DiskFull)
    assert errors.translate(ValueError("no")) is None
    # The message is in the user's language (the tests run in zh_CN).
    assert "磁盘" in str(errors.DiskFull())


def test_postgresql_codes_become_typed_errors():
    import psycopg2

    class Coded(psycopg2.OperationalError):
        pgcode = "53100"

    assert isinstance(errors.translate(peewee.OperationalError(Coded("x"))), errors.DiskFull)
    lost = psycopg2.OperationalError("server closed the connection unexpectedly")
    assert isinstance(errors.translate(peewee.OperationalError(lost)), errors.ConnectionLost)


def test_full_disk_during_an_import_is_one_line_and_nothing_half_written(tmp_path):
    home, folder = tmp_path / "home", tmp_path / "small"
    with small_filesystem(folder, 2048) as mounted:
        path = folder / "office.sqlite3"
        limit: list[str] = []
        if not mounted:  # no mount allowed here: cap the file size of the process instead
            limit = [
                sys.executable,
                "-c",
                "import resource,runpy,sys;"
                f"resource.setrlimit(resource.RLIMIT_FSIZE,({2048 * 1024},{2048 * 1024}));"
                "sys.argv=['csoffice']+sys.argv[1:];runpy.run_module('csoffice',run_name='__main__')",
            ]
        run_cli("--db", str(path), "init", home=home, check=True)
        before = path.stat().st_size
        assert before < 1024 * 1024
        csv = write_csv(tmp_path / "many.csv", 20_000)
        env = dict(os.environ, CSOFFICE_HOME=str(home))
        command = limit or [sys.executable, "-m", "csoffice"]
        result = subprocess.run(
            [*command, "--db", str(path), "import", "customers", str(csv)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode != 0
        assert "Traceback" not in result.stderr, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert "磁盘" in lines[0] or "读写" in lines[0]
        # The database is whole and holds none of the file's rows.
        check = sqlite3.connect(path)
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert check.execute("SELECT count(*) FROM customer").fetchone()[0] == 0
        check.close()


FILL_UP = """
import resource, sys
if sys.argv[2] != "mounted":  # no small file system to be had: cap this process's file size
    resource.setrlimit(resource.RLIMIT_FSIZE, (2048 * 1024, 2048 * 1024))
from csoffice.db import errors
from csoffice.db.database import db, open_database
from csoffice.db.models import AuditLog
open_database(sys.argv[1])
try:
    with db.atomic():
        for _ in range(10_000):
            AuditLog.create(action="x", entity="y", summary="z" * 20_000)
except (errors.DiskFull, errors.DiskIOError) as exc:
    print("refused:", type(exc).__name__)
assert AuditLog.select().count() == 0
with db.atomic():  # the connection is usable again at once
    AuditLog.create(action="x", entity="y")
print("rows:", AuditLog.select().count())
"""


def test_full_disk_raises_a_typed_error_and_the_database_recovers(tmp_path):
    folder = tmp_path / "small"
    with small_filesystem(folder, 2048) as mounted:
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                FILL_UP,
                str(folder / "office.sqlite3"),
                str(mounted and "mounted"),
            ],
            cwd=ROOT,
            env=dict(os.environ, CSOFFICE_HOME=str(tmp_path / "home")),
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert result.returncode == 0, result.stderr
    expected = "DiskFull" if mounted else "DiskIOError"  # RLIMIT_FSIZE: EFBIG, an I/O error
    assert f"refused: {expected}" in result.stdout and "rows: 1" in result.stdout


def test_a_locked_database_says_busy_in_one_line(tmp_path):
    home, path = tmp_path / "home", tmp_path / "office.sqlite3"
    run_cli("--db", str(path), "init", home=home, check=True)
    csv = write_csv(tmp_path / "few.csv", 5)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        env = dict(os.environ, CSOFFICE_HOME=str(home), CSOFFICE_WRITE_WAIT="1")
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-m", "csoffice", "--db", str(path), "import", "customers", str(csv)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert time.monotonic() - started < 30
    finally:
        holder.rollback()
        holder.close()
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "正忙" in result.stderr
    # Once the lock is gone the same command goes through.
    done = run_cli("--db", str(path), "import", "customers", str(csv), home=home)
    assert done.returncode == 0, done.stderr


def test_a_write_waits_for_the_lock_instead_of_failing(database, manager):
    path = database.path
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.8, holder.rollback)
    release.start()
    try:
        started = time.monotonic()
        customers.create(manager, CustomerInput(name="张三", mobile="13812345678"))
        assert time.monotonic() - started >= 0.5
    finally:
        release.join()
        holder.close()
    assert Customer.select().count() == 1


def test_a_write_gives_up_in_bounded_time(database, manager, monkeypatch):
    monkeypatch.setenv("CSOFFICE_WRITE_WAIT", "0.5")
    open_database(database.path)  # the shorter wait applies to new connections
    holder = sqlite3.connect(database.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        with pytest.raises(errors.DatabaseBusy):
            customers.create(auth.default_manager(), CustomerInput(name="张三"))
        assert time.monotonic() - started < 5
    finally:
        holder.rollback()
        holder.close()
    assert Customer.select().count() == 0


WRITER = """
import sys
from csoffice import auth, customers
from csoffice.db.database import open_database
open_database(sys.argv[1])
actor = auth.default_manager()
tag, count = sys.argv[2], int(sys.argv[3])
for i in range(count):
    c = customers.create(actor, customers.CustomerInput(name=f"{tag}{i}"), allow_duplicate=True)
    data = customers.to_input(c)
    data.notes = "edited"
    customers.update(actor, c.id, data, c.version)
print("done")
"""


def run_writers(url: str, home: Path, count: int) -> list[subprocess.CompletedProcess]:
    env = dict(os.environ, CSOFFICE_HOME=str(home))
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, url, tag, str(count)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("甲", "乙")
    ]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=300)
        results.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return results


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_two_processes_writing_at_once_all_saves_land(kind, tmp_path, request):
    home = tmp_path / "home"
    if kind == "sqlite":
        url = str(tmp_path / "office.sqlite3")
    else:
        url = request.getfixturevalue("pg_url")
    open_database(url)
    auth.default_manager()
    close_database()
    for result in run_writers(url, home, 150):
        assert result.returncode == 0, result.stderr
        assert "done" in result.stdout
    open_database(url)
    try:
        assert Customer.select().count() == 300
        assert Customer.select().where(Customer.notes == "edited").count() == 300
    finally:
        close_database()


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_two_imports_at_once_both_finish_or_one_says_busy(kind, tmp_path, request):
    home = tmp_path / "home"
    url = (
        str(tmp_path / "office.sqlite3") if kind == "sqlite" else request.getfixturevalue("pg_url")
    )
    run_cli("--db", url, "init", home=home, check=True)
    files = [write_csv(tmp_path / f"f{n}.csv", 400, start=n * 1000) for n in (0, 1)]
    env = dict(os.environ, CSOFFICE_HOME=str(home))
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "csoffice", "--db", url, "import", "customers", str(f)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for f in files
    ]
    outcomes = [(p.wait(timeout=300), p.stderr.read()) for p in processes]
    for p in processes:
        p.stdout.close()
        p.stderr.close()
    finished = sum(1 for status, _err in outcomes if status == 0)
    for status, err in outcomes:
        assert "Traceback" not in err
        if status != 0:
            assert len(err.strip().splitlines()) == 1 and "正忙" in err, err
    open_database(url)
    try:
        assert Customer.select().count() == 400 * finished
    finally:
        close_database()
    assert finished >= 1


def test_mount_table_is_read_for_the_file_system_of_a_path():
    table = (
        "22 1 8:1 / / rw - ext4 /dev/sda1 rw\n"
        "40 22 0:50 / /mnt/office\\040share rw - cifs //server/share rw\n"
        "41 22 0:51 / /srv/nfs rw - nfs4 server:/x rw\n"
    )
    assert ("/mnt/office share", "cifs") in mounts_from_mountinfo(table)
    assert filesystem_type(Path("/mnt/office share/csoffice.sqlite3"), table) == "cifs"
    assert filesystem_type(Path("/srv/nfs/a/b.sqlite3"), table) == "nfs4"
    assert filesystem_type(Path("/home/x.sqlite3"), table) == "ext4"
    assert filesystem_type(Path("/srv/nfsx/b.sqlite3"), table) == "ext4"


def test_a_database_on_a_network_share_is_refused_with_a_pointer_to_postgresql(
    tmp_path, monkeypatch
):
    from csoffice.db import database

    monkeypatch.setattr(database, "network_filesystem", lambda path: "cifs")
    with pytest.raises(errors.NetworkShareRefused) as refused:
        open_database(tmp_path / "office.sqlite3")
    assert "PostgreSQL" in str(refused.value) and "cifs" in str(refused.value)
    assert not (tmp_path / "office.sqlite3").exists()


def test_a_local_folder_is_not_taken_for_a_share(tmp_path):
    """The live mount table of this machine: the test folder is on a local disk."""
    from csoffice.db.filesystems import network_filesystem

    assert network_filesystem(tmp_path) == ""


def terminate_my_backend(url: str) -> None:
    """What a server restart or a dropped network does to this desk's connection."""
    import psycopg2

    pid = db.obj.connection().get_backend_pid()
    other = psycopg2.connect(url)
    other.autocommit = True
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", (pid,))
    other.close()


def test_a_lost_postgresql_connection_is_said_plainly_and_reopened(pg_url):
    open_database(pg_url)
    try:
        manager = auth.default_manager()
        customers.create(manager, CustomerInput(name="张三"))
        terminate_my_backend(pg_url)
        # Outside a transaction the statement is simply tried again on a new connection.
        assert Customer.select().count() == 1
        terminate_my_backend(pg_url)
        customers.create(manager, CustomerInput(name="李四"))  # BEGIN on a new connection
        # Lost in the middle of a transaction: said plainly, nothing of it kept.
        with pytest.raises(errors.ConnectionLost) as lost, db.atomic():
            Customer.create(name="王五")
            terminate_my_backend(pg_url)
            Customer.create(name="赵六")
        assert "连接已断开" in str(lost.value)
        # The next action opens a new connection.
        customers.create(manager, CustomerInput(name="钱七"))
        assert sorted(c.name for c in Customer.select()) == ["张三", "李四", "钱七"]
    finally:
        close_database()


def test_a_backup_onto_a_full_disk_names_that_disk_and_leaves_nothing(manager, tmp_path):
    from csoffice import backup

    for n in range(300):
        customers.create(manager, CustomerInput(name=f"客户{n}", notes="备注" * 200))
    stick = tmp_path / "usb"
    with small_filesystem(stick, 256) as mounted:
        if not mounted:
            pytest.skip("needs root to mount a small file system (CI runs as root)")
        with pytest.raises(CsofficeError) as refused:
            backup.backup_to(manager, stick / "copy.sqlite3")
        assert "已满" in str(refused.value) and str(stick) in str(refused.value)
        assert list(stick.iterdir()) == []  # no partial file left behind
    customers.create(manager, CustomerInput(name="之后"))  # the live database is untouched


def test_a_windows_unc_path_is_a_network_share():
    from csoffice.db.filesystems import _windows_remote

    assert _windows_remote(Path("//fileserver/office/csoffice.sqlite3")) == "SMB"
