"""Two desks, two processes, one database: each hears the other's saves within 2 s, saves
from both are all kept, and a record changed at the other desk is never overwritten unasked:
refused as it stands, or merged field by field (each desk's change kept)."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from csoffice import auth, changes, customers, live_updates, receptions
from csoffice.changes import Change
from csoffice.customers import CustomerInput
from csoffice.db.database import close_database, open_database
from csoffice.db.models import AuditLog, Customer, Reception
from csoffice.receptions import ReceptionInput

ROOT = Path(__file__).resolve().parents[2]
SAVES = 25


class OtherDesk:
    """tests/db/desk_process.py in a process of its own; its output lines in a queue."""

    def __init__(self, url: str) -> None:
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "tests" / "db" / "desk_process.py"), url],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env=env,
            cwd=ROOT,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.strip())

    def send(self, command: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()

    def expect(self, start: str, seconds: float) -> str:
        """The next line starting with ``start`` (other lines are passed over)."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                break
            if line.startswith(start):
                return line
        pytest.fail(f"the other desk did not say {start!r} within {seconds} s")

    def close(self) -> None:
        if self.process.poll() is None:
            self.send("quit")
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()


@pytest.fixture(params=["postgresql", "sqlite"])
def shared_url(request, tmp_path):
    if request.param == "postgresql":
        return request.getfixturevalue("pg_url")
    return str(tmp_path / "office.sqlite3")


def test_two_desks_hear_each_other_and_lose_nothing(shared_url):
    target = open_database(shared_url)
    manager = auth.default_manager()
    heard: queue.Queue[Change] = queue.Queue()

    def hear(kind: Change) -> None:
        if changes.is_remote():
            heard.put(kind)

    stop_hearing = changes.subscribe(hear)
    listener = live_updates.start(target)
    other = OtherDesk(shared_url)
    try:
        assert listener.connected.wait(10)
        other.expect("ready", 60)

        # Desk A saves: desk B hears the kind within 2 s.
        saved_at = time.time()
        receptions.create(manager, ReceptionInput(caller_name="甲台", content="咨询"))
        _, kind, heard_at = other.expect("heard ", 2).split()
        assert kind == Change.RECEPTION
        assert float(heard_at) - saved_at < 2

        # Both save at once: every reception of both desks is kept, and A hears B's.
        other.send(f"save {SAVES}")
        for number in range(SAVES):
            receptions.create(manager, ReceptionInput(caller_name=f"甲台{number}", content="咨询"))
        other.expect(f"saved {SAVES}", 60)
        assert heard.get(timeout=2) == Change.RECEPTION
        names = {r.caller_name for r in Reception.select(Reception.caller_name)}
        assert len(names) == Reception.select().count() == 1 + 2 * SAVES
        assert {f"乙台{n}" for n in range(SAVES)} <= names

        # Both desks opened the same customer; A saves first, B's save is refused.
        opened = customers.create(manager, CustomerInput(name="王五", mobile="13812345678"))
        customers.update(
            manager, opened.id, CustomerInput(name="王五甲", mobile="13812345678"), opened.version
        )
        other.send(f"rename {opened.id} {opened.version} 王五乙")
        other.expect("conflict", 10)
        assert Customer.get_by_id(opened.id).name == "王五甲"

        # Again, but desk B merges: A's new address stays, B's note is added, and where both
        # changed the name B keeps its own; the audit row of B's save names the merge.
        opened = customers.create(manager, CustomerInput(name="王五", mobile="13912345678"))
        theirs = CustomerInput(name="王五甲", mobile="13912345678", address="幸福路1号")
        customers.update(manager, opened.id, theirs, opened.version)
        other.send(f"merge {opened.id} {opened.version} 王五乙 乙台备注")
        assert other.expect("merged", 10) == f"merged {manager.display_name}"
        merged = Customer.get_by_id(opened.id)
        assert (merged.name, merged.address, merged.notes) == ("王五乙", "幸福路1号", "乙台备注")
        row = (
            AuditLog.select()
            .where(AuditLog.entity_id == opened.id)
            .order_by(AuditLog.id.desc())
            .get()
        )
        assert '"conflict": "merge"' in row.changes and '"theirs_kept": ["address"]' in row.changes
    finally:
        other.close()
        listener.stop()
        stop_hearing()
        close_database()
    assert other.process.returncode == 0
