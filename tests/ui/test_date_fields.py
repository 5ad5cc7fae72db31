"""Date fields as a clerk types them: the language's one date form, the separators typed
with the digits taken as typed (Qt moved on after a full year and again on the "-")."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDateEdit, QDateTimeEdit

from csoffice import i18n
from csoffice.db.models import Reception
from csoffice.ui.widgets.qt_dates import python_date, python_datetime, show_dates
from tests.ui import desk_flows as flows


@pytest.mark.parametrize(
    "typed, wanted",
    [
        ("2027-03-05", dt.date(2027, 3, 5)),
        ("20270306", dt.date(2027, 3, 6)),
        ("2027-3-7", dt.date(2027, 3, 7)),
        ("2027/12/31", dt.date(2027, 12, 31)),
        ("2028-02-29", dt.date(2028, 2, 29)),
    ],
)
def test_a_date_typed_with_or_without_separators(app, qtbot, typed, wanted):
    edit = QDateEdit()
    show_dates(edit)
    qtbot.addWidget(edit)
    edit.setDate(QDate(2026, 12, 3))
    edit.show()
    edit.setFocus()
    edit.setSelectedSection(QDateEdit.Section.YearSection)
    QTest.keyClicks(edit, typed)
    assert python_date(edit.date()) == wanted


def test_a_date_and_time_typed_with_separators(app, qtbot):
    edit = QDateTimeEdit()
    show_dates(edit)
    qtbot.addWidget(edit)
    edit.setDateTime(QDateTime(QDate(2026, 12, 3), QTime(10, 0)))
    edit.show()
    edit.setFocus()
    edit.setSelectedSection(QDateTimeEdit.Section.YearSection)
    QTest.keyClicks(edit, "2026-1-5 8:05")
    assert python_datetime(edit.dateTime()) == dt.datetime(2026, 1, 5, 8, 5)


def test_fields_and_lists_share_the_language_date_form(app, qtbot):
    try:
        for language, shown in (("zh_CN", "2026-01-05"), ("en", "01/05/2026")):
            i18n.set_language(language)
            edit = QDateEdit(QDate(2026, 1, 5))
            qtbot.addWidget(edit)
            show_dates(edit)
            assert edit.text() == shown == i18n.format_date(dt.date(2026, 1, 5), "short")
            assert i18n.format_datetime(dt.datetime(2026, 1, 5, 9, 3)) == f"{shown} 09:03"
    finally:
        i18n.set_language("zh_CN")


def test_the_follow_up_date_is_typed_in_quick_entry(window, qtbot):
    keyboard = flows.Keyboard()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    keyboard.press(Qt.Key.Key_F2)
    entry = window.pages["reception"].entry
    flows.wait_until(lambda: QApplication.focusWidget() is entry.phone)
    keyboard.press(Qt.Key.Key_Tab)
    keyboard.type("Wang")
    while flows.focused() is not entry.followup:
        keyboard.press(Qt.Key.Key_Tab)
    keyboard.press(Qt.Key.Key_Space)
    keyboard.press(Qt.Key.Key_Tab)
    assert flows.focused() is entry.followup_due
    due = dt.date.today() + dt.timedelta(days=40)
    keyboard.type(due.isoformat())
    keyboard.press(Qt.Key.Key_Return)
    stored = Reception.get()
    assert stored.followup_needed and stored.followup_due == due
