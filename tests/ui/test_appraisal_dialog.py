"""The Staff appraisal dialog as the manager uses it: open it from the menu, grade a month with
the keyboard and watch the totals, sign, choose the supervisor, close, print."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QMessageBox

from csoffice import appraisal, auth
from csoffice.appraisal import GRADES
from csoffice.db.models import AppraisalMonth, Reception
from csoffice.paths import subfolder
from csoffice.ui.dialogs.appraisal_dialog import AppraisalDialog
from csoffice.ui.main_window import AppContext, MainWindow
from tests.conftest import needs_poppler, pdf_text

PERIOD = "2026-03"


@pytest.fixture
def dialog(app, qtbot, manager, clerk, database):
    for day in (2, 3, 4):
        Reception.create(
            received_at=dt.datetime(2026, 3, day, 10),
            channel="phone",
            category="consult",
            handler=clerk,
        )
    widget = AppraisalDialog(AppContext(staff=manager, target=database))
    qtbot.addWidget(widget)
    widget.open_printed = False
    widget.open()
    qtbot.waitExposed(widget)
    widget.period_edit.setDate(QDate(2026, 3, 1))
    return widget


def grade_column(qtbot, dialog, marker: str, grade: str) -> None:
    """Pick ``grade`` in every item of ``marker``'s column with the keyboard: Home goes to
    "—", then one Down per grade (A, B, C…)."""
    for (m, _code), combo in dialog.combos.items():
        if m == marker:
            combo.setFocus()
            qtbot.keyClick(combo, Qt.Key.Key_Home)
            for _step in range(GRADES.index(grade) + 1):
                qtbot.keyClick(combo, Qt.Key.Key_Down)


def test_menu_opens_the_dialog_for_the_manager_only(window, qtbot, clerk, database):
    assert window.staff_menu.menuAction().isVisible()
    window.appraisal_action.trigger()
    dialog = window.appraisal_dialog
    qtbot.waitExposed(dialog)
    assert dialog.windowTitle() == "员工考核"
    dialog.reject()
    clerk_window = MainWindow(AppContext(staff=clerk, target=database))
    qtbot.addWidget(clerk_window)
    assert not clerk_window.staff_menu.menuAction().isVisible()
    assert not clerk_window.appraisal_action.isEnabled()


def test_grading_shows_live_totals_and_saves(dialog, qtbot, clerk):
    assert dialog.staff_table.item(0, 0).text() == "王芳"
    assert dialog.heading.text() == "王芳 — 2026-03"
    assert dialog.fact_labels["receptions"].text() == "3"
    assert dialog.total_labels["manager"].text() == "—"
    dialog.combos[("manager", "attendance")].setFocus()
    qtbot.keyClicks(dialog.combos[("manager", "attendance")], "A")
    # attendance A: 100 × 10 / 100 = 10 so far, 1 of 15 items
    assert dialog.total_labels["manager"].text() == "目前 10（1/15）"
    assert dialog.group_labels[("manager", "attendance")].text() == "10"
    assert dialog.combined_label.text() == "综合得分：暂无（尚无完整评分）"
    grade_column(qtbot, dialog, "manager", "B")
    # every item B: 80 × 100 / 100 = 80
    assert dialog.total_labels["manager"].text() == "80"
    assert dialog.combined_label.text() == "综合得分：80 分（满分 100）— 等级 B（良好）"
    grade_column(qtbot, dialog, "self", "A")
    # (20 × 100 + 50 × 80) / (20 + 50) = 6000 / 70 = 85.714… → 85.71
    assert dialog.combined_label.text() == "综合得分：85.71 分（满分 100）— 等级 B（良好）"
    assert dialog.save_button.isEnabled()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    stored = appraisal.month(clerk.id, PERIOD)
    assert stored.marks["manager"].total == Decimal("80.00")
    assert stored.marks["self"].total == Decimal("100.00")
    assert stored.combined == Decimal("85.71")
    assert not dialog.save_button.isEnabled()
    assert dialog.months_table.item(0, 0).text() == PERIOD
    assert dialog.months_table.item(0, 4).text() == "85.71"


def test_sign_and_close_the_month(dialog, qtbot, clerk, manager):
    qtbot.mouseClick(dialog.sign_buttons["manager"], Qt.MouseButton.LeftButton)
    assert "请为每个项目评级" in dialog.message.text()  # nothing graded yet
    grade_column(qtbot, dialog, "manager", "C")
    qtbot.mouseClick(dialog.sign_buttons["manager"], Qt.MouseButton.LeftButton)  # saves, signs
    assert dialog.signed_labels["manager"].text().startswith(manager.display_name)
    assert not dialog.combos[("manager", "attendance")].isEnabled()
    assert not dialog.sign_buttons["manager"].isEnabled()
    assert dialog.combos[("self", "attendance")].isEnabled()

    qtbot.mouseClick(dialog.close_month_button, Qt.MouseButton.LeftButton)
    box = dialog.close_question
    assert isinstance(box, QMessageBox) and box.isVisible()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.view.closed)
    stored = AppraisalMonth.get(AppraisalMonth.staff == clerk, AppraisalMonth.period == PERIOD)
    assert stored.closed and stored.grade == "C" and Decimal(stored.combined_score) == 60
    assert dialog.status_label.text().startswith("管理员 于")
    assert all(not combo.isEnabled() for combo in dialog.combos.values())
    assert not dialog.close_month_button.isEnabled()
    assert dialog.staff_table.item(0, 2).text() == PERIOD  # last closed month
    assert dialog.staff_table.item(0, 3).text() == "C"


def test_refusing_to_close_says_why(dialog, qtbot):
    qtbot.mouseClick(dialog.close_month_button, Qt.MouseButton.LeftButton)
    box = dialog.close_question
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.message.isVisible())
    assert dialog.message.text() == "经理评分填写完整并签字后才能结束本月考核。"
    assert not dialog.view.closed


def test_choose_the_supervisor(dialog, qtbot, clerk, manager):
    other = auth.create_staff(manager, "lijing", "李静", auth.Role.CLERK)
    dialog.load()  # the new colleague appears among the choices
    combo = dialog.supervisor_combo
    assert combo.currentText() == "经理"
    assert combo.itemText(1) == "李静"  # choices by name: 李静, 管理员
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert appraisal.month(clerk.id, PERIOD).supervisor_id == other.id
    assert dialog.view.supervisor_name == "李静"
    assert combo.currentText() == "李静"


def test_switching_month_keeps_what_was_graded(dialog, qtbot, clerk):
    dialog.combos[("self", "honesty")].setFocus()
    qtbot.keyClicks(dialog.combos[("self", "honesty")], "D")
    dialog.period_edit.setDate(QDate(2026, 2, 1))
    assert dialog.heading.text() == "王芳 — 2026-02"
    assert appraisal.month(clerk.id, PERIOD).marks["self"].grades == {"honesty": "D"}
    assert dialog.combos[("self", "honesty")].currentData() == ""
    # the months list shows March; choosing it brings the grade back
    assert dialog.months_table.item(0, 0).text() == PERIOD
    dialog.months_table.selectRow(0)
    assert dialog.heading.text() == "王芳 — 2026-03"
    assert dialog.combos[("self", "honesty")].currentData() == "D"


@needs_poppler
def test_print_the_form(dialog, qtbot):
    grade_column(qtbot, dialog, "manager", "A")
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    prints = list(subfolder("prints").glob("appraisal-clerk1-2026-03-*.pdf"))
    assert len(prints) == 1
    assert dialog.message.text().startswith("考核表已保存到")
    text = pdf_text(prints[0])
    assert "员工绩效考核表" in text and "王芳" in text
    assert "综合得分：100 分（满分 100）— 等级 A（优秀）" in text  # saved before printing
