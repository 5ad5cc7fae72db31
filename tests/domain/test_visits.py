"""Return visits: due dates from each rule (month ends, 29 February), idempotent scheduling,
recording results, rescheduling an unreached call, dissatisfied answers, the sample check."""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest

from csoffice import complaints, customers, service_events, settings, visit_rules, visits
from csoffice.complaints import ComplaintInput, StepInput
from csoffice.db.models import AuditLog, ReturnVisit, ServiceEvent
from csoffice.errors import Conflict, PermissionDenied, ValidationError
from csoffice.service_events import ServiceEventInput
from csoffice.visits import ResultInput, Rule, VisitFilter

D = dt.date


def customer(actor, name="张伟", mobile="13812345678") -> int:
    return customers.create(actor, customers.CustomerInput(name=name, mobile=mobile)).id


def event(actor, customer_id: int, kind: str, date: dt.date, product="格力空调 KFR-35") -> int:
    data = ServiceEventInput(kind=kind, date=date, product=product)
    return service_events.add(actor, customer_id, data, today=date).id


def visits_of(customer_id: int) -> list[ReturnVisit]:
    return list(
        ReturnVisit.select()
        .where(ReturnVisit.customer == customer_id)
        .order_by(ReturnVisit.due_on, ReturnVisit.kind)
    )


# --- due dates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "start", "due"),
    [
        (Rule("7dc", ("delivery",), days=7), D(2026, 3, 1), D(2026, 3, 8)),
        (Rule("7dc", ("delivery",), days=7), D(2026, 12, 28), D(2027, 1, 4)),
        (Rule("3dc", ("repair",), days=3), D(2024, 2, 27), D(2024, 3, 1)),
        (Rule("3dc", ("repair",), days=3), D(2025, 2, 27), D(2025, 3, 2)),
        (Rule("1m", ("purchase",), months=1), D(2026, 1, 15), D(2026, 2, 15)),
        (Rule("1m", ("purchase",), months=1), D(2025, 1, 31), D(2025, 2, 28)),
        (Rule("1m", ("purchase",), months=1), D(2024, 1, 31), D(2024, 2, 29)),
        (Rule("1m", ("purchase",), months=1), D(2026, 3, 31), D(2026, 4, 30)),
        (Rule("1m", ("purchase",), months=1), D(2026, 12, 31), D(2027, 1, 31)),
        (Rule("1y", ("purchase",), months=12), D(2024, 2, 29), D(2025, 2, 28)),
        (Rule("1y", ("purchase",), months=12), D(2027, 2, 28), D(2028, 2, 28)),
        (Rule("1y", ("purchase",), months=12), D(2025, 6, 30), D(2026, 6, 30)),
    ],
)
def test_due_dates(rule, start, due):
    assert rule.due(start) == due
    assert rule.earliest_start(due) <= start <= rule.latest_start(due)


def test_rules_from_settings(manager):
    found = visits.rules()
    assert found["7dc"].events == ("delivery", "purchase", "handover")
    assert found["7dc"].days == 7
    assert (found["3dc"].days, found["3dc"].window_end) == (3, 5)
    assert found["1m"].months == 1 and found["1y"].months == 12
    assert found["complaint"].start == "complaint" and found["complaint"].days == 3
    assert found["7dc_outlet"].condition == visit_rules.Condition("source", "二级网点")
    assert found["key_quarterly"].repeat_months == 3
    specs = visits.rule_specs()
    by_code = {spec["code"]: spec for spec in specs}
    by_code["1y"]["off"] = True
    by_code["3dc"]["days"] = 4
    visits.save_rules(manager, specs)
    found = visits.rules()
    assert "1y" not in found and found["3dc"].days == 4
    assert "1y" in {spec["code"] for spec in visits.rule_specs()}  # kept, switched off


def test_rules_of_the_first_release_are_read(manager):
    """A database from release 0.1 keeps its rules as a dict by kind."""
    legacy = {
        "7dc": {"events": ["delivery", "purchase"], "days": 7},
        "3dc": {"events": ["repair"], "days": 5},
        "1m": {"events": ["purchase"], "days": "soon"},
        "1y": {"events": ["purchase"], "months": 12, "off": True},
        "complaint": {"days": 3},
    }
    settings.put(manager, {"visits.rules": legacy})
    found = visits.rules()
    assert set(found) == {"7dc", "3dc", "complaint"}
    assert found["3dc"] == Rule("3dc", ("repair",), days=5, code="3dc")
    assert found["complaint"] == Rule("complaint", (), days=3, start="complaint", code="complaint")


# --- scheduling from events ------------------------------------------------------------------


def test_each_rule_schedules_on_its_due_date(clerk):
    cid = customer(clerk)
    event(clerk, cid, "purchase", D(2025, 1, 31))
    repair = event(clerk, cid, "repair", D(2025, 2, 10))
    assert visits.schedule_due_visits(clerk, D(2025, 2, 6)) == 0
    assert visits.schedule_due_visits(clerk, D(2025, 2, 7)) == 1  # 7DC
    assert visits.schedule_due_visits(clerk, D(2025, 2, 13)) == 1  # 3DC
    assert visits.schedule_due_visits(clerk, D(2025, 2, 27)) == 0
    assert visits.schedule_due_visits(clerk, D(2025, 2, 28)) == 1  # one month: 28 February
    got = [(v.kind, v.due_on) for v in visits_of(cid)]
    assert got == [("7dc", D(2025, 2, 7)), ("3dc", D(2025, 2, 13)), ("1m", D(2025, 2, 28))]
    three = ReturnVisit.get(ReturnVisit.kind == "3dc")
    assert three.service_event_id == repair and three.status == "due"
    assert three.assigned_to_id == clerk.id  # whoever entered the event makes the call
    # One year after 31 January 2025; the lookback lets a late run still create it.
    assert visits.schedule_due_visits(clerk, D(2026, 2, 3)) == 1
    assert visits_of(cid)[-1].due_on == D(2026, 1, 31)


def test_one_year_after_29_february(clerk):
    cid = customer(clerk)
    event(clerk, cid, "purchase", D(2024, 2, 29))
    visits.schedule_due_visits(clerk, D(2024, 3, 31))
    assert [v.due_on for v in visits_of(cid) if v.kind == "1m"] == [D(2024, 3, 29)]
    assert visits.schedule_due_visits(clerk, D(2025, 2, 27)) == 0
    assert visits.schedule_due_visits(clerk, D(2025, 2, 28)) == 1
    assert [v.due_on for v in visits_of(cid) if v.kind == "1y"] == [D(2025, 2, 28)]


def test_scheduling_is_idempotent(clerk):
    cid = customer(clerk)
    event(clerk, cid, "purchase", D(2026, 3, 1))
    event(clerk, cid, "repair", D(2026, 3, 20))
    first = visits.schedule_due_visits(clerk, D(2026, 4, 5))
    assert first == 3  # 7DC, 3DC, one month
    for _ in range(3):
        assert visits.schedule_due_visits(clerk, D(2026, 4, 5)) == 0
    assert len(visits_of(cid)) == 3
    # Even a done or cancelled call is never scheduled again for the same event.
    seven = ReturnVisit.get(ReturnVisit.kind == "7dc")
    visits.cancel(clerk, seven.id, "客户已搬走")
    assert visits.schedule_due_visits(clerk, D(2026, 4, 6)) == 0
    assert AuditLog.select().where(AuditLog.action == "schedule").count() == 1


def test_unique_index_holds_even_without_the_check(clerk):
    cid = customer(clerk)
    eid = event(clerk, cid, "repair", D(2026, 3, 1))
    visits.schedule_due_visits(clerk, D(2026, 3, 10))
    from peewee import IntegrityError

    with pytest.raises(IntegrityError):
        ReturnVisit.create(customer=cid, kind="3dc", due_on=D(2026, 3, 4), service_event=eid)


def test_purchase_and_its_delivery_give_one_seven_day_call(clerk):
    cid = customer(clerk)
    event(clerk, cid, "purchase", D(2026, 3, 1))
    event(clerk, cid, "delivery", D(2026, 3, 6))
    visits.schedule_due_visits(clerk, D(2026, 3, 20))
    assert [(v.kind, v.due_on) for v in visits_of(cid)] == [("7dc", D(2026, 3, 8))]
    # A delivery of a later deal is a new occasion.
    event(clerk, cid, "delivery", D(2026, 6, 1))
    visits.schedule_due_visits(clerk, D(2026, 6, 8))
    sevens = [v.due_on for v in visits_of(cid) if v.kind == "7dc"]
    assert sevens == [D(2026, 3, 8), D(2026, 6, 8)]


def test_old_voided_and_archived_events_schedule_nothing(clerk, manager):
    cid = customer(clerk)
    event(clerk, cid, "repair", D(2025, 1, 1))  # fell due long before the lookback
    voided = event(clerk, cid, "repair", D(2026, 3, 1))
    service_events.void(clerk, voided, "录入错误")
    other = customer(clerk, "李娜", "13912345678")
    event(clerk, other, "repair", D(2026, 3, 1))
    customers.archive(manager, other, "客户注销")
    assert visits.schedule_due_visits(clerk, D(2026, 3, 10)) == 0
    assert visits.schedule_due_visits(clerk, D(2026, 3, 10), lookback_days=3650) == 1


def test_complaint_handled_schedules_a_confirmation_call(clerk):
    cid = customer(clerk)
    complaint = complaints.create(
        clerk,
        ComplaintInput(
            customer_id=cid,
            category="quality",
            facts="空调异响",
            channel="phone",
            received_at=dt.datetime(2026, 3, 29, 10, 0),
        ),
    )
    handled = dt.datetime(2026, 3, 30, 16, 0)
    complaints.move(
        clerk,
        complaint.id,
        "assign",
        StepInput(department="aftersales", handler_name="李师傅"),
        at=handled,
    )
    assert visits.schedule_due_visits(clerk, D(2026, 4, 10)) == 0  # not handled yet
    complaints.move(
        clerk,
        complaint.id,
        "handle",
        StepInput(result="已更换", company_at_fault=False),
        at=handled,
    )
    assert visits.schedule_due_visits(clerk, D(2026, 4, 1)) == 0
    assert visits.schedule_due_visits(clerk, D(2026, 4, 2)) == 1
    visit = ReturnVisit.get(ReturnVisit.kind == "complaint")
    assert (visit.complaint_id, visit.due_on, visit.assigned_to_id) == (
        complaint.id,
        D(2026, 4, 2),
        clerk.id,
    )
    assert visits.schedule_due_visits(clerk, D(2026, 4, 3)) == 0


# --- scheduling by hand --------------------------------------------------------------------


def test_schedule_by_hand_and_refusals(clerk, viewer):
    cid = customer(clerk)
    today = D(2026, 5, 1)
    with pytest.raises(ValidationError) as error:
        visits.schedule(clerk, None, today - dt.timedelta(days=1), today=today)
    assert set(error.value.errors) == {"customer", "due_on"}
    with pytest.raises(PermissionDenied):
        visits.schedule(viewer, cid, today, today=today)
    visit = visits.schedule(clerk, cid, D(2026, 5, 3), clerk.id, "询问装修进度", today=today)
    assert (visit.kind, visit.status, visit.note) == ("manual", "due", "询问装修进度")
    assert visits.search_ids(VisitFilter(view="due"), today=today) == []
    assert visits.search_ids(VisitFilter(view="upcoming"), today=today) == [visit.id]


# --- recording results ----------------------------------------------------------------------


@pytest.fixture
def due_visit(clerk):
    cid = customer(clerk)
    event(clerk, cid, "repair", D(2026, 3, 1))
    visits.schedule_due_visits(clerk, D(2026, 3, 4))
    return ReturnVisit.get(ReturnVisit.kind == "3dc")


def test_record_a_reached_call(clerk, due_visit):
    questions = visits.questions("3dc")
    assert questions[0] == "问题是否已解决？"
    outcome = visits.record_result(
        clerk,
        due_visit.id,
        ResultInput(True, {questions[0]: "已解决", questions[1]: ""}, 5, "客户表示感谢"),
        at=dt.datetime(2026, 3, 4, 10, 30),
    )
    assert (outcome.status, outcome.dissatisfied, outcome.recheck_id) == ("done", False, None)
    stored = ReturnVisit.get_by_id(due_visit.id)
    assert (stored.reached, stored.satisfaction, stored.attempts) == (True, 5, 1)
    assert stored.done_by_id == clerk.id and stored.done_at == dt.datetime(2026, 3, 4, 10, 30)
    assert json.loads(stored.answers) == {questions[0]: "已解决"}
    with pytest.raises(Conflict):
        visits.record_result(clerk, due_visit.id, ResultInput(True, {}, 4))


def test_reached_needs_a_satisfaction(clerk, due_visit):
    with pytest.raises(ValidationError) as error:
        visits.record_result(clerk, due_visit.id, ResultInput(True, {}, None))
    assert "satisfaction" in error.value.errors
    with pytest.raises(ValidationError):
        visits.record_result(clerk, due_visit.id, ResultInput(True, {}, 6))
    assert ReturnVisit.get_by_id(due_visit.id).status == "due"


def test_not_reached_is_rescheduled_and_counted_until_the_limit(clerk, due_visit):
    first = visits.record_result(
        clerk, due_visit.id, ResultInput(False, remarks="无人接听"), dt.datetime(2026, 3, 4, 9)
    )
    assert (first.status, first.attempts, first.due_on) == ("due", 1, D(2026, 3, 5))
    # Tried late (two days after it was due): the next attempt is the day after the call.
    second = visits.record_result(
        clerk, due_visit.id, ResultInput(False, remarks="关机"), dt.datetime(2026, 3, 7, 9)
    )
    assert (second.status, second.attempts, second.due_on) == ("due", 2, D(2026, 3, 8))
    row = visits.rows([due_visit.id], D(2026, 3, 8))[0]
    assert row.result_label == "尚未联系上（已尝试 2 次）"
    third = visits.record_result(clerk, due_visit.id, ResultInput(False), dt.datetime(2026, 3, 8))
    assert (third.status, third.attempts) == ("done", 3)
    stored = ReturnVisit.get_by_id(due_visit.id)
    assert stored.reached is False and stored.remarks == "无人接听\n关机"
    assert visits.rows([stored.id])[0].result_label == "未联系上"


def test_retry_days_and_no_limit(manager, clerk, due_visit):
    settings.put(manager, {"visits.retry_days": 2, "visits.max_attempts": 0})
    at = dt.datetime(2026, 3, 4, 9)
    for _attempt in range(5):
        outcome = visits.record_result(clerk, due_visit.id, ResultInput(False), at)
        at = dt.datetime.combine(outcome.due_on, dt.time(9))
    assert (outcome.status, outcome.attempts, outcome.due_on) == ("due", 5, D(2026, 3, 14))


def test_dissatisfied_is_called_again_and_can_become_a_complaint(clerk, due_visit):
    outcome = visits.record_result(
        clerk,
        due_visit.id,
        ResultInput(True, {"问题是否已解决？": "没有，还是漏水"}, 2, "客户情绪激动"),
        dt.datetime(2026, 3, 4, 11),
    )
    assert outcome.dissatisfied and outcome.recheck_id
    recheck = ReturnVisit.get_by_id(outcome.recheck_id)
    assert (recheck.kind, recheck.due_on, recheck.recheck_of_id) == (
        "recheck",
        D(2026, 3, 7),
        due_visit.id,
    )
    view = visits.view(recheck.id, D(2026, 3, 7))
    assert any("没有，还是漏水" in line for line in view.background)
    assert "维修" in view.subject

    draft = visits.complaint_draft_from_visit(due_visit.id)
    assert draft.customer_id == due_visit.customer_id and draft.channel == "phone"
    assert draft.category == "repair" and draft.contact_phone == "13812345678"
    assert "没有，还是漏水" in draft.facts and "客户情绪激动" in draft.facts
    complaint = visits.raise_complaint(clerk, due_visit.id, draft)
    assert complaint.customer_id == due_visit.customer_id and complaint.receiver_id == clerk.id
    assert ReturnVisit.get_by_id(due_visit.id).raised_complaint_id == complaint.id
    recheck = ReturnVisit.get_by_id(recheck.id)
    assert recheck.status == "cancelled" and complaint.number in recheck.note
    assert visits.view(due_visit.id).raised_complaint_number == complaint.number
    with pytest.raises(Conflict):
        visits.link_complaint(
            clerk,
            due_visit.id,
            complaints.create(clerk, visits.complaint_draft_from_visit(due_visit.id)).id,
        )


def test_questions_from_settings(manager):
    assert visits.questions("7dc")[0] == "商品送达时是否完好、齐全？"
    settings.put(manager, {"visits.questions": {"7dc": ["车辆使用是否正常？", " "]}})
    assert visits.questions("7dc") == ["车辆使用是否正常？"]
    assert visits.questions("1m") == ["产品使用是否正常？", "使用中有没有疑问？"]


def test_cancel_and_reassign(clerk, manager, viewer, due_visit):
    with pytest.raises(ValidationError):
        visits.cancel(clerk, due_visit.id, " ")
    with pytest.raises(PermissionDenied):
        visits.cancel(viewer, due_visit.id, "重复")
    with pytest.raises(ValidationError):
        visits.reassign(clerk, due_visit.id, viewer.id)
    assert visits.reassign(clerk, due_visit.id, manager.id).assigned_to_id == manager.id
    assert visits.cancel(clerk, due_visit.id, "重复").status == "cancelled"
    with pytest.raises(Conflict):
        visits.record_result(clerk, due_visit.id, ResultInput(True, {}, 4))


# --- the list -------------------------------------------------------------------------------


def test_due_list_filters(clerk, manager):
    today = D(2026, 4, 10)
    a, b = customer(clerk), customer(clerk, "李娜", "13912345678")
    event(clerk, a, "repair", D(2026, 4, 1))  # 3DC due 4 April: overdue
    event(manager, b, "repair", D(2026, 4, 7))  # 3DC due today, the manager's
    event(clerk, b, "delivery", D(2026, 4, 2))  # 7DC due 9 April
    visits.schedule_due_visits(clerk, today)
    later = visits.schedule(clerk, a, D(2026, 4, 20), None, "回访", today=today)
    due = visits.search_ids(VisitFilter(view="due"), today=today)
    rows = visits.rows(due, today)
    assert [(r.customer_name, r.kind, r.overdue_days) for r in rows] == [
        ("张伟", "3dc", 4),  # due on day 3, on time until day 5
        ("李娜", "7dc", 1),
        ("李娜", "3dc", -2),  # due today, on time until 12 April
    ]
    assert [r.deadline_label for r in rows] == ["逾期 4 天", "逾期 1 天", "2026-04-12前"]
    assert rows[0].phone == "138****5678" and "维修" in rows[0].subject
    assert visits.due_ids(today) == due
    assert len(visits.search_ids(VisitFilter(view="due", kind="3dc"), today=today)) == 2
    mine = visits.search_ids(VisitFilter(view="due", staff_id=manager.id), today=today)
    assert [r.customer_name for r in visits.rows(mine, today)] == ["李娜"]
    assert visits.search_ids(VisitFilter(view="upcoming", unassigned=True), today=today) == [
        later.id
    ]
    by_customer = visits.search_ids(VisitFilter(view="all"), "customer", False, today)
    assert visits.rows(by_customer, today)[0].customer_name == "张伟"


# --- the sample check -----------------------------------------------------------------------


def test_sample_check_is_the_managers_and_draws_last_months_calls(clerk, manager):
    for n in range(8):
        cid = customer(clerk, f"客户{n}", f"1381234{n:04d}")
        event(clerk, cid, "repair", D(2026, 3, 1 + n))
    visits.schedule_due_visits(clerk, D(2026, 3, 31))
    ids = [v.id for v in ReturnVisit.select().order_by(ReturnVisit.id)]
    for n, visit_id in enumerate(ids[:6]):
        visits.record_result(
            clerk, visit_id, ResultInput(True, {}, 4), dt.datetime(2026, 3, 10 + n, 10)
        )
    visits.record_result(clerk, ids[6], ResultInput(False), dt.datetime(2026, 3, 20))
    today = D(2026, 4, 2)
    with pytest.raises(PermissionDenied):
        visits.sample_check(clerk, today)
    drawn = visits.sample_check(manager, today, size=4, rng=random.Random(3))
    samples = [ReturnVisit.get_by_id(i) for i in drawn]
    assert len(samples) == 4
    assert {s.kind for s in samples} == {"sample"} and {s.due_on for s in samples} == {today}
    assert {s.sample_of_id for s in samples} <= set(ids[:6])
    assert all(s.customer_id == ReturnVisit.get_by_id(s.sample_of_id).customer_id for s in samples)
    assert all(s.assigned_to_id == manager.id for s in samples)
    # The rest of the month: a call is sampled once; nothing left after that.
    again = visits.sample_check(manager, today, size=10)
    assert len(again) == 2
    with pytest.raises(Conflict):
        visits.sample_check(manager, today)
    # Calls done this month are not last month's.
    with pytest.raises(Conflict):
        visits.sample_check(manager, D(2026, 3, 31))


# --- export and checks ----------------------------------------------------------------------


def test_export(tmp_path, clerk, manager):
    from csoffice.transfer import read_table

    cid = customer(clerk)
    event(clerk, cid, "repair", D(2026, 3, 1))
    event(clerk, cid, "delivery", D(2026, 3, 10))
    visits.schedule_due_visits(clerk, D(2026, 3, 20))
    three = ReturnVisit.get(ReturnVisit.kind == "3dc")
    visits.record_result(
        clerk,
        three.id,
        ResultInput(True, {"问题是否已解决？": "是"}, 4),
        dt.datetime(2026, 3, 5, 9),
    )
    with pytest.raises(PermissionDenied):
        visits.export(clerk, tmp_path / "v.csv")
    assert visits.export(manager, tmp_path / "v.csv", D(2026, 3, 1), D(2026, 3, 10)) == 1
    table = read_table(tmp_path / "v.csv")
    assert table.headers[:11] == [
        "客户",
        "手机",
        "类型",
        "回访事由",
        "应回访日期",
        "状态",
        "完成时间",
        "回访结果",
        "尝试次数",
        "满意度",
        "员工",
    ]
    row = table.rows[0]
    assert row[2] == "维修后回访（3DC）" and row[4] == "2026-03-04"
    assert row[6] == "2026-03-05 09:00" and row[7] == "已联系上" and row[9] == "4"
    assert row[10] == "王芳" and row[11] == "问题是否已解决？：是"
    assert visits.export(manager, tmp_path / "all.xlsx") == 2
    assert visits.check_results() == []
    ReturnVisit.update(satisfaction=None).where(ReturnVisit.id == three.id).execute()
    assert len(visits.check_results()) == 1


def test_event_rows_stay_untouched(clerk):
    cid = customer(clerk)
    event(clerk, cid, "repair", D(2026, 3, 1))
    before = list(ServiceEvent.select().dicts())
    visits.schedule_due_visits(clerk, D(2026, 3, 10))
    assert list(ServiceEvent.select().dicts()) == before
