"""The complaint form's group and duplicate panel by keyboard: complainants picked with the
customer finder (type, Down, Enter) and taken off with Delete; a duplicate linked by typing the
number and Enter, unlinked with a reason; what was typed in the form itself is kept."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from csoffice import complaints
from csoffice.db.models import ComplaintParty
from tests.domain.test_complaint_groups import complaint, person
from tests.ui.desk_flows import back_in
from tests.ui.test_complaints import make_form, tab_to
from tests.ui.typing import type_text


def _focused():
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def _pick(qtbot, form, name: str) -> None:
    """Type a name where the focus is (the complainant finder), then Down and Enter."""
    # The suggestions' popup has closed: the form is active again, as a window manager makes
    # it (the offscreen platform does not always), with the focus in the finder.
    back_in(form)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.links.picker.line_edit)
    type_text(qtbot, _focused(), name)
    popup = form.links.picker.completer.popup()
    qtbot.waitUntil(lambda: popup is not None and popup.isVisible())
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)


def test_complainants_added_and_removed_by_keyboard(app, qtbot, clerk, database):
    lead = person(clerk, "王建国", "13800000001")
    person(clerk, "李梅", "13800000002")
    person(clerk, "赵强", "13800000003")
    made = complaint(clerk, "group", lead)
    form = make_form(qtbot, clerk, database, complaint_id=made.id)
    links = form.links
    assert links.isVisible() and links.complainants.count() == 1
    tab_to(qtbot, form, links.picker.line_edit, limit=60)
    _pick(qtbot, form, "李梅")
    qtbot.waitUntil(lambda: links.complainants.count() == 2)
    assert links.picker.line_edit.text() == ""
    _pick(qtbot, form, "赵强")
    qtbot.waitUntil(lambda: links.complainants.count() == 3)
    assert complaints.people(made.id) == 3
    assert links.people_label is not None and "3" in links.people_label.text()
    assert "李梅" in links.complainants.item(1).text()
    timeline = [form.timeline.item(r, 4).text() for r in range(form.timeline.rowCount())]
    assert "李梅" in timeline and "赵强" in timeline
    # The same customer twice: refused next to the finder, nothing stored.
    _pick(qtbot, form, "李梅")
    qtbot.waitUntil(lambda: links.errors.message("complainants") != "")
    assert "李梅" in links.errors.message("complainants")
    assert complaints.people(made.id) == 3

    # Shift+Tab back to the list, the last one selected with End, Delete takes them off.
    links.picker.line_edit.clear()
    for _ in range(5):
        if _focused() is links.complainants:
            break
        qtbot.keyClick(_focused(), Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert _focused() is links.complainants
    qtbot.keyClick(_focused(), Qt.Key.Key_End)
    qtbot.keyClick(_focused(), Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: links.complainants.count() == 2)
    assert [p.name for p in complaints.view(made.id).complainants] == ["王建国", "李梅"]
    assert ComplaintParty.select().count() == 2  # the removed one is kept, marked removed
    # The complaint's own customer cannot be taken off here.
    qtbot.keyClick(_focused(), Qt.Key.Key_Home)
    qtbot.keyClick(_focused(), Qt.Key.Key_Delete)
    assert links.complainants.count() == 2 and links.message.text()


def test_an_ordinary_complaint_hides_the_complainants(app, qtbot, clerk, database):
    made = complaint(clerk, "ordinary")
    form = make_form(qtbot, clerk, database, complaint_id=made.id)
    assert form.links.isVisible()
    assert not form.links.picker.isVisible() and not form.links.complainants.isVisible()
    assert form.links.original.isVisible()
    # A move's inputs take the panel's room while they are open; Cancel brings it back.
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    qtbot.keyClick(_focused(), Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(form.step_panel.isVisible)
    assert not form.links.isVisible()
    qtbot.mouseClick(form.step_panel.cancel_button, Qt.MouseButton.LeftButton)
    assert not form.step_panel.isVisible() and form.links.isVisible()


def test_duplicate_linked_and_unlinked_by_keyboard(app, qtbot, clerk, database):
    first = complaint(clerk, "ordinary")
    again = complaint(clerk, "ordinary")
    form = make_form(qtbot, clerk, database, complaint_id=again.id)
    links = form.links
    # Something typed in the form is kept while the link is saved.
    form.desired_outcome.setFocus()
    type_text(qtbot, _focused(), "尽快修好")
    tab_to(qtbot, form, links.original, limit=60)
    qtbot.keyClicks(_focused(), "TS-190001-0001")
    qtbot.keyClick(_focused(), Qt.Key.Key_Return)
    assert "TS-190001-0001" in links.errors.message("duplicate_of")
    assert complaints.get(again.id).duplicate_of_id is None
    links.original.selectAll()
    qtbot.keyClicks(_focused(), first.number)
    qtbot.keyClick(_focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: complaints.get(again.id).duplicate_of_id == first.id)
    assert first.number in links.duplicate_state.text()
    assert links.unlink_button.isVisible() and not links.original.isVisible()
    assert form.desired_outcome.toPlainText() == "尽快修好"  # kept
    assert form.view is not None and form.view.version == complaints.get(again.id).version

    # Removing the link wants the reason: Enter on an empty reason is refused next to it.
    tab_to(qtbot, form, links.reason, limit=60)
    qtbot.keyClick(_focused(), Qt.Key.Key_Return)
    assert links.errors.message("note")
    type_text(qtbot, _focused(), "另一部电梯")
    qtbot.keyClick(_focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: complaints.get(again.id).duplicate_of_id is None)
    assert links.original.isVisible()
    # The form's own save still works on the version the panel moved to.
    qtbot.keyClick(form.desired_outcome, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: complaints.get(again.id).desired_outcome == "尽快修好")


def test_the_ledger_counts_a_group_once_and_lists_the_duplicate_apart(window, qtbot, clerk):
    group = complaint(clerk, "group")
    complaints.add_complainant(clerk, group.id, person(clerk, "李梅", "13800000002"))
    single = complaint(clerk, "ordinary")
    repeat = complaint(clerk, "ordinary")
    complaints.link_duplicate(clerk, repeat.id, single.number)
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    tab = window.pages["complaints"]
    qtbot.waitUntil(lambda: tab.model.total() == 3)  # every complaint is listed
    totals = tab.totals_label.text()
    assert totals.startswith("共 2 件投诉 · 3 人") and "列出重复投诉 1 件（不计入）" in totals
    severity = [c.key for c in tab.model.columns].index("severity")
    assert tab.model.index(tab.model.row_of_id(group.id), severity).data() == "群诉（2 人）"
    repeated = tab.model.index(tab.model.row_of_id(repeat.id), severity).data()
    assert repeated == f"重复：{single.number}"
