"""Appraisal figures: the facts of one person's month, opening a month's form, saving a
column of grades and printing the form, over three years of a busy desk (500,000 receptions,
60,000 complaints, 60,000 return visits, 8 people).
Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/appraisal.py"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("CSOFFICE_HOME", tempfile.mkdtemp())

RECEPTIONS, COMPLAINTS, VISITS = 500_000, 60_000, 60_000
DAYS = 3 * 365


def median_ms(work, repeat: int = 7) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def fill(staff_ids: list[int]) -> None:
    """The desk's records straight into the tables (the bench measures reading, not this)."""
    from csoffice.db.database import db
    from csoffice.db.models import Complaint, Customer, Reception, ReturnVisit

    rng = random.Random(13)
    start = dt.datetime.now().replace(microsecond=0) - dt.timedelta(days=DAYS)
    customer = Customer.create(name="张三")

    def at(index: int, count: int) -> dt.datetime:
        return start + dt.timedelta(days=DAYS) * index / count

    with db.atomic():
        rows = [
            {
                "received_at": at(i, RECEPTIONS),
                "channel": "phone",
                "category": "consult",
                "handler": rng.choice(staff_ids),
            }
            for i in range(RECEPTIONS)
        ]
        for batch in range(0, len(rows), 2000):
            Reception.insert_many(rows[batch : batch + 2000]).execute()
        rows = []
        for i in range(COMPLAINTS):
            received = at(i, COMPLAINTS)
            closed = received + dt.timedelta(hours=rng.randint(2, 200))
            rows.append(
                {
                    "number": f"TS-B-{i}",
                    "number_period": "bench",
                    "number_seq": i,
                    "received_at": received,
                    "channel": "phone",
                    "category": "quality",
                    "receiver": rng.choice(staff_ids),
                    "status": "closed",
                    "resolve_due": received + dt.timedelta(hours=72),
                    "handled_at": closed,
                    "closed_at": closed,
                    "satisfaction": rng.randint(1, 5),
                }
            )
        for batch in range(0, len(rows), 2000):
            Complaint.insert_many(rows[batch : batch + 2000]).execute()
        rows = [
            {
                "customer": customer.id,
                "kind": "manual",
                "due_on": at(i, VISITS).date(),
                "status": "done",
                "done_at": at(i, VISITS),
                "done_by": rng.choice(staff_ids),
                "reached": rng.random() < 0.8,
                "satisfaction": rng.randint(1, 5),
            }
            for i in range(VISITS)
        ]
        for batch in range(0, len(rows), 2000):
            ReturnVisit.insert_many(rows[batch : batch + 2000]).execute()
    db.execute_sql("ANALYZE")


def main() -> None:
    from csoffice import appraisal, auth
    from csoffice.appraisal.form import print_form
    from csoffice.db.database import open_database

    folder = Path(tempfile.mkdtemp())
    open_database(folder / "bench.sqlite3")
    manager = auth.default_manager()
    team = [auth.create_staff(manager, f"clerk{i}", f"员工{i}", auth.Role.CLERK) for i in range(7)]
    started = time.perf_counter()
    fill([manager.id] + [s.id for s in team])
    print(
        f"filled {RECEPTIONS:,} receptions, {COMPLAINTS:,} complaints, {VISITS:,} visits "
        f"in {time.perf_counter() - started:.1f} s"
    )

    clerk = team[0]
    period = appraisal.period_of(dt.date.today() - dt.timedelta(days=40))
    grades = {item.code: "B" for item in appraisal.current_scheme().items}
    figures = appraisal.facts(clerk.id, period)
    print(f"facts of {period}: {figures}")
    print(
        f"facts of one person's month:      {median_ms(lambda: appraisal.facts(clerk.id, period)):7.1f} ms"
    )
    print(
        f"open a month's form (view):       {median_ms(lambda: appraisal.month(clerk.id, period)):7.1f} ms"
    )
    print(
        f"save a column of 15 grades:       "
        f"{median_ms(lambda: appraisal.save_marks(manager, clerk.id, period, 'manager', grades)):7.1f} ms"
    )
    print(f"the staff list:                   {median_ms(appraisal.staff_rows):7.1f} ms")
    out = folder / "form.pdf"
    print(
        f"print the form (A4 PDF):          "
        f"{median_ms(lambda: print_form(manager, clerk.id, period, out), repeat=5):7.1f} ms"
    )


if __name__ == "__main__":
    main()
