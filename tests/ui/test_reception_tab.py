"""The reception desk as a clerk uses it: keys only, the phone finds the caller, the day view."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMenu

from csoffice import customers, receptions
from csoffice.db.models import AuditLog, Customer, Reception
from csoffice.receptions import ReceptionInput
from tests.ui.typing import type_text


def focused():
    return QApplication.focusWidget()


def press(qtbot, key, times: int = 1, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    for _n in range(times):
        qtbot.keyClick(focused(), key, modifier)


@pytest.fixture
def desk(window, qtbot):
    """The main window with the reception tab reached by F2 from another tab."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.tabs.setCurrentIndex(3)
    qtbot.keyClick(window, Qt.Key.Key_F2)
    tab = window.pages["reception"]
    qtbot.waitUntil(lambda: focused() is tab.entry.phone)
    return tab


@pytest.fixture
def zhao(manager):
    return customers.create(
        manager,
        customers.CustomerInput(name="赵六", mobile="13611112222", company="恒达物业"),
    )


def test_typical_call_logged_with_keys_only(desk, qtbot, zhao, window, manager):
    started = time.perf_counter()
    assert window.tabs.currentWidget() is desk
    qtbot.keyClicks(focused(), "13611112222")
    entry = desk.entry
    assert entry.caller_name.text() == "赵六"  # found as the digits arrived
    assert entry.caller_company.text() == "恒达物业"
    assert entry.customer.customer_id() == zhao.id
    assert "赵六" in entry.caller_hint.text()
    press(qtbot, Qt.Key.Key_Tab, 5)  # name, company, channel, direction, category
    assert focused() is entry.category
    press(qtbot, Qt.Key.Key_Down, 3)  # consultation → complaint → suggestion → repair
    assert entry.category.currentData() == "repair"
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is entry.content
    type_text(qtbot, focused(), "空调不制冷，要求上门维修")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is entry.outcome
    type_text(qtbot, focused(), "已派单，明早上门")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is entry.followup
    press(qtbot, Qt.Key.Key_Space)  # a follow-up is owed
    press(qtbot, Qt.Key.Key_Return)
    elapsed = time.perf_counter() - started

    stored = Reception.get()
    assert stored.customer_id == zhao.id
    assert stored.caller_name == "赵六" and stored.caller_phone == "13611112222"
    assert stored.caller_company == "恒达物业"
    assert (stored.channel, stored.direction, stored.category) == ("phone", "in", "repair")
    assert stored.content == "空调不制冷，要求上门维修"
    assert stored.outcome == "已派单，明早上门"
    assert stored.followup_needed and stored.followup_due == dt.date.today() + dt.timedelta(1)
    assert stored.handler_id == manager.id
    assert elapsed < 15
    # Ready for the next call: empty, cursor in the phone field; the call shows below.
    assert focused() is entry.phone
    assert entry.phone.text() == "" and entry.caller_name.text() == ""
    assert entry.content.toPlainText() == ""
    assert entry.category.currentData() == "consult"
    assert "赵六" in entry.mode_label.text()
    model = desk.day_view.model
    assert model.total() == 1
    assert model.data(model.index(0, 2)) == "赵六（恒达物业）"
    assert model.data(model.index(0, 4)) == "售后维修"


def test_enter_in_the_content_saves_and_shift_enter_breaks_the_line(desk, qtbot):
    entry = desk.entry
    qtbot.keyClicks(entry.phone, "13800001234")
    type_text(qtbot, entry.caller_name, "钱女士")
    entry.content.setFocus()
    type_text(qtbot, entry.content, "第一行")
    qtbot.keyClick(entry.content, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    type_text(qtbot, entry.content, "第二行")
    assert Reception.select().count() == 0
    qtbot.keyClick(entry.content, Qt.Key.Key_Return)
    assert Reception.get().content == "第一行\n第二行"


def test_escape_clears_the_form_after_asking(desk, qtbot, zhao):
    entry = desk.entry
    qtbot.keyClicks(entry.phone, "13611112222")
    type_text(qtbot, entry.outcome, "随便")
    qtbot.keyClick(entry.outcome, Qt.Key.Key_Escape)
    box = entry.guard.question
    qtbot.waitUntil(lambda: box.isVisible() and focused() is not None and focused().window() is box)
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)  # keep editing
    assert entry.outcome.text() == "随便" and entry.customer.customer_id() == zhao.id
    qtbot.waitUntil(lambda: focused() is not None and focused().window() is not box)
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    box = entry.guard.question
    qtbot.waitUntil(lambda: box.isVisible() and focused() is not None and focused().window() is box)
    qtbot.keyClick(focused(), Qt.Key.Key_Return)  # discard
    assert entry.phone.text() == "" and entry.caller_name.text() == ""
    assert entry.outcome.text() == "" and entry.customer.customer_id() is None
    assert Reception.select().count() == 0


def test_errors_show_next_to_fields_and_keep_the_typing(desk, qtbot):
    entry = desk.entry
    qtbot.keyClicks(entry.phone, "12345")
    qtbot.keyClick(entry.phone, Qt.Key.Key_Return)
    assert Reception.select().count() == 0
    phone_error = entry.findChild(type(entry.mode_label), "error_caller_phone")
    content_error = entry.findChild(type(entry.mode_label), "error_content")
    assert "12345" in phone_error.text() and phone_error.isVisible()
    assert content_error.text() == ""  # a walk-in stranger needs a phone or a name, no more
    assert entry.phone.text() == "12345"
    assert focused() is entry.phone


def test_typing_over_a_found_name_is_kept_and_a_changed_number_unlinks(desk, qtbot, zhao):
    entry = desk.entry
    qtbot.keyClicks(entry.phone, "1361111222")
    assert entry.caller_name.text() == "赵六"
    qtbot.keyClick(entry.phone, Qt.Key.Key_Backspace)  # 136111122: no longer unique? still one
    qtbot.keyClicks(entry.phone, "9")  # 1361111229: nobody
    assert entry.caller_name.text() == "" and entry.customer.customer_id() is None
    type_text(qtbot, entry.caller_name, "赵太太")
    entry.phone.clear()
    qtbot.keyClicks(entry.phone, "13611112222")
    assert entry.caller_name.text() == "赵太太"  # what the clerk typed wins
    assert entry.customer.customer_id() == zhao.id


def test_unknown_caller_becomes_a_customer_with_ctrl_n(desk, qtbot):
    entry = desk.entry
    qtbot.keyClicks(entry.phone, "15800001234")
    assert "Ctrl+N" in entry.caller_hint.text()
    qtbot.keyClick(entry.phone, Qt.Key.Key_Tab)
    type_text(qtbot, focused(), "周八")
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    type_text(qtbot, focused(), "周氏五金")
    qtbot.keyClick(focused(), Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    customer = Customer.get(Customer.mobile == "15800001234")
    assert (customer.name, customer.company) == ("周八", "周氏五金")
    assert entry.customer.customer_id() == customer.id
    entry.content.setFocus()
    type_text(qtbot, entry.content, "咨询新车型")
    qtbot.keyClick(entry.content, Qt.Key.Key_Return)
    assert Reception.get().customer_id == customer.id


def test_partner_is_recognised_from_an_earlier_call(desk, qtbot, manager):
    receptions.create(
        manager,
        ReceptionInput(
            caller_name="孙经理",
            caller_phone="02160001111",
            caller_company="顺丰速运",
            caller_kind="supplier",
            content="送货时间确认",
        ),
    )
    entry = desk.entry
    qtbot.keyClicks(entry.phone, "02160001111")
    assert entry.caller_name.text() == "孙经理"
    assert entry.caller_kind.currentData() == "supplier"
    assert entry.customer.customer_id() is None


def test_open_from_the_day_view_edits_and_audits(desk, qtbot, manager, clerk):
    made = receptions.create(
        clerk, ReceptionInput(caller_name="李四", content="咨询保养", outcome="")
    )
    desk.day_view.refresh()
    table = desk.day_view.table
    table.setFocus()
    table.setCurrentIndex(desk.day_view.model.index(0, 0))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    entry = desk.entry
    assert entry.editing_id == made.id
    assert entry.caller_name.text() == "李四"
    assert "更正" in entry.title()
    entry.outcome.setFocus()
    type_text(qtbot, entry.outcome, "已预约周六")
    qtbot.keyClick(entry.outcome, Qt.Key.Key_Return)
    stored = Reception.get_by_id(made.id)
    assert stored.outcome == "已预约周六"
    assert stored.handler_id == clerk.id and stored.received_at == made.received_at
    log = AuditLog.get(AuditLog.action == "update", AuditLog.entity_id == made.id)
    assert json.loads(log.changes) == {"outcome": ["", "已预约周六"]}
    assert entry.editing_id is None


def test_right_click_in_the_day_view_offers_the_rows_actions(desk, qtbot, clerk):
    receptions.create(clerk, ReceptionInput(caller_name="李四", content="咨询保养", outcome=""))
    view = desk.day_view
    view.refresh()
    view.table.setCurrentIndex(view.model.index(0, 0))
    spot = view.table.visualRect(view.model.index(0, 0)).center()
    view.table.customContextMenuRequested.emit(spot)
    menu = next(m for m in desk.findChildren(QMenu) if m.isVisible())
    titles = [action.text() for action in menu.actions()]
    assert titles == [
        desk.edit_button.text(),
        desk.done_button.text(),
        desk.void_button.text(),
        desk.complaint_button.text(),
    ]
    assert [action.isEnabled() for action in menu.actions()] == [True, False, True, True]
    menu.close()


def test_filters_void_and_followup_done(desk, qtbot, manager):
    today = dt.datetime.now().replace(microsecond=0)
    owed = receptions.create(
        manager,
        ReceptionInput(caller_name="王五", content="要求回电", followup_needed=True),
    )
    receptions.create(
        manager,
        ReceptionInput(
            caller_name="旧客户",
            content="上周的事",
            received_at=today - dt.timedelta(days=7),
            channel="visit",
        ),
    )
    view = desk.day_view
    view.refresh()
    assert view.model.total() == 1
    view.date_from.setDate(view.date_from.date().addDays(-10))
    assert view.model.total() == 2
    view.channel_filter.setCurrentIndex(view.channel_filter.findData("visit"))
    assert view.model.total() == 1
    view.channel_filter.setCurrentIndex(0)
    view.pending.setChecked(True)
    assert view.model.ids() == [owed.id]
    view.table.setCurrentIndex(view.model.index(0, 0))
    assert desk.done_button.isEnabled()
    dialog = desk.followup_done_current()
    dialog.setTextValue("已回电")
    dialog.accept()
    assert Reception.get_by_id(owed.id).followup_done_at is not None
    assert view.model.total() == 0
    view.show_today()
    view.table.setCurrentIndex(view.model.index(0, 0))
    dialog = desk.void_current()
    dialog.setTextValue("重复登记")
    dialog.accept()
    assert Reception.get_by_id(owed.id).status == "voided"
    assert view.model.data(view.model.index(0, 9)) == "已作废"
    assert not desk.void_button.isEnabled()


def test_the_follow_up_count_says_how_many_are_due_as_the_today_board_lists_them(
    desk, manager, window
):
    today = dt.date.today()
    for days, name in ((-2, "逾期"), (0, "今天"), (5, "下周")):
        receptions.create(
            manager,
            ReceptionInput(
                caller_name=name,
                followup_needed=True,
                followup_due=today + dt.timedelta(days=days),
                received_at=dt.datetime.now() - dt.timedelta(days=3),
            ),
        )
    desk.day_view.refresh()
    assert "3 项待跟进" in desk.day_view.count_label.text()
    assert "今天及以前到期 2 项" in desk.day_view.count_label.text()
    board = window.pages["today"]
    board.refresh()
    assert board.boxes["followups"].model.total() == 2


def test_viewer_sees_the_log_but_cannot_save(app, qtbot, viewer, database):
    from csoffice.ui.main_window import AppContext
    from csoffice.ui.tabs.reception import ReceptionTab

    tab = ReceptionTab(AppContext(staff=viewer, target=database))
    qtbot.addWidget(tab)
    assert not tab.entry.save_button.isEnabled()
    assert tab.entry.save() is None
    assert Reception.select().count() == 0


def test_print_daily_sheet_off_the_ui_thread(desk, qtbot, manager):
    receptions.create(manager, ReceptionInput(caller_name="李四", content="咨询保养"))
    task = desk.print_daily_sheet()
    with qtbot.waitSignal(task.finished, timeout=20_000):
        pass
    # No viewer: the sheet opens in the app's own print preview.
    qtbot.waitUntil(lambda: desk.sheet_preview is not None and desk.sheet_preview.isVisible())
    assert desk.pdf_path.read_bytes().startswith(b"%PDF")
    assert desk.sheet_preview.pages.path == desk.pdf_path
    desk.sheet_preview.close()


def test_turn_into_complaint_opens_the_form_filled_in(desk, qtbot, manager, zhao):
    from csoffice.db.models import Complaint

    made = receptions.create(
        manager,
        ReceptionInput(
            channel="visit",
            category="complaint",
            customer_id=zhao.id,
            caller_phone="13611112222",
            content="维修后仍有渗水，第三次上门仍未解决",
        ),
    )
    view = desk.day_view
    view.refresh()
    view.table.setCurrentIndex(view.model.index(0, 0))
    assert desk.complaint_button.isEnabled()
    desk.complaint_button.click()
    form = desk.complaint_form
    qtbot.addWidget(form)
    qtbot.waitExposed(form)
    assert form.customer.customer_id() == zhao.id
    assert form.contact_name.text() == "赵六"
    assert form.facts.toPlainText() == "维修后仍有渗水，第三次上门仍未解决"
    assert form.channel.currentData() == "visit"
    assert form.receiver.currentData() == manager.id
    form.category.setCurrentIndex(form.category.findData("repair"))
    with qtbot.waitSignal(form.saved) as saved:
        form.save_button.click()
    complaint = Complaint.get_by_id(saved.args[0])
    assert complaint.reception_id == made.id
    assert Reception.get_by_id(made.id).complaint_id == complaint.id
    # The day view shows the number and the call cannot become a second complaint.
    assert view.model.data(view.model.index(0, 9)) == complaint.number
    view.table.setCurrentIndex(view.model.index(0, 0))
    assert not desk.complaint_button.isEnabled()
    form.close()
