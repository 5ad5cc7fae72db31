"""Two desks saving customers at full speed into one SQLite file: saves refused and saves per
second, with every transaction BEGIN IMMEDIATE (now) against the named baseline "deferred"
(the previous release's plain BEGIN, which reads first and then fails to upgrade its lock).

Run: .venv/bin/python bench/two_desks.py [--saves N]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

DESK = """
import sys, time
import peewee
from csoffice import auth, customers
from csoffice.db import database
from csoffice.db.database import open_database
if sys.argv[2] == "deferred":  # the baseline: the previous release's plain BEGIN
    database.OfficeSqliteDatabase.begin = lambda self, lock_type=None: self.cursor().execute("BEGIN")
open_database(sys.argv[1])
actor = auth.default_manager()
first, count = int(sys.argv[3]), int(sys.argv[4])
refused = 0
start = time.perf_counter()
for n in range(count):
    customer_id = first + n % 100
    try:
        current = customers.get(customer_id)
        data = customers.to_input(current)
        data.notes = f"desk {sys.argv[3]} save {n}"
        customers.update(actor, customer_id, data, current.version)
    except Exception:
        refused += 1
print(refused, time.perf_counter() - start)
"""


def run(mode: str, path: Path, saves: int) -> tuple[int, float]:
    env = dict(os.environ, CSOFFICE_HOME=str(path.parent / "home"))
    desks = [
        subprocess.Popen(
            [sys.executable, "-c", DESK, str(path), mode, str(first), str(saves)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for first in (1, 101)
    ]
    refused, seconds = 0, 0.0
    for desk in desks:
        out, _err = desk.communicate(timeout=600)
        got, took = out.split()
        refused, seconds = refused + int(got), max(seconds, float(took))
    return refused, seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--saves", type=int, default=1500, help="saves per desk")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    folder = Path(tempfile.mkdtemp(prefix="csoffice-desks-"))
    os.environ["CSOFFICE_HOME"] = str(folder / "home")
    from csoffice import auth, customers
    from csoffice.db.database import close_database, open_database

    path = folder / "office.sqlite3"
    open_database(path)
    manager = auth.default_manager()
    for n in range(200):
        customers.create(manager, customers.CustomerInput(name=f"客户{n:03d}"))
    close_database()
    total = 2 * args.saves
    figures = {}
    for mode in ("deferred", "immediate"):
        refused, seconds = run(mode, path, args.saves)
        figures[mode] = (refused, seconds)
        print(
            f"{mode:9}: {refused} of {total} saves refused, "
            f"{(total - refused) / seconds:.0f} saves/s landed"
        )
    base, now = figures["deferred"], figures["immediate"]
    base_rate = (total - base[0]) / base[1]
    now_rate = (total - now[0]) / now[1]
    print(
        f"refused: {now[0]} vs baseline 'deferred' {base[0]}; "
        f"landed saves/s ratio immediate/deferred {now_rate / base_rate:.2f}"
    )


if __name__ == "__main__":
    main()
