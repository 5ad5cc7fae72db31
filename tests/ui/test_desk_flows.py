"""The desk's daily flows typed as a clerk types them: each key goes to the focus widget, and
the keys are counted (tests/ui/desk_flows.py drives them; bench/desk.py prints the counts)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from csoffice import customers, members, visits
from csoffice.db.models import Complaint, MemberCard, Reception
from tests.ui import desk_flows as flows


@pytest.fixture
def desk(window, qtbot):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.tabs.setCurrentIndex(3)  # the flows start from another tab, as the phone rings
    window.pages["customers"].search.setFocus()
    return window


@pytest.fixture
def keyboard() -> flows.Keyboard:
    return flows.Keyboard()


@pytest.fixture
def zeng(manager):
    return customers.create(
        manager, customers.CustomerInput(name="曾秀芳", mobile="13912342943", company="恒达物业")
    )


@pytest.fixture
def card(manager, zeng):
    return members.enrol(manager, zeng.id)


def test_known_caller_by_last_four_digits(desk, keyboard, zeng):
    flows.known_caller(keyboard, desk, "2943", "咨询保养套餐")
    stored = Reception.get()
    assert stored.customer_id == zeng.id
    assert stored.caller_phone == "13912342943"  # the whole number, not the four digits
    assert stored.caller_name == "曾秀芳" and stored.content == "咨询保养套餐"
    assert keyboard.keys <= 20, keyboard.log
    entry = desk.pages["reception"].entry
    assert QApplication.focusWidget() is entry.phone  # ready for the next call


def test_callers_who_share_the_last_four_are_chosen_from_a_list(desk, keyboard, manager, zeng):
    other = customers.create(
        manager, customers.CustomerInput(name="李建国", mobile="13600002943", company="")
    )
    keyboard.press(Qt.Key.Key_F2)
    entry = desk.pages["reception"].entry
    flows.wait_until(lambda: QApplication.focusWidget() is entry.phone)
    keyboard.type("2943")
    assert entry.customer.customer_id() is None
    assert entry.picks.isVisible() and entry.picks.count() == 2
    shown = [entry.picks.item(row).text() for row in range(2)]
    assert any("曾秀芳" in line and "13912342943" in line for line in shown), shown
    assert any("李建国" in line for line in shown), shown
    assert "↓" in entry.caller_hint.text()
    keyboard.press(Qt.Key.Key_Down)
    assert QApplication.focusWidget() is entry.picks
    keyboard.press(Qt.Key.Key_Up)  # ↑ on the first row goes back to the digits
    assert QApplication.focusWidget() is entry.phone
    flows.known_caller(keyboard, desk, "2943", "咨询保养套餐", customer_id=other.id)
    stored = Reception.get()
    assert stored.customer_id == other.id and stored.caller_phone == "13600002943"
    assert stored.caller_name == "李建国" and stored.content == "咨询保养套餐"
    assert not entry.picks.isVisible()
    assert QApplication.focusWidget() is entry.phone  # ready for the next call


def test_esc_in_the_callers_list_goes_back_without_clearing(desk, keyboard, manager, zeng):
    customers.create(manager, customers.CustomerInput(name="李建国", mobile="13600002943"))
    keyboard.press(Qt.Key.Key_F2)
    entry = desk.pages["reception"].entry
    flows.wait_until(lambda: QApplication.focusWidget() is entry.phone)
    keyboard.type("2943")
    keyboard.press(Qt.Key.Key_Return)  # Enter cannot save four digits: it opens the choice
    assert QApplication.focusWidget() is entry.picks
    keyboard.press(Qt.Key.Key_Escape)
    assert QApplication.focusWidget() is entry.phone
    assert entry.phone.text() == "2943" and entry.picks.isVisible()
    assert Reception.select().count() == 0
    keyboard.type("1")  # digits no one has: the list goes
    assert not entry.picks.isVisible()


def test_the_found_number_shows_whole_and_clearing_keeps_the_caller(desk, keyboard, zeng):
    keyboard.press(Qt.Key.Key_F2)
    entry = desk.pages["reception"].entry
    flows.wait_until(lambda: QApplication.focusWidget() is entry.phone)
    keyboard.type("2943")
    assert "13912342943" in entry.caller_hint.text() and "曾秀芳" in entry.caller_hint.text()
    keyboard.press(Qt.Key.Key_Tab)
    assert entry.phone.text() == "13912342943"
    entry.phone.setFocus()
    keyboard.press(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    keyboard.press(Qt.Key.Key_Backspace)
    assert entry.customer.customer_id() == zeng.id  # not silently lost
    assert "曾秀芳" in entry.caller_hint.text()
    keyboard.type("1")
    assert entry.customer.customer_id() is None
    assert "曾秀芳" in entry.caller_hint.text()  # says the link was dropped


def test_a_viewer_sees_the_found_number_masked(app, qtbot, viewer, database, zeng):
    from csoffice.ui.main_window import AppContext, MainWindow

    win = MainWindow(AppContext(staff=viewer, target=database))
    qtbot.addWidget(win)
    win.show()
    entry = win.pages["reception"].entry
    assert entry.phone.isReadOnly() and not entry.save_button.isEnabled()
    # A viewer cannot type here: the edit signal stands for the digits a clerk would type.
    entry.phone.textEdited.emit("2943")
    assert "139****2943" in entry.caller_hint.text()
    assert "13912342943" not in entry.caller_hint.text()


def test_walk_in_stranger_needs_only_a_name(desk, keyboard):
    flows.walk_in_stranger(keyboard, desk, "王先生")
    stored = Reception.get()
    assert stored.caller_name == "王先生" and stored.channel == "visit"
    assert stored.caller_phone == "" and stored.customer_id is None
    assert keyboard.keys <= 8, keyboard.log


def test_reception_becomes_a_complaint_then_every_state_to_closed_and_reopened(
    desk, keyboard, zeng
):
    flows.known_caller(keyboard, desk, "2943", "投诉维修后又坏了")
    form = flows.reception_to_complaint(keyboard, desk)
    complaint = Complaint.get()
    assert Reception.get().complaint_id == complaint.id
    assert complaint.customer_id == zeng.id and complaint.facts == "投诉维修后又坏了"
    seen = flows.complaint_to_closed_and_reopened(keyboard, form)
    assert seen == ["received", "in_progress", "handled", "informed", "closed", "in_progress"]
    complaint = Complaint.get()
    assert complaint.result == "已更换配件，试机正常" and complaint.company_at_fault is True
    assert complaint.satisfaction == 5
    # The case is on the form for whoever calls the customer back, and in the timeline.
    assert form.case_box.isVisible()
    assert form.case_labels["result"].text() == "已更换配件，试机正常"
    assert form.case_labels["root_cause"].text() == "配件批次质量问题"
    assert form.case_labels["corrective_action"].text() == "同批次配件全部检查"
    assert form.case_labels["customer_opinion"].text() == "客户认可处理结果"
    assert form.case_labels["satisfaction"].text().startswith("5")
    notes = [form.timeline.item(r, 4).text() for r in range(form.timeline.rowCount())]
    assert any("已更换配件" in note and "配件批次质量问题" in note for note in notes)
    assert any("客户认可处理结果" in note for note in notes)
    assert keyboard.keys <= 60, keyboard.log


def test_card_lost_then_reissued(desk, keyboard, card):
    new_number = flows.card_lost_and_reissued(keyboard, desk, card.card_no)
    old = MemberCard.get_by_id(card.id)
    assert old.status != "active"
    assert new_number != card.card_no
    assert MemberCard.get(MemberCard.card_no == new_number).status == "active"
    assert keyboard.keys <= 25 + len(card.card_no), keyboard.log


def test_earn_then_redeem_points(desk, keyboard, qtbot, manager, card):
    members.create_gift(manager, "保温杯", 100, stock=5)
    balance = flows.earn_and_redeem(keyboard, desk, card.card_no, "1280")
    page = desk.pages["members"].cards
    earned = members.points_for(members.Decimal("1280"))
    assert balance == earned - 100
    assert page.preview.pages.path.exists()  # the handover slip was shown, then closed
    assert keyboard.keys <= 20 + len(card.card_no), keyboard.log


def test_dissatisfied_return_visit_becomes_a_complaint(desk, keyboard, manager, zeng):
    visit = visits.schedule(manager, zeng.id, dt.date.today(), note="保养后回访")
    form = flows.dissatisfied_visit_to_complaint(keyboard, desk)
    complaint = Complaint.get()
    assert form.view.id == complaint.id and complaint.customer_id == zeng.id
    assert visits.view(visit.id).raised_complaint_id == complaint.id
    assert keyboard.keys <= 25, keyboard.log
