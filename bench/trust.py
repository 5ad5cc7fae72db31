"""Trust figures: password hashing and log-in, backup and restore of a sizeable database, the
audit viewer's first page over a long trail, `check`.

Run: .venv/bin/python bench/trust.py [--customers N] [--audit N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("CSOFFICE_HOME", tempfile.mkdtemp(prefix="csoffice-bench-"))

from csoffice import audit_log, auth, backup, customers  # noqa: E402
from csoffice.checks import run_checks  # noqa: E402
from csoffice.customers import CustomerInput  # noqa: E402
from csoffice.db.database import db, open_database  # noqa: E402
from csoffice.db.models import AuditLog  # noqa: E402
from csoffice.db.models import now as stamp  # noqa: E402


def timed(work, repeat: int = 1) -> float:
    """Median seconds of ``repeat`` runs of ``work()``."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--audit", type=int, default=500_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="csoffice-trust-"))
    target = open_database(folder / "office.sqlite3")
    manager = auth.default_manager()

    print(
        f"scrypt hash of a password: {timed(lambda: auth.hash_password('topsecret'), 5) * 1000:.0f} ms"
    )
    auth.first_run("客服部", "李经理", "li", "topsecret", "topsecret")
    print(
        f"log-in (verify + audit row): {timed(lambda: auth.authenticate('li', 'topsecret'), 5) * 1000:.0f} ms"
    )

    customers.bulk_create(
        manager,
        [(n, CustomerInput(name=f"客户{n:06d}", notes="备注" * 30)) for n in range(args.customers)],
    )
    rows = [
        {
            "at": stamp(),
            "staff": manager.id,
            "action": "update",
            "entity": "customer",
            "entity_id": n % args.customers,
            "summary": f"客户{n:06d}",
            "changes": "",
        }
        for n in range(args.audit)
    ]
    with db.atomic():
        for start in range(0, len(rows), 5000):
            AuditLog.insert_many(rows[start : start + 5000]).execute()
    size = (folder / "office.sqlite3").stat().st_size / 2**20
    print(f"database: {args.customers} customers, {args.audit} audit rows, {size:.0f} MiB")

    copy = folder / "copy.sqlite3"
    print(f"backup (online API, checked): {timed(lambda: backup.backup_to(manager, copy)):.2f} s")
    print(
        f"restore (checks, safety copy, copy in): {timed(lambda: backup.restore_from(manager, copy, target)):.2f} s"
    )

    first_page = timed(
        lambda: audit_log.rows(
            manager, audit_log.search_ids(manager, audit_log.AuditFilter())[:100]
        ),
        3,
    )
    print(f"audit viewer, all entries, first page: {first_page * 1000:.0f} ms")
    filtered = timed(
        lambda: audit_log.rows(
            manager,
            audit_log.search_ids(
                manager, audit_log.AuditFilter(entity="customer", action="update")
            )[:100],
        ),
        3,
    )
    print(f"audit viewer, entity + action filter, first page: {filtered * 1000:.0f} ms")
    print(f"check (integrity, foreign keys, invariants): {timed(run_checks):.2f} s")


if __name__ == "__main__":
    main()
