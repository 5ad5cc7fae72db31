"""The desk's rhythm (issue 20) over 10,000 customers with a year of events: the rules'
scheduling run and the Today board under the rulebook's rules (window ends, conditions, a
repeating key-customer call, the paper file, the responsible staff's customers), measured in
the same run against the baseline of the first release's five unconditional rules.
Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/desk_rhythm.py"""

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

CUSTOMERS = 10_000
FIRST_RELEASE_RULES = {
    "7dc": {"events": ["delivery", "purchase"], "days": 7},
    "3dc": {"events": ["repair"], "days": 3},
    "1m": {"events": ["purchase"], "months": 1},
    "1y": {"events": ["purchase"], "months": 12},
    "complaint": {"days": 3},
}


def timed(work, repeat: int = 5) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def fill(actor_id: int, staff_ids: list[int], today: dt.date) -> None:
    from csoffice.db.database import db
    from csoffice.db.models import Customer, ServiceEvent

    rng = random.Random(20)
    stamp = dt.datetime.now().replace(microsecond=0)
    classes = ["ordinary"] * 8 + ["vip", "new"]
    sources = ["到店", "二级网点", "电话"]
    with db.atomic():
        for start in range(0, CUSTOMERS, 1000):
            Customer.insert_many(
                [
                    dict(
                        name=f"客户{n}",
                        mobile=f"138{n:08d}",
                        customer_class=rng.choice(classes),
                        source=rng.choice(sources),
                        responsible=rng.choice(staff_ids),
                        created_at=stamp,
                        updated_at=stamp,
                    )
                    for n in range(start, start + 1000)
                ]
            ).execute()
    rows = []
    for (customer_id,) in Customer.select(Customer.id).tuples():
        bought = today - dt.timedelta(days=rng.randrange(0, 365))
        for kind, date, amount in (
            ("purchase", bought, None),
            ("delivery", bought + dt.timedelta(days=rng.randrange(0, 10)), None),
            (
                "repair",
                bought + dt.timedelta(days=rng.randrange(20, 300)),
                rng.randrange(100, 9000),
            ),
        ):
            if date <= today:
                rows.append(
                    dict(
                        customer=customer_id,
                        kind=kind,
                        date=date,
                        amount=amount,
                        product="轿车",
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


def run(label: str, actor, day: dt.date) -> tuple[float, float, float]:
    from csoffice import today, visits
    from csoffice.db.models import ReturnVisit

    ReturnVisit.delete().execute()
    started = time.perf_counter()
    visits.schedule_due_visits(actor, day, lookback_days=400)
    first = (time.perf_counter() - started) * 1000
    again = timed(lambda: visits.schedule_due_visits(actor, day))
    board = timed(lambda: [s.items(list(s.ids[:50])) for s in today.sections(actor, day)], 3)
    print(
        f"{label}: first scheduling {first:.0f} ms ({ReturnVisit.select().count():,} calls), "
        f"again {again:.1f} ms, Today board {board:.0f} ms"
    )
    return first, again, board


def main() -> None:
    from csoffice import auth, paper_file, settings
    from csoffice.db.database import open_database

    open_database(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    actor = auth.default_manager()
    seller = auth.create_staff(actor, "sales", "业务员", auth.Role.CLERK, password="secret123")
    day = dt.date.today()
    fill(actor.id, [actor.id, seller.id], day)
    print(f"{CUSTOMERS:,} customers with a year of purchases, deliveries and repairs")
    settings.put(actor, {"visits.rules": FIRST_RELEASE_RULES})
    base = run("baseline, the first release's rules", actor, day)
    settings.put(actor, {"visits.rules": settings.DEFAULTS["visits.rules"]})
    settings.put(actor, {"papers.checklist": paper_file.preset("dealer")})
    ours = run("the rulebook's rules, dealer checklist", actor, day)
    names = ("first scheduling", "scheduling again", "Today board")
    print(
        "ratios to the baseline: "
        + ", ".join(f"{n} {o / b:.2f}" for n, o, b in zip(names, ours, base, strict=True))
    )
    replan = timed(lambda: __import__("csoffice").visits.replan(actor, day), 3)
    print(f"re-planning the open calls after a rule change: {replan:.0f} ms")
    from csoffice import care, today

    repairs = timed(lambda: paper_file.repairs_owed(day), 3)
    owed = len(paper_file.repairs_owed(day))
    ahead = care.festivals_ahead(day, 400)[0].day - dt.timedelta(days=7)  # one in the window
    festivals = timed(lambda: today.festival_ids(ahead), 3)
    print(
        f"of the Today board: repair papers owed {repairs:.1f} ms ({owed:,} repairs of the last "
        f"month), festivals {festivals:.1f} ms; {(repairs + festivals) / ours[2]:.2f} of the board"
    )


if __name__ == "__main__":
    main()
