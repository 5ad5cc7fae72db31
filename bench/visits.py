"""Return-visit figures over 100,000 customers with three years of service events (about 300,000
events, 200,000 visits): the rules' scheduling run (the first, and the repeat that runs at every
start and board refresh), the due list, and the whole Today board.
Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/visits.py"""

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
os.environ.setdefault("CSOFFICE_HOME", tempfile.mkdtemp())

CUSTOMERS = 100_000
YEARS = 3


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def timed(work, repeat: int = 5) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        samples.append(time.perf_counter() - started)
    return median_ms(samples)


def fill(actor_id: int, today: dt.date) -> int:
    """Customers and their events straight into the tables (the bench measures the rules)."""
    from csoffice.db.database import db
    from csoffice.db.models import Customer, ServiceEvent

    rng = random.Random(3)
    stamp = dt.datetime.now().replace(microsecond=0)
    with db.atomic():
        for start in range(0, CUSTOMERS, 1000):
            Customer.insert_many(
                [
                    dict(name=f"客户{n}", mobile=f"138{n:08d}", created_at=stamp, updated_at=stamp)
                    for n in range(start, start + 1000)
                ]
            ).execute()
    ids = [c for (c,) in Customer.select(Customer.id).tuples()]
    rows = []
    for customer_id in ids:
        bought = today - dt.timedelta(days=rng.randrange(0, 365 * YEARS))
        for kind, date in (
            ("purchase", bought),
            ("delivery", bought + dt.timedelta(days=rng.randrange(0, 10))),
            ("repair", bought + dt.timedelta(days=rng.randrange(20, 400))),
        ):
            if date <= today:
                rows.append(
                    dict(
                        customer=customer_id,
                        kind=kind,
                        date=date,
                        product="空调",
                        note="",
                        status="active",
                        created_by=actor_id,
                        updated_by=actor_id,
                        created_at=stamp,
                        updated_at=stamp,
                    )
                )
    with db.atomic():
        for start in range(0, len(rows), 1000):
            ServiceEvent.insert_many(rows[start : start + 1000]).execute()
    return len(rows)


def main() -> None:
    from csoffice import auth, today, visits
    from csoffice.db.database import open_database
    from csoffice.db.models import ReturnVisit

    folder = Path(tempfile.mkdtemp())
    open_database(folder / "bench.sqlite3")
    actor = auth.default_manager()
    day = dt.date.today()
    events = fill(actor.id, day)
    print(f"{CUSTOMERS:,} customers, {events:,} service events over {YEARS} years")

    started = time.perf_counter()
    created = visits.schedule_due_visits(actor, day, lookback_days=365 * YEARS + 400)
    print(
        f"first scheduling over the whole history: {created:,} visits in "
        f"{time.perf_counter() - started:.1f} s"
    )
    # Leave the old ones done, as a desk would have: only the last few weeks stay due.
    ReturnVisit.update(
        status="done", reached=True, satisfaction=4, done_at=dt.datetime.now()
    ).where(ReturnVisit.due_on < day - dt.timedelta(days=20)).execute()

    repeat = timed(lambda: visits.schedule_due_visits(actor, day))
    print(f"scheduling again (nothing new; runs at start and every board refresh): {repeat:.1f} ms")
    next_day = timed(lambda: visits.schedule_due_visits(actor, day + dt.timedelta(days=1)), 1)
    print(f"scheduling the next day's calls: {next_day:.1f} ms")

    ids = visits.due_ids(day + dt.timedelta(days=1))
    due = timed(lambda: visits.due_ids(day))
    page = timed(lambda: visits.rows(ids[:100], day))
    print(f"due list: {len(ids):,} calls, ids in {due:.1f} ms, a page of 100 rows in {page:.1f} ms")
    board = timed(lambda: [s.items(list(s.ids[:50])) for s in today.sections(actor, day)])
    print(f"the whole Today board (counts and first pages): {board:.1f} ms")


if __name__ == "__main__":
    main()
