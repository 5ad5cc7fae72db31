"""A file saved at another desk while this desk edits it: the clerk sees theirs beside mine
and chooses, by keyboard; nothing typed is lost and nothing is overwritten unasked."""

from __future__ import annotations

from dataclasses import replace

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from csoffice import customers, members
from csoffice.customers import CustomerInput
from csoffice.db.models import AuditLog, Customer
from csoffice.ui.conflicts import ConflictDialog
from csoffice.ui.dialogs.customer_dialog import CustomerDialog
from csoffice.ui.main_window import AppContext
from tests.ui.typing import type_text


@pytest.fixture
def database(any_database):
    return any_database


def _open_and_let_another_desk_save(qtbot, clerk, manager, database):
    customer = customers.create(
        clerk, CustomerInput(name="张三", mobile="13812345678", address="幸福路1号")
    )
    dialog = CustomerDialog(AppContext(staff=clerk, target=database), customer.id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    # The manager's desk saves the same file meanwhile: a new mobile and a note.
    theirs = replace(customers.to_input(customer), mobile="13912345678", notes="来电改号")
    customers.update(manager, customer.id, theirs, customer.version)
    # The clerk types a new address and a note of her own, then Ctrl+S.
    dialog.form.address.setFocus()
    dialog.form.address.selectAll()
    type_text(qtbot, QApplication.focusWidget(), "幸福路2号")
    dialog.form.notes.setFocus()
    type_text(qtbot, QApplication.focusWidget(), "搬家了")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    return customer, dialog, wait_for_choice(qtbot)


def closed(widget) -> bool:
    return not shiboken6.isValid(widget) or not widget.isVisible()


def wait_for_choice(qtbot) -> ConflictDialog:
    """The choice is open and has the keyboard."""
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ConflictDialog))
    choice = QApplication.activeModalWidget()
    assert isinstance(choice, ConflictDialog)
    qtbot.waitUntil(lambda: choice.isAncestorOf(QApplication.focusWidget()))
    return choice


def test_the_choice_shows_theirs_beside_mine_and_merges_by_keyboard(
    app, qtbot, clerk, manager, database
):
    customer, dialog, choice = _open_and_let_another_desk_save(qtbot, clerk, manager, database)
    assert [d.name for d in choice.diffs] == ["mobile", "address", "notes"]
    assert list(choice.picks) == ["notes"]  # only the note was changed on both sides
    texts = {label.text() for label in choice.findChildren(type(dialog.message))}
    assert {"13912345678", "幸福路2号", "来电改号", "搬家了"} <= texts
    assert Customer.get_by_id(customer.id).address == "幸福路1号"  # nothing saved yet
    assert dialog.form.address.text() == "幸福路2号"  # and nothing typed lost
    # The focus starts on the clashing field's pick: the clerk keeps their note (Down → 对方的).
    qtbot.waitUntil(lambda: QApplication.focusWidget() is choice.picks["notes"])
    focus = QApplication.focusWidget()
    qtbot.keyClick(focus, Qt.Key.Key_Down)
    assert choice.picks["notes"].currentData() == "theirs"
    qtbot.keyClick(focus, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)  # 合并 (&G)
    qtbot.waitUntil(lambda: Customer.get_by_id(customer.id).address == "幸福路2号")
    stored = Customer.get_by_id(customer.id)
    assert (stored.mobile, stored.notes) == ("13912345678", "来电改号")
    assert dialog.form.mobile.text() == "13912345678" and not dialog.guard.dirty()
    row = AuditLog.select().where(AuditLog.action == "update").order_by(AuditLog.id.desc()).get()
    assert row.staff_id == clerk.id and '"conflict": "merge"' in row.changes


def test_use_theirs_drops_mine_and_esc_keeps_everything_typed(app, qtbot, clerk, manager, database):
    customer, dialog, choice = _open_and_let_another_desk_save(qtbot, clerk, manager, database)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: closed(choice))
    assert dialog.form.address.text() == "幸福路2号" and dialog.form.notes.toPlainText() == "搬家了"
    assert "王" in dialog.message.text() or manager.display_name in dialog.message.text()
    # Saving again offers the choice again; this time the clerk takes theirs.
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.form.notes)
    qtbot.keyClick(dialog.form.notes, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    again = wait_for_choice(qtbot)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: closed(again))
    stored = Customer.get_by_id(customer.id)
    assert (stored.address, stored.notes) == ("幸福路1号", "来电改号")
    assert dialog.form.address.text() == "幸福路1号" and dialog.form.mobile.text() == "13912345678"
    assert AuditLog.select().where(AuditLog.action == "conflict").count() == 1


def test_use_mine_overwrites_theirs_only_when_asked(app, qtbot, clerk, manager, database):
    customer, _dialog, _choice = _open_and_let_another_desk_save(qtbot, clerk, manager, database)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: Customer.get_by_id(customer.id).notes == "搬家了")
    stored = Customer.get_by_id(customer.id)
    assert (stored.address, stored.mobile) == ("幸福路2号", "13812345678")
    row = AuditLog.select().where(AuditLog.action == "update").order_by(AuditLog.id.desc()).get()
    assert '"conflict": "mine"' in row.changes and "mobile" in row.changes


def _redeem_dialog(qtbot, staff, card_no):
    from csoffice.ui.dialogs.member_dialogs import RedeemDialog

    dialog = RedeemDialog(staff, card_no, members.card_view(members.find_card(card_no).id).balance)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def test_a_card_redeemed_at_another_desk_meanwhile_is_shown_before_mine_is_made(
    app, qtbot, clerk, manager, database
):
    card = members.enrol(manager, customers.create(manager, CustomerInput(name="李四")).id)
    members.earn(manager, card.card_no, "5000")  # 500 points
    members.create_gift(manager, "品牌保温杯", 200, stock=10)
    dialog = _redeem_dialog(qtbot, clerk, card.card_no)
    members.redeem(manager, card.card_no, members.gift_ids(active_only=True)[0], 1)  # other desk
    dialog.quantity.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # OK, by keyboard
    choice = wait_for_choice(qtbot)
    assert [d.name for d in choice.diffs] == ["balance"]
    assert [(d.base, d.theirs) for d in choice.diffs] == [(500, 300)]
    assert set(choice.choice_buttons) == {"theirs", "mine"} and not choice.picks
    assert QApplication.focusWidget().text() == "返回表单"  # Enter by habit makes nothing
    assert members.card_view(card.id).balance == 300  # mine not made yet
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: members.card_view(card.id).balance == 100)
    row = AuditLog.get(AuditLog.action == "conflict")
    assert row.entity == "member_card" and '"conflict": "mine"' in row.changes


def test_a_card_reported_lost_meanwhile_theirs_drops_my_entry(app, qtbot, clerk, manager, database):
    card = members.enrol(manager, customers.create(manager, CustomerInput(name="王五")).id)
    members.earn(manager, card.card_no, "5000")
    members.create_gift(manager, "品牌保温杯", 200, stock=10)
    dialog = _redeem_dialog(qtbot, clerk, card.card_no)
    members.report_lost(manager, card.card_no, "客户来电挂失")
    dialog.quantity.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    choice = wait_for_choice(qtbot)
    assert [d.name for d in choice.diffs] == ["status"]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert members.card_view(card.id).balance == 500
    assert AuditLog.get(AuditLog.action == "conflict").changes.count("theirs") == 1


def test_a_complaint_corrected_at_two_desks_merges_by_keyboard(
    app, qtbot, clerk, manager, database
):
    from csoffice import complaints
    from csoffice.complaints import ComplaintInput
    from csoffice.db.models import Complaint
    from csoffice.ui.dialogs.complaint_form import ComplaintForm

    complaint = complaints.create(
        clerk,
        ComplaintInput(
            contact_name="王女士", category="service", facts="电梯停运", desired_outcome=""
        ),
    )
    form = ComplaintForm(AppContext(staff=clerk, target=database), complaint_id=complaint.id)
    qtbot.addWidget(form)
    form.show()
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    # Another desk corrects the facts and adds the phone meanwhile.
    theirs = replace(
        complaints.view(complaint.id).as_input(), facts="电梯停运两天", contact_phone="13812345678"
    )
    complaints.update(manager, complaint.id, theirs, complaint.version)
    # This desk types what the customer wants and corrects the facts too, then Ctrl+S.
    form.desired_outcome.setFocus()
    type_text(qtbot, QApplication.focusWidget(), "尽快修好")
    form.facts.setFocus()
    form.facts.selectAll()
    type_text(qtbot, QApplication.focusWidget(), "电梯停运三天")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    choice = wait_for_choice(qtbot)
    assert [d.name for d in choice.diffs] == ["contact_phone", "facts", "desired_outcome"]
    assert list(choice.picks) == ["facts"]
    assert Complaint.get_by_id(complaint.id).desired_outcome == ""  # nothing saved yet
    qtbot.waitUntil(lambda: QApplication.focusWidget() is choice.picks["facts"])
    focus = QApplication.focusWidget()
    qtbot.keyClick(focus, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)  # 合并, mine for facts
    qtbot.waitUntil(lambda: Complaint.get_by_id(complaint.id).desired_outcome == "尽快修好")
    stored = Complaint.get_by_id(complaint.id)
    assert (stored.facts, stored.contact_phone) == ("电梯停运三天", "13812345678")
    row = AuditLog.select().where(AuditLog.entity == "complaint").order_by(AuditLog.id.desc()).get()
    assert '"conflict": "merge"' in row.changes and "facts" in row.changes
    assert form.facts.toPlainText() == "电梯停运三天"  # the form shows what was saved
