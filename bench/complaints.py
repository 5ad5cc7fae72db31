"""Complaint figures: saving and moving a complaint, printing a slip, opening the ledger over
100,000 complaints. Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/complaints.py"""

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

LEDGER_SIZE = 100_000


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def fill(count: int, receiver_id: int) -> None:
    """``count`` complaints straight into the tables (the bench measures reading, not this)."""
    from csoffice.db.database import db
    from csoffice.db.models import Complaint, Counter

    rng = random.Random(7)
    start = dt.datetime.now().replace(microsecond=0) - dt.timedelta(days=3 * 365)
    step = dt.timedelta(days=3 * 365) / count
    per_month: dict[str, int] = {}
    rows = []
    for index in range(count):
        received = start + step * index
        period = received.strftime("%Y%m")
        per_month[period] = per_month.get(period, 0) + 1
        seq = per_month[period]
        recent = index > count - 300
        status = rng.choice(["received", "in_progress", "handled"]) if recent else "closed"
        rows.append(
            dict(
                number=f"TS-{period}-{seq:04d}",
                number_period=period,
                number_seq=seq,
                received_at=received,
                channel="phone",
                contact_name=rng.choice(["张三", "李四", "王五", "刘䶮"]),
                contact_phone=f"138{rng.randrange(10**8):08d}",
                category=rng.choice(["quality", "delivery", "billing", "repair"]),
                severity=rng.choices(["ordinary", "major", "group"], [85, 10, 5])[0],
                facts="空调异响，售后两次上门未解决。",
                receiver=receiver_id,
                status=status,
                response_due=received + dt.timedelta(hours=24),
                resolve_due=received + dt.timedelta(hours=72),
                first_response_at=received + dt.timedelta(hours=2),
                satisfaction=rng.randint(1, 5) if status == "closed" else None,
                company_at_fault=rng.random() < 0.5 if status == "closed" else None,
                department="aftersales",
            )
        )
    with db.atomic():
        for begin in range(0, len(rows), 2000):
            Complaint.insert_many(rows[begin : begin + 2000]).execute()
        for period, value in per_month.items():
            Counter.insert(name=f"complaint:{period}", value=value).execute()


def main() -> None:
    from csoffice import auth, complaints
    from csoffice.complaints import ComplaintInput, StepInput
    from csoffice.complaints.slip import print_slip
    from csoffice.db.database import open_database

    folder = Path(tempfile.mkdtemp())
    target = open_database(folder / "bench.sqlite3")
    manager = auth.default_manager()
    clerk = auth.create_staff(manager, "bench", "王芳", auth.Role.CLERK)
    fill(LEDGER_SIZE, clerk.id)
    data = ComplaintInput(
        contact_name="刘䶮", category="quality", facts="空调异响", severity="major"
    )

    saves, moves, ids = [], [], []
    for _ in range(30):
        begin = time.perf_counter()
        ids.append(complaints.create(clerk, data).id)
        saves.append(time.perf_counter() - begin)
    for complaint_id in ids:
        begin = time.perf_counter()
        complaints.move(clerk, complaint_id, "submit")
        moves.append(time.perf_counter() - begin)
        begin = time.perf_counter()
        complaints.move(
            manager, complaint_id, "confirm", StepInput(department="sales", handler_name="李师傅")
        )
        moves.append(time.perf_counter() - begin)
    print(f"save a complaint: {median_ms(saves):.1f} ms (limit 50 ms), {LEDGER_SIZE:,} on file")
    print(f"move a complaint: {median_ms(moves):.1f} ms (limit 50 ms)")

    print_slip(manager, ids[0], folder / "warm.pdf")  # font registration happens once per process
    slips = []
    for complaint_id in ids[:10]:
        begin = time.perf_counter()
        print_slip(manager, complaint_id, folder / f"{complaint_id}.pdf")
        slips.append(time.perf_counter() - begin)
    print(f"slip PDF: {median_ms(slips):.1f} ms (limit 200 ms)")

    from csoffice.app import create_application
    from csoffice.ui.main_window import AppContext
    from csoffice.ui.tabs.complaints_tab import ComplaintsTab

    app = create_application(["bench"], "zh_CN")
    context = AppContext(staff=manager, target=target)
    complaints.escalate_overdue()  # the first opening escalates what is overdue, once
    opens = []
    for _ in range(5):
        begin = time.perf_counter()
        tab = ComplaintsTab(context)
        tab.show()
        app.processEvents()
        opens.append(time.perf_counter() - begin)
        tab.close()
        tab.deleteLater()
    print(
        f"ledger opens with {tab.model.total():,} complaints: {median_ms(opens):.0f} ms "
        "(limit 300 ms)"
    )
    begin = time.perf_counter()
    complaints.search_ids(complaints.LedgerFilter(overdue=True, category="quality"))
    print(f"ledger filter (overdue, category): {(time.perf_counter() - begin) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
