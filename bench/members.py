"""Member-card speed: card lookup among 100,000 members (≤ 20 ms) and the balance of a card
with 10,000 ledger rows (≤ 10 ms). Prints the figures; run with ``python bench/members.py``."""

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

MEMBERS = 100_000
LEDGER_ROWS = 10_000


def timed(work, repeat: int = 200) -> tuple[float, float]:
    """Median and worst time of ``work()`` in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    from csoffice import auth, customers, members
    from csoffice.db import search
    from csoffice.db.database import db, open_database
    from csoffice.db.models import Customer, MemberCard, PointsEntry
    from csoffice.validation import luhn_digit

    folder = Path(tempfile.mkdtemp())
    open_database(folder / "bench.sqlite3")
    manager = auth.default_manager()
    members.ensure_levels(manager)
    level = members.level_for(0)
    rng = random.Random(7)
    started = time.perf_counter()
    with db.atomic():
        rows = [
            dict(
                name=f"会员{n:06d}",
                name_pinyin=f"hui yuan {n}",
                name_initials="hy",
                mobile=f"139{n:08d}",
                created_by=manager.id,
                updated_by=manager.id,
            )
            for n in range(MEMBERS)
        ]
        for start in range(0, MEMBERS, 1000):
            Customer.insert_many(rows[start : start + 1000]).execute()
        ids = [row[0] for row in Customer.select(Customer.id).order_by(Customer.id).tuples()]
        numbers = []
        cards = []
        for sequence, customer_id in enumerate(ids, start=1):
            body = f"8800{sequence:06d}"
            numbers.append(body + luhn_digit(body))
            cards.append(
                dict(
                    card_no=numbers[-1],
                    customer=customer_id,
                    level=level.id,
                    issued_on=dt.date(2026, 1, 1),
                    created_by=manager.id,
                    updated_by=manager.id,
                )
            )
        for start in range(0, MEMBERS, 1000):
            MemberCard.insert_many(cards[start : start + 1000]).execute()
    search.rebuild_all()  # the archive search keys, as after an import
    print(f"set-up: {MEMBERS:,} members with cards in {time.perf_counter() - started:.1f} s")

    sample = rng.sample(numbers, 200)
    iterator = iter(sample * 2)
    median, worst = timed(lambda: members.find_card(next(iterator)), repeat=200)
    print(
        f"card lookup by number ({MEMBERS:,} cards): median {median:.2f} ms, worst {worst:.2f} ms (limit 20 ms)"
    )

    iterator = iter(sample * 2)
    median, worst = timed(
        lambda: customers.search_ids(customers.SearchFilter(text=next(iterator)), limit=12),
        repeat=200,
    )
    print(
        f"look-up box (archive search on a card number): median {median:.2f} ms, worst {worst:.2f} ms (limit 20 ms)"
    )

    iterator = iter(sample * 2)
    median, worst = timed(
        lambda: members.card_view(members.find_card(next(iterator)).id), repeat=200
    )
    print(f"card panel (find + card view): median {median:.2f} ms, worst {worst:.2f} ms")

    busy = members.find_card(numbers[0])
    base = dt.datetime(2025, 1, 1, 9)
    with db.atomic():
        entries = [
            dict(
                card=busy.id,
                at=base + dt.timedelta(hours=n),
                kind="earn",
                points=rng.randint(1, 200),
                staff=manager.id,
            )
            for n in range(LEDGER_ROWS)
        ]
        for start in range(0, LEDGER_ROWS, 1000):
            PointsEntry.insert_many(entries[start : start + 1000]).execute()
        total = sum(entry["points"] for entry in entries)
        MemberCard.update(balance=total).where(MemberCard.id == busy.id).execute()
    median, worst = timed(lambda: members.ledger_balance(busy.id), repeat=200)
    print(
        f"balance from a {LEDGER_ROWS:,}-row ledger: median {median:.2f} ms, worst {worst:.2f} ms (limit 10 ms)"
    )
    median, worst = timed(lambda: members.earned_points(busy), repeat=100)
    print(
        f"points earned in 12 months over {LEDGER_ROWS:,} rows: median {median:.2f} ms, worst {worst:.2f} ms"
    )
    median, worst = timed(lambda: members.ledger_ids(busy.id), repeat=50)
    print(
        f"ledger ids for the lazy table ({LEDGER_ROWS:,} rows): median {median:.2f} ms, worst {worst:.2f} ms"
    )
    assert members.ledger_balance(busy.id) == total


if __name__ == "__main__":
    main()
