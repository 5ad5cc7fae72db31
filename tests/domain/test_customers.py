"""The customer archive: validation, duplicates, editing between desks, archive, merge."""

from __future__ import annotations

import datetime as dt

import pytest

from csoffice import customers
from csoffice.customers import CustomerInput, DuplicateCustomer
from csoffice.db.models import AuditLog, Customer, CustomerTag, Reception, ServiceEvent
from csoffice.errors import Conflict, PermissionDenied, ValidationError


@pytest.fixture
def database(any_database):
    """Every test here runs on SQLite and on PostgreSQL (archive rules must not depend on the backend)."""
    return any_database


def make(actor, **values):
    return customers.create(actor, CustomerInput(**values))


def test_create_fills_birthday_and_gender_from_the_resident_id(clerk):
    customer = make(
        clerk, name=" 张三 ", mobile="+86 138-1234-5678", id_number="11010519491231002x"
    )
    assert customer.name == "张三"
    assert customer.mobile == "13812345678"
    assert customer.id_number == "11010519491231002X" and customer.id_type == "resident_id"
    assert customer.birthday == dt.date(1949, 12, 31) and customer.gender == "F"
    assert (
        AuditLog.select().where(AuditLog.entity == "customer", AuditLog.action == "create").count()
        == 1
    )


def test_every_bad_field_is_reported_at_once(clerk):
    with pytest.raises(ValidationError) as info:
        make(
            clerk,
            name="",
            mobile="12345",
            id_number="110105194912310021",
            email="x@",
            customer_class="nope",
        )
    assert set(info.value.errors) == {"name", "mobile", "id_number", "email", "customer_class"}
    assert Customer.select().count() == 0


def test_company_with_credit_code(clerk):
    customer = make(
        clerk, kind="company", name="幸福汽车销售有限公司", id_number="91350100M000100Y43"
    )
    assert customer.id_type == "credit_code"
    with pytest.raises(ValidationError, match="校验位"):
        make(clerk, kind="company", name="另一家公司", id_number="91350100M000100Y44")


def test_same_phone_or_id_points_to_the_existing_file(clerk):
    first = make(clerk, name="张三", mobile="13812345678", id_number="11010519491231002X")
    with pytest.raises(DuplicateCustomer) as info:
        make(clerk, name="张三丰", mobile="138 1234 5678")
    assert info.value.existing_id == first.id and "mobile" in info.value.errors
    with pytest.raises(DuplicateCustomer) as info:
        make(clerk, name="张三", id_number="11010519491231002X")
    assert "id_number" in info.value.errors
    assert customers.create(
        clerk, CustomerInput(name="张三", mobile="13812345678"), allow_duplicate=True
    )


def test_birthday_must_agree_with_the_resident_id(clerk):
    with pytest.raises(ValidationError) as info:
        make(clerk, name="张三", id_number="11010519491231002X", birthday=dt.date(1950, 1, 1))
    assert "birthday" in info.value.errors


def test_second_save_of_a_stale_file_is_refused(clerk, manager):
    customer = make(clerk, name="张三", mobile="13812345678")
    data = customers.to_input(customer)
    data.address = "北京"
    customers.update(clerk, customer.id, data, customer.version)
    data.address = "上海"
    with pytest.raises(Conflict, match="王芳"):
        customers.update(manager, customer.id, data, customer.version)
    assert customers.get(customer.id).address == "北京"
    change = AuditLog.select().where(AuditLog.action == "update").get()
    assert '"address"' in change.changes


def test_viewer_cannot_edit_and_clerk_cannot_archive(viewer, clerk):
    with pytest.raises(PermissionDenied):
        make(viewer, name="张三")
    customer = make(clerk, name="张三")
    with pytest.raises(PermissionDenied, match="经理"):
        customers.archive(clerk, customer.id)


def test_archived_files_are_hidden_unless_asked_for(clerk, manager):
    customer = make(clerk, name="张三", mobile="13812345678")
    customers.archive(manager, customer.id, "搬走了")
    assert customers.search_ids(customers.SearchFilter(text="张三")) == []
    assert customers.search_ids(customers.SearchFilter(text="张三", include_archived=True)) == [
        customer.id
    ]
    assert Customer.select().count() == 1  # never deleted
    customers.restore(manager, customer.id)
    assert customers.search_ids(customers.SearchFilter(text="张三")) == [customer.id]


def test_merge_moves_the_history(clerk, manager):
    keep = make(clerk, name="张三", mobile="13812345678", tags=["老客户"])
    other = make(clerk, name="张三", mobile="13900001111", tags=["团购"])
    Reception.create(
        channel="phone", category="consult", customer=other, content="问保养", handler=clerk
    )
    ServiceEvent.create(customer=other, kind="purchase", date=dt.date(2026, 1, 5))
    with pytest.raises(PermissionDenied):
        customers.merge(clerk, keep.id, other.id)
    customers.merge(manager, keep.id, other.id)
    assert Reception.select().where(Reception.customer == keep).count() == 1
    assert ServiceEvent.select().where(ServiceEvent.customer == keep).count() == 1
    merged = customers.get(other.id)
    assert merged.status == "merged" and merged.merged_into_id == keep.id
    assert set(customers.get(keep.id).tags.split(",")) == {"老客户", "团购"}
    assert customers.search_ids(customers.SearchFilter(text="13900001111")) == []
    assert AuditLog.select().where(AuditLog.action == "merge").count() == 1


def test_merge_with_an_untagged_file_writes_no_empty_tag(clerk, manager):
    """The kept file has no tags: the merged tags are the other file's, with no empty one."""
    keep = make(clerk, name="张三", mobile="13812345678")
    other = make(clerk, name="张三", mobile="13900001111", tags=["团购"])
    customers.merge(manager, keep.id, other.id)
    kept = customers.get(keep.id)
    assert kept.tags == "团购"
    assert [row.tag for row in CustomerTag.select().where(CustomerTag.customer == keep.id)] == [
        "团购"
    ]
