"""Customer statistics, churn and the twelve-month trends over 100,000 customers and 12 months of
records (bench/reports.py's data, plus addresses, service events and ended cards), and an answer
suggestion per keystroke over a library of 2,000 answers.

Targets: statistics and the churn lists ≤ 1 s (the inactive list is also timed the way it was
read before each customer's last contact was kept, schema 11, and the triggers' cost on a bulk
insert); a suggestion ≤ 30 ms per keystroke. Baselines
measured in the same run: the monthly report's figures (reports.monthly_report) for the
statistics, the reception desk's phone look-up per keystroke (receptions.lookup_caller) for the
suggestions. Run: .venv/bin/python bench/customer_statistics.py
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
# This file's name would hide the standard library's statistics module from everything it
# imports; the bench folder leaves the path and the report bench's filler is loaded by file.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("CSOFFICE_HOME", tempfile.mkdtemp())

import statistics as stats  # noqa: E402

_spec = importlib.util.spec_from_file_location("bench_reports", BENCH / "reports.py")
bench_reports = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_reports)

STATS_TARGET = 1.0
KEYSTROKE_TARGET = 0.030
ANSWERS = 2_000
DISTRICTS = [
    "广东省深圳市南山区科技园{n}号",
    "广东省深圳市福田区深南大道{n}号",
    "深圳市宝安区西乡街道{n}号",
    "北京市朝阳区建国路{n}号",
    "上海市浦东新区世纪大道{n}号",
    "湖南省长沙市岳麓区麓山路{n}号",
    "",
]
SOURCES = ["转介绍", "到店", "网络", "电话", "活动", ""]


def enrich(manager, today: dt.date) -> None:
    """Addresses, sources, classes, responsible staff (管家 / 业务员: six for nine files in ten),
    service events and ended cards the report bench leaves out."""
    import random

    from csoffice import auth
    from csoffice.db.bulk import insert_rows
    from csoffice.db.database import db
    from csoffice.db.models import Customer, MemberCard, ServiceEvent

    rng = random.Random(21)
    keepers = [
        auth.create_staff(manager, f"keeper{n}", f"管家{n}", auth.Role.CLERK).id for n in range(6)
    ]
    with db.atomic():
        ids = [i for (i,) in Customer.select(Customer.id).tuples()]
        start = dt.datetime.combine(today, dt.time(9)) - dt.timedelta(days=3 * 365)
        rows = [
            (
                # Every file its own address (as in a real archive), in a few districts.
                DISTRICTS[i % len(DISTRICTS)].format(n=i),
                SOURCES[i % len(SOURCES)],
                ["ordinary", "vip", "new", "dissatisfied"][i % 4 if i % 10 < 4 else 0],
                (start + dt.timedelta(minutes=i * 15)).isoformat(sep=" "),
                keepers[i % len(keepers)] if i % 10 else None,
                i,
            )
            for i in ids
        ]
        db.cursor().executemany(
            'UPDATE "customer" SET "address" = ?, "source" = ?, "customer_class" = ?, '
            '"created_at" = ?, "responsible_id" = ? WHERE "id" = ?',
            rows,
        )
        events = [
            (rng.choice(ids), rng.choice(["purchase", "repair", "maintenance"]), day.isoformat())
            for day in (today - dt.timedelta(days=rng.randrange(400)) for _ in range(60_000))
        ]
        insert_rows(ServiceEvent, ["customer", "kind", "date"], events)
        cards = [i for (i,) in MemberCard.select(MemberCard.id).tuples()]
        for index, card in enumerate(cards[:1500]):
            closed = today - dt.timedelta(days=index % 360)
            MemberCard.update(
                status="cancelled", closed_at=dt.datetime.combine(closed, dt.time(10))
            ).where(MemberCard.id == card).execute()
        MemberCard.update(expires_on=today - dt.timedelta(days=30)).where(
            MemberCard.id.in_(cards[1500:2500])
        ).execute()
    db.execute_sql("ANALYZE")


def fill_answers(manager) -> None:
    from csoffice.db.bulk import insert_rows
    from csoffice.db.models import AnswerEntry

    topics = ["保养", "维修", "发票", "会员", "交付", "保险", "年审", "配件", "活动", "投诉"]
    words = ["价格", "时间", "地址", "流程", "材料", "费用", "多久", "能否", "怎么", "预约"]
    rows = []
    for i in range(ANSWERS):
        topic = topics[i % len(topics)]
        word = words[(i // len(topics)) % len(words)]
        rows.append(
            (
                "answer",
                topic,
                f"{topic}{word}相关问题第{i}条：客户询问{topic}的{word}怎么办？",
                f"您好，关于{topic}{word}，标准答复第{i}条……",
                f"{topic}，{word}",
                "consult" if i % 3 else "",
                "active",
            )
        )
    insert_rows(
        AnswerEntry, ["kind", "topic", "question", "text", "keywords", "categories", "status"], rows
    )


def write_cost(manager) -> None:
    """What keeping the last contact costs a bulk load: 20,000 receptions inserted in one
    transaction with the triggers and, in the same run, without them (both rolled back)."""
    from csoffice.db import contacts
    from csoffice.db.bulk import insert_rows
    from csoffice.db.database import db
    from csoffice.db.models import Customer, Reception

    ids = [i for (i,) in Customer.select(Customer.id).limit(20_000).tuples()]
    rows = [("2026-11-30 10:00:00", "phone", "consult", i, "…", manager.id, "active") for i in ids]
    columns = ["received_at", "channel", "category", "customer", "content", "handler", "status"]
    took = {}
    for triggers in (True, False, True, False):
        with db.atomic() as transaction:
            if not triggers:
                for name in contacts.trigger_names():
                    db.execute_sql(f'DROP TRIGGER "{name}"')
            begin = time.perf_counter()
            insert_rows(Reception, columns, rows)
            took.setdefault(triggers, []).append(time.perf_counter() - begin)
            transaction.rollback()
    kept, bare = min(took[True]), min(took[False])
    print(
        f"20,000 receptions inserted: {kept * 1000:.0f} ms keeping the last contact, "
        f"{bare * 1000:.0f} ms without (ratio {kept / bare:.2f})"
    )


def timed(work, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        begin = time.perf_counter()
        work()
        times.append(time.perf_counter() - begin)
    return stats.median(times)


def main() -> None:
    from csoffice import answers, auth, churn, receptions, reports, statistics, trends
    from csoffice.dates import add_months
    from csoffice.db.database import open_database
    from csoffice.db.models import Customer

    # BENCH_DB=path keeps the filled database there for another run (development only).
    kept = os.environ.get("BENCH_DB")
    path = Path(kept) if kept else Path(tempfile.mkdtemp()) / "bench.sqlite3"
    filled = path.exists()
    open_database(path)
    manager = auth.default_manager()
    today = dt.date.today()
    begin = time.perf_counter()
    if not filled:
        counts = bench_reports.fill(manager.id, today)
        enrich(manager, today)
        fill_answers(manager)
        print(
            f"data: {counts} + addresses, 60,000 service events, 2,500 ended cards, "
            f"{ANSWERS} answers in {time.perf_counter() - begin:.1f} s"
        )

    period = reports.current_period("monthly", today).previous()
    months = statistics.last_months(period)

    def churn_lists():
        for kind in churn.KINDS:
            churn.churn_rows(kind, churn.churn_ids(kind, today)[:100], today)

    def inactive_contact_by_contact():
        """The inactive list as it was read before the last contact was kept (schema 11)."""
        cutoff = add_months(today, -churn.churn_months())
        query = Customer.select(Customer.id).where(
            Customer.status == "active",
            Customer.created_at < dt.datetime.combine(cutoff, dt.time()),
            statistics.no_contact(cutoff, today + dt.timedelta(days=1)),
        )
        return [row[0] for row in query.order_by(Customer.name_pinyin, Customer.id).tuples()]

    def inactive_kept():
        return churn.churn_ids("inactive", today)

    assert sorted(inactive_kept()) == sorted(inactive_contact_by_contact())
    statistics.district_of.cache_clear()
    begin = time.perf_counter()
    statistics.customer_statistics(period)
    cold = time.perf_counter() - begin

    work = {
        "customer statistics": lambda: statistics.customer_statistics(period),
        "churn lists (ids + first page)": churn_lists,
        "inactive list, last contact kept": inactive_kept,
        "inactive list, contact by contact": inactive_contact_by_contact,
        "churn trend, 12 months": lambda: churn.churn_trend(months),
        "all twelve-month trends (charts)": lambda: trends.trends(period),
    }
    # Each round times the baseline right before each piece, so the ratio of the pair holds
    # even when other work on the machine slows both; the medians of five rounds are shown.
    times: dict[str, list[float]] = {name: [] for name in work}
    ratios: dict[str, list[float]] = {name: [] for name in work}
    baseline_times: list[float] = []
    for _round in range(5):
        for name, job in work.items():
            base = timed(lambda: reports.monthly_report(period), 1)
            took = timed(job, 1)
            baseline_times.append(base)
            times[name].append(took)
            ratios[name].append(took / base)
    sizes = {kind: churn.churn_count(kind, today) for kind in churn.KINDS}
    baseline = stats.median(baseline_times)
    print(f"churn list sizes {sizes}")
    print(f"baseline: monthly report figures   {baseline * 1000:7.0f} ms")
    for name in work:
        print(
            f"{name:34s}{stats.median(times[name]) * 1000:7.0f} ms  "
            f"ratio {stats.median(ratios[name]):.2f}"
        )
    whole = stats.median(times["customer statistics"]) + stats.median(
        times["churn lists (ids + first page)"]
    )
    whole_ratio = stats.median(ratios["customer statistics"]) + stats.median(
        ratios["churn lists (ids + first page)"]
    )
    print(
        f"statistics + churn lists          {whole * 1000:7.0f} ms  ratio {whole_ratio:.2f} "
        f"(target ≤ {STATS_TARGET * 1000:.0f} ms) {'OK' if whole <= STATS_TARGET else 'TOO SLOW'}"
    )

    print(
        f"first statistics after start-up      {cold * 1000:7.0f} ms "
        "(every address's district read once, then remembered)"
    )
    print(
        f"customers per responsible staff: {[(r.name, r.customers) for r in statistics.customer_statistics(period).by_responsible]}"
    )
    write_cost(manager)

    typed = "客户问保养套餐的价格和预约时间怎么安排"
    answers.suggest("", "consult")  # the index is built once, when the form first opens
    per_key, lookups = [], []
    for _round in range(5):
        for end in range(1, len(typed) + 1):
            begin = time.perf_counter()
            answers.suggest(typed[:end], "consult")
            per_key.append(time.perf_counter() - begin)
        phone = "13800012345"
        for end in range(1, len(phone) + 1):
            begin = time.perf_counter()
            receptions.lookup_caller(phone[:end])
            lookups.append(time.perf_counter() - begin)
    worst, median = max(per_key), stats.median(per_key)
    base = stats.median(lookups)
    print(f"baseline: phone look-up per key   {base * 1000:7.2f} ms (median)")
    print(
        f"answer suggestion per keystroke   {median * 1000:7.2f} ms median, {worst * 1000:.2f} ms worst, "
        f"ratio {median / base:.2f} (target ≤ {KEYSTROKE_TARGET * 1000:.0f} ms) "
        f"{'OK' if worst <= KEYSTROKE_TARGET else 'TOO SLOW'}"
    )
    begin = time.perf_counter()
    answers.invalidate()
    answers.suggest("保养", "consult")
    print(f"index rebuilt after a library change {1000 * (time.perf_counter() - begin):.0f} ms")
    if os.environ.get("BENCH_PROFILE"):
        import cProfile

        cProfile.runctx("trends.trends(period)", globals(), locals(), sort="cumtime")


if __name__ == "__main__":
    main()
