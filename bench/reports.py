"""Report figures: the monthly service report of an office with 100,000 customers and 12 months
of records (about 15,000 receptions and 1,500 complaints a month), figures and PDF; the target
is at most 2 s. Run: .venv/bin/python bench/reports.py"""

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
MONTHS = 12
RECEPTIONS_PER_MONTH = 15_000
COMPLAINTS_PER_MONTH = 1_500
VISITS_PER_MONTH = 2_000
CARDS = 20_000
TARGET_SECONDS = 2.0


def stamp(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S")


def month_starts(today: dt.date) -> list[dt.date]:
    """The first days of the last MONTHS whole months, oldest first, and this month's."""
    first = today.replace(day=1)
    out = [first]
    for _ in range(MONTHS):
        out.insert(0, (out[0] - dt.timedelta(days=1)).replace(day=1))
    return out


def fill(staff_id: int, today: dt.date) -> dict[str, int]:
    """The records straight into the tables with bulk inserts (the bench measures the report)."""
    from csoffice.db.bulk import insert_returning_ids, insert_rows
    from csoffice.db.database import db
    from csoffice.db.models import (
        CardEvent,
        Complaint,
        Counter,
        Customer,
        Gift,
        MemberCard,
        MemberLevel,
        PointsEntry,
        Reception,
        Redemption,
        ReturnVisit,
    )

    rng = random.Random(11)
    counts: dict[str, int] = {}
    with db.atomic():
        customer_ids = insert_returning_ids(
            Customer,
            ["name", "mobile", "customer_class"],
            [(f"客户{i:06d}", f"138{i:08d}", "ordinary") for i in range(CUSTOMERS)],
        )
        counts["customers"] = len(customer_ids)
        starts = month_starts(today)
        receptions, complaints, visits = [], [], []
        categories = ["consult", "complaint", "suggestion", "repair", "order", "other"]
        channels = ["phone", "visit", "wechat", "qq", "email", "letter", "other"]
        for first in starts[:-1]:
            days = ((first + dt.timedelta(days=32)).replace(day=1) - first).days
            base = dt.datetime.combine(first, dt.time(8))
            for _ in range(RECEPTIONS_PER_MONTH):
                at = base + dt.timedelta(days=rng.randrange(days), minutes=rng.randrange(600))
                receptions.append(
                    (
                        stamp(at),
                        rng.choices(channels, [50, 20, 15, 4, 5, 2, 4])[0],
                        rng.choices(categories, [40, 10, 8, 20, 12, 10])[0],
                        rng.choice(customer_ids),
                        "咨询保养套餐价格",
                        staff_id,
                    )
                )
            period = first.strftime("%Y%m")
            for seq in range(1, COMPLAINTS_PER_MONTH + 1):
                at = base + dt.timedelta(days=rng.randrange(days), minutes=rng.randrange(600))
                closed = rng.random() < 0.9
                closed_at = at + dt.timedelta(hours=rng.uniform(2, 120)) if closed else None
                complaints.append(
                    (
                        f"TS-{period}-{seq:04d}",
                        period,
                        seq,
                        stamp(at),
                        "phone",
                        rng.choice(customer_ids),
                        "张三",
                        rng.choice(["quality", "attitude", "delivery", "billing", "repair"]),
                        rng.choices(["ordinary", "major", "group"], [85, 10, 5])[0],
                        "空调异响，售后两次上门未解决。",
                        staff_id,
                        "closed" if closed else rng.choice(["received", "in_progress", "handled"]),
                        rng.choice(["service", "sales", "aftersales", "finance"]),
                        stamp(at + dt.timedelta(hours=24)),
                        stamp(at + dt.timedelta(hours=72)),
                        stamp(at + dt.timedelta(hours=rng.uniform(0.2, 20))),
                        stamp(closed_at) if closed_at else None,
                        rng.random() < 0.6 if closed else None,
                        rng.randint(1, 5) if closed else None,
                    )
                )
            for _ in range(VISITS_PER_MONTH):
                due = first + dt.timedelta(days=rng.randrange(days))
                done = rng.random() < 0.85
                visits.append(
                    (
                        rng.choice(customer_ids),
                        rng.choice(["7dc", "3dc", "1m", "1y"]),
                        due.isoformat(),
                        "done" if done else "due",
                        rng.random() < 0.9 if done else None,
                        stamp(dt.datetime.combine(due, dt.time(10))) if done else None,
                        rng.randint(1, 5) if done else None,
                    )
                )
        insert_rows(
            Reception,
            ["received_at", "channel", "category", "customer", "content", "handler"],
            receptions,
        )
        insert_rows(
            Complaint,
            [
                "number",
                "number_period",
                "number_seq",
                "received_at",
                "channel",
                "customer",
                "contact_name",
                "category",
                "severity",
                "facts",
                "receiver",
                "status",
                "department",
                "response_due",
                "resolve_due",
                "first_response_at",
                "closed_at",
                "company_at_fault",
                "satisfaction",
            ],
            complaints,
        )
        for first in starts[:-1]:
            period = first.strftime("%Y%m")
            Counter.insert(name=f"complaint:{period}", value=COMPLAINTS_PER_MONTH).execute()
        insert_rows(
            ReturnVisit,
            ["customer", "kind", "due_on", "status", "reached", "done_at", "satisfaction"],
            visits,
        )
        counts.update(
            receptions=len(receptions), complaints=len(complaints), return_visits=len(visits)
        )

        levels = [
            MemberLevel.create(code=code, name=name, threshold=t, rank=r).id
            for r, (code, name, t) in enumerate(
                [("normal", "普通", 0), ("silver", "银卡", 1000), ("gold", "金卡", 5000)]
            )
        ]
        gift = Gift.create(name="定制雨伞", points_price=200, stock=100_000).id
        span = (today - starts[0]).days
        cards = []
        for i in range(CARDS):
            issued = starts[0] + dt.timedelta(days=rng.randrange(span))
            cards.append((f"8800{i:07d}", customer_ids[i], rng.choice(levels), issued.isoformat()))
        card_ids = insert_returning_ids(
            MemberCard, ["card_no", "customer", "level", "issued_on"], cards
        )
        events, points, redemptions = [], [], []
        for card_id, (_no, _customer, _level, issued) in zip(card_ids, cards, strict=True):
            at = dt.datetime.fromisoformat(issued).replace(hour=10)
            events.append((card_id, "issued", stamp(at)))
            for k in range(4):
                when = at + dt.timedelta(days=20 * k + 1)
                if when.date() < today:
                    points.append((card_id, stamp(when), "earn", rng.randrange(50, 500)))
            if rng.random() < 0.1:
                when = at + dt.timedelta(days=30)
                if when.date() < today:
                    points.append((card_id, stamp(when), "redeem", -200))
                    redemptions.append((card_id, gift, 1, 200, stamp(when), stamp(when)))
        insert_rows(CardEvent, ["card", "kind", "at"], events)
        insert_rows(PointsEntry, ["card", "at", "kind", "points"], points)
        insert_rows(
            Redemption,
            ["card", "gift", "quantity", "points", "created_at", "updated_at"],
            redemptions,
        )
        counts.update(cards=len(card_ids), points_entries=len(points))
    db.execute_sql("ANALYZE")
    return counts


def main() -> None:
    from csoffice import auth, reports, settings
    from csoffice.db.database import open_database
    from csoffice.reports.printed import monthly_report_pdf

    folder = Path(tempfile.mkdtemp())
    open_database(folder / "bench.sqlite3")
    manager = auth.default_manager()
    today = dt.date.today()
    started = time.perf_counter()
    counts = fill(manager.id, today)
    print(f"data: {counts} in {time.perf_counter() - started:.1f} s")

    period = reports.current_period("monthly", today).previous()
    figures, total = [], []
    report = None
    for run in range(3):
        begin = time.perf_counter()
        report = reports.monthly_report(period)
        middle = time.perf_counter()
        pdf = monthly_report_pdf(report, settings.office(), "经理")
        (folder / f"monthly-{run}.pdf").write_bytes(pdf)
        end = time.perf_counter()
        figures.append(middle - begin)
        total.append(end - begin)
    assert report is not None
    print(
        f"monthly report {period.code}: {report.receptions.total.current} receptions, "
        f"{report.complaints.received} complaints listed, "
        f"{report.visits.done} return visits done"
    )
    print(f"figures (SQL):        median {statistics.median(figures):.2f} s")
    print(
        f"figures + A4 PDF:     median {statistics.median(total):.2f} s "
        f"(target ≤ {TARGET_SECONDS:.0f} s) {'OK' if statistics.median(total) <= TARGET_SECONDS else 'TOO SLOW'}"
    )
    dashboard_times = []
    for _ in range(3):
        begin = time.perf_counter()
        reports.dashboard(today)
        dashboard_times.append(time.perf_counter() - begin)
    print(f"dashboard figures:    median {statistics.median(dashboard_times):.2f} s")


if __name__ == "__main__":
    main()
