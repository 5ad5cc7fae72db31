"""The return-visit rules page of the settings, typed as the manager types: a window that ends
before its due day is refused next to the field and nothing is saved; a good change is saved,
re-plans the open calls and says so in the status bar."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from csoffice import customers, service_events, settings, visits
from csoffice.db.models import ReturnVisit
from csoffice.service_events import ServiceEventInput
from tests.ui.typing import type_text


def open_settings_page(window, qtbot, page_name: str = "visit_rules_page"):
    """Settings ▸ the page ``page_name`` of the dialog, as the manager opens it."""
    settings.put(window.context.staff, {"office.name": "幸福汽车 4S 店客服部"})
    window.settings_action.trigger()
    dialog = window.settings_dialog
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    page = getattr(dialog, page_name)
    dialog.pages.setCurrentWidget(page)
    return dialog, page


_open_rules = open_settings_page


def _choose(qtbot, page, code: str) -> None:
    """Walk the list with the arrow keys to the rule ``code``."""
    page.rule_list.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.rule_list)
    qtbot.keyClick(page.rule_list, Qt.Key.Key_Home)
    codes = [spec["code"] for spec in page.specs]
    for _step in range(codes.index(code)):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    assert page.specs[page.rule_list.currentRow()]["code"] == code


def replace_text(qtbot, text: str) -> None:
    widget = QApplication.focusWidget()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, widget, text)


def save_settings(dialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()


def test_window_before_due_day_is_refused_next_to_the_field(window, qtbot):
    dialog, page = _open_rules(window, qtbot)
    before = settings.get("visits.rules")
    _choose(qtbot, page, "3dc")
    page.days.setFocus()
    replace_text(qtbot, "5")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)  # plus months
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)  # on time until day
    assert QApplication.focusWidget() in (page.window_end, page.window_end.lineEdit())
    replace_text(qtbot, "3")
    save_settings(dialog)
    assert dialog.isVisible()
    assert page.errors.message("window_end") == "最晚完成日不能早于应回访日（第 5 天）。"
    assert settings.get("visits.rules") == before
    assert page.days.value() == 5  # what was typed is kept
    page.window_end.setFocus()
    replace_text(qtbot, "6")
    with qtbot.waitSignal(dialog.saved):
        save_settings(dialog)
    three = visits.rules()["3dc"]
    assert (three.days, three.window_end) == (5, 6)


def test_amount_condition_must_be_a_number(window, qtbot):
    dialog, page = _open_rules(window, qtbot)
    _choose(qtbot, page, "level3_repair")
    page.condition_value.setFocus()
    replace_text(qtbot, "很多")
    save_settings(dialog)
    assert dialog.isVisible()
    assert page.errors.message("condition") == "请输入金额，例如 5000。"


def test_saving_replans_and_says_so(window, qtbot, manager):
    today = dt.date.today()
    cid = customers.create(manager, customers.CustomerInput(name="张伟", mobile="13812345678")).id
    data = ServiceEventInput(kind="repair", date=today - dt.timedelta(days=3), product="空调")
    service_events.add(manager, cid, data, today=today)
    visits.schedule_due_visits(manager, today)
    (call,) = ReturnVisit.select().where(ReturnVisit.kind == "3dc")
    dialog, page = _open_rules(window, qtbot)
    _choose(qtbot, page, "3dc")
    page.days.setFocus()
    replace_text(qtbot, "4")
    with qtbot.waitSignal(dialog.saved):
        save_settings(dialog)
    assert ReturnVisit.get_by_id(call.id).due_on == today + dt.timedelta(days=1)
    assert "1 个回访已改期" in window.statusBar().currentMessage()


def test_new_repeating_rule_for_a_member_class(window, qtbot):
    dialog, page = _open_rules(window, qtbot)
    count = len(page.specs)
    page.add_button.click()
    assert QApplication.focusWidget() is page.name
    type_text(qtbot, page.name, "新客户月度关怀")
    page.condition_field.setCurrentIndex(page.condition_field.findData("class"))
    page.condition_value.setCurrentIndex(page.condition_value.findData("new"))
    page.repeat.setFocus()
    replace_text(qtbot, "1")
    save_settings(dialog)  # the quarter's window (day 30) does not fit a month
    assert dialog.isVisible()
    assert page.errors.message("window_end") == "最晚完成日必须在周期之内：最晚第 28 天。"
    page.window_end.setFocus()
    replace_text(qtbot, "20")
    with qtbot.waitSignal(dialog.saved):
        save_settings(dialog)
    specs = visits.rule_specs()
    assert len(specs) == count + 1
    added = specs[-1]
    assert (added["name"], added["repeat_months"], added["condition"]) == (
        "新客户月度关怀",
        1,
        {"field": "class", "value": "new"},
    )


def test_clerk_sees_rules_but_cannot_change_them(app, qtbot, clerk, database):
    from csoffice.ui.dialogs.settings_dialog import SettingsDialog
    from csoffice.ui.main_window import AppContext

    dialog = SettingsDialog(AppContext(staff=clerk, target=database))
    qtbot.addWidget(dialog)
    page = dialog.visit_rules_page
    assert page.rule_list.count() == len(visits.rule_specs())
    assert not page.days.isEnabled() and not page.add_button.isEnabled()


def test_working_days_page_names_the_bad_line(window, qtbot):
    dialog, _rules = _open_rules(window, qtbot)
    page = dialog.calendar_page
    dialog.pages.setCurrentWidget(page)
    assert str(dt.date.today().year) in page.years.text()
    page.holidays.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.holidays)
    type_text(qtbot, QApplication.focusWidget(), "2099-01-26 ~ 2099-02-01")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    type_text(qtbot, QApplication.focusWidget(), "2099-02-30")
    save_settings(dialog)
    assert dialog.isVisible() and dialog.pages.currentWidget() is page
    assert page.errors.message("calendar.holidays").startswith("第 2 行")
    assert settings.get("calendar.holidays") == []
    for _step in range(2):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backspace)
    type_text(qtbot, QApplication.focusWidget(), "28")
    page.complaint_hours.setChecked(True)
    with qtbot.waitSignal(dialog.saved):
        save_settings(dialog)
    assert settings.get("calendar.holidays")[-1] == "2099-02-28"
    assert len(settings.get("calendar.holidays")) == 8
    assert settings.get("complaints.working_hours") is True


def test_paper_checklist_page_refuses_an_empty_list_and_takes_a_preset(window, qtbot):
    from csoffice import paper_file

    dialog, _rules = _open_rules(window, qtbot)
    page = dialog.paper_file_page
    dialog.pages.setCurrentWidget(page)
    before = settings.get("papers.checklist")
    while page.table.rowCount():
        page.table.setCurrentCell(0, 0)
        page.remove_button.click()
    save_settings(dialog)
    assert dialog.isVisible() and dialog.pages.currentWidget() is page
    assert page.errors.message("papers") == "资料清单至少要有一项资料。"
    assert settings.get("papers.checklist") == before
    page.preset.setCurrentIndex(page.preset.findData("dealer"))
    page.apply_button.click()
    assert page.table.rowCount() == 14
    page.add_button.click()  # the new line is open for typing
    editor = QApplication.focusWidget()
    type_text(qtbot, editor, "二手车置换协议")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    page.days.setFocus()
    replace_text(qtbot, "3")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)  # a repair's papers
    assert QApplication.focusWidget() in (page.repair_days, page.repair_days.lineEdit())
    replace_text(qtbot, "2")
    with qtbot.waitSignal(dialog.saved):
        save_settings(dialog)
    assert paper_file.checklist().repair_days == 2
    office = paper_file.checklist()
    assert len(office.papers) == 15 and office.papers[-1].label == "二手车置换协议"
    assert office.papers[0].label == "购车合同" and office.days == 3 and office.preset == ""
