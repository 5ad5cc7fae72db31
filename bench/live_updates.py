"""How soon another desk hears a save: from the moment desk A starts its save (an upper bound:
the save's own time is counted; the NOTIFY goes out before the save returns) to the moment
desk B's listener thread has the kind, desk A in a process of its own. Figures for
PostgreSQL (LISTEN/NOTIFY) and SQLite (data_version polled every second), against the named
baseline: the 2 s the issue allows.

Run: .venv/bin/python bench/live_updates.py [--saves N]
PostgreSQL from CSOFFICE_BENCH_PG_URL or CSOFFICE_TEST_PG_URL (that database is emptied).
"""

from __future__ import annotations

import argparse
import os
import queue
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from csoffice import auth  # noqa: E402
from csoffice.changes import Change  # noqa: E402
from csoffice.db import notify  # noqa: E402
from csoffice.db.database import close_database, open_database  # noqa: E402

BASELINE_SECONDS = 2.0

DESK_A = """
import random, sys, time
from csoffice import auth, receptions
from csoffice.db.database import open_database
from csoffice.receptions import ReceptionInput
open_database(sys.argv[1])
clerk = auth.default_manager()
for n in range(int(sys.argv[2])):
    time.sleep(0.15 + random.random() * 0.2)
    print(time.time(), flush=True)
    receptions.create(clerk, ReceptionInput(caller_name=f"甲台{n}", content="咨询"))
"""


def measure(url: str, saves: int) -> list[float]:
    target = open_database(url)
    auth.default_manager()  # desk A finds the manager made, as a second desk would
    heard: queue.Queue[float] = queue.Queue()

    def deliver(kinds: frozenset[Change]) -> None:
        if Change.RECEPTION in kinds:
            heard.put(time.time())

    listener = (
        notify.PostgresListener(url, deliver)
        if target.kind == "postgresql"
        else notify.SqlitePoller(Path(url), deliver)
    )
    listener.start()
    listener.connected.wait(10)
    try:
        result = subprocess.run(
            [sys.executable, "-c", DESK_A, url, str(saves)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            check=True,
            capture_output=True,
            text=True,
        )
        time.sleep(1.5)  # the last save's poll
    finally:
        listener.stop()
        close_database()
    saved = [float(line) for line in result.stdout.split()]
    arrivals = []
    while not heard.empty():
        arrivals.append(heard.get())
    # Each save is heard once, after it began: pair each save with the first arrival after it.
    latencies = []
    for at in saved:
        later = [a for a in arrivals if a >= at]
        if later:
            latencies.append(min(later) - at)
    return latencies


def report(name: str, latencies: list[float], saves: int) -> None:
    ordered = sorted(latencies)
    median = ordered[len(ordered) // 2]
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    print(
        f"{name}: {len(latencies)}/{saves} saves heard; median {median * 1000:.0f} ms, "
        f"p95 {p95 * 1000:.0f} ms, max {ordered[-1] * 1000:.0f} ms; "
        f"ratio max/baseline {ordered[-1] / BASELINE_SECONDS:.2f} (baseline: the 2 s allowed)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--saves", type=int, default=30)
    saves = parser.parse_args().saves
    pg_url = os.environ.get("CSOFFICE_BENCH_PG_URL") or os.environ.get("CSOFFICE_TEST_PG_URL")
    if pg_url:
        sys.path.insert(0, str(ROOT / "tests"))
        from tests.conftest import reset_postgres

        reset_postgres(pg_url)
        report("PostgreSQL NOTIFY", measure(pg_url, saves), saves)
    else:
        print("PostgreSQL: skipped (set CSOFFICE_BENCH_PG_URL)")
    with tempfile.TemporaryDirectory() as folder:
        report("SQLite data_version poll", measure(str(Path(folder) / "o.sqlite3"), saves), saves)


if __name__ == "__main__":
    main()
