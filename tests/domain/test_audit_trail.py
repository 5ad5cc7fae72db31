"""The audit trail: a row for each kind of change (who, when, what, before and after), exports
and prints of personal data, and the manager's queries with their filters."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from csoffice import audit_log, auth, complaints, customers, settings
from csoffice.complaints import ComplaintInput
from csoffice.customers import CustomerInput
from csoffice.db.models import AuditLog
from csoffice.errors import PermissionDenied


def last(entity: str, action: str) -> AuditLog:
    return (
        AuditLog.select()
        .where(AuditLog.entity == entity, AuditLog.action == action)
        .order_by(AuditLog.id.desc())
        .get()
    )


def test_each_kind_of_change_leaves_who_what_and_before_after(manager, clerk, tmp_path):
    customer = customers.create(clerk, CustomerInput(name="张三", mobile="13812345678"))
    created = last("customer", "create")
    assert (created.staff_id, created.entity_id, created.summary) == (clerk.id, customer.id, "张三")
    assert created.at.date() == dt.date.today()

    data = customers.to_input(customer)
    data.address = "人民路 88 号"
    customers.update(clerk, customer.id, data, customer.version)
    changes = json.loads(last("customer", "update").changes)
    assert changes["address"] == ["", "人民路 88 号"]

    made = complaints.create(
        clerk, ComplaintInput(customer_id=customer.id, category="quality", facts="空调异响")
    )
    assert last("complaint", "create").entity_id == made.id
    complaints.move(clerk, made.id, "submit")
    moved = last("complaint", "move")
    assert moved.staff_id == clerk.id and moved.entity_id == made.id

    customers.archive(manager, customer.id, "客户要求注销")
    assert last("customer", "archive").summary == "客户要求注销"

    customers.export(manager, tmp_path / "customers.csv", None, None)  # personal data leaves
    export = last("customer", "export")
    assert export.staff_id == manager.id and "customers.csv" in export.summary

    settings.put(manager, {"office.name": "客服部"})
    assert json.loads(last("settings", "update").changes)["office.name"] == ["", "客服部"]

    auth.update_staff(manager, clerk.id, "王芳芳", auth.Role.CLERK)
    assert json.loads(last("staff", "update").changes) == {"display_name": ["王芳", "王芳芳"]}


def test_the_printed_slip_is_audited(manager, clerk, tmp_path):
    from csoffice.complaints.slip import print_slip

    made = complaints.create(
        clerk, ComplaintInput(contact_name="李四", category="quality", facts="投诉内容")
    )
    print_slip(clerk, made.id, tmp_path / "slip.pdf")
    printed = last("complaint", "print")
    assert (printed.staff_id, printed.entity_id) == (clerk.id, made.id)


def test_manager_queries_with_filters(manager, clerk):
    customers.create(clerk, CustomerInput(name="张三"))
    customers.create(manager, CustomerInput(name="李四"))
    settings.put(manager, {"office.name": "客服部"})
    AuditLog.create(
        at=dt.datetime(2020, 1, 2, 10, 0), staff=clerk, action="update", entity="customer"
    )
    everything = audit_log.search_ids(manager, audit_log.AuditFilter())
    assert everything == sorted(everything, reverse=True)  # newest first
    by_clerk = audit_log.rows(
        manager, audit_log.search_ids(manager, audit_log.AuditFilter(staff_id=clerk.id))
    )
    assert {r.staff_name for r in by_clerk} == {"王芳"}
    created = audit_log.rows(
        manager,
        audit_log.search_ids(manager, audit_log.AuditFilter(entity="customer", action="create")),
    )
    assert sorted(r.summary for r in created) == ["张三", "李四"]
    assert created[0].action_label == "新建" and created[0].entity_label == "客户"
    today = dt.date.today()
    in_range = audit_log.search_ids(
        manager, audit_log.AuditFilter(date_from=dt.date(2020, 1, 1), date_to=dt.date(2020, 1, 2))
    )
    assert len(in_range) == 1
    assert len(
        audit_log.search_ids(manager, audit_log.AuditFilter(date_from=today, date_to=today))
    ) == (len(everything) - 1)
    settings_row = audit_log.rows(
        manager, audit_log.search_ids(manager, audit_log.AuditFilter(text="office"))
    )
    assert settings_row[0].changes_text() == "office.name: — → 客服部"
    actions, entities = audit_log.used_codes(manager)
    assert {"create", "update"} <= set(actions) and {"customer", "settings"} <= set(entities)


def test_only_the_manager_reads_the_trail(clerk, viewer):
    for who in (clerk, viewer):
        with pytest.raises(PermissionDenied, match="只有经理可以查看操作日志"):
            audit_log.search_ids(who, audit_log.AuditFilter())
        with pytest.raises(PermissionDenied):
            audit_log.rows(who, [1])
