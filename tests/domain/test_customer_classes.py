"""Classes that follow the facts: a dissatisfied visit or an open complaint marks 不满意客户, a
satisfied visit or a closed complaint clears it back to the class before; 新客户 becomes 普通
after the set months; every change is on the customer's history."""

from __future__ import annotations

import datetime as dt

from csoffice import complaints, customer_classes, customer_history, customers, settings, visits
from csoffice.complaints import ComplaintInput, StepInput
from csoffice.db.models import Customer
from csoffice.visits import ResultInput


def vip(actor) -> int:
    data = customers.CustomerInput(name="张伟", mobile="13812345678", customer_class="vip")
    return customers.create(actor, data).id


def call(actor, customer_id: int, score: int) -> None:
    visit = visits.schedule(actor, customer_id, dt.date.today(), note="回访")
    visits.record_result(actor, visit.id, ResultInput(True, {}, score))


def klass(customer_id: int) -> str:
    return Customer.get_by_id(customer_id).customer_class


def test_dissatisfied_visit_marks_and_satisfied_visit_clears(clerk):
    cid = vip(clerk)
    call(clerk, cid, 3)
    assert klass(cid) == "vip"  # neutral: nothing changes
    call(clerk, cid, 2)
    assert klass(cid) == "dissatisfied"
    call(clerk, cid, 3)
    assert klass(cid) == "dissatisfied"  # a neutral call does not clear it
    call(clerk, cid, 5)
    assert klass(cid) == "vip"  # back to the class before
    history = [e for e in customer_history.history(cid) if e.kind == "class"]
    assert [e.title for e in history] == ["不满意客户 → 重要客户/VIP", "重要客户/VIP → 不满意客户"]
    assert "回访" in history[1].detail


def test_open_complaint_marks_until_it_is_closed(clerk, manager):
    cid = vip(clerk)
    complaint = complaints.create(
        clerk,
        ComplaintInput(
            channel="phone",
            customer_id=cid,
            contact_name="张伟",
            contact_phone="13812345678",
            category="quality",
            facts="空调漏水",
        ),
    )
    assert klass(cid) == "dissatisfied"
    call(clerk, cid, 5)
    assert klass(cid) == "dissatisfied"  # the complaint is still open
    for action, step in (
        ("assign", StepInput(department="aftersales", handler_name="李师傅")),
        ("handle", StepInput(result="更换配件", company_at_fault=False)),
        ("inform", StepInput(customer_opinion="满意", satisfaction=4, satisfaction_reason="及时")),
    ):
        complaints.move(clerk, complaint.id, action, step)
        assert klass(cid) == "dissatisfied"  # open until it is closed
    complaints.move(clerk, complaint.id, "close", StepInput())
    assert klass(cid) == "vip"
    assert [e.detail for e in customer_history.history(cid) if e.kind == "class"] == [
        "取消不满意客户：回访满意或投诉已结案",
        "标为不满意客户：有未结投诉",
    ]


def test_new_customers_become_ordinary_after_the_set_months(clerk, manager):
    settings.put(manager, {"customers.new_months": 3})
    data = customers.CustomerInput(name="李娜", mobile="13912345678", customer_class="new")
    cid = customers.create(clerk, data).id
    Customer.update(created_at=dt.datetime(2026, 1, 10, 9)).where(Customer.id == cid).execute()
    assert customer_classes.age_new_customers(clerk, dt.date(2026, 4, 9)) == 0
    assert customer_classes.age_new_customers(clerk, dt.date(2026, 4, 11)) == 1
    assert klass(cid) == "ordinary"
    assert customer_classes.age_new_customers(clerk, dt.date(2026, 4, 12)) == 0
    (entry,) = [e for e in customer_history.history(cid) if e.kind == "class"]
    assert entry.title == "新建客户 → 普通客户" and "3" in entry.detail


def test_reminders_are_computed_from_the_event(clerk, manager):
    from csoffice import service_events
    from csoffice.service_events import ServiceEventInput

    cid = vip(clerk)
    add = service_events.add
    renewal = add(clerk, cid, ServiceEventInput(kind="insurance", date=dt.date(2024, 2, 29)))
    assert renewal.remind_on == dt.date(2025, 2, 28)  # one year on, the month's last day
    service = add(clerk, cid, ServiceEventInput(kind="maintenance", date=dt.date(2026, 8, 31)))
    assert service.remind_on == dt.date(2027, 2, 28)
    typed = ServiceEventInput(kind="inspection", date=dt.date(2026, 3, 1))
    typed.remind_on = dt.date(2026, 9, 1)
    assert add(clerk, cid, typed).remind_on == dt.date(2026, 9, 1)  # what the clerk typed wins
    assert (
        add(clerk, cid, ServiceEventInput(kind="repair", date=dt.date(2026, 3, 1))).remind_on
        is None
    )
    settings.put(manager, {"reminders.months": {"maintenance": 3}})
    again = add(clerk, cid, ServiceEventInput(kind="maintenance", date=dt.date(2026, 3, 1)))
    assert again.remind_on == dt.date(2026, 6, 1)
