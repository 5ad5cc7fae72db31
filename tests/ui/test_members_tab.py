"""The member tab as a clerk uses it: find a card, enrol, earn, redeem and print the slip,
report lost and reissue, and the club's pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from csoffice import customers, members
from csoffice.db.models import Greeting, MemberCard
from csoffice.ui.main_window import AppContext
from csoffice.ui.tabs.members_tab import MembersTab
from tests.conftest import needs_poppler, pdf_text
from tests.ui.typing import type_text


def new_customer(manager, name="张三", mobile="13800138000", birthday=None) -> int:
    data = customers.CustomerInput(name=name, mobile=mobile, birthday=birthday)
    return customers.create(manager, data).id


@pytest.fixture
def tab(window):
    window.tabs.setCurrentIndex(4)
    page = window.pages["members"]
    assert isinstance(page, MembersTab)
    return page


def look_up(qtbot, tab, text: str) -> None:
    line = tab.cards.picker.line_edit
    line.clear()
    qtbot.keyClicks(line, text)
    qtbot.keyClick(line, Qt.Key.Key_Return)


def ok(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


def test_look_up_by_card_number_and_earn(qtbot, tab, manager):
    card = members.enrol(manager, new_customer(manager))
    look_up(qtbot, tab, card.card_no)
    page = tab.cards
    assert page.fields["card_no"].text() == card.card_no
    assert page.fields["status"].text() == "有效"
    assert page.fields["member"].text() == "张三　138****8000"
    assert page.fields["balance"].text() == "0"

    qtbot.mouseClick(page.buttons["earn"], Qt.MouseButton.LeftButton)
    dialog = page.dialog
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.amount, "1234.5")
    type_text(qtbot, dialog.source, "保养")
    assert dialog.preview.text() == "123"
    ok(qtbot, dialog)
    assert not dialog.isVisible()
    assert page.fields["balance"].text() == "123"
    assert members.find_card(card.card_no).balance == 123
    assert page.ledger_model.rowCount() == 1
    row = page.ledger_model.row_object(0)
    assert (row.points, row.source) == (123, "保养")


def test_enrol_a_customer_picked_by_name(qtbot, tab, manager):
    customer_id = new_customer(manager, "欧阳娜娜", "13911112222")
    page = tab.cards
    assert not page.enrol_button.isEnabled()
    type_text(qtbot, page.picker.line_edit, "欧阳娜娜")
    popup = page.picker.completer.popup()
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert page.picker.customer_id() == customer_id
    assert "还没有会员卡" in page.empty.text()
    assert page.enrol_button.isEnabled()

    qtbot.mouseClick(page.enrol_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    qtbot.waitExposed(dialog)
    dialog.level.setCurrentIndex(dialog.level.findText("银卡"))
    dialog.fee.clear()
    qtbot.keyClicks(dialog.fee, "-5")
    ok(qtbot, dialog)
    assert dialog.isVisible()
    assert dialog.errors.message("fee") == "金额不能为负数。"
    dialog.fee.clear()
    qtbot.keyClicks(dialog.fee, "20")
    ok(qtbot, dialog)
    card = MemberCard.get(MemberCard.customer == customer_id)
    assert (card.level.name, card.fee) == ("银卡", Decimal("20"))
    assert page.fields["card_no"].text() == card.card_no
    assert page.fields["level"].text() == "银卡"
    assert not page.enrol_button.isEnabled()


def test_report_lost_then_reissue(qtbot, tab, manager):
    card = members.enrol(manager, new_customer(manager))
    members.earn(manager, card.card_no, "3000")
    look_up(qtbot, tab, card.card_no)
    page = tab.cards
    qtbot.mouseClick(page.buttons["lost"], Qt.MouseButton.LeftButton)
    dialog = page.dialog
    type_text(qtbot, dialog.reason, "客户来电挂失")
    ok(qtbot, dialog)
    assert page.fields["status"].text() == "已挂失"
    assert members.find_card(card.card_no).status == "lost"
    # A lost card is blocked: no earning or redeeming from the panel.
    assert not page.buttons["earn"].isEnabled()
    assert not page.buttons["redeem"].isEnabled()
    assert page.buttons["found"].isEnabled()

    qtbot.mouseClick(page.buttons["reissue"], Qt.MouseButton.LeftButton)
    dialog = page.dialog
    ok(qtbot, dialog)
    assert dialog.isVisible()
    assert dialog.errors.message("reason") == "请填写原因。"
    type_text(qtbot, dialog.reason, "卡片遗失补办")
    ok(qtbot, dialog)
    new = MemberCard.get(MemberCard.replaces == card.id)
    assert page.fields["card_no"].text() == new.card_no
    assert page.fields["balance"].text() == "300"
    assert page.fields["link"].text() == f"原卡号 {card.card_no}"
    assert page.events_model.rowCount() == 4  # reissued, replaced, lost, issued

    # The old number still opens its card, which says what replaced it.
    look_up(qtbot, tab, card.card_no)
    assert page.fields["status"].text() == "已补办"
    assert new.card_no in page.fields["link"].text()
    assert not page.buttons["earn"].isEnabled() and not page.buttons["reissue"].isEnabled()


@needs_poppler
def test_redeem_refused_beyond_balance_then_slip_printed(qtbot, tab, manager, tmp_path):
    card = members.enrol(manager, new_customer(manager))
    members.earn(manager, card.card_no, "5000")
    members.create_gift(manager, "品牌保温杯", 300, stock=10)
    look_up(qtbot, tab, card.card_no)
    page = tab.cards
    qtbot.mouseClick(page.buttons["redeem"], Qt.MouseButton.LeftButton)
    dialog = page.dialog
    dialog.quantity.setValue(2)
    assert dialog.cost.text() == "600"
    ok(qtbot, dialog)
    assert dialog.isVisible()
    assert "余额只有 500" in dialog.errors.message("quantity")
    dialog.quantity.setValue(1)
    ok(qtbot, dialog)
    assert page.fields["balance"].text() == "200"
    # The slip opens in the print preview at once (Print…, Save as PDF…).
    qtbot.waitUntil(lambda: getattr(page, "preview", None) is not None and page.preview.isVisible())
    out = page.preview.pages.path
    page.preview.close()
    text = pdf_text(out)
    assert "积分换礼领取单" in text and "品牌保温杯" in text and "会员签名" in text
    # The slip can be printed again from the ledger row.
    page.ledger_view.selectRow(0)
    assert page.buttons["slip"].isEnabled()


def test_a_clerk_has_no_adjust_button(qtbot, app, clerk, database, manager):
    tab = MembersTab(AppContext(staff=clerk, target=database))
    qtbot.addWidget(tab)
    card = members.enrol(manager, new_customer(manager))
    tab.show()
    look_up(qtbot, tab, card.card_no)
    assert not tab.cards.buttons["adjust"].isVisible()
    assert tab.cards.buttons["earn"].isVisible() and tab.cards.buttons["earn"].isEnabled()
    assert not tab.cards.export_action.isEnabled()


def test_manager_adjusts_points_with_a_reason(qtbot, tab, manager):
    card = members.enrol(manager, new_customer(manager))
    look_up(qtbot, tab, card.card_no)
    page = tab.cards
    qtbot.mouseClick(page.buttons["adjust"], Qt.MouseButton.LeftButton)
    dialog = page.dialog
    dialog.points.setValue(80)
    ok(qtbot, dialog)
    assert dialog.errors.message("reason") == "请填写原因。"
    type_text(qtbot, dialog.reason, "活动积分补录")
    ok(qtbot, dialog)
    assert page.fields["balance"].text() == "80"


def test_gift_list(qtbot, tab, manager):
    tab.sections.setCurrentWidget(tab.gifts)
    gifts = tab.gifts
    qtbot.mouseClick(gifts.new_button, Qt.MouseButton.LeftButton)
    dialog = gifts.dialog
    ok(qtbot, dialog)
    assert dialog.errors.message("name") == "请输入礼品名称。"
    type_text(qtbot, dialog.name, "车载香薰")
    dialog.price.setValue(500)
    dialog.stock.setValue(20)
    ok(qtbot, dialog)
    assert gifts.model.rowCount() == 1
    assert gifts.model.index(0, 0).data() == "车载香薰"
    gifts.view.selectRow(0)
    qtbot.mouseClick(gifts.restock_button, Qt.MouseButton.LeftButton)
    dialog = gifts.dialog
    dialog.quantity.setValue(5)
    ok(qtbot, dialog)
    assert gifts.model.index(0, 2).data() == "25"


def test_birthday_greeting_with_bonus(qtbot, tab, manager):
    soon = dt.date.today() + dt.timedelta(days=3)
    birthday = dt.date(1985, soon.month, min(soon.day, 28))
    customer_id = new_customer(manager, "李四", "13900139000", birthday)
    card = members.enrol(manager, customer_id)
    page = tab.birthdays
    page.refresh()
    tab.sections.setCurrentWidget(page)
    assert page.model.rowCount() == 1
    assert "2–7" in page.window_label.text()
    page.view.selectRow(0)
    qtbot.mouseClick(page.greet_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert "李四" in dialog.content.toPlainText()
    dialog.channel.setCurrentIndex(dialog.channel.findData("wechat"))
    dialog.bonus.setChecked(True)
    ok(qtbot, dialog)
    assert page.model.index(0, 7).data() == "是"
    assert page.log_model.rowCount() == 1
    assert Greeting.get().channel == "wechat"
    assert members.find_card(card.card_no).balance == 100


def test_event_invitations_and_attendance(qtbot, tab, manager):
    first = members.enrol(manager, new_customer(manager))
    members.earn(manager, first.card_no, "60000")  # 金卡
    page = tab.club_events
    tab.sections.setCurrentWidget(page)
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    type_text(qtbot, dialog.title_edit, "金卡会员答谢会")
    type_text(qtbot, dialog.place, "二楼会议厅")
    ok(qtbot, dialog)
    page.view.selectRow(0)
    page.level.setCurrentIndex(page.level.findText("金卡"))
    qtbot.mouseClick(page.invite_level_button, Qt.MouseButton.LeftButton)
    assert page.attendance_model.rowCount() == 1
    page.attendance_view.selectRow(0)
    qtbot.mouseClick(page.attended_button, Qt.MouseButton.LeftButton)
    assert page.attendance_model.index(0, 4).data() == "是"
    assert page.model.index(0, 5).data() == "1"
    QApplication.processEvents()
