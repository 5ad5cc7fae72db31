"""Sheets in and out on 100,000 customers (issues #17 and #23), measured in one run.

Prints, each beside its named baseline, wall seconds and, beside them, the CPU seconds the
work took (this process's, or the child's for the XLSX import): on a shared machine the wall
figures follow the load (printed too), the CPU figures and their ratios much less.
Each figure:
- CSV import end to end (read, check, write) against the floor of the work it must do anyway:
  the pinyin of every name and the customer + search-key inserts, done the fastest plain way:
  sqlite3 executemany in one transaction, the tables' indexes dropped before and built after
  ("floor"). Targets: ≤ 4 s and ≤ 2× the floor.
- XLSX import end to end, and its peak memory (in a child process; VmHWM). Targets: ≤ 10 s,
  ≤ 300 MB. Baseline: the CSV import of the same rows.
- Export of the 100,000 customers to XLSX against the same export to CSV. Target: ≤ 10 s.

Run: .venv/bin/python bench/transfer.py [--customers N]
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("CSOFFICE_HOME", tempfile.mkdtemp(prefix="csoffice-bench-"))

from csoffice import auth, customers, pinyin  # noqa: E402
from csoffice.customer_import import ImportPlan, run_import  # noqa: E402
from csoffice.db import search  # noqa: E402
from csoffice.db.database import close_database, open_database  # noqa: E402
from csoffice.pinyin import full_and_initials  # noqa: E402


def cold_caches() -> None:
    """Each measured run works its pinyin and keys out from nothing (pypinyin's own import,
    once per process, is left out of both)."""
    import pypinyin  # noqa: F401

    for cached in (
        pinyin._char_syllable,
        pinyin._full_and_initials,
        search._name_keys,
        search._company_keys,
    ):
        cached.cache_clear()


def floor_seconds(sheet: Path, folder: Path) -> tuple[float, float]:
    """Pinyin and search keys of every row plus plain executemany inserts of the customers and
    their keys into a fresh database made by csoffice (same schema and indexes)."""
    path = folder / "floor.sqlite3"
    open_database(path)
    auth.default_manager()
    close_database()
    with sheet.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))[1:]
    connection = sqlite3.connect(path)
    # The pragmas csoffice writes an import with, so the floor differs only in the work.
    for pragma in ("synchronous = NORMAL", "foreign_keys = ON", "cache_size = -32768"):
        connection.execute(f"PRAGMA {pragma}")
    cold_caches()
    start, cpu = time.perf_counter(), time.process_time()
    customers_rows, key_rows = [], []
    for number, (name, mobile, ident, company, address) in enumerate(rows, start=1):
        fulls, initials = full_and_initials(name)
        customers_rows.append(
            (number, name, mobile, ident, company, address, " ".join(fulls), " ".join(initials))
        )
        sort_key = " ".join(fulls)  # the customer list's order, as the import writes it
        for key in search.keys_from(name, company, (mobile, ""), ident, fulls, initials):
            key_rows.append((key, number, sort_key))
    with connection:
        # The fastest plain load into a fresh archive: indexes built once, after the rows.
        indexes = connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            " AND sql NOT LIKE 'CREATE UNIQUE%' AND tbl_name IN ('customer', 'customer_search_key')"
        ).fetchall()
        for name, _sql in indexes:
            connection.execute(f'DROP INDEX "{name}"')
        connection.executemany(
            "INSERT INTO customer (id, name, kind, mobile, phone2, id_type, id_number, gender,"
            " email, address, company, customer_class, source, tags, interests, notes,"
            " name_pinyin, name_initials, status, version, created_at, updated_at)"
            " VALUES (?, ?, 'individual', ?, '', 'resident_id', ?, '', '', ?, ?, 'ordinary',"
            " '', '', '', '', ?, ?, 'active', 1, '2026-01-01', '2026-01-01')",
            [(i, n, m, d, a, c, p, s) for i, n, m, d, c, a, p, s in customers_rows],
        )
        connection.executemany(
            "INSERT INTO customer_search_key (key, customer_id, sort_key) VALUES (?, ?, ?)",
            key_rows,
        )
        for _name, sql in indexes:
            connection.execute(sql)
    took = (time.perf_counter() - start, time.process_time() - cpu)
    connection.close()
    return took


def import_seconds(sheet: Path, db_path: Path) -> tuple[tuple[float, float], int]:
    """(wall, CPU) seconds of the import as the command line runs it, and the rows created."""
    open_database(db_path)
    manager = auth.default_manager()
    cold_caches()
    start, cpu = time.perf_counter(), time.process_time()
    # As the command line imports: rows let go once read.
    result = run_import(manager, ImportPlan.read(sheet), skip_invalid=True, consume=True)
    took = (time.perf_counter() - start, time.process_time() - cpu)
    close_database()
    return took, result.created


def peak_memory_mb() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: a child's ru_maxrss starts
    from its parent's size at fork (Linux keeps it across exec)."""
    try:
        status = Path("/proc/self/status").read_text()
        return int(status.split("VmHWM:")[1].split()[0]) / 1024
    except (OSError, IndexError, ValueError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_xlsx(sheet: str, db_path: str) -> None:
    (took, cpu), created = import_seconds(Path(sheet), Path(db_path))
    peak_mb = peak_memory_mb()
    print(f"{took} {cpu} {created} {peak_mb}")


def to_xlsx(sheet: Path, target: Path) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    out = book.create_sheet("客户")
    with sheet.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.reader(fh):
            out.append(row)
    book.save(target)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--child-xlsx", nargs=2, metavar=("SHEET", "DB"))
    args = parser.parse_args()
    if args.child_xlsx:
        child_xlsx(*args.child_xlsx)
        return
    from bench.customers import make_sheet  # Faker: only here, not in the measured child

    folder = Path(tempfile.mkdtemp(prefix="csoffice-bench-"))
    sheet = folder / "customers.csv"
    make_sheet(sheet, args.customers)

    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    floor, floor_cpu = floor_seconds(sheet, folder)
    (csv_took, csv_cpu), created = import_seconds(sheet, folder / "csv.sqlite3")
    print(
        f"CSV import of {created:,} rows, end to end: {csv_took:.2f} s (target ≤ 4 s); "
        f"floor (pinyin + inserts) {floor:.2f} s; ratio {csv_took / floor:.2f} (target ≤ 2); "
        f"CPU {csv_cpu:.2f} s against the floor's {floor_cpu:.2f} s, ratio {csv_cpu / floor_cpu:.2f}"
    )

    workbook = folder / "customers.xlsx"
    to_xlsx(sheet, workbook)
    child = subprocess.run(
        [sys.executable, __file__, "--child-xlsx", str(workbook), str(folder / "xlsx.sqlite3")],
        check=True,
        capture_output=True,
        text=True,
        env=dict(os.environ, CSOFFICE_HOME=str(folder / "home")),
    )
    xlsx_took, xlsx_cpu, xlsx_created, peak = child.stdout.split()[-4:]
    xlsx_took, xlsx_cpu, peak = float(xlsx_took), float(xlsx_cpu), float(peak)
    print(
        f"XLSX import of {int(xlsx_created):,} rows, end to end: {xlsx_took:.2f} s (target ≤ 10 s),"
        f" peak memory {peak:.0f} MB (target ≤ 300 MB); ratio to the CSV import"
        f" {xlsx_took / csv_took:.2f}; CPU {xlsx_cpu:.2f} s, ratio {xlsx_cpu / csv_cpu:.2f}"
    )

    open_database(folder / "csv.sqlite3")
    manager = auth.default_manager()
    start, cpu = time.perf_counter(), time.process_time()
    customers.export(manager, folder / "out.csv")
    csv_export, csv_export_cpu = time.perf_counter() - start, time.process_time() - cpu
    start, cpu = time.perf_counter(), time.process_time()
    exported = customers.export(manager, folder / "out.xlsx")
    xlsx_export, xlsx_export_cpu = time.perf_counter() - start, time.process_time() - cpu
    close_database()
    print(
        f"export of {exported:,} customers to XLSX: {xlsx_export:.2f} s (target ≤ 10 s); "
        f"to CSV {csv_export:.2f} s; ratio {xlsx_export / csv_export:.2f}; "
        f"CPU {xlsx_export_cpu:.2f} s against {csv_export_cpu:.2f} s"
    )
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
