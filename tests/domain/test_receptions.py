"""The reception log's rules: what a logged call must carry, edits audited, voiding, follow-ups."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from csoffice import customers, receptions, settings
from csoffice.db.models import AuditLog, Reception
from csoffice.errors import Conflict, PermissionDenied, ValidationError
from csoffice.receptions import DayFilter, ReceptionInput


def call(**values) -> ReceptionInput:
    data = dict(
        channel="phone",
        category="consult",
        caller_name="张三",
        caller_phone="13812345678",
        content="咨询保养套餐价格",
    )
    data.update(values)
    return ReceptionInput(**data)


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


def test_create_stores_the_call_and_audits_it(clerk):
    reception = receptions.create(clerk, call(outcome="已报价，客户考虑", direction="out"))
    stored = Reception.get_by_id(reception.id)
    assert stored.caller_name == "张三"
    assert stored.caller_phone == "13812345678"
    assert stored.direction == "out"
    assert stored.handler_id == clerk.id
    assert stored.status == "active"
    assert stored.received_at <= dt.datetime.now()
    log = AuditLog.get(AuditLog.entity == "reception", AuditLog.entity_id == reception.id)
    assert log.action == "create" and log.staff_id == clerk.id
    assert "张三" in log.summary


def test_refuses_what_cannot_be_logged(clerk):
    with pytest.raises(ValidationError) as caught:
        receptions.create(
            clerk,
            ReceptionInput(
                channel="fax",
                category="gossip",
                caller_phone="12345",
                content="",
                received_at=dt.datetime.now() + dt.timedelta(hours=2),
            ),
        )
    errors = caught.value.errors
    assert set(errors) >= {"channel", "category", "caller_phone", "received_at"}
    assert "content" not in errors  # a walk-in needs a phone or a name, no more
    assert "电话" in errors["caller_phone"] or "号码" in errors["caller_phone"]
    with pytest.raises(ValidationError) as caught:
        receptions.create(clerk, call(caller_name="", caller_phone=""))
    assert "caller_name" in caught.value.errors
    assert Reception.select().count() == 0


def test_normalises_phone_and_direction(clerk):
    reception = receptions.create(
        clerk, call(caller_phone="+86 138-1234-5678", channel="visit", direction="out")
    )
    assert reception.caller_phone == "13812345678"
    assert reception.direction == "in"  # only calls have a direction


def test_viewer_may_not_log(viewer):
    with pytest.raises(PermissionDenied):
        receptions.create(viewer, call())


def test_handler_can_be_changed_and_must_be_active(clerk, manager):
    reception = receptions.create(clerk, call(handler_id=manager.id))
    assert reception.handler_id == manager.id
    clerk.active = False
    clerk.save()
    with pytest.raises(ValidationError) as caught:
        receptions.create(manager, call(handler_id=clerk.id))
    assert "handler" in caught.value.errors


def test_followup_defaults_to_next_day_and_cannot_precede_the_call(clerk):
    today = dt.date.today()
    reception = receptions.create(clerk, call(followup_needed=True, received_at=at(today, 0, 1)))
    assert reception.followup_due == today + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        receptions.create(
            clerk, call(followup_needed=True, followup_due=today - dt.timedelta(days=3))
        )
    assert "followup_due" in caught.value.errors
    # A due date without the box ticked is not a follow-up.
    plain = receptions.create(clerk, call(followup_due=today))
    assert plain.followup_due is None and not plain.followup_needed


def test_linked_customer_fills_the_callers_name(clerk):
    customer = customers.create(clerk, customers.CustomerInput(name="李四", mobile="13900001111"))
    reception = receptions.create(clerk, call(caller_name="", customer_id=customer.id))
    assert reception.caller_name == "李四"
    assert reception.customer_id == customer.id


def test_edit_is_audited_with_before_and_after(clerk, manager):
    reception = receptions.create(clerk, call())
    changed = receptions.update(
        manager,
        reception.id,
        call(category="repair", content="空调不制冷，预约上门检修", outcome="已派单"),
    )
    assert changed.category == "repair"
    assert changed.handler_id == clerk.id  # an edit by the manager keeps the handler
    log = AuditLog.get(AuditLog.entity_id == reception.id, AuditLog.action == "update")
    changes = json.loads(log.changes)
    assert changes["category"] == ["consult", "repair"]
    assert changes["content"] == ["咨询保养套餐价格", "空调不制冷，预约上门检修"]
    assert changes["outcome"] == ["", "已派单"]
    assert "caller_name" not in changes
    # Saving without a change writes no audit row.
    receptions.update(manager, reception.id, receptions.to_input(changed))
    assert AuditLog.select().where(AuditLog.action == "update").count() == 1


def test_void_needs_a_reason_and_freezes_the_record(clerk):
    reception = receptions.create(clerk, call())
    with pytest.raises(ValidationError):
        receptions.void(clerk, reception.id, "  ")
    voided = receptions.void(clerk, reception.id, "重复登记")
    assert voided.status == "voided" and voided.void_reason == "重复登记"
    assert Reception.select().count() == 1  # never deleted
    with pytest.raises(Conflict):
        receptions.update(clerk, reception.id, call(content="改"))
    with pytest.raises(Conflict):
        receptions.void(clerk, reception.id, "再次")
    today = DayFilter.day(dt.date.today())
    assert receptions.search_ids(today) == []
    assert receptions.search_ids(DayFilter.day(dt.date.today(), include_voided=True)) == [
        reception.id
    ]


def test_followup_done(clerk):
    reception = receptions.create(clerk, call(followup_needed=True, outcome="待查询库存"))
    assert [r.id for r in receptions.followups_owed()] == [reception.id]
    done = receptions.mark_followup_done(clerk, reception.id, "已回电告知到货时间")
    assert done.followup_done_at is not None
    assert done.outcome == "待查询库存\n已回电告知到货时间"
    assert receptions.followups_owed() == []
    with pytest.raises(Conflict):
        receptions.mark_followup_done(clerk, reception.id)
    plain = receptions.create(clerk, call())
    with pytest.raises(Conflict):
        receptions.mark_followup_done(clerk, plain.id)


def test_followups_due_lists_what_is_due_by_a_day(clerk):
    today = dt.date.today()
    due_today = receptions.create(clerk, call(followup_needed=True, followup_due=today))
    receptions.create(clerk, call(followup_needed=True, followup_due=today + dt.timedelta(days=5)))
    assert [r.id for r in receptions.followups_due(today)] == [due_today.id]
    row = receptions.row(due_today.id)
    assert row.followup_pending
    assert not row.followup_overdue(today)
    assert row.followup_overdue(today + dt.timedelta(days=1))


def test_day_view_filters(clerk, manager):
    today = dt.date.today()
    yesterday = today - dt.timedelta(days=1)
    a = receptions.create(clerk, call(received_at=at(yesterday, 9)))
    b = receptions.create(
        clerk, call(channel="visit", category="repair", received_at=at(today, 0, 5))
    )
    c = receptions.create(
        manager,
        call(
            channel="wechat",
            category="complaint",
            followup_needed=True,
            received_at=at(today, 0, 10),
        ),
    )
    assert receptions.search_ids(DayFilter.day(today)) == [c.id, b.id]  # newest first
    assert receptions.search_ids(DayFilter.day(today), descending=False) == [b.id, c.id]
    assert receptions.search_ids(DayFilter(date_from=yesterday, date_to=today)) == [
        c.id,
        b.id,
        a.id,
    ]
    assert receptions.search_ids(DayFilter(channel="visit")) == [b.id]
    assert receptions.search_ids(DayFilter(category="complaint")) == [c.id]
    assert receptions.search_ids(DayFilter(handler_id=clerk.id)) == [b.id, a.id]
    assert receptions.search_ids(DayFilter(followup_pending=True)) == [c.id]
    assert receptions.search_ids(DayFilter.day(yesterday, channel="visit")) == []
    assert receptions.count(DayFilter.day(today)) == 2
    assert receptions.search_ids(DayFilter(), sort="category", descending=False)[0] == c.id


def test_rows_carry_what_the_day_view_shows(clerk):
    customer = customers.create(
        clerk, customers.CustomerInput(name="王五", mobile="13700002222", company="华信商贸")
    )
    reception = receptions.create(
        clerk, call(customer_id=customer.id, caller_name="王五", caller_company="华信商贸")
    )
    [row] = receptions.rows([reception.id])
    assert row.customer_name == "王五"
    assert row.handler_name == "王芳"
    assert row.caller == "王五（华信商贸）"
    assert receptions.channel_label(row.channel) == "电话"
    assert receptions.category_label(row.category) == "咨询"
    assert receptions.rows([]) == []


def test_caller_lookup_as_digits_arrive(clerk):
    customers.create(
        clerk, customers.CustomerInput(name="赵六", mobile="13611112222", company="恒达物业")
    )
    customers.create(clerk, customers.CustomerInput(name="钱七", mobile="13611113333"))
    assert receptions.lookup_caller("136").total == 0  # too few digits to look
    both = receptions.lookup_caller("1361111")
    assert both.total == 2 and both.unique is None
    one = receptions.lookup_caller("1361111222")
    assert one.unique is not None and one.unique.name == "赵六"
    assert one.unique.company == "恒达物业"
    assert receptions.lookup_caller("３３３３").unique.name == "钱七"  # last four, full-width


def test_lookup_remembers_partners_by_their_last_call(clerk):
    receptions.create(
        clerk,
        call(
            caller_name="孙经理",
            caller_phone="02168889999",
            caller_company="顺丰速运",
            caller_kind="supplier",
        ),
    )
    found = receptions.lookup_caller("02168889999")
    assert found.total == 0
    assert (found.previous_name, found.previous_company, found.previous_kind) == (
        "孙经理",
        "顺丰速运",
        "supplier",
    )


def test_unknown_caller_becomes_a_customer_in_one_step(clerk):
    customer = receptions.create_customer_from_caller(clerk, "周八", "15800001234", "周氏五金")
    stored = customers.get(customer.id)
    assert (stored.name, stored.mobile, stored.company) == ("周八", "15800001234", "周氏五金")
    assert stored.customer_class == "new"
    assert stored.source == "电话"
    with pytest.raises(customers.DuplicateCustomer) as caught:
        receptions.create_customer_from_caller(clerk, "周八", "15800001234")
    assert caught.value.existing_id == customer.id
    assert "caller_phone" in caught.value.errors
    with pytest.raises(ValidationError) as caught:
        receptions.create_customer_from_caller(clerk, "", "15800009999")
    assert "caller_name" in caught.value.errors


def test_configured_channels_and_categories(manager):
    settings.put(
        manager,
        {"reception.channels": ["phone", "抖音"], "reception.categories": ["consult", "预约"]},
    )
    assert receptions.channels() == [("phone", "电话"), ("抖音", "抖音")]
    assert [code for code, _label in receptions.categories()] == ["consult", "预约"]
    made = receptions.create(manager, call(channel="抖音", category="预约"))
    assert receptions.channel_label(made.channel) == "抖音"
    with pytest.raises(ValidationError):
        receptions.create(manager, call(channel="visit"))
    # An edit keeps a code the office has since switched off.
    settings.put(manager, {"reception.channels": ["phone"]})
    receptions.update(manager, made.id, call(channel="抖音", category="预约", outcome="已约"))


def test_daily_figures(clerk, manager):
    today = dt.date.today()
    yesterday = today - dt.timedelta(days=1)
    old = receptions.create(
        clerk, call(followup_needed=True, received_at=at(yesterday, 15), caller_name="旧事")
    )
    receptions.create(clerk, call(received_at=at(today, 0, 1)))
    receptions.create(clerk, call(category="repair", received_at=at(today, 0, 2)))
    receptions.create(
        manager,
        call(category="repair", channel="visit", followup_needed=True, received_at=at(today, 0, 3)),
    )
    voided = receptions.create(clerk, call(category="order", received_at=at(today, 0, 4)))
    receptions.void(clerk, voided.id, "误登")
    figures = receptions.daily_figures(today)
    assert figures.total == 3
    assert figures.by_category == [("consult", 1), ("repair", 2)]
    assert figures.by_channel == [("phone", 2), ("visit", 1)]
    assert figures.followups_opened == 1
    assert figures.followups_owed[0].id == old.id
    assert len(figures.followups_owed) == 2
    assert set(figures.handlers) == {
        "王芳",
        manager.display_name,
    }
    assert receptions.daily_figures(yesterday).followups_owed[0].id == old.id
    assert len(receptions.daily_figures(yesterday).followups_owed) == 1
    volumes = receptions.volumes(yesterday, today)
    assert volumes["category"] == {"consult": 2, "repair": 2}


def test_check_links_finds_dangling_complaints(clerk):
    reception = receptions.create(clerk, call())
    assert receptions.check_links() == []
    Reception.update(complaint_id=999).where(Reception.id == reception.id).execute()
    assert len(receptions.check_links()) == 1


def test_export_needs_the_manager_and_writes_channel_and_category(tmp_path, clerk, manager):
    from csoffice.transfer import read_table

    today = dt.date.today()
    receptions.create(clerk, call(channel="wechat", category="repair", caller_phone=""))
    receptions.create(
        clerk, call(received_at=at(today - dt.timedelta(days=10), 10), caller_name="旧事")
    )
    gone = receptions.create(clerk, call(caller_name="误登"))
    receptions.void(clerk, gone.id, "重复")
    with pytest.raises(PermissionDenied):
        receptions.export(clerk, tmp_path / "r.csv")
    assert receptions.export(manager, tmp_path / "r.csv", today, today) == 2
    table = read_table(tmp_path / "r.csv")
    assert table.headers[2:4] == ["渠道", "呼叫方向"] and table.headers[9] == "类别"
    by_name = {row[4]: row for row in table.rows}
    assert by_name["张三"][2] == "微信" and by_name["张三"][9] == "售后维修"
    assert by_name["误登"][17] == "已作废" and by_name["误登"][18] == "重复"
    assert receptions.export(manager, tmp_path / "all.xlsx") == 3
    sheet = read_table(tmp_path / "all.xlsx")
    assert "13812345678" in [row[5] for row in sheet.rows]
    assert AuditLog.select().where(AuditLog.action == "export").count() == 2


def test_export_command(tmp_path, database, private_home):
    from csoffice import auth
    from csoffice.db.database import close_database
    from tests.conftest import run_cli

    manager = auth.default_manager()
    receptions.create(manager, call())
    close_database()
    out = tmp_path / "r.xlsx"
    day = dt.date.today().isoformat()
    result = run_cli(
        "--db",
        str(database.path),
        "export",
        "receptions",
        "--out",
        str(out),
        "--from",
        day,
        "--to",
        day,
        home=private_home,
    )
    assert result.returncode == 0, result.stderr
    assert "1" in result.stdout and out.exists()
