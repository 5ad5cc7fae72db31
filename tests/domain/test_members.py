"""Member cards: enrolment, every move of the card's life (and the refused ones), points, levels,
gifts, birthdays, events, export and the ledger check."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal

import pytest

from csoffice import customers, members, settings
from csoffice.checks import run_checks
from csoffice.db.models import AuditLog, CardEvent, Gift, MemberCard, MemberLevel, PointsEntry
from csoffice.errors import Conflict, NotFound, PermissionDenied, ValidationError
from csoffice.validation import luhn_valid
from tests.conftest import run_cli

TODAY = dt.date.today() - dt.timedelta(days=1)  # entries dated "today" come before now()


@pytest.fixture
def database(any_database):
    """Every test here runs on SQLite and on PostgreSQL (member cards must not depend on the backend)."""
    return any_database


def born(year: int, days_ahead: int) -> dt.date:
    """A birthday ``days_ahead`` days after TODAY, in ``year``."""
    day = TODAY + dt.timedelta(days=days_ahead)
    return dt.date(year, day.month, min(day.day, 28 if day.month == 2 else day.day))


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour))


@pytest.fixture
def customer(manager):
    return customers.create(
        manager,
        customers.CustomerInput(name="张三", mobile="13800138000", birthday=born(1980, 4)),
    )


@pytest.fixture
def card(manager, customer):
    return members.enrol(manager, customer.id, at=at(TODAY))


def make_customer(manager, name: str, mobile: str, birthday: dt.date | None = None) -> int:
    data = customers.CustomerInput(name=name, mobile=mobile, birthday=birthday)
    return customers.create(manager, data).id


def test_enrol_issues_a_luhn_numbered_card_at_the_lowest_level(manager, customer, card):
    assert card.card_no.startswith("8800")
    assert len(card.card_no) == 4 + 6 + 1
    assert luhn_valid(card.card_no)
    assert card.level.name == "普通"
    assert [level.name for level in members.levels()] == ["普通", "银卡", "金卡", "钻石"]
    view = members.card_view(card.id, TODAY)
    assert (view.status, view.status_label, view.balance) == ("active", "有效", 0)
    assert view.next_level_name == "银卡" and view.next_level_needs == 1000
    assert [e.kind for e in CardEvent.select().where(CardEvent.card == card)] == ["issued"]
    assert AuditLog.select().where(AuditLog.entity == "member_card").count() == 1


def test_card_numbers_run_on_with_the_office_prefix(manager, customer, card):
    settings.put(manager, {"members.card_prefix": "66", "members.card_digits": 4})
    other = members.enrol(manager, make_customer(manager, "李四", "13900139000"))
    assert other.card_no[:6] == "660002"
    assert luhn_valid(other.card_no)
    assert members.find_card(f" {other.card_no[:3]} {other.card_no[3:]} ").id == other.id


def test_a_customer_holds_one_current_card(manager, customer, card):
    with pytest.raises(Conflict, match=card.card_no):
        members.enrol(manager, customer.id)
    members.report_lost(manager, card.card_no)
    with pytest.raises(Conflict):
        members.enrol(manager, customer.id)
    members.cancel(manager, card.card_no, "客户退会")
    again = members.enrol(manager, customer.id)
    assert again.status == "active"
    assert members.one_current_card_per_customer() == []


def test_enrolling_with_every_level_retired_says_so_on_the_level(manager, customer):
    members.ensure_levels(manager)
    MemberLevel.update(active=False).execute()
    with pytest.raises(ValidationError) as refused:
        members.enrol(manager, customer.id)
    assert set(refused.value.errors) == {"level"}
    assert MemberCard.select().count() == 0


def test_viewer_may_not_enrol(viewer, customer):
    with pytest.raises(PermissionDenied):
        members.enrol(viewer, customer.id)


def test_lost_card_is_blocked_then_found(manager, card):
    members.earn(manager, card.card_no, "500", at=at(TODAY))
    gift = members.create_gift(manager, "雨伞", 20, stock=3)
    lost = members.report_lost(manager, card.card_no, "客户来电挂失")
    assert lost.status == "lost"
    with pytest.raises(Conflict, match="挂失"):
        members.earn(manager, card.card_no, "100")
    with pytest.raises(Conflict, match="挂失"):
        members.redeem(manager, card.card_no, gift.id)
    with pytest.raises(Conflict):
        members.report_lost(manager, card.card_no)
    assert members.find_card(card.card_no).balance == 50
    assert Gift.get_by_id(gift.id).stock == 3
    found = members.mark_found(manager, card.card_no, "卡在车里找到")
    assert found.status == "active"
    members.earn(manager, card.card_no, "100")
    assert members.find_card(card.card_no).balance == 60
    with pytest.raises(Conflict):
        members.mark_found(manager, card.card_no)
    kinds = [e.kind for e in members.event_rows(members.event_ids(card.id))]
    assert kinds == ["found", "lost", "issued"]


def test_reissue_carries_balance_level_and_history(manager, clerk, card):
    members.earn(manager, card.card_no, "12000", "购车", at=at(TODAY))
    members.report_lost(clerk, card.card_no)
    new = members.reissue(clerk, card.card_no, "卡片遗失", fee="15")
    old = members.find_card(card.card_no)
    assert (old.status, old.balance, old.close_reason) == ("replaced", 0, "卡片遗失")
    assert new.card_no != old.card_no and new.replaces_id == old.id
    assert (new.balance, new.level.name, new.status) == (1200, "银卡", "active")
    assert new.fee == Decimal("15")
    view = members.card_view(new.id, TODAY)
    assert view.replaces_no == old.card_no and view.earned_12m == 1200
    assert members.card_view(old.id).replaced_by_no == new.card_no
    # The old number is never valid again.
    with pytest.raises(Conflict, match=new.card_no):
        members.earn(manager, old.card_no, "100")
    with pytest.raises(Conflict, match="已被"):
        members.reissue(manager, old.card_no, "再次补办")
    with pytest.raises(Conflict):
        members.mark_found(manager, old.card_no)
    # History: the new card's ledger shows the old card's rows too, and sums to the balance.
    rows = members.ledger_rows(members.ledger_ids(new.id))
    assert [r.kind for r in rows] == ["transfer", "transfer", "earn"]
    assert sum(r.points for r in rows) == new.balance
    events = members.event_rows(members.event_ids(new.id))
    assert [e.kind for e in events] == ["reissued", "replaced", "lost", "promoted", "issued"]
    assert events[0].fee == Decimal("15") and events[0].staff_name == "王芳"
    assert members.balances_match_ledger() == []


def test_reissuing_a_cancelled_card_is_refused(manager, card):
    members.cancel(manager, card.card_no, "客户退会")
    with pytest.raises(Conflict, match="注销"):
        members.reissue(manager, card.card_no, "补办")
    with pytest.raises(Conflict):
        members.cancel(manager, card.card_no, "再次注销")
    with pytest.raises(Conflict):
        members.report_lost(manager, card.card_no)


def test_reissue_and_cancel_need_a_reason(manager, card):
    with pytest.raises(ValidationError) as info:
        members.reissue(manager, card.card_no, "  ")
    assert "reason" in info.value.errors
    with pytest.raises(ValidationError):
        members.cancel(manager, card.card_no, "")


def test_cancel_forfeits_or_refunds_by_policy(manager, card, customer):
    members.earn(manager, card.card_no, "3000", at=at(TODAY))
    cancelled = members.cancel(manager, card.card_no, "客户搬家")
    assert (cancelled.status, cancelled.balance) == ("cancelled", 0)
    assert PointsEntry.select().where(PointsEntry.kind == "forfeit").get().points == -300

    settings.put(manager, {"members.cancel_policy": "refund"})
    again = members.enrol(manager, customer.id)
    members.earn(manager, again.card_no, "5000")
    members.cancel(manager, again.card_no, "退会退款")
    event = (
        CardEvent.select().where(CardEvent.card == again.id, CardEvent.kind == "cancelled").get()
    )
    assert event.fee == Decimal("-5.00")
    assert "500" in event.detail
    assert members.balances_match_ledger() == []


def test_earning_follows_the_rule_and_promotes(manager, card):
    entry = members.earn(manager, card.card_no, "999.99", "保养", at=at(TODAY))
    assert entry.points == 99
    assert entry.expires_on == members.add_months(TODAY, 24)
    with pytest.raises(ValidationError, match="不足"):
        members.earn(manager, card.card_no, "9.99")
    with pytest.raises(ValidationError):
        members.earn(manager, card.card_no, "abc")
    members.earn(manager, card.card_no, "60000", at=at(TODAY))
    card = members.find_card(card.card_no)
    assert card.level.name == "金卡"
    promoted = CardEvent.select().where(CardEvent.card == card, CardEvent.kind == "promoted").get()
    assert promoted.detail == "普通 → 金卡"


def test_adjustment_is_the_managers_with_a_reason(manager, clerk, card):
    members.earn(manager, card.card_no, "2000")
    with pytest.raises(PermissionDenied):
        members.adjust(clerk, card.card_no, 50, "补录")
    with pytest.raises(ValidationError) as info:
        members.adjust(manager, card.card_no, 50, "")
    assert "reason" in info.value.errors
    with pytest.raises(ValidationError) as info:
        members.adjust(manager, card.card_no, -500, "冲正")
    assert "points" in info.value.errors
    members.adjust(manager, card.card_no, -50, "重复录入冲正")
    assert members.find_card(card.card_no).balance == 150


def test_redemption_takes_stock_and_points_and_never_demotes(manager, card):
    members.earn(manager, card.card_no, "11000", at=at(TODAY))
    assert members.find_card(card.card_no).level.name == "银卡"
    cup = members.create_gift(manager, "保温杯", 400, stock=2)
    redemption = members.redeem(manager, card.card_no, cup.id, quantity=2)
    card = members.find_card(card.card_no)
    assert (card.balance, card.level.name) == (300, "银卡")
    assert Gift.get_by_id(cup.id).stock == 0
    assert redemption.points == 800
    members.review_levels(manager, TODAY)
    assert members.find_card(card.card_no).level.name == "银卡"
    slip = members.handover_slip(redemption.id)
    assert (slip.gift_name, slip.points, slip.balance_after) == ("保温杯", 800, 300)


def test_redeeming_beyond_balance_or_stock_is_refused(manager, card):
    members.earn(manager, card.card_no, "1000")
    tv = members.create_gift(manager, "电视机", 5000, stock=1)
    mug = members.create_gift(manager, "马克杯", 10, stock=1)
    with pytest.raises(ValidationError, match="5000"):
        members.redeem(manager, card.card_no, tv.id)
    with pytest.raises(ValidationError, match="库存"):
        members.redeem(manager, card.card_no, mug.id, quantity=2)
    assert members.find_card(card.card_no).balance == 100
    assert Gift.get_by_id(tv.id).stock == 1 and Gift.get_by_id(mug.id).stock == 1
    assert PointsEntry.select().where(PointsEntry.kind == "redeem").count() == 0


def test_void_redemption_returns_stock_and_points(manager, clerk, card):
    members.earn(manager, card.card_no, "1000")
    mug = members.create_gift(manager, "马克杯", 30, stock=1)
    redemption = members.redeem(clerk, card.card_no, mug.id)
    with pytest.raises(PermissionDenied):
        members.void_redemption(clerk, redemption.id, "礼品有瑕疵")
    members.void_redemption(manager, redemption.id, "礼品有瑕疵")
    assert Gift.get_by_id(mug.id).stock == 1
    assert members.find_card(card.card_no).balance == 100
    with pytest.raises(Conflict):
        members.void_redemption(manager, redemption.id, "again")


def test_levels_follow_the_last_twelve_months(manager, card):
    members.earn(manager, card.card_no, "60000", at=at(TODAY - dt.timedelta(days=300)))
    assert members.find_card(card.card_no).level.name == "金卡"
    assert members.review_levels(manager, TODAY) == []
    moved = members.review_levels(manager, TODAY + dt.timedelta(days=100))
    assert moved == [(card.card_no, "demoted")]
    assert members.find_card(card.card_no).level.name == "普通"


def test_points_expire_after_the_configured_months(manager, card):
    settings.put(manager, {"members.points_expiry_months": 12})
    members.earn(manager, card.card_no, "1000", at=at(dt.date(2025, 1, 10)))
    members.earn(manager, card.card_no, "2000", at=at(dt.date(2025, 6, 10)))
    mug = members.create_gift(manager, "马克杯", 30, stock=5)
    members.redeem(manager, card.card_no, mug.id, at=at(dt.date(2025, 7, 1)))
    # The redemption used the 30 points that expire first, so 70 of the first lot are left.
    assert members.expire_points(manager, dt.date(2026, 1, 11)) == 70
    assert members.find_card(card.card_no).balance == 200
    assert members.expire_points(manager, dt.date(2026, 1, 12)) == 0
    # Earning later writes off what expired on the way.
    members.earn(manager, card.card_no, "100", at=at(dt.date(2026, 6, 11)))
    assert members.find_card(card.card_no).balance == 10
    assert members.balances_match_ledger() == []


def test_reissue_keeps_each_lots_expiry(manager, card):
    settings.put(manager, {"members.points_expiry_months": 12})
    members.earn(manager, card.card_no, "1000", at=at(dt.date(2026, 1, 10)))
    members.earn(manager, card.card_no, "2000", at=at(dt.date(2026, 6, 10)))
    new = members.reissue(manager, card.card_no, "磨损", at=at(dt.date(2026, 7, 1)))
    transfers = (
        PointsEntry.select()
        .where(PointsEntry.card == new.id, PointsEntry.kind == "transfer")
        .order_by(PointsEntry.expires_on)
    )
    assert [(t.points, t.expires_on) for t in transfers] == [
        (100, dt.date(2027, 1, 10)),
        (200, dt.date(2027, 6, 10)),
    ]
    assert members.expire_points(manager, dt.date(2027, 1, 11)) == 100


def test_birthdays_in_the_window_and_greeting_bonus(manager, clerk, card, customer):
    soon = make_customer(manager, "李四", "13900139001", born(1990, 2))
    later = make_customer(manager, "王五", "13900139002", born(1985, 8))
    no_card = make_customer(manager, "赵六", "13900139003", born(1985, 3))
    members.enrol(manager, soon)
    members.enrol(manager, later)
    assert no_card not in members.birthday_ids(TODAY)
    ids = members.birthday_ids(TODAY)
    assert ids == [soon, customer.id]  # 张三's birthday is 4 days ahead
    rows = members.birthday_rows(ids, TODAY)
    age = rows[0].next_birthday.year - 1990
    assert (rows[0].days_ahead, rows[0].age, rows[0].greeted) == (2, age, False)
    settings.put(manager, {"members.birthday_last_day": 8})
    assert members.birthday_ids(TODAY)[-1] == later

    with pytest.raises(ValidationError) as info:
        members.log_greeting(clerk, customer.id, content="")
    assert "content" in info.value.errors
    members.log_greeting(
        clerk, customer.id, channel="phone", content="祝生日快乐", give_bonus=True, at=at(TODAY)
    )
    assert members.find_card(card.card_no).balance == 100
    assert members.birthday_rows([customer.id], TODAY)[0].greeted
    with pytest.raises(Conflict):
        members.log_greeting(clerk, customer.id, content="再次祝贺", give_bonus=True, at=at(TODAY))
    greetings = members.greeting_rows(members.greeting_ids(customer.id))
    assert greetings[0].bonus_points == 100 and greetings[0].staff_name == "王芳"


def test_a_birthday_cleared_after_the_list_was_read_drops_from_its_rows(manager, customer):
    no_birthday = make_customer(manager, "钱八", "13900139005")
    rows = members.birthday_rows([no_birthday, customer.id], TODAY)
    assert [row.customer_id for row in rows] == [customer.id]


def test_leap_day_birthdays_are_greeted_on_the_28th(manager):
    leap = make_customer(manager, "孙七", "13900139004", dt.date(1988, 2, 29))
    members.enrol(manager, leap)
    assert members.birthday_ids(dt.date(2027, 2, 24), (4, 4)) == [leap]


def test_member_events_invitations_and_attendance(manager, clerk, card, customer):
    other = make_customer(manager, "李四", "13900139001")
    members.enrol(manager, other)
    with pytest.raises(ValidationError) as info:
        members.create_event(clerk, "", None)
    assert set(info.value.errors) == {"title", "date"}
    event = members.create_event(clerk, "金秋答谢会", TODAY + dt.timedelta(days=10), "公司展厅")
    assert members.invite(clerk, event.id, [customer.id, other]) == 2
    assert members.invite(clerk, event.id, [customer.id]) == 0
    members.set_attendance(clerk, event.id, customer.id, True)
    row = members.event_list_rows(members.event_list_ids())[0]
    assert (row.title, row.invited, row.attended) == ("金秋答谢会", 2, 1)
    attendance = members.attendance_rows(members.attendance_ids(event.id))
    assert {(a.name, a.attended) for a in attendance} == {("张三", True), ("李四", False)}
    members.set_event_status(clerk, event.id, "held")
    with pytest.raises(Conflict):
        members.invite(clerk, event.id, [customer.id])


def test_gift_catalogue(manager, clerk):
    with pytest.raises(ValidationError) as info:
        members.create_gift(clerk, "", 0)
    assert set(info.value.errors) == {"name", "points_price"}
    gift = members.create_gift(clerk, "车载香薰", 200, stock=10)
    members.restock(clerk, gift.id, 5)
    with pytest.raises(ValidationError):
        members.restock(clerk, gift.id, -3)  # taking away needs a reason
    members.restock(clerk, gift.id, -3, "盘点短缺")
    members.update_gift(clerk, gift.id, "车载香薰礼盒", 250, active=False)
    assert members.gift_ids(active_only=True) == []
    row = members.gift_rows(members.gift_ids())[0]
    assert (row.name, row.points_price, row.stock, row.active) == ("车载香薰礼盒", 250, 12, False)


def test_unknown_card_is_not_found(database):
    with pytest.raises(NotFound):
        members.find_card("880000000000")


def test_export_lists_cards_with_the_number_replaced(manager, card, tmp_path):
    members.earn(manager, card.card_no, "2500")
    new = members.reissue(manager, card.card_no, "磨损")
    out = tmp_path / "members.csv"
    assert members.export(manager, out, None, None) == 2
    with out.open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:6] == ["卡号", "客户", "手机", "级别", "状态", "积分余额"]
    by_no = {row[0].strip(): row for row in rows[1:]}
    assert by_no[new.card_no][8].strip() == card.card_no
    assert by_no[new.card_no][4] == "有效" and by_no[new.card_no][5] == "250"
    assert by_no[card.card_no][4] == "已补办"


def test_check_finds_a_balance_that_does_not_add_up(manager, card):
    members.earn(manager, card.card_no, "1000")
    assert all(not problems for _name, problems in run_checks().results)
    MemberCard.update(balance=999).where(MemberCard.id == card.id).execute()
    problems = members.balances_match_ledger()
    assert problems == [f"会员卡 {card.card_no}：余额 999，积分明细合计 100"]
    assert not run_checks().ok


def test_cli_export_and_print(manager, card, database, tmp_path, private_home):
    out = tmp_path / "m.xlsx"
    result = run_cli("--db", database.argument, "export", "members", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.exists()
    result = run_cli("--db", database.argument, "print", "card", "0000", "--out", "x.pdf")
    assert result.returncode == 1
    assert "0000" in result.stderr
