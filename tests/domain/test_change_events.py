"""The foundations' write paths tell the change hub what they changed, once their transaction
has committed: customers, receptions, answers, staff and settings."""

from __future__ import annotations

import pytest

from csoffice import answer_transfer, answers, auth, changes, customers, receptions, settings
from csoffice.answers import AnswerInput
from csoffice.changes import Change
from csoffice.customers import CustomerInput
from csoffice.db.database import db
from csoffice.errors import PermissionDenied, ValidationError
from csoffice.receptions import ReceptionInput


@pytest.fixture
def heard():
    """The kinds the hub announces during the test, in order."""
    kinds: list[Change] = []
    stop = changes.subscribe(kinds.append)
    yield kinds
    stop()


def test_customer_writes_announce_customer(clerk, manager, heard):
    first = customers.create(clerk, CustomerInput(name="张三", mobile="13812345678"))
    assert heard == [Change.CUSTOMER]
    heard.clear()
    customers.update(
        clerk, first.id, CustomerInput(name="张三丰", mobile="13812345678"), first.version
    )
    customers.archive(manager, first.id, "搬走了")
    customers.restore(manager, first.id)
    assert heard == [Change.CUSTOMER] * 3
    heard.clear()
    result = customers.bulk_create(manager, [(2, CustomerInput(name="李四", mobile="13900001111"))])
    assert result.created == 1 and heard == [Change.CUSTOMER]


def test_a_merge_announces_the_records_it_moved(clerk, manager, heard):
    keep = customers.create(clerk, CustomerInput(name="张三", mobile="13812345678"))
    other = customers.create(clerk, CustomerInput(name="张三", mobile="13900001111"))
    heard.clear()
    customers.merge(manager, keep.id, other.id)
    assert heard[0] == Change.CUSTOMER
    assert {Change.RECEPTION, Change.COMPLAINT, Change.CARD, Change.VISIT} <= set(heard)


def test_a_refused_write_announces_nothing(clerk, manager, heard):
    with pytest.raises(ValidationError):
        customers.create(clerk, CustomerInput(name="", mobile=""))
    with pytest.raises(PermissionDenied):
        customers.merge(clerk, 1, 2)  # a clerk may not merge
    assert heard == []


def test_a_write_inside_a_rolled_back_transaction_is_never_announced(clerk, heard):
    with pytest.raises(RuntimeError), db.atomic():
        customers.create(clerk, CustomerInput(name="张三", mobile="13812345678"))
        assert heard == []  # not yet: the caller's transaction is still open
        raise RuntimeError("the caller gives up")
    assert heard == []


def test_a_nested_write_is_announced_when_the_outer_transaction_commits(clerk, heard):
    with db.atomic():
        customers.create(clerk, CustomerInput(name="张三", mobile="13812345678"))
        assert heard == []
    assert heard == [Change.CUSTOMER]


def reception_input(**values) -> ReceptionInput:
    data = dict(caller_name="张三", caller_phone="13812345678", content="咨询保养套餐价格")
    data.update(values)
    return ReceptionInput(**data)


def test_reception_writes_announce_reception(clerk, heard):
    logged = receptions.create(clerk, reception_input(followup_needed=True))
    receptions.update(
        clerk, logged.id, reception_input(content="咨询保养和洗车", followup_needed=True)
    )
    receptions.mark_followup_done(clerk, logged.id, "已回电")
    receptions.void(clerk, logged.id, "登记错了")
    assert heard == [Change.RECEPTION] * 4


def test_answer_library_writes_announce_answer(manager, heard, tmp_path):
    entry = answers.create(manager, AnswerInput(question="周末营业吗？", text="周六日照常营业。"))
    answers.update(
        manager, entry.id, AnswerInput(question="周末营业吗？", text="周六日 9 点开门。")
    )
    answers.set_archived(manager, entry.id, True)
    assert heard == [Change.ANSWER] * 3
    heard.clear()
    path = tmp_path / "answers.xlsx"
    answers.set_archived(manager, entry.id, False)
    answer_transfer.export_library(manager, path)
    heard.clear()
    answer_transfer.import_library(manager, path)
    assert heard == [Change.ANSWER]


def test_a_reception_saved_with_an_answer_announces_both_once_committed(manager, heard):
    entry = answers.create(manager, AnswerInput(question="周末营业吗？", text="周六日照常营业。"))
    heard.clear()
    answers.save_reception(manager, reception_input(), answer_ids=[entry.id])
    assert heard == [Change.RECEPTION, Change.ANSWER]


def test_staff_writes_announce_staff(manager, heard):
    clerk = auth.create_staff(manager, "wang", "王五", auth.Role.CLERK, password="secret1")
    auth.update_staff(manager, clerk.id, "王小五", auth.Role.CLERK)
    auth.reset_password(manager, clerk.id, "secret22", "secret22")
    auth.clear_lockout(manager, clerk.id)
    auth.set_active(manager, clerk.id, False, "离职")
    assert heard == [Change.STAFF] * 5
    heard.clear()
    auth.update_staff(manager, clerk.id, "王小五", auth.Role.CLERK)  # nothing changed
    auth.set_active(manager, clerk.id, False)  # already inactive
    assert heard == []


def test_saving_settings_announces_settings(manager, heard):
    settings.put(manager, {"office.name": "客服中心"})
    assert heard == [Change.SETTINGS]
    heard.clear()
    settings.put(manager, {"office.name": "客服中心"})  # the same value: nothing changed
    assert heard == []


def test_first_run_announces_staff_and_settings(database, heard):
    auth.first_run("客服部", "李经理", "li", "topsecret", "topsecret")
    assert set(heard) == {Change.STAFF, Change.SETTINGS}
