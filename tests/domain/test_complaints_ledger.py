"""The complaint ledger (filters, totals, export), the link from a reception, the number check."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from csoffice import complaints, customers
from csoffice.checks import run_checks
from csoffice.complaints import ComplaintInput, LedgerFilter, StepInput
from csoffice.db.models import AuditLog, Complaint, Counter, Reception
from csoffice.errors import Conflict, PermissionDenied
from tests.conftest import run_cli

NOW = dt.datetime.now().replace(microsecond=0)


def make(actor, **changes):
    values = dict(
        channel="phone",
        contact_name="张三",
        contact_phone="13800001111",
        category="quality",
        severity="ordinary",
        facts="冰箱不制冷",
    )
    values.update(changes)
    return complaints.create(actor, ComplaintInput(**values))


@pytest.fixture
def ledger(clerk, manager):
    """Five complaints in two months, in several states, one overdue."""
    made = {
        "old": make(clerk, received_at=NOW - dt.timedelta(days=40), category="billing"),
        "late": make(clerk, received_at=NOW - dt.timedelta(hours=30), severity="major"),
        "group": make(manager, severity="group", contact_name="业主代表李四"),
        "fixed": make(clerk, category="delivery"),
        "closed": make(clerk, category="delivery"),
    }
    complaints.move(
        clerk, made["fixed"].id, "assign", StepInput(department="logistics", handler_name="赵师傅")
    )
    closed = made["closed"].id
    complaints.move(
        clerk, closed, "assign", StepInput(department="logistics", handler_name="赵师傅")
    )
    complaints.move(
        clerk,
        closed,
        "handle",
        StepInput(
            result="已补发", company_at_fault=True, root_cause="漏发", corrective_action="出库复核"
        ),
    )
    complaints.move(
        clerk,
        closed,
        "inform",
        StepInput(customer_opinion="认可", satisfaction=4, satisfaction_reason="补发快"),
    )
    complaints.move(clerk, closed, "close")
    return made


def ids(criteria: LedgerFilter) -> set[int]:
    return set(complaints.search_ids(criteria))


def test_filters(ledger, clerk, manager):
    every = {c.id for c in ledger.values()}
    assert ids(LedgerFilter()) == every
    assert ids(LedgerFilter(date_from=(NOW - dt.timedelta(days=2)).date())) == every - {
        ledger["old"].id
    }
    assert ids(LedgerFilter(date_to=(NOW - dt.timedelta(days=39)).date())) == {ledger["old"].id}
    assert ids(LedgerFilter(status="closed")) == {ledger["closed"].id}
    assert ids(LedgerFilter(status="open")) == every - {ledger["closed"].id}
    assert ids(LedgerFilter(category="delivery")) == {ledger["fixed"].id, ledger["closed"].id}
    assert ids(LedgerFilter(severity="group")) == {ledger["group"].id}
    assert ids(LedgerFilter(owner_id=manager.id)) == {ledger["group"].id}
    assert ids(LedgerFilter(department="logistics")) == {ledger["fixed"].id, ledger["closed"].id}
    assert ids(LedgerFilter(overdue=True)) == {ledger["old"].id, ledger["late"].id}
    assert ids(LedgerFilter(text="李四")) == {ledger["group"].id}
    assert ids(LedgerFilter(text=ledger["late"].number)) == {ledger["late"].id}


def test_sorting_and_rows(ledger):
    newest_first = complaints.search_ids(LedgerFilter())
    numbers = [row.number for row in complaints.rows(newest_first)]
    assert numbers[-1] == ledger["old"].number
    by_due = complaints.search_ids(LedgerFilter(), "resolve_due", descending=False)
    assert by_due[0] == ledger["old"].id
    row = complaints.rows([ledger["late"].id])[0]
    assert (row.status_label, row.severity_label, row.category_label) == (
        "已受理",
        "重大",
        "产品质量",
    )
    assert row.contact_phone == "138****1111" and row.owner_name == "王芳"
    assert row.overdue == "resolution"


def test_totals(ledger):
    totals = complaints.totals(LedgerFilter())
    assert totals.count == 5
    assert totals.by_status == {"received": 3, "in_progress": 1, "closed": 1}
    assert (totals.open, totals.overdue, totals.major_or_group, totals.at_fault) == (4, 2, 2, 1)
    assert totals.average_satisfaction == 4.0
    assert complaints.totals(LedgerFilter(category="billing")).count == 1


def test_export_needs_the_manager(ledger, clerk, tmp_path):
    with pytest.raises(PermissionDenied):
        complaints.export(clerk, tmp_path / "t.csv")


def test_export_csv_with_period(ledger, manager, tmp_path):
    out = tmp_path / "台帐.csv"
    count = complaints.export(manager, out, (NOW - dt.timedelta(days=2)).date(), NOW.date())
    assert count == 4
    with out.open(encoding="utf-8-sig") as fh:
        table = list(csv.reader(fh))
    assert table[0][:3] == ["编号", "状态", "受理时间"]
    assert [row[0] for row in table[1:]] == sorted(
        c.number for k, c in ledger.items() if k != "old"
    )
    closed = next(row for row in table if row[0] == ledger["closed"].number)
    assert closed[1] == "已结案" and "是" in closed
    assert (
        AuditLog.select().where(AuditLog.action == "export", AuditLog.entity == "complaint").count()
        == 1
    )


def test_cli_export_xlsx_and_print_unknown(ledger, database, tmp_path, private_home):
    out = tmp_path / "ledger.xlsx"
    result = run_cli(
        "--db", str(database.path), "export", "complaints", "--out", str(out), home=private_home
    )
    assert result.returncode == 0, result.stderr
    from openpyxl import load_workbook

    sheet = load_workbook(out, read_only=True).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:3] == ("编号", "状态", "受理时间")
    assert len(values) == 6
    missing = run_cli(
        "--db",
        str(database.path),
        "print",
        "complaint",
        "TS-190001-0001",
        "--out",
        str(tmp_path / "x.pdf"),
        home=private_home,
    )
    assert missing.returncode == 1
    assert missing.stderr.strip().splitlines() == ["csoffice: 没有编号为 TS-190001-0001 的投诉。"]


def test_from_a_reception_both_linked(clerk):
    customer = customers.create(clerk, customers.CustomerInput(name="刘䶮", mobile="13912345678"))
    reception = Reception.create(
        received_at=NOW - dt.timedelta(minutes=20),
        channel="visit",
        caller_name="刘䶮",
        caller_phone="13912345678",
        customer=customer,
        category="complaint",
        content="车辆保养后仪表盘报警，要求免费检修。",
        handler=clerk,
    )
    draft = complaints.draft_from_reception(reception.id)
    assert (draft.customer_id, draft.channel, draft.received_at) == (
        customer.id,
        "visit",
        reception.received_at,
    )
    assert (draft.contact_name, draft.contact_phone, draft.receiver_id) == (
        "刘䶮",
        "13912345678",
        clerk.id,
    )
    assert draft.facts == "车辆保养后仪表盘报警，要求免费检修。"
    draft.category = "repair"
    complaint = complaints.create(clerk, draft, reception_id=reception.id)
    assert Reception.get_by_id(reception.id).complaint_id == complaint.id
    assert complaint.reception_id == reception.id
    with pytest.raises(Conflict):
        complaints.create(clerk, draft, reception_id=reception.id)
    assert Complaint.select().count() == 1


def test_check_finds_gaps_and_repeats(ledger, database):
    assert complaints.numbers_gap_free() == []
    report = dict(run_checks().results)
    assert report["投诉编号在每月内唯一且连续"] == []
    period = ledger["late"].number_period
    Complaint.update(number_seq=99).where(Complaint.id == ledger["late"].id).execute()
    problems = complaints.numbers_gap_free()
    assert any("不连续" in p for p in problems)
    assert any("计数器" in p for p in problems)
    Counter.update(value=0).where(Counter.name == f"complaint:{period}").execute()
    assert any(period in p for p in complaints.numbers_gap_free())
