"""The settings pages of complaints, cards and points, reminders and survey questions, typed as
the manager types: an impossible value is refused next to its field, nothing is saved and what
was typed stays; the corrected page saves and the rule takes effect."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from csoffice import complaints, members, service_events, settings, survey
from tests.ui.test_visit_rules_page import open_settings_page, replace_text, save_settings
from tests.ui.typing import type_text


def _focus(qtbot, widget) -> None:
    widget.setFocus()
    qtbot.waitUntil(
        lambda: QApplication.focusWidget() in (widget, getattr(widget, "lineEdit", lambda: None)())
    )


def _tab(qtbot) -> None:
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)


def test_complaint_deadlines_and_number_format(window, qtbot):
    dialog, page = open_settings_page(window, qtbot, "complaint_rules_page")
    response, resolve = page.hours["major"]
    _focus(qtbot, response)
    replace_text(qtbot, "8")
    _tab(qtbot)  # to the resolution hours
    assert QApplication.focusWidget() in (resolve, resolve.lineEdit())
    replace_text(qtbot, "6")
    _focus(qtbot, page.number_format)
    replace_text(qtbot, "KS-{seq:04d}")
    assert "{year}" in page.preview.text()  # says at once what is missing
    save_settings(dialog)
    assert dialog.isVisible() and dialog.pages.currentWidget() is page
    assert page.errors.message("complaints.deadlines.major.resolve") == (
        "处理时限不能早于首次响应时限（8 小时）。"
    )
    assert "{month}" in page.errors.message("complaints.number_format")
    assert "{{" not in page.errors.message("complaints.number_format")
    assert not page.preview.isVisible()  # the message under the field says it once
    assert complaints.deadline_hours("major") == (4, 24)
    assert settings.get("complaints.number_format") == "TS-{year:04d}{month:02d}-{seq:04d}"
    assert response.value() == 8  # what was typed is kept
    _focus(qtbot, resolve)
    replace_text(qtbot, "48")
    _focus(qtbot, page.number_format)
    replace_text(qtbot, "KS{year}{month:02d}{seq:05d}")
    today = dt.date.today()
    assert page.preview.text() == f"本月第一个编号：KS{today.year}{today.month:02d}00001"
    with qtbot.waitSignal(dialog.saved):
        save_settings(dialog)
    assert complaints.deadline_hours("major") == (8, 48)
    assert complaints.format_number("202612", 3) == "KS20261200003"


def test_card_and_points_rules(window, qtbot):
    dialog, page = open_settings_page(window, qtbot, "member_rules_page")
    _focus(qtbot, page.texts["members.yuan_per_point"])
    replace_text(qtbot, "十元")
    _focus(qtbot, page.numbers["members.birthday_last_day"])
    replace_text(qtbot, "1")
    save_settings(dialog)
    assert dialog.isVisible()
    assert page.errors.message("members.yuan_per_point") == (
        "请输入大于 0 的金额（元），例如 10 或 0.50。"
    )
    assert (
        page.errors.message("members.birthday_last_day") == "最后一天不能早于第一天（提前 2 天）。"
    )
    assert settings.get("members.yuan_per_point") == "10"
    _focus(qtbot, page.texts["members.yuan_per_point"])
    replace_text(qtbot, "5")
    _focus(qtbot, page.numbers["members.birthday_last_day"])
    replace_text(qtbot, "10")
    with qtbot.waitSignal(dialog.saved):
        save_settings(dialog)
    assert members.points_for(Decimal("100")) == 20
    assert settings.get("members.birthday_last_day") == 10


def test_reminder_months_and_board_days(window, qtbot):
    dialog, page = open_settings_page(window, qtbot, "reminders_page")
    _focus(qtbot, page.months["insurance"])
    replace_text(qtbot, "24")
    _focus(qtbot, page.ahead)
    replace_text(qtbot, "120")
    save_settings(dialog)
    assert dialog.isVisible()
    assert page.errors.message("today.reminder_days") == "请输入 0 到 90 之间的整数。"
    assert settings.get("reminders.months")["insurance"] == 12
    replace_text(qtbot, "30")
    with qtbot.waitSignal(dialog.saved):
        save_settings(dialog)
    assert settings.get("today.reminder_days") == 30
    assert service_events.next_due("insurance", dt.date(2026, 2, 28)) == dt.date(2028, 2, 28)


def test_survey_question_with_a_bad_score_then_saved(window, qtbot):
    dialog, page = open_settings_page(window, qtbot, "survey_page")
    _focus(qtbot, page.kind)
    while page.kind.currentData() != "3dc":
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    page.add_button.click()
    assert QApplication.focusWidget() is page.text
    type_text(qtbot, page.text, "维修后车辆是否清洁？")
    _tab(qtbot)
    assert QApplication.focusWidget() is page.options
    type_text(qtbot, page.options, "很干净 = 5")
    qtbot.keyClick(page.options, Qt.Key.Key_Return)
    type_text(qtbot, page.options, "不干净 = 9")
    save_settings(dialog)
    assert dialog.isVisible() and dialog.pages.currentWidget() is page
    assert page.errors.message("options") == "每个答案选项都要有名称和 1 到 5 的分值。"
    assert settings.get("visits.questions") == {}
    assert page.question_list.currentItem().text() == "维修后车辆是否清洁？"
    page.options.setFocus()
    qtbot.keyClick(page.options, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(page.options, Qt.Key.Key_Backspace)
    type_text(qtbot, page.options, "1")
    with qtbot.waitSignal(dialog.saved):
        save_settings(dialog)
    asked = survey.questions("3dc")
    assert len(asked) == 4 and asked[-1].text == "维修后车辆是否清洁？"
    assert asked[-1].score_of("不干净") == 1 and asked[0].text == "问题是否已解决？"
    assert set(settings.get("visits.questions")) == {"3dc"}  # other kinds keep the built-in


def test_clerk_sees_the_rules_but_cannot_change_them(app, qtbot, clerk, database):
    from csoffice.ui.context import AppContext
    from csoffice.ui.dialogs.settings_dialog import SettingsDialog

    dialog = SettingsDialog(AppContext(staff=clerk, target=database))
    qtbot.addWidget(dialog)
    assert not dialog.complaint_rules_page.number_format.isEnabled()
    assert not dialog.member_rules_page.policy.isEnabled()
    assert not dialog.reminders_page.ahead.isEnabled()
    assert not dialog.survey_page.add_button.isEnabled()
    assert dialog.survey_page.question_list.count() == 3


def test_saving_an_untouched_dialog_stores_nothing(window, qtbot):
    """Save with nothing changed writes no setting and re-plans no call (no audit row)."""
    from csoffice.db.models import AuditLog

    dialog, _page = open_settings_page(window, qtbot, "visit_rules_page")
    before = AuditLog.select().where(AuditLog.entity == "settings").count()
    with qtbot.waitSignal(dialog.saved):
        save_settings(dialog)
    assert AuditLog.select().where(AuditLog.entity == "settings").count() == before
    assert dialog.visit_rules_page.result is None


def test_a_page_refused_at_saving_undoes_the_pages_before_it(window, qtbot, monkeypatch):
    """The pages are checked first; should one still be refused as it is stored (here: the
    disk is full), the pages stored before it in the same save are undone with it."""
    from csoffice.errors import CsofficeError

    dialog, page = open_settings_page(window, qtbot, "complaint_rules_page")
    _focus(qtbot, page.number_format)
    replace_text(qtbot, "KS{year}{month:02d}{seq:05d}")
    calendar = dialog.calendar_page

    def disk_full():
        raise CsofficeError("磁盘已满，未能保存。")

    with monkeypatch.context() as patched:
        patched.setattr(calendar, "_store", disk_full)
        save_settings(dialog)
    assert dialog.isVisible() and dialog.pages.currentWidget() is calendar
    assert calendar.message.text() == "磁盘已满，未能保存。"
    assert settings.get("complaints.number_format") == "TS-{year:04d}{month:02d}-{seq:04d}"
    with qtbot.waitSignal(dialog.saved):
        save_settings(dialog)
    assert settings.get("complaints.number_format") == "KS{year}{month:02d}{seq:05d}"
