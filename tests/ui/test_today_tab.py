"""The Today board on screen: each section's count is its list, every item opens its record, it
follows changes, and it is the first tab of the window (the return visits the sixth)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from csoffice import (
    care,
    changes,
    complaints,
    customers,
    members,
    receptions,
    service_events,
    today,
    visits,
)
from csoffice.changes import Change
from csoffice.complaints import ComplaintInput
from csoffice.db.models import ReturnVisit
from csoffice.receptions import ReceptionInput
from csoffice.service_events import ServiceEventInput
from csoffice.ui.main_window import AppContext
from tests.ui.desk_flows import back_in

TODAY = dt.date.today()
# The festivals of the next two weeks: nobody is greeted for them in these tests.
FESTIVALS = len(care.festivals_ahead(TODAY, today.FESTIVAL_DAYS))


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def fill(clerk, manager) -> dict[str, int]:
    zhang = customers.create(clerk, customers.CustomerInput(name="张伟", mobile="13812345678")).id
    birthday = days(3) if (days(3).month, days(3).day) != (2, 29) else days(4)
    li = customers.create(
        clerk,
        customers.CustomerInput(
            name="李娜", mobile="13912345678", birthday=dt.date(1985, birthday.month, birthday.day)
        ),
    ).id
    members.enrol(manager, li)
    service_events.add(clerk, zhang, ServiceEventInput(kind="repair", date=days(-3)))
    service_events.add(
        clerk,
        zhang,
        ServiceEventInput(kind="insurance", date=days(-300), product="途观L", remind_on=days(2)),
    )
    complaint = complaints.create(
        clerk, ComplaintInput(customer_id=zhang, category="quality", facts="冰箱结冰")
    ).id
    reception = receptions.create(
        clerk,
        ReceptionInput(
            caller_name="赵先生", content="咨询保养套餐", followup_needed=True, followup_due=TODAY
        ),
    ).id
    return dict(zhang=zhang, li=li, complaint=complaint, reception=reception)


def make_tab(qtbot, staff, database):
    from csoffice.ui.tabs.today_tab import TodayTab

    tab = TodayTab(AppContext(staff=staff, target=database))
    qtbot.addWidget(tab)
    tab.resize(1200, 800)
    tab.show()
    qtbot.waitExposed(tab)
    # The board fills just after it is shown (the window opens first).
    qtbot.waitUntil(lambda: bool(tab.summary.text()))
    return tab


def test_counts_equal_lists_and_items_open_their_records(app, qtbot, clerk, manager, database):
    made = fill(clerk, manager)
    tab = make_tab(qtbot, clerk, database)
    # Opening the board scheduled the 3-day call that fell due today.
    visit = ReturnVisit.get()
    assert (visit.kind, visit.due_on) == ("3dc", TODAY)
    expected = {
        "visits": 1,
        "followups": 1,
        "my_complaints": 1,
        "overdue_complaints": 0,
        "awaiting_manager": 0,
        "birthdays": 1,
        "festivals": FESTIVALS,
        "reminders": 1,
        "papers": 0,
        "repair_papers": 1,
        "my_customers": 0,
    }
    for key, box in tab.boxes.items():
        assert box.model.total() == box.model.rowCount() == expected[key], key
        assert box.title().endswith(f"（{expected[key]}）"), box.title()
        assert box.table.isVisibleTo(tab) == bool(expected[key])
        assert box.empty.isVisibleTo(tab) == (not expected[key])
    assert tab.boxes["visits"].title() == "待回访（1）"
    assert tab.summary.text() == f"共 {6 + FESTIVALS} 项待办"

    def activate(key):
        box = tab.boxes[key]
        box.table.setFocus()
        box.table.setCurrentIndex(box.model.index(0, 0))
        qtbot.keyClick(box.table, Qt.Key.Key_Return)
        dialog = tab.dialog
        qtbot.addWidget(dialog)
        qtbot.waitUntil(dialog.isVisible)
        return dialog

    from csoffice.ui.dialogs.complaint_form import ComplaintForm
    from csoffice.ui.dialogs.customer_dialog import CustomerDialog
    from csoffice.ui.dialogs.visit_dialog import VisitDialog

    dialog = activate("visits")
    assert isinstance(dialog, VisitDialog) and dialog.visit_id == visit.id
    dialog.reject()
    dialog = activate("my_complaints")
    assert isinstance(dialog, ComplaintForm) and dialog.complaint_id == made["complaint"]
    dialog.reject()
    dialog = activate("birthdays")
    assert isinstance(dialog, CustomerDialog) and dialog.customer_id == made["li"]
    dialog.reject()
    dialog = activate("reminders")
    assert isinstance(dialog, CustomerDialog) and dialog.customer_id == made["zhang"]
    dialog.reject()
    # Without the reception tab around it, a follow-up shows what is owed.
    tab.dialog = None
    box = tab.boxes["followups"]
    message = tab.open_item(box.item(0))
    qtbot.addWidget(message)
    assert "咨询保养套餐" in message.text()


def test_the_board_follows_changes(app, qtbot, clerk, manager, database):
    made = fill(clerk, manager)
    tab = make_tab(qtbot, clerk, database)
    visit = ReturnVisit.get()
    visits.record_result(clerk, visit.id, visits.ResultInput(True, {}, 5))
    receptions.mark_followup_done(clerk, made["reception"], "已回电")
    changes.emit(Change.VISIT)  # as the visit write path says it
    qtbot.waitUntil(lambda: tab.boxes["visits"].model.total() == 0)
    assert tab.boxes["followups"].model.total() == 0
    assert tab.boxes["visits"].title() == "待回访（0）"
    assert tab.boxes["visits"].empty.isVisibleTo(tab)
    assert tab.summary.text() == f"共 {4 + FESTIVALS} 项待办"
    assert 0 < tab._midnight.remainingTime() <= 24 * 3600 * 1000 + 5000
    # A repair entered on the customer's file: its 3-day call is scheduled and shown.
    service_events.add(clerk, made["li"], ServiceEventInput(kind="repair", date=days(-4)))
    changes.emit(Change.SERVICE_EVENT)
    qtbot.waitUntil(lambda: tab.boxes["visits"].model.total() == 1)
    item = tab.boxes["visits"].item(0)
    assert item.title == "李娜 · 维修后回访（3DC）" and item.when.endswith("前")  # until day 5


def test_the_window_wires_today_first_and_visits_sixth(app, qtbot, window, clerk, manager):
    from csoffice.ui.tabs.today_tab import TodayTab
    from csoffice.ui.tabs.visits_tab import VisitsTab

    qtbot.waitUntil(lambda: isinstance(window.tabs.widget(0), TodayTab))  # after the first paint
    # Pages other than the first are built when first shown or asked for.
    assert (
        isinstance(window.pages["visits"], VisitsTab)
        and window.tabs.widget(5) is window.pages["visits"]
    )
    assert window.tabs.tabText(0) == "今日" and window.tabs.tabText(5) == "回访"
    made = fill(clerk, manager)
    board = window.pages["today"]
    board.refresh()
    assert board.boxes["followups"].model.total() == 1
    # A follow-up opens in the reception desk's form, where it is corrected or marked done.
    page = board.open_item(board.boxes["followups"].item(0))
    assert window.tabs.currentWidget() is page is window.pages["reception"]
    assert page.entry.editing_id == made["reception"]
    assert QApplication.activeModalWidget() is None


def _enter_on_first(qtbot, tab, key: str):
    box = tab.boxes[key]
    box.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is box.table)
    box.table.setCurrentIndex(box.model.index(0, 0))
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    dialog = tab.dialog
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def test_repair_papers_received_from_the_board(app, qtbot, clerk, manager, database):
    fill(clerk, manager)
    tab = make_tab(qtbot, clerk, database)
    box = tab.boxes["repair_papers"]
    assert box.model.total() == 1 and box.item(0).title.startswith("张伟")
    question = _enter_on_first(qtbot, tab, "repair_papers")
    assert "今天" in question.text() and "张伟" in question.text()
    qtbot.waitUntil(lambda: question.isAncestorOf(QApplication.focusWidget()))
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)  # not yet
    qtbot.waitUntil(lambda: not question.isVisible())
    assert box.model.total() == 1
    back_in(tab)
    question = _enter_on_first(qtbot, tab, "repair_papers")
    qtbot.waitUntil(lambda: question.isAncestorOf(QApplication.focusWidget()))
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # 今日已收
    qtbot.waitUntil(lambda: box.model.total() == 0)
    assert box.title() == "维修资料未交（0）"


def test_a_festival_opens_its_greetings(app, qtbot, clerk, manager, database, monkeypatch):
    monkeypatch.setattr(today, "FESTIVAL_DAYS", 400)  # a festival is always ahead
    fill(clerk, manager)
    tab = make_tab(qtbot, clerk, database)
    item = tab.boxes["festivals"].item(0)
    assert item.detail == "2 位客户尚未祝福"
    dialog = _enter_on_first(qtbot, tab, "festivals")
    qtbot.addWidget(dialog)
    _kind, festival = dialog.occasion.currentData()
    assert festival.day == dt.date.fromordinal(item.id)
    assert festival.label in item.title
    assert dialog.table.rowCount() == 2
