"""Survey results in the Reports tab and the daily return-visit sheet from the Visits tab, used
as a clerk does."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from csoffice import customers, reports, service_events, visits
from csoffice.db.models import ReturnVisit
from csoffice.service_events import ServiceEventInput
from csoffice.ui.main_window import AppContext
from csoffice.visits import ResultInput
from tests.conftest import pdf_text


def _answered_call(clerk, day: dt.date, fixed: str = "是") -> None:
    cid = customers.create(clerk, customers.CustomerInput(name="张伟", mobile="13812345678")).id
    data = ServiceEventInput(kind="repair", date=day - dt.timedelta(days=3), product="空调")
    service_events.add(clerk, cid, data, today=day)
    visits.schedule_due_visits(clerk, day)
    visit = ReturnVisit.get(ReturnVisit.customer == cid)
    result = ResultInput(True, {}, 5, choices={"问题是否已解决？": fixed})
    visits.record_result(clerk, visit.id, result, at=dt.datetime.combine(day, dt.time(10)))


def test_reports_tab_shows_results_per_question(app, qtbot, clerk, database):
    from csoffice.ui.tabs.reports_tab import ReportsTab

    last_month = reports.current_period("monthly").previous()
    _answered_call(clerk, last_month.first + dt.timedelta(days=3))
    tab = ReportsTab(AppContext(staff=clerk, target=database))
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitExposed(tab)
    table = tab.survey.table
    assert table.rowCount() == 1
    assert [table.item(0, c).text() for c in (1, 2, 3, 4, 5)] == [
        "维修后回访（3DC）",
        "问题是否已解决？",
        "1",
        "5",
        "是 1",
    ]
    tab.survey.by.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is tab.survey.by)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)  # by day
    assert tab.survey.by.currentData() == "day"
    day = last_month.first + dt.timedelta(days=3)
    assert table.item(0, 0).text() == day.isoformat()  # the one date form of the lists


def test_daily_sheet_from_the_visits_tab(app, qtbot, clerk, database):
    from csoffice.ui.tabs.visits_tab import VisitsTab

    _answered_call(clerk, dt.date.today())
    tab = VisitsTab(AppContext(staff=clerk, target=database))
    qtbot.addWidget(tab)
    tab.show()
    qtbot.mouseClick(tab.sheet_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(tab.sheet_task.finished, timeout=20_000):
        pass
    qtbot.waitUntil(lambda: tab.pdf.preview_dialog is not None, timeout=10_000)
    tab.pdf.preview_dialog.close()
    text = pdf_text(tab.pdf.path)
    assert "回访日报" in text and "张伟" in text and "问题是否已解决？：是" in text
