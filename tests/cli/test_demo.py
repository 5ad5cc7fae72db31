"""The demo tells the truth: any seed works, the ledgers add up, nothing is dated after the
moment it ran, the Today board is a normal morning, and a seed gives the same data on SQLite
and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from peewee import BooleanField, DateTimeField, DecimalField, FloatField, fn

from csoffice import auth, today
from csoffice.checks import run_checks
from csoffice.db.database import close_database, open_database
from csoffice.db.models import (
    ALL_MODELS,
    Complaint,
    Gift,
    MemberCard,
    Reception,
    ReturnVisit,
    Staff,
    now,
)
from csoffice.demo import run_demo
from csoffice.demo.staff import PASSWORD

# Deadlines lie ahead by nature; every other time is something that already happened.
AHEAD = {"response_due", "resolve_due"}


def latest_moment() -> dt.datetime:
    found = dt.datetime.min
    for model in ALL_MODELS:
        for name, column in model._meta.fields.items():
            if isinstance(column, DateTimeField) and name not in AHEAD:
                value = model.select(fn.MAX(column)).scalar()
                if isinstance(value, str):
                    value = dt.datetime.fromisoformat(value)
                if value is not None:
                    found = max(found, value)
    return found


@pytest.mark.parametrize("seed", range(1, 11))
def test_demo_succeeds_and_adds_up_for_any_seed(manager, seed):
    run_demo(manager, customers=40, months=2, seed=seed)
    finished = now()
    report = run_checks()
    assert report.ok, [r for r in report.results if r[1]]
    assert latest_moment() <= finished
    assert all(gift.stock > 0 for gift in Gift.select())


def test_demo_is_a_desk_that_works(manager):
    result = run_demo(manager, customers=300, months=6, seed=3)
    statuses = {status for (status,) in Complaint.select(Complaint.status).distinct().tuples()}
    assert statuses >= {"received", "in_progress", "handled", "informed", "closed", "rejected"}
    cards = {status for (status,) in MemberCard.select(MemberCard.status).distinct().tuples()}
    assert cards >= {"active", "lost", "replaced", "cancelled"}
    assert ReturnVisit.select().where(ReturnVisit.status == "done").count() > 100
    assert result.summary["考核月份"] >= 15
    board = today.counts(Staff.get(Staff.username == "wangfang"))
    assert 10 <= sum(board.values()) <= 100, board
    # Overdue by days, not months.
    week_ago = dt.date.today() - dt.timedelta(days=7)
    owed = Reception.select().where(
        Reception.followup_needed == True,
        Reception.followup_done_at.is_null(),
        Reception.followup_due < week_ago,
    )
    assert owed.count() == 0
    late_calls = ReturnVisit.select().where(
        ReturnVisit.status == "due", ReturnVisit.due_on < week_ago
    )
    assert late_calls.count() == 0


def test_demo_makes_accounts_that_sign_in(manager):
    result = run_demo(manager, customers=20, months=1, seed=1)
    names = [account.username for account in result.sign_in]
    assert names[0] == manager.username and "wangfang" in names
    assert auth.authenticate(manager.username, PASSWORD).id == manager.id
    assert not auth.needs_first_run()


EXPORTS = ["customers", "receptions", "complaints", "members", "visits"]


def _plain(field, value, clock: dt.datetime):
    """A stored value as both databases give it back; a moment after ``clock`` (the demo was
    run as of then) is the machine's clock while it ran, not the demo's data."""
    if value is None:
        return None
    if isinstance(field, DateTimeField):
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        return "<clock>" if value > clock else value.isoformat()
    if isinstance(field, DecimalField):
        return f"{Decimal(str(value)):.{field.decimal_places}f}"
    if isinstance(field, BooleanField):
        return bool(value)
    if isinstance(field, FloatField):
        return round(value, 6)
    return value


def _tables(clock: dt.datetime) -> dict[str, list[tuple]]:
    """Every table's rows, in one order on both databases (sorted here: PostgreSQL orders
    text by its collation)."""
    found = {}
    for model in ALL_MODELS:
        fields = [f for f in model._meta.sorted_fields if f.name != "password_hash"]
        rows = model.select(*fields).tuples()
        found[model._meta.table_name] = sorted(
            (tuple(_plain(f, v, clock) for f, v in zip(fields, row, strict=True)) for row in rows),
            key=repr,
        )
    return found


def _export_all(folder, at: dt.datetime) -> tuple[dict[str, str], dict[str, list[tuple]]]:
    from csoffice.cli import EXPORTS as SPECS
    from csoffice.cli import _resolve

    manager = auth.default_manager()
    run_demo(manager, customers=80, months=3, seed=5, at=at)
    tables = _tables(at)  # before the exports write their own audit rows
    out = {}
    for kind in EXPORTS:
        path = folder / f"{kind}.csv"
        _resolve(SPECS[kind])(manager, path, None, None)
        out[kind] = path.read_bytes().decode("gb18030", errors="replace")
    return out, tables


def test_same_seed_same_data_on_both_backends(tmp_path, pg_url):
    at = now().replace(microsecond=0) - dt.timedelta(minutes=1)
    (tmp_path / "sqlite").mkdir()
    (tmp_path / "pg").mkdir()
    open_database(tmp_path / "demo.sqlite3")
    try:
        on_sqlite, tables_sqlite = _export_all(tmp_path / "sqlite", at)
    finally:
        close_database()
    open_database(pg_url)
    try:
        on_pg, tables_pg = _export_all(tmp_path / "pg", at)
    finally:
        close_database()
    for kind in EXPORTS:
        lines_sqlite, lines_pg = on_sqlite[kind].splitlines(), on_pg[kind].splitlines()
        assert len(lines_sqlite) > 1, kind
        assert lines_sqlite == lines_pg, kind
    # Every table, row by row and column by column (ids included).
    assert tables_sqlite.keys() == tables_pg.keys()
    for table, rows in tables_sqlite.items():
        assert len(rows) == len(tables_pg[table]), table
        for mine, theirs in zip(rows, tables_pg[table], strict=True):
            assert mine == theirs, (table, mine, theirs)
    made = [t for t, rows in tables_sqlite.items() if rows]
    assert {"customer_document", "appraisal", "appraisal_month", "audit_log"} <= set(made)


def _pg_schema(url: str) -> list[tuple]:
    import psycopg2

    connection = psycopg2.connect(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)"
                " FROM pg_constraint WHERE connamespace = 'public'::regnamespace"
                " UNION ALL SELECT tablename, indexname, indexdef FROM pg_indexes"
                " WHERE schemaname = 'public' UNION ALL"
                " SELECT tgrelid::regclass::text, tgname, pg_get_triggerdef(oid) FROM pg_trigger"
                " WHERE NOT tgisinternal ORDER BY 1, 2, 3"
            )
            return cursor.fetchall()
    finally:
        connection.close()


def test_ctrl_c_on_postgresql_leaves_rows_and_schema_as_they_were(tmp_path, pg_url):
    """Stopped while the paper files load with their keys and indexes set aside."""
    import os
    import signal
    import subprocess
    import sys

    import psycopg2

    from tests.conftest import ROOT, run_cli

    assert run_cli("--db", pg_url, "init", home=tmp_path).returncode == 0
    schema = _pg_schema(pg_url)
    env = dict(os.environ, CSOFFICE_HOME=str(tmp_path), CSOFFICE_PROGRESS="bar")
    args = ["--db", pg_url, "demo", "--customers", "20000", "--months", "12"]
    process = subprocess.Popen(
        [sys.executable, "-m", "csoffice", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    seen = b""
    # 71%: every customer written; the paper files (240,000 rows) are loading.
    while b" 71%" not in seen[-80:]:
        char = process.stderr.read(1)
        assert char, (seen, process.stdout.read())
        seen += char
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=300)
    assert process.returncode == 130, err.decode()
    assert "未写入任何数据" in err.decode()
    connection = psycopg2.connect(pg_url)
    try:
        with connection.cursor() as cursor:
            for table in ("customer", "customer_search_key", "customer_document", "reception"):
                cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
                assert cursor.fetchone()[0] == 0, table
    finally:
        connection.close()
    assert _pg_schema(pg_url) == schema
