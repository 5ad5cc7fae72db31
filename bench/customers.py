"""Customer archive figures on 100,000 customers (issue: archive speed).

Prints: import of 100,000 rows end to end; the median first-page time of every search kind
through the domain function and, beside it, the same lookup in raw sqlite3 (ratio); opening a
customer's file. Run: .venv/bin/python bench/customers.py [--customers N]
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("CSOFFICE_HOME", tempfile.mkdtemp(prefix="csoffice-bench-"))

from faker import Faker  # noqa: E402

from csoffice import auth, customer_history, customers  # noqa: E402
from csoffice.customer_import import ImportPlan, run_import  # noqa: E402
from csoffice.db.database import close_database, open_database  # noqa: E402

PAGE = 100


def make_sheet(path: Path, count: int, seed: int = 1) -> list[tuple[str, str, str]]:
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    people = []
    with path.open("w", encoding="utf-8-sig") as fh:
        fh.write("姓名,手机号码,身份证号,单位,地址\n")
        for n in range(count):
            name = fake.name()
            mobile = f"1{rng.choice('3589')}{rng.randrange(10)}{n:08d}"
            ident = fake.ssn() if n % 3 == 0 else ""
            fh.write(
                f"{name},{mobile},{ident},{fake.company() if n % 4 == 0 else ''},{fake.city()}\n"
            )
            people.append((name, mobile, ident))
    return people


def first_page(criteria: customers.SearchFilter) -> int:
    """What the archive's list does for a search: the count and the first page's rows."""
    ids = customers.search_list(criteria)
    customers.rows(list(ids[:PAGE]))
    return len(ids)


def median_ms(fn, runs: int = 15) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument(
        "--pg",
        default="",
        help="an EMPTY PostgreSQL database: the archive is copied there and searched again",
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="csoffice-bench-"))
    sheet = folder / "customers.csv"
    people = make_sheet(sheet, args.customers)
    db_path = folder / "bench.sqlite3"
    open_database(db_path)
    manager = auth.default_manager()

    start = time.perf_counter()
    result = run_import(manager, ImportPlan.read(sheet), skip_invalid=True)
    took = time.perf_counter() - start
    print(f"import {result.created:,} customers (CSV, end to end): {took:.2f} s (target ≤ 8 s)")

    rng = random.Random(7)
    sample = rng.sample(people, 50)
    name, mobile, _ident = sample[0]
    ident = next(i for _n, _m, i in sample if i) or next(i for _n, _m, i in people if i)
    raw = sqlite3.connect(db_path)
    kinds = [
        (
            "name, 1 character",
            name[0],
            "SELECT id FROM customer WHERE status='active' AND name LIKE ? ORDER BY name_pinyin LIMIT 100",
            f"%{name[0]}%",
        ),
        (
            "name, 2 characters",
            name[:2],
            "SELECT id FROM customer WHERE status='active' AND name LIKE ? ORDER BY name_pinyin LIMIT 100",
            f"%{name[:2]}%",
        ),
        (
            "full name",
            name,
            "SELECT id FROM customer WHERE status='active' AND name LIKE ? ORDER BY name_pinyin LIMIT 100",
            f"%{name}%",
        ),
        (
            "pinyin initials",
            customers.full_and_initials(name)[1][0],
            "SELECT id FROM customer WHERE status='active' AND name_initials LIKE ? ORDER BY name_pinyin LIMIT 100",
            customers.full_and_initials(name)[1][0] + "%",
        ),
        (
            "full pinyin",
            customers.full_and_initials(name)[0][0],
            "SELECT id FROM customer WHERE status='active' AND name_pinyin LIKE ? ORDER BY name_pinyin LIMIT 100",
            customers.full_and_initials(name)[0][0] + "%",
        ),
        (
            "phone, whole",
            mobile,
            "SELECT id FROM customer WHERE status='active' AND mobile = ? LIMIT 100",
            mobile,
        ),
        (
            "phone, prefix",
            mobile[:7],
            "SELECT id FROM customer WHERE status='active' AND mobile LIKE ? ORDER BY name_pinyin LIMIT 100",
            mobile[:7] + "%",
        ),
        (
            "phone, last four",
            mobile[-4:],
            "SELECT id FROM customer WHERE status='active' AND mobile LIKE ? ORDER BY name_pinyin LIMIT 100",
            "%" + mobile[-4:],
        ),
        (
            "ID number",
            ident,
            "SELECT id FROM customer WHERE status='active' AND id_number = ? LIMIT 100",
            ident,
        ),
        (
            "initials, 1 letter",
            "z",
            "SELECT id FROM customer WHERE status='active' AND name_initials LIKE ? ORDER BY name_pinyin LIMIT 100",
            "z%",
        ),
        (
            "whole archive",
            "",
            "SELECT id FROM customer WHERE status='active' AND name <> ? ORDER BY name_pinyin LIMIT 100",
            "",
        ),
        (
            "company",
            "科技",
            "SELECT id FROM customer WHERE status='active' AND company LIKE ? ORDER BY name_pinyin LIMIT 100",
            "%科技%",
        ),
    ]
    sqlite_figures = []
    print(
        f"{'search kind':<20} {'query':<22} {'matches':>8} {'csoffice ms':>12} {'raw sqlite3 ms':>15} {'ratio':>6}"
    )
    for label, text, sql, param in kinds:
        criteria = customers.SearchFilter(text=text)

        def ours(criteria=criteria):
            return first_page(criteria)

        def theirs(sql=sql, param=param):
            return raw.execute(sql, (param,)).fetchall()

        matches = ours()
        mine, base = median_ms(ours), median_ms(theirs)
        sqlite_figures.append((label, text, criteria, matches, mine))
        print(
            f"{label:<20} {text:<22} {matches:>8,} {mine:>12.1f} {base:>15.1f} {mine / base if base else 0:>6.2f}"
        )

    target = customers.search_list(customers.SearchFilter(text=mobile))[0]

    def open_file():
        customer = customers.get(target)
        customers.to_input(customer)
        customer_history.history(target)

    print(
        f"open a customer's file (record + history): {median_ms(open_file):.1f} ms (target ≤ 100 ms)"
    )
    raw.close()
    close_database()
    if args.pg:
        compare_postgresql(db_path, args.pg, sqlite_figures)


def compare_postgresql(db_path: Path, url: str, sqlite_figures: list) -> None:
    """The same searches through the same domain function on PostgreSQL, beside SQLite's."""
    from csoffice.db.copy import copy_database

    start = time.perf_counter()
    copy_database(str(db_path), url)
    print(f"\ncopied to PostgreSQL (migrate-to) in {time.perf_counter() - start:.1f} s")
    open_database(url)
    print(
        f"{'search kind':<20} {'matches':>8} {'PostgreSQL ms':>14} {'SQLite ms':>10} {'PG/SQLite':>10}"
    )
    for label, _text, criteria, matches, on_sqlite in sqlite_figures:

        def ours(criteria=criteria):
            return first_page(criteria)

        found = ours()
        assert found == matches, (label, found, matches)  # the same answer on both
        on_pg = median_ms(ours)
        print(
            f"{label:<20} {found:>8,} {on_pg:>14.1f} {on_sqlite:>10.1f} {on_pg / on_sqlite:>10.2f}"
        )
    close_database()


if __name__ == "__main__":
    main()
