"""Return-visit rules as settings: windows (3DC days 3–5), conditions (二级网点 day 10 from the
invoice, large repairs, customer class, member level), repeating care calls, checking what the
manager types, and re-planning the open calls when a rule changes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from csoffice import customers, service_events, settings, visits
from csoffice.db.models import AuditLog, MemberCard, ReturnVisit
from csoffice.errors import PermissionDenied, ValidationError
from csoffice.service_events import ServiceEventInput
from csoffice.visit_rules import Condition, Facts, Rule
from csoffice.visits import ResultInput

D = dt.date


def customer(actor, name="张伟", mobile="13812345678", **extra) -> int:
    data = customers.CustomerInput(name=name, mobile=mobile, **extra)
    return customers.create(actor, data).id


def event(actor, customer_id: int, kind: str, date: dt.date, amount: str = "") -> int:
    data = ServiceEventInput(kind=kind, date=date, product="轿车 A6L", amount=amount)
    return service_events.add(actor, customer_id, data, today=date).id


def calls(customer_id: int, kind: str | None = None) -> list[ReturnVisit]:
    query = ReturnVisit.select().where(ReturnVisit.customer == customer_id)
    if kind:
        query = query.where(ReturnVisit.kind == kind)
    return list(query.order_by(ReturnVisit.due_on, ReturnVisit.id))


def spec_of(code: str) -> tuple[list[dict], dict]:
    specs = visits.rule_specs()
    return specs, next(s for s in specs if s["code"] == code)


THREE_DC = Rule("3dc", ("repair",), days=3, window_end=5)


@pytest.mark.parametrize(
    ("repair", "due", "window_end"),
    [
        (D(2026, 3, 10), D(2026, 3, 13), D(2026, 3, 15)),
        (D(2026, 1, 29), D(2026, 2, 1), D(2026, 2, 3)),  # over a month's end
        (D(2026, 12, 30), D(2027, 1, 2), D(2027, 1, 4)),  # over the year's end
        (D(2024, 2, 26), D(2024, 2, 29), D(2024, 3, 2)),  # due on 29 February
        (D(2024, 2, 27), D(2024, 3, 1), D(2024, 3, 3)),  # over 29 February
        (D(2025, 2, 27), D(2025, 3, 2), D(2025, 3, 4)),  # no 29 February that year
        # Spring Festival 2026 (holiday 15–23 February): calls count calendar days.
        (D(2026, 2, 14), D(2026, 2, 17), D(2026, 2, 19)),
    ],
)
def test_3dc_is_due_on_day_3_and_on_time_until_day_5(repair, due, window_end):
    assert THREE_DC.due(repair) == due
    assert THREE_DC.window_end_on(repair) == window_end


def test_month_rule_window_counts_from_the_shifted_day():
    one_month = Rule("1m", ("purchase",), months=1, window_end=3)
    assert one_month.due(D(2025, 1, 31)) == D(2025, 2, 28)
    assert one_month.window_end_on(D(2025, 1, 31)) == D(2025, 3, 3)
    assert one_month.due(D(2024, 1, 31)) == D(2024, 2, 29)


def test_3dc_overdue_only_after_day_5(clerk):
    cid = customer(clerk)
    event(clerk, cid, "repair", D(2026, 1, 29))
    assert visits.schedule_due_visits(clerk, D(2026, 1, 31)) == 0
    assert visits.schedule_due_visits(clerk, D(2026, 2, 1)) == 1
    (call,) = calls(cid, "3dc")
    assert (call.due_on, call.window_end, call.rule) == (D(2026, 2, 1), D(2026, 2, 3), "3dc")
    standing = {
        day: visits.rows([call.id], day)[0] for day in (D(2026, 2, 1), D(2026, 2, 3), D(2026, 2, 4))
    }
    assert [r.overdue_days for r in standing.values()] == [-2, 0, 1]
    assert standing[D(2026, 2, 1)].in_window and not standing[D(2026, 2, 4)].in_window
    due_list = visits.due_ids(D(2026, 2, 2))
    assert due_list == [call.id]


def test_secondary_outlet_calls_on_day_10_from_the_invoice(clerk):
    outlet = customer(clerk, source="二级网点")
    shop = customer(clerk, "李娜", "13912345678", source="到店")
    for cid in (outlet, shop):
        event(clerk, cid, "purchase", D(2026, 1, 31))  # the invoice
        event(clerk, cid, "delivery", D(2026, 2, 2))
    for day in range(30):
        visits.schedule_due_visits(clerk, D(2026, 2, 1) + dt.timedelta(days=day))
    assert [(c.due_on, c.rule) for c in calls(outlet, "7dc")] == [(D(2026, 2, 10), "7dc_outlet")]
    assert [c.due_on for c in calls(shop, "7dc")] == [D(2026, 2, 7)]  # the purchase's day 7


def test_large_repair_gets_a_third_level_call(clerk):
    cid = customer(clerk)
    big = event(clerk, cid, "repair", D(2026, 3, 2), amount="12800")
    event(clerk, cid, "repair", D(2026, 3, 20), amount="480")
    visits.schedule_due_visits(clerk, D(2026, 3, 9))
    visits.schedule_due_visits(clerk, D(2026, 4, 10))
    (third,) = calls(cid, "level3")
    assert (third.service_event_id, third.due_on, third.window_end) == (
        big,
        D(2026, 3, 9),
        D(2026, 3, 12),
    )
    assert len(calls(cid, "3dc")) == 2  # both repairs still get their 3DC


def test_key_customers_every_quarter_once_per_period(clerk):
    key = customer(clerk, customer_class="vip")
    customer(clerk, "李娜", "13912345678")
    assert visits.schedule_due_visits(clerk, D(2026, 4, 1)) == 1
    assert visits.schedule_due_visits(clerk, D(2026, 4, 20)) == 0
    assert visits.schedule_due_visits(clerk, D(2026, 6, 30)) == 0
    assert visits.schedule_due_visits(clerk, D(2026, 7, 1)) == 1
    got = [(c.kind, c.due_on, c.window_end, c.period_start) for c in calls(key)]
    assert got == [
        ("care", D(2026, 4, 1), D(2026, 4, 30), D(2026, 4, 1)),
        ("care", D(2026, 7, 1), D(2026, 7, 30), D(2026, 7, 1)),
    ]


def test_quarterly_rule_on_29_february_and_month_ends():
    monthly = Rule("care", days=28, window_end=28, repeat_months=1, start="calendar")
    assert monthly.period_start(D(2024, 2, 29)) == D(2024, 2, 1)
    assert monthly.due(D(2024, 2, 1)) == monthly.window_end_on(D(2024, 2, 1)) == D(2024, 2, 28)
    day_60 = Rule("care", days=60, repeat_months=3, start="calendar")
    assert day_60.due(D(2024, 1, 1)) == D(2024, 2, 29)
    assert day_60.due(D(2025, 1, 1)) == D(2025, 3, 1)  # no 29 February: the next day
    quarterly = Rule("care", days=1, repeat_months=3, start="calendar")
    assert [quarterly.period_start(D(2026, m, 28)) for m in (1, 3, 4, 12)] == [
        D(2026, 1, 1),
        D(2026, 1, 1),
        D(2026, 4, 1),
        D(2026, 10, 1),
    ]


def test_conditions_test_the_facts():
    facts = Facts(source="二级网点", customer_class="vip", levels=frozenset({"gold"}))
    assert Condition("source", "二级网点").holds(facts)
    assert Condition("class", "vip").holds(facts)
    assert Condition("level", "gold").holds(facts) and not Condition("level", "silver").holds(facts)
    assert not Condition("amount", "5000").holds(facts)  # no event amount
    assert Condition("amount", "5000").holds(Facts(amount=Decimal("5000.00")))


def test_member_level_condition_schedules_for_holders_only(manager, clerk):
    from csoffice import members

    members.ensure_levels(manager)
    level = members.levels()[-1]
    holder = customer(clerk, "会员甲", "13712345678")
    customer(clerk, "李娜", "13912345678")
    card = members.enrol(manager, holder)
    MemberCard.update(level=level.id).where(MemberCard.id == card.id).execute()
    specs = visits.rule_specs()
    specs.append(
        {
            "kind": "care",
            "start": "calendar",
            "repeat_months": 12,
            "days": 1,
            "window_end": 31,
            "condition": {"field": "level", "value": level.code},
        }
    )
    visits.save_rules(manager, specs, today=D(2026, 1, 1))
    assert [c.kind for c in calls(holder, "care")] == ["care"]


# --- checking what the manager types --------------------------------------------------------


def _refused(manager, change: dict, index_of: str = "3dc") -> dict[str, str]:
    specs, spec = spec_of(index_of)
    before = settings.get("visits.rules")
    spec.update(change)
    with pytest.raises(ValidationError) as refused:
        visits.save_rules(manager, specs)
    assert settings.get("visits.rules") == before  # nothing stored
    index = specs.index(spec)
    return {
        k.split(".", 1)[1]: v for k, v in refused.value.errors.items() if k.startswith(f"{index}.")
    }


def test_impossible_due_day_is_refused(manager):
    assert "days" in _refused(manager, {"days": -1})
    assert "days" in _refused(manager, {"days": 4000})
    assert "days" in _refused(manager, {"days": 0, "months": 0, "window_end": 2})
    assert "days" in _refused(manager, {"days": "soon"})


def test_calendar_rule_due_day_within_its_period(manager):
    errors = _refused(manager, {"days": 90, "window_end": 90, "repeat_months": 1}, "key_quarterly")
    assert "1 到 28" in errors["days"] or "28" in errors["days"]
    assert "repeat_months" in _refused(manager, {"repeat_months": 5}, "key_quarterly")


def test_window_ending_before_it_starts_is_refused(manager):
    errors = _refused(manager, {"days": 5, "window_end": 3})
    assert errors["window_end"] == "最晚完成日不能早于应回访日（第 5 天）。"


def test_condition_on_a_field_that_does_not_exist_is_refused(manager):
    errors = _refused(manager, {"condition": {"field": "colour", "value": "红"}})
    assert "colour" in errors["condition"]
    errors = _refused(manager, {"condition": {"field": "class", "value": "gold"}})
    assert "gold" in errors["condition"]
    errors = _refused(manager, {"condition": {"field": "level", "value": "nosuch"}})
    assert "nosuch" in errors["condition"]
    errors = _refused(manager, {"condition": {"field": "amount", "value": "很多"}})
    assert "condition" in errors
    calendar = _refused(manager, {"condition": {"field": "amount", "value": "10"}}, "key_quarterly")
    assert "condition" in calendar


def test_unknown_event_kind_and_two_plain_rules_are_refused(manager):
    assert "washing" in _refused(manager, {"events": ["washing"]})["events"]
    assert "events" in _refused(manager, {"events": []})
    errors = _refused(manager, {"condition": None}, "7dc_outlet")
    assert "condition" in errors


def test_only_the_manager_changes_rules(clerk):
    with pytest.raises(PermissionDenied):
        visits.save_rules(clerk, visits.rule_specs())


# --- re-planning after a change ---------------------------------------------------------------


def test_changing_a_rule_replans_open_untried_calls(manager, clerk):
    a = customer(clerk)
    b = customer(clerk, "李娜", "13912345678")
    c = customer(clerk, "王强", "13612345678")
    for cid in (a, b, c):
        event(clerk, cid, "repair", D(2026, 5, 4))
    visits.schedule_due_visits(clerk, D(2026, 5, 7))
    (open_a,), (tried_b,), (done_c,) = calls(a, "3dc"), calls(b, "3dc"), calls(c, "3dc")
    visits.record_result(
        clerk, tried_b.id, ResultInput(reached=False), at=dt.datetime(2026, 5, 7, 10)
    )
    visits.record_result(clerk, done_c.id, ResultInput(True, {}, 5), at=dt.datetime(2026, 5, 7, 11))
    specs, spec = spec_of("3dc")
    spec.update(days=4, window_end=6)
    result = visits.save_rules(manager, specs, today=D(2026, 5, 7))
    assert (result.moved, result.cancelled) == (1, 0)
    open_a, tried_b, done_c = (ReturnVisit.get_by_id(v.id) for v in (open_a, tried_b, done_c))
    assert (open_a.due_on, open_a.window_end, open_a.status) == (
        D(2026, 5, 8),
        D(2026, 5, 10),
        "due",
    )
    assert tried_b.due_on == D(2026, 5, 8) and tried_b.window_end == D(2026, 5, 9)  # retried, kept
    assert done_c.due_on == D(2026, 5, 7) and done_c.status == "done"
    assert AuditLog.select().where(AuditLog.action == "replan").count() == 1


def test_switching_a_rule_off_cancels_its_open_calls(manager, clerk):
    cid = customer(clerk)
    event(clerk, cid, "purchase", D(2026, 3, 1))
    visits.schedule_due_visits(clerk, D(2026, 4, 1))
    (month,) = calls(cid, "1m")
    specs, spec = spec_of("1m")
    spec["off"] = True
    result = visits.save_rules(manager, specs, today=D(2026, 4, 1))
    assert result.cancelled == 1
    month = ReturnVisit.get_by_id(month.id)
    assert month.status == "cancelled" and "规则" in month.note
    assert visits.schedule_due_visits(clerk, D(2026, 4, 2)) == 0  # not made again


def test_a_new_condition_moves_calls_to_the_rule_that_now_decides(manager, clerk):
    cid = customer(clerk, source="二级网点")
    event(clerk, cid, "purchase", D(2026, 6, 1))
    specs, outlet = spec_of("7dc_outlet")
    outlet["off"] = True
    visits.save_rules(manager, specs, today=D(2026, 6, 8))
    (seven,) = calls(cid, "7dc")
    assert (seven.due_on, seven.rule) == (D(2026, 6, 8), "7dc")
    specs, outlet = spec_of("7dc_outlet")
    outlet["off"] = False
    result = visits.save_rules(manager, specs, today=D(2026, 6, 8))
    seven = ReturnVisit.get_by_id(seven.id)
    assert result.moved == 1 and (seven.due_on, seven.rule) == (D(2026, 6, 11), "7dc_outlet")


def test_class_condition_change_cancels_care_calls_for_others(manager, clerk):
    key = customer(clerk, customer_class="vip")
    visits.schedule_due_visits(clerk, D(2026, 4, 2))
    specs, spec = spec_of("key_quarterly")
    spec["condition"] = {"field": "class", "value": "new"}
    result = visits.save_rules(manager, specs, today=D(2026, 4, 2))
    assert result.cancelled == 1 and calls(key, "care")[0].status == "cancelled"
