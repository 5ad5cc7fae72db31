"""How long an office-size demo takes to make (issue #23: `demo --customers 100000 --months 12`
≤ 60 s on SQLite and on PostgreSQL), run as a person runs it: the command line, wall time.

    python bench/demo.py [--customers 100000] [--months 12] [--pg URL_OF_AN_EMPTY_DATABASE]

The PostgreSQL run needs a database of its own that may be emptied (its public schema is
dropped first): --pg, or the BENCH_PG_URL variable. Figures are printed as ratios to the
60 s target and to the baseline measured before this work (PostgreSQL 120–315 s for the same
command, issue #23's last session; SQLite then already met the target).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 60.0
BASELINE_PG = (120.0, 315.0)  # seconds, the last session's PostgreSQL runs of 100,000 × 12


def run_demo(url: str, customers: int, months: int, home: Path) -> float:
    """Seconds the command takes, from start to exit."""
    start = time.perf_counter()
    command = ["--db", url, "demo", "--customers", str(customers), "--months", str(months)]
    subprocess.run(
        [sys.executable, "-m", "csoffice", *command],
        cwd=ROOT,
        check=True,
        capture_output=True,
        env={**os.environ, "CSOFFICE_HOME": str(home)},
    )
    return time.perf_counter() - start


def empty_postgresql(url: str) -> None:
    import psycopg2

    connection = psycopg2.connect(url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public")
    connection.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--pg", default=os.environ.get("BENCH_PG_URL", ""))
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="csoffice-bench-demo-"))
    size = f"{args.customers:,} customers × {args.months} months"
    seconds = run_demo(str(folder / "demo.sqlite3"), args.customers, args.months, folder)
    print(f"demo {size}, SQLite: {seconds:.1f} s, ratio {seconds / TARGET:.2f} to the 60 s target")
    if not args.pg:
        print("demo on PostgreSQL: skipped (give --pg or BENCH_PG_URL, an empty database)")
        return
    empty_postgresql(args.pg)
    seconds = run_demo(args.pg, args.customers, args.months, folder)
    low, high = BASELINE_PG
    print(
        f"demo {size}, PostgreSQL: {seconds:.1f} s, ratio {seconds / TARGET:.2f} to the 60 s"
        f" target, {seconds / low:.2f}–{seconds / high:.2f} of the baseline {low:.0f}–{high:.0f} s"
    )


if __name__ == "__main__":
    main()
