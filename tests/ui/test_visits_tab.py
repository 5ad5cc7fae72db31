"""The return-visit list and the call dialog as a clerk and the manager use them: keyboard only,
what is shown and what is stored."""

from __future__ import annotations

import datetime as dt
import json

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from csoffice import customers, service_events, visits
from csoffice.db.models import Complaint, ReturnVisit, VisitAnswer
from csoffice.service_events import ServiceEventInput
from csoffice.ui.main_window import AppContext
from tests.ui.typing import type_text

TODAY = dt.date.today()


def focused():
    return QApplication.focusWidget()


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(focused(), key, modifier)


def repair_call(actor, name="张伟", mobile="13812345678", days_ago=3) -> int:
    """A customer whose repair three days ago makes a 3-day call due today."""
    customer_id = customers.create(actor, customers.CustomerInput(name=name, mobile=mobile)).id
    day = TODAY - dt.timedelta(days=days_ago)
    data = ServiceEventInput(kind="repair", date=day, product="格力空调 KFR-35")
    service_events.add(actor, customer_id, data)
    visits.schedule_due_visits(actor, TODAY)
    return ReturnVisit.get(ReturnVisit.customer == customer_id).id


def make_tab(qtbot, staff, database):
    from csoffice.ui.tabs.visits_tab import VisitsTab

    tab = VisitsTab(AppContext(staff=staff, target=database))
    qtbot.addWidget(tab)
    tab.resize(1100, 600)
    tab.show()
    qtbot.waitExposed(tab)
    tab.activateWindow()
    qtbot.waitUntil(tab.isActiveWindow)
    return tab


def open_first_by_keyboard(qtbot, tab):
    tab.table.setFocus()
    qtbot.waitUntil(lambda: focused() is tab.table)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.dialog is not None and tab.dialog.isVisible())
    dialog = tab.dialog
    qtbot.addWidget(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def test_complete_a_call_by_keyboard_only(app, qtbot, clerk, database):
    visit_id = repair_call(clerk)
    tab = make_tab(qtbot, clerk, database)
    assert tab.model.total() == 1
    assert tab.totals_label.text() == "共 1 条回访"
    row = tab.model.row_object(0)
    assert (row.customer_name, row.kind_label, row.phone) == (
        "张伟",
        "维修后回访（3DC）",
        "138****5678",
    )

    dialog = open_first_by_keyboard(qtbot, tab)
    assert dialog.heading.text().startswith("张伟　13812345678")
    assert "格力空调" in dialog.facts.text()
    assert focused() is dialog.reached and dialog.reached.currentText() == "已联系上"
    # Each survey question: its scored answer (arrow keys), then a note if there is one.
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is dialog.choice_boxes["问题是否已解决？"]
    press(qtbot, Qt.Key.Key_Down)
    assert focused().currentText() == "是"
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is dialog.answer_edits["问题是否已解决？"]
    type_text(qtbot, focused(), "师傅当场修好")
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Down)  # 准时
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Down)  # 良好
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, focused(), "师傅很专业")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is dialog.satisfaction
    press(qtbot, Qt.Key.Key_4)
    assert dialog.satisfaction.currentData() == 4
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is dialog.remarks
    type_text(qtbot, focused(), "客户表示感谢")
    with qtbot.waitSignal(dialog.recorded):
        press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not dialog.isVisible())

    stored = ReturnVisit.get_by_id(visit_id)
    assert (stored.status, stored.reached, stored.satisfaction) == ("done", True, 4)
    assert stored.done_by_id == clerk.id and stored.remarks == "客户表示感谢"
    assert json.loads(stored.answers) == {
        "问题是否已解决？": "是；师傅当场修好",
        "维修是否及时？": "准时",
        "维修人员是否礼貌、清理现场？": "良好；师傅很专业",
    }
    scored = VisitAnswer.select().where(VisitAnswer.visit == visit_id).order_by(VisitAnswer.id)
    assert [(a.option, a.score) for a in scored] == [("是", 5), ("准时", 5), ("良好", 4)]
    # The list follows: nothing is due any more; the call is among those done.
    qtbot.waitUntil(lambda: tab.model.total() == 0)
    assert tab.totals_label.text() == "共 0 条回访"
    tab.view.setCurrentIndex(tab.view.findData("done"))
    row = tab.model.row_object(0)
    assert (row.result_label, row.satisfaction_label, row.done_by_name) == (
        "已联系上",
        "4 满意",
        "王芳",
    )


def test_a_missing_satisfaction_is_shown_next_to_its_field(app, qtbot, clerk, database):
    visit_id = repair_call(clerk)
    tab = make_tab(qtbot, clerk, database)
    dialog = open_first_by_keyboard(qtbot, tab)
    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert dialog.errors.message("satisfaction") == "请选择客户满意度（1–5）。"
    assert focused() is dialog.satisfaction and dialog.isVisible()
    assert ReturnVisit.get_by_id(visit_id).status == "due"


def test_not_reached_is_tried_again_tomorrow(app, qtbot, clerk, database):
    visit_id = repair_call(clerk)
    tab = make_tab(qtbot, clerk, database)
    dialog = open_first_by_keyboard(qtbot, tab)
    press(qtbot, Qt.Key.Key_Down)
    assert dialog.reached.currentText() == "未联系上"
    assert not dialog.satisfaction.isEnabled()
    press(qtbot, Qt.Key.Key_Tab)  # the questions and satisfaction are skipped
    assert focused() is dialog.remarks
    type_text(qtbot, focused(), "无人接听")
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    stored = ReturnVisit.get_by_id(visit_id)
    assert (stored.status, stored.attempts, stored.due_on) == (
        "due",
        1,
        TODAY + dt.timedelta(days=1),
    )
    qtbot.waitUntil(lambda: tab.model.total() == 0)
    tab.view.setCurrentIndex(tab.view.findData("upcoming"))
    assert tab.model.row_object(0).result_label == "尚未联系上（已尝试 1 次）"


def test_dissatisfied_offers_the_complaint_form_filled_in(app, qtbot, clerk, database):
    visit_id = repair_call(clerk)
    tab = make_tab(qtbot, clerk, database)
    dialog = open_first_by_keyboard(qtbot, tab)
    press(qtbot, Qt.Key.Key_Tab)
    for _step in range(3):
        press(qtbot, Qt.Key.Key_Down)  # 否
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, focused(), "没有，还是漏水")
    dialog.satisfaction.setFocus()
    press(qtbot, Qt.Key.Key_1)
    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.question_box is not None and dialog.question_box.isVisible())
    box = dialog.question_box
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Yes)
    assert ReturnVisit.get_by_id(visit_id).satisfaction == 1
    assert ReturnVisit.select().where(ReturnVisit.kind == "recheck").count() == 1
    # The question's default answer is Yes: Enter opens the complaint form, filled in.
    box.activateWindow()
    qtbot.waitUntil(box.isActiveWindow)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.complaint_form is not None and dialog.complaint_form.isVisible())
    form = dialog.complaint_form
    qtbot.addWidget(form)
    form.open_printed = False
    assert form.contact_name.text() == "张伟"
    assert form.category.currentData() == "repair"
    assert "没有，还是漏水" in form.facts.toPlainText()
    with qtbot.waitSignal(form.saved):
        form.save()
    complaint = Complaint.get()
    assert complaint.customer_id == ReturnVisit.get_by_id(visit_id).customer_id
    qtbot.waitUntil(lambda: ReturnVisit.get_by_id(visit_id).raised_complaint_id == complaint.id)
    recheck = ReturnVisit.get(ReturnVisit.kind == "recheck")
    assert recheck.status == "cancelled"
    assert not dialog.complaint_button.isVisible()  # the call shows its complaint now
    shown = [label.text() for label in dialog.form_widget.findChildren(QLabel)]
    assert complaint.number in shown


def test_filters_and_the_managers_buttons(app, qtbot, clerk, manager, database):
    repair_call(clerk)
    other = repair_call(manager, "李娜", "13912345678", days_ago=5)
    clerk_tab = make_tab(qtbot, clerk, database)
    assert not clerk_tab.sample_button.isVisible() and not clerk_tab.export_button.isVisible()
    tab = make_tab(qtbot, manager, database)
    assert tab.sample_button.isVisible() and tab.export_button.isVisible()
    assert [tab.model.row_object(n).customer_name for n in range(2)] == ["李娜", "张伟"]
    assert tab.model.row_object(0).overdue_days == 0  # due on day 3, on time until day 5: today
    header = tab.table.horizontalHeader()
    column = [c.key for c in tab.model.columns].index("customer")
    qtbot.mouseClick(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        pos=QPoint(header.sectionViewportPosition(column) + 10, header.height() // 2),
    )
    names = [tab.model.row_object(n).customer_name for n in range(2)]
    assert names in (["张伟", "李娜"], ["李娜", "张伟"])
    assert header.sortIndicatorSection() == column
    qtbot.mouseClick(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        pos=QPoint(header.sectionViewportPosition(column) + 10, header.height() // 2),
    )
    assert [tab.model.row_object(n).customer_name for n in range(2)] == names[::-1]
    tab.assignee.setCurrentIndex(tab.assignee.findData(manager.id))
    assert tab.model.ids() == [other]
    tab.assignee.setCurrentIndex(tab.assignee.findData("none"))
    assert tab.model.total() == 0
    tab.assignee.setCurrentIndex(0)
    tab.kind.setCurrentIndex(tab.kind.findData("7dc"))
    assert tab.model.total() == 0
    tab.kind.setCurrentIndex(tab.kind.findData("3dc"))
    assert tab.model.total() == 2

    # The sample check: nothing done last month yet, the manager is told so.
    box = tab.ask_sample_check()
    qtbot.addWidget(box)
    assert "随机抽取 10 条" in box.text()
    box.button(QMessageBox.StandardButton.Yes).click()
    messages = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    assert any("没有可抽查的已完成回访" in m.text() for m in messages if m.isVisible())
    assert ReturnVisit.select().where(ReturnVisit.kind == "sample").count() == 0


def test_schedule_a_call_by_hand(app, qtbot, clerk, database):
    customer_id = customers.create(clerk, customers.CustomerInput(name="王小明", mobile="")).id
    tab = make_tab(qtbot, clerk, database)
    dialog = tab.new_visit()
    qtbot.addWidget(dialog)
    dialog.save()
    assert dialog.errors.message("customer") == "请选择要回访的客户。"
    dialog.customer.set_customer(customer_id)
    type_text(qtbot, dialog.note, "邀请参加车主活动")
    dialog.save()
    visit = ReturnVisit.get()
    assert (visit.kind, visit.note, visit.assigned_to_id) == (
        "manual",
        "邀请参加车主活动",
        clerk.id,
    )
    assert visit.due_on == TODAY + dt.timedelta(days=1)
    tab.view.setCurrentIndex(tab.view.findData("upcoming"))
    assert tab.model.row_object(0).subject == "邀请参加车主活动"
