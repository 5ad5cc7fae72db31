"""The complaint form and ledger as a clerk and the manager use them: typing, Tab, Enter, the
workflow buttons, what is shown and what is stored."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from csoffice import complaints
from csoffice.complaints import ComplaintInput
from csoffice.db.models import Complaint, Reception
from csoffice.ui.main_window import AppContext
from tests.ui.typing import type_text


def tab_to(qtbot, widget: QWidget, target: QWidget, limit: int = 30) -> None:
    """Press Tab until ``target`` (or a child of it) has the focus."""
    for _ in range(limit):
        focused = widget.focusWidget()
        if focused is target or (focused is not None and target.isAncestorOf(focused)):
            return
        qtbot.keyClick(focused or widget, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {target!r}")


def make_form(qtbot, staff, database, **kwargs):
    from csoffice.ui.dialogs.complaint_form import ComplaintForm

    form = ComplaintForm(AppContext(staff=staff, target=database), **kwargs)
    form.open_printed = False
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)  # window shortcuts (Ctrl+S) need the active window
    return form


def choose(qtbot, combo, text: str) -> None:
    """Pick an entry of a focused combo box with the arrow keys, as a keyboard user does."""
    combo.setFocus()
    for _ in range(combo.count() + 1):
        if combo.currentText() == text:
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    raise AssertionError(f"{text} not in the list")


def test_fill_by_keyboard_and_walk_the_flow(app, qtbot, clerk, manager, database):
    form = make_form(qtbot, clerk, database)
    assert form.windowTitle() == "新建投诉"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.customer.line_edit)
    # Save an empty form: every message next to its field, nothing stored.
    qtbot.keyClick(form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert form.errors.message("facts") == "请写明投诉事实。"
    assert form.errors.message("category") == "请选择投诉类别。"
    assert Complaint.select().count() == 0

    form.contact_name.setFocus()
    type_text(qtbot, form.contact_name, "刘䶮")
    qtbot.keyClick(form.contact_name, Qt.Key.Key_Tab)
    assert form.contact_phone.hasFocus()
    qtbot.keyClicks(form.contact_phone, "13812345678")
    qtbot.keyClick(form.contact_phone, Qt.Key.Key_Tab)
    assert form.category.hasFocus()
    choose(qtbot, form.category, "产品质量")
    qtbot.keyClick(form.category, Qt.Key.Key_Tab)
    assert form.severity.hasFocus()
    qtbot.keyClick(form.severity, Qt.Key.Key_Tab)
    assert form.facts.hasFocus()
    type_text(qtbot, form.facts, "空调异响，两次上门未解决。")
    qtbot.keyClick(form.facts, Qt.Key.Key_Tab)
    assert form.desired_outcome.hasFocus()
    type_text(qtbot, form.desired_outcome, "更换整机")
    with qtbot.waitSignal(form.saved) as saved:
        qtbot.keyClick(form.desired_outcome, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    stored = Complaint.get_by_id(saved.args[0])
    assert (stored.contact_name, stored.contact_phone, stored.category) == (
        "刘䶮",
        "13812345678",
        "quality",
    )
    assert stored.facts == "空调异响，两次上门未解决。" and stored.receiver_id == clerk.id
    assert form.heading.text() == f"投诉 {stored.number} — 已受理"
    assert form.timeline.rowCount() == 1 and form.timeline.item(0, 1).text() == "已受理"

    # Hand it to a department: an outside handler named by keyboard.
    assert form.action_buttons["assign"].isVisible()
    assert not form.action_buttons["reopen"].isVisible()
    qtbot.mouseClick(form.action_buttons["assign"], Qt.MouseButton.LeftButton)
    panel = form.step_panel
    assert panel.isVisible() and panel.department.hasFocus()
    qtbot.mouseClick(panel.ok_button, Qt.MouseButton.LeftButton)
    assert panel.errors.message("department") == "请选择责任部门。"
    choose(qtbot, panel.department, "售后服务部")
    choose(qtbot, panel.handler, "外部人员…")
    assert panel.handler_name.isVisible()
    panel.handler_name.setFocus()
    type_text(qtbot, panel.handler_name, "李师傅")
    with qtbot.waitSignal(form.saved):
        qtbot.mouseClick(panel.ok_button, Qt.MouseButton.LeftButton)
    stored = Complaint.get_by_id(stored.id)
    assert (stored.status, stored.department, stored.handler_name) == (
        "in_progress",
        "aftersales",
        "李师傅",
    )
    assert form.timeline.item(1, 4).text() == "售后服务部；李师傅"

    # Handled: the company's fault needs a root cause and a correction.
    qtbot.mouseClick(form.action_buttons["handle"], Qt.MouseButton.LeftButton)
    type_text(qtbot, panel.result, "更换压缩机")
    choose(qtbot, panel.company_at_fault, "是，公司有责任")
    qtbot.mouseClick(panel.ok_button, Qt.MouseButton.LeftButton)
    assert panel.errors.message("root_cause") == "公司有责任时，请填写原因分析。"
    panel.root_cause.setFocus()
    type_text(qtbot, panel.root_cause, "安装不当")
    panel.corrective_action.setFocus()
    type_text(qtbot, panel.corrective_action, "安装工培训")
    with qtbot.waitSignal(form.saved):
        qtbot.mouseClick(panel.ok_button, Qt.MouseButton.LeftButton)
    assert Complaint.get_by_id(stored.id).company_at_fault is True

    # The customer's feedback, then close.
    qtbot.mouseClick(form.action_buttons["inform"], Qt.MouseButton.LeftButton)
    type_text(qtbot, panel.customer_opinion, "满意")
    choose(qtbot, panel.satisfaction, "4 分（满分 5 分）")
    panel.satisfaction_reason.setFocus()
    type_text(qtbot, panel.satisfaction_reason, "处理及时")
    with qtbot.waitSignal(form.saved):
        qtbot.mouseClick(panel.ok_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(form.saved):
        qtbot.mouseClick(form.action_buttons["close"], Qt.MouseButton.LeftButton)
        qtbot.mouseClick(panel.ok_button, Qt.MouseButton.LeftButton)
    stored = Complaint.get_by_id(stored.id)
    assert (stored.status, stored.satisfaction) == ("closed", 4)
    assert form.heading.text().endswith("已结案")
    assert not form.save_button.isEnabled()
    assert not form.action_buttons["reopen"].isVisible()  # a clerk may not re-open

    # The manager re-opens it with a reason; both events stay in the timeline.
    manager_form = make_form(qtbot, manager, database, complaint_id=stored.id)
    assert manager_form.action_buttons["reopen"].isVisible()
    qtbot.mouseClick(manager_form.action_buttons["reopen"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(manager_form.step_panel.ok_button, Qt.MouseButton.LeftButton)
    assert manager_form.step_panel.errors.message("note") == "请说明理由。"
    type_text(qtbot, manager_form.step_panel.note, "客户再次来电")
    with qtbot.waitSignal(manager_form.saved):
        qtbot.mouseClick(manager_form.step_panel.ok_button, Qt.MouseButton.LeftButton)
    steps = [
        manager_form.timeline.item(row, 1).text() for row in range(manager_form.timeline.rowCount())
    ]
    assert steps[-2:] == ["结案归档", "重新打开"]
    assert Complaint.get_by_id(stored.id).status == "in_progress"

    # Print the slip from the form.
    path = manager_form.print_slip()
    assert path is not None and path.exists()


def test_major_complaint_waits_for_the_manager(app, qtbot, clerk, manager, database):
    complaint = complaints.create(
        clerk,
        ComplaintInput(
            contact_name="业主代表", category="property", severity="group", facts="电梯困人"
        ),
    )
    form = make_form(qtbot, clerk, database, complaint_id=complaint.id)
    visible = [a for a, b in form.action_buttons.items() if b.isVisible()]
    assert visible == ["submit", "note"]
    with qtbot.waitSignal(form.saved):
        qtbot.mouseClick(form.action_buttons["submit"], Qt.MouseButton.LeftButton)
        qtbot.mouseClick(form.step_panel.ok_button, Qt.MouseButton.LeftButton)
    assert [a for a, b in form.action_buttons.items() if b.isVisible()] == ["note"]
    manager_form = make_form(qtbot, manager, database, complaint_id=complaint.id)
    assert manager_form.action_buttons["confirm"].isVisible()


def test_draft_from_reception_saves_linked(app, qtbot, clerk, database):
    reception = Reception.create(
        received_at=dt.datetime.now().replace(microsecond=0) - dt.timedelta(minutes=5),
        channel="wechat",
        caller_name="王㛃",
        caller_phone="13900001111",
        category="complaint",
        content="快递三天未送达",
        handler=clerk,
    )
    draft = complaints.draft_from_reception(reception.id)
    form = make_form(qtbot, clerk, database, draft=draft, reception_id=reception.id)
    assert form.contact_name.text() == "王㛃" and form.facts.toPlainText() == "快递三天未送达"
    assert form.channel.currentData() == "wechat"
    choose(qtbot, form.category, "交付")
    with qtbot.waitSignal(form.saved) as saved:
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert Reception.get_by_id(reception.id).complaint_id == saved.args[0]


def test_ledger_filters_totals_and_overdue(window, qtbot, clerk, manager):
    late = complaints.create(
        clerk,
        ComplaintInput(
            contact_name="张三",
            category="billing",
            facts="多收费",
            received_at=dt.datetime.now() - dt.timedelta(days=4),
        ),
    )
    complaints.create(
        manager, ComplaintInput(contact_name="李四", category="quality", facts="异响")
    )
    window.tabs.setCurrentIndex(2)
    tab = window.pages["complaints"]
    tab.refresh()
    assert tab.model.total() == 2
    assert tab.totals_label.text().startswith("共 2 件投诉")
    assert "超时 1" in tab.totals_label.text()
    row = tab.model.row_of_id(late.id)
    background = tab.model.index(row, 0).data(Qt.ItemDataRole.BackgroundRole)
    assert background is not None and background.color().name() == "#fdecea"
    assert tab.model.index(row, 11).data().startswith("处理超时")
    tab.overdue.setChecked(True)
    assert tab.model.ids() == [late.id]
    tab.overdue.setChecked(False)
    type_text(qtbot, tab.search, "李四")
    qtbot.waitUntil(lambda: tab.model.total() == 1)
    qtbot.keyClick(tab.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: getattr(tab, "form", None) is not None and tab.form.isVisible())
    assert tab.form.contact_name.text() == "李四"
    tab.form.close()


def test_ledger_export(window, qtbot, clerk, manager, tmp_path):
    complaints.create(
        clerk, ComplaintInput(contact_name="张三", category="billing", facts="多收费")
    )
    tab = window.pages["complaints"]
    tab.refresh()
    out = tmp_path / "ledger.csv"
    task = tab.export_to(str(out))
    with qtbot.waitSignal(task.finished, timeout=10_000):
        pass
    assert out.read_text(encoding="utf-8-sig").splitlines()[0].startswith("编号,状态,受理时间")


def test_the_print_buttons_name_the_copy_they_print(app, qtbot, manager, database):
    """Clicking 打印投诉单 saves the filed copy, named so (clicked's checked=False once arrived
    as the copy and the file was called TS-…-False-….pdf); the department button its own."""
    from csoffice.paths import subfolder

    complaint = complaints.create(
        manager, ComplaintInput(contact_name="陈女士", category="service", facts="维修迟到")
    )
    form = make_form(qtbot, manager, database, complaint_id=complaint.id)
    prints = subfolder("prints")
    before = set(prints.glob("*.pdf"))
    assert form.print_button.isEnabled()
    qtbot.mouseClick(form.print_button, Qt.MouseButton.LeftButton)
    made = set(prints.glob("*.pdf")) - before
    number = form.view.number
    assert [p.name[: len(number) + 7] for p in made] == [f"{number}-filed-"], made
    qtbot.mouseClick(form.department_copy_button, Qt.MouseButton.LeftButton)
    made = set(prints.glob("*.pdf")) - before
    assert sorted(p.name[len(number) + 1 :].split("-")[0] for p in made) == ["department", "filed"]
    assert all(p.read_bytes().startswith(b"%PDF") for p in made)


def test_the_moves_inputs_are_made_on_first_use_and_unsaved_typing_still_counts(
    app, qtbot, clerk, database
):
    complaint = complaints.create(
        clerk, complaints.ComplaintInput(contact_name="王女士", category="service", facts="停水")
    )
    blank = make_form(qtbot, clerk, database)
    assert blank._links is None and blank._step_panel is None  # a new complaint has neither
    form = make_form(qtbot, clerk, database, complaint_id=complaint.id)
    assert form._step_panel is None  # opening the form made none of the move's inputs
    assert form._links is not None and form.links.isVisible()  # a saved one shows its links
    qtbot.mouseClick(form.action_buttons["assign"], Qt.MouseButton.LeftButton)
    assert form.step_panel.isVisible() and not form.guard.dirty()  # nothing typed yet
    type_text(qtbot, form.step_panel.note, "请物业跟进")
    assert form.guard.dirty()
    form.step_panel.cancel_button.click()
    other = make_form(qtbot, clerk, database, complaint_id=complaint.id)
    type_text(qtbot, other.facts, "，两天了")
    qtbot.mouseClick(other.action_buttons["assign"], Qt.MouseButton.LeftButton)
    assert other.guard.dirty()  # the facts typed before the panel was made are still a change


def test_tab_goes_through_the_moves_inputs_to_the_timeline(app, qtbot, clerk, database):
    complaint = complaints.create(
        clerk, complaints.ComplaintInput(contact_name="王女士", category="service", facts="停水")
    )
    form = make_form(qtbot, clerk, database, complaint_id=complaint.id)
    qtbot.mouseClick(form.action_buttons["assign"], Qt.MouseButton.LeftButton)
    panel = form.step_panel
    qtbot.waitUntil(lambda: panel.isAncestorOf(QApplication.focusWidget()))
    for _key in range(30):  # Tab through the move's inputs: the next stop is the timeline
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        if not panel.isAncestorOf(QApplication.focusWidget()):
            break
    assert QApplication.focusWidget() is form.timeline
