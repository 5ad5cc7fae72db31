"""Conflicts as a choice: what each side changed, theirs / mine / merge, and the audit."""

from __future__ import annotations

from dataclasses import replace

import pytest

from csoffice import conflicts, customers
from csoffice.customers import CustomerInput, records
from csoffice.db.models import AuditLog, Customer


@pytest.fixture
def database(any_database):
    return any_database


def test_compare_and_merge_field_by_field():
    base = {"name": "张三", "mobile": "1", "address": "a", "notes": ""}
    theirs = {"name": "张三", "mobile": "2", "address": "b", "notes": ""}
    mine = {"name": "张三丰", "mobile": "1", "address": "c", "notes": ""}
    diffs = conflicts.compare(base, theirs, mine)
    assert [d.name for d in diffs] == ["name", "mobile", "address"]
    assert [d.clash for d in diffs] == [False, False, True]
    assert conflicts.merge(diffs) == {"name": "张三丰", "mobile": "2", "address": "c"}
    assert conflicts.merge(diffs, {"address": "theirs"})["address"] == "b"
    assert conflicts.chosen("theirs", diffs) == {"name": "张三", "mobile": "2", "address": "b"}
    assert conflicts.chosen("mine", diffs) == {"name": "张三丰", "mobile": "1", "address": "c"}
    # Both sides typing the same value is no conflict at all.
    assert conflicts.compare({"x": 1}, {"x": 2}, {"x": 2}) == []


def _stale_save(clerk, manager):
    """The clerk's form read the file; the manager saved it meanwhile; the clerk saves."""
    customer = customers.create(
        clerk, CustomerInput(name="张三", mobile="13812345678", address="幸福路1号")
    )
    base = customers.to_input(customer)
    theirs = replace(base, mobile="139 1234 5678", notes="来电改号")
    customers.update(manager, customer.id, theirs, customer.version)
    mine = replace(base, address="幸福路2号", notes="搬家了")
    with pytest.raises(conflicts.StaleRecord) as info:
        customers.update(clerk, customer.id, mine, customer.version)
    return customer, base, mine, info.value


def test_a_stale_save_carries_what_is_stored_now(clerk, manager):
    customer, base, mine, stale = _stale_save(clerk, manager)
    assert stale.by == manager.display_name and stale.current == customer.version + 1
    assert stale.theirs["mobile"] == "13912345678"
    stored = Customer.get_by_id(customer.id)
    assert stored.address == "幸福路1号" and stored.notes == "来电改号"  # nothing of mine written
    diffs = records.conflict_diffs(base, CustomerInput(**stale.theirs), mine)
    by_name = {d.name: d for d in diffs}
    assert set(by_name) == {"mobile", "address", "notes"}
    assert by_name["notes"].clash and not by_name["mobile"].clash


@pytest.mark.parametrize(
    ("choice", "address", "mobile", "notes"),
    [
        ("mine", "幸福路2号", "13812345678", "搬家了"),
        ("merge", "幸福路2号", "13912345678", "来电改号"),
    ],
)
def test_mine_and_merge_save_at_the_new_version_and_audit_the_choice(
    clerk, manager, choice, address, mobile, notes
):
    customer, base, mine, stale = _stale_save(clerk, manager)
    diffs = records.conflict_diffs(base, CustomerInput(**stale.theirs), mine)
    picks = {"notes": "theirs"}
    values = conflicts.chosen(choice, diffs, picks)
    customers.update(
        clerk,
        customer.id,
        records.resolved_input(mine, values),
        stale.current,
        resolution=(choice, diffs),
    )
    stored = Customer.get_by_id(customer.id)
    assert (stored.address, stored.mobile, stored.notes) == (address, mobile, notes)
    row = AuditLog.select().where(AuditLog.action == "update").order_by(AuditLog.id.desc()).get()
    assert f'"conflict": "{choice}"' in row.changes
    assert "theirs_replaced" in row.changes


def test_theirs_saves_nothing_and_is_audited(clerk, manager):
    customer, base, mine, stale = _stale_save(clerk, manager)
    diffs = records.conflict_diffs(base, CustomerInput(**stale.theirs), mine)
    conflicts.record_choice(clerk, "customer", customer.id, "theirs", diffs, summary="张三")
    stored = Customer.get_by_id(customer.id)
    assert stored.version == stale.current and stored.address == "幸福路1号"
    row = AuditLog.get(AuditLog.action == "conflict")
    assert "theirs" in row.changes and "address" in row.changes and row.staff_id == clerk.id
