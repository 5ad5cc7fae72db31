"""Reception desk figures: saving a call, and the day view over 1,000,000 receptions.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/receptions.py [--rows N] [--keep FILE]

Targets (issue 5): saving a reception ≤ 50 ms; the day view opens within 300 ms with
1,000,000 receptions in the database and scrolls without stalls.
"""

from __future__ import annotations

import argparse
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
os.environ.setdefault("CSOFFICE_HOME", tempfile.mkdtemp(prefix="csoffice-bench-"))

CHANNELS = ["phone", "phone", "phone", "visit", "wechat", "qq", "email", "letter", "other"]
CATEGORIES = ["consult", "consult", "repair", "order", "complaint", "suggestion", "other"]
CONTENT = [
    "咨询保养套餐价格",
    "空调不制冷要求维修",
    "订购配件两件",
    "投诉送货延误",
    "建议增加周末时段",
]


def fill(rows: int, staff_ids: list[int], customer_ids: list[int], days: int = 1095) -> float:
    """Bulk-insert ``rows`` receptions spread over ``days`` days up to now; returns seconds."""
    from csoffice.db.database import db

    rng = random.Random(5)
    now = dt.datetime.now().replace(microsecond=0)
    start = now - dt.timedelta(days=days)
    span = int((now - start).total_seconds())
    sql = (
        "INSERT INTO reception (created_at, updated_at, created_by_id, updated_by_id, received_at,"
        " channel, direction, caller_name, caller_phone, caller_company, caller_kind, customer_id,"
        " category, content, handler_id, outcome, followup_needed, followup_due, followup_done_at,"
        " complaint_id, status, void_reason) VALUES"
        " (?, ?, ?, ?, ?, ?, 'in', ?, ?, '', 'customer', ?, ?, ?, ?, '', ?, ?, ?, NULL, 'active', '')"
    )
    began = time.perf_counter()
    connection = db.connection()
    batch = []
    with db.atomic():
        for n in range(rows):
            at = start + dt.timedelta(seconds=span * n // rows)
            handler = rng.choice(staff_ids)
            followup = rng.random() < 0.1
            due = (at.date() + dt.timedelta(days=1)).isoformat() if followup else None
            done = (
                (at + dt.timedelta(days=1)).isoformat(sep=" ")
                if followup and at < now - dt.timedelta(days=3)
                else None
            )
            stamp = at.isoformat(sep=" ")
            batch.append(
                (
                    stamp,
                    stamp,
                    handler,
                    handler,
                    stamp,
                    rng.choice(CHANNELS),
                    f"客户{n % 5000}",
                    f"138{n % 100_000_000:08d}",
                    rng.choice(customer_ids) if rng.random() < 0.7 else None,
                    rng.choice(CATEGORIES),
                    rng.choice(CONTENT),
                    handler,
                    followup,
                    due,
                    done,
                )
            )
            if len(batch) == 20_000:
                connection.executemany(sql, batch)
                batch.clear()
        if batch:
            connection.executemany(sql, batch)
    return time.perf_counter() - began


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", default="", help="keep the database at this path")
    args = parser.parse_args()

    from csoffice import auth, customers, receptions
    from csoffice.db.database import open_database
    from csoffice.receptions import DayFilter, ReceptionInput

    path = Path(args.keep) if args.keep else Path(tempfile.mkdtemp()) / "bench.sqlite3"
    target = open_database(path)
    manager = auth.default_manager()
    clerks = [
        auth.create_staff(manager, f"clerk{i}", f"客服{i}", auth.Role.CLERK) for i in range(4)
    ]
    made = customers.bulk_create(
        manager,
        [(i, customers.CustomerInput(name=f"客户{i}", mobile=f"139{i:08d}")) for i in range(2000)],
    )
    customer_ids = customers.search_ids(customers.SearchFilter(), limit=5000)
    seconds = fill(args.rows, [manager.id, *(c.id for c in clerks)], customer_ids)
    print(
        f"filled {args.rows:,} receptions in {seconds:.1f} s ({made.created} customers), "
        f"database {path.stat().st_size / 1e6:.0f} MB"
    )

    # Saving a reception, as the quick entry does (validation, insert, audit row).
    times = []
    for n in range(200):
        data = ReceptionInput(
            caller_name="张三",
            caller_phone="13812345678",
            customer_id=customer_ids[n],
            category="repair",
            content="空调不制冷，要求上门维修",
            outcome="已派单",
            followup_needed=n % 3 == 0,
        )
        began = time.perf_counter()
        receptions.create(clerks[0], data)
        times.append(time.perf_counter() - began)
    times.sort()
    print(
        f"save a reception: median {ms(statistics.median(times))}, "
        f"95th {ms(times[int(len(times) * 0.95)])}, max {ms(times[-1])} (target ≤ 50 ms)"
    )

    began = time.perf_counter()
    match = receptions.lookup_caller("1390000123")
    print(f"caller lookup by phone: {ms(time.perf_counter() - began)} ({match.total} match)")

    # The domain part of opening the day view: today's ids and the first page of rows.
    today = DayFilter.day(dt.date.today(), include_voided=True)
    began = time.perf_counter()
    ids = receptions.search_ids(today)
    receptions.rows(ids[:100])
    print(f"day view query (today, {len(ids)} rows): {ms(time.perf_counter() - began)}")
    for label, criteria in (
        ("follow-ups owed, all days", DayFilter(followup_pending=True)),
        (
            "one month, category repair",
            DayFilter(
                date_from=dt.date.today() - dt.timedelta(days=30),
                date_to=dt.date.today(),
                category="repair",
            ),
        ),
    ):
        began = time.perf_counter()
        found = receptions.search_ids(criteria)
        receptions.rows(found[:100])
        print(f"day view query ({label}, {len(found)} rows): {ms(time.perf_counter() - began)}")

    # The real widget: build the tab, show it, paint the first screen.
    from PySide6.QtWidgets import QApplication

    from csoffice.app import create_application
    from csoffice.ui.main_window import AppContext
    from csoffice.ui.tabs.reception import ReceptionTab

    app = create_application(["csoffice"], "zh_CN")
    context = AppContext(staff=manager, target=target)
    began = time.perf_counter()
    tab = ReceptionTab(context)
    tab.resize(1200, 760)
    tab.show()
    QApplication.processEvents()
    tab.grab()
    opened = time.perf_counter() - began
    print(
        f"reception tab opens and paints (today: {tab.day_view.model.total()} rows): {ms(opened)} (target ≤ 300 ms)"
    )

    # Scrolling: each step reveals and paints the next rows; the slowest step is the stall.
    table = tab.day_view.table
    steps = []
    for _step in range(40):
        began = time.perf_counter()
        bar = table.verticalScrollBar()
        bar.setValue(bar.value() + table.viewport().height())
        QApplication.processEvents()
        table.viewport().grab()
        steps.append(time.perf_counter() - began)
    print(
        f"scrolling a screen at a time: median {ms(statistics.median(steps))}, "
        f"slowest {ms(max(steps))}"
    )
    tab.day_view.pending.setChecked(True)
    began = time.perf_counter()
    QApplication.processEvents()
    tab.grab()
    print(
        f"switch to follow-ups owed ({tab.day_view.model.total()} rows): "
        f"{ms(time.perf_counter() - began)}"
    )
    tab.close()
    app.processEvents()


if __name__ == "__main__":
    main()
