"""The Reports tab's trends, customer, churn and desk-report pages as the manager uses them:
typing a month, the charts drawn from the same figures as the monthly report, a churn list
exported (and read back by LibreOffice) and printed as a call list, the department report."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from csoffice import churn, trends
from tests.domain.test_statistics import office  # noqa: F401


def focused():
    return QApplication.focusWidget()


def page(window, qtbot, index: int):
    window.tabs.setCurrentIndex(6)
    tab = window.pages["reports"]
    tab.pages.setCurrentIndex(index)
    return tab.pages.currentWidget()


def type_month(qtbot, field, text: str) -> None:
    field.edit.setFocus()
    qtbot.waitUntil(lambda: focused() is field.edit)
    field.edit.selectAll()
    qtbot.keyClick(focused(), Qt.Key.Key_Backspace)
    qtbot.keyClicks(focused(), text)
    qtbot.keyClick(focused(), Qt.Key.Key_Return)


def test_trends_page_draws_the_months_typed(window, qtbot, office):  # noqa: F811
    trends_page = page(window, qtbot, 1)
    qtbot.waitUntil(lambda: trends_page.figures is not None, timeout=30_000)  # on first show
    type_month(qtbot, trends_page.month, "2026-06")
    qtbot.waitUntil(lambda: trends_page.figures.months[-1] == "2026-06", timeout=30_000)
    assert trends_page.figures.complaints == trends.trends(trends_page.month.period()).complaints
    assert len(trends_page.charts) == 8
    assert all(w.renderer().isValid() for w in trends_page.charts.values())
    type_month(qtbot, trends_page.month, "2026-13")
    assert trends_page.month.error.isVisible()  # next to the field, nothing redrawn
    assert trends_page.month.edit.text() == "2026-13"


def test_customer_page(window, qtbot, office):  # noqa: F811
    customers_page = page(window, qtbot, 2)
    type_month(qtbot, customers_page.month, "2026-06")
    # Counted off the UI thread; the page shows the month typed when the count is done.
    qtbot.waitUntil(
        lambda: (
            customers_page.figures is not None
            and customers_page.figures.period.label() == customers_page.month.period().label()
        ),
        timeout=30_000,
    )
    assert customers_page.figures.total == 5
    assert customers_page.by_district.item(0, 0).text() == "深圳市南山区"
    assert customers_page.by_district.item(0, 1).text() == "2"


def soffice() -> str | None:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found and os.environ.get("CSOFFICE_REQUIRE_OFFICE"):
        pytest.fail("LibreOffice is required here")
    return found


def test_churn_list_exported_and_read_by_libreoffice(window, qtbot, office, tmp_path):  # noqa: F811
    churn_page = page(window, qtbot, 3)
    churn_page.kind.setFocus()
    while churn_page.current_kind() != "dissatisfied":
        qtbot.keyClick(churn_page.kind, Qt.Key.Key_Down)
    assert churn_page.model.total() == churn.churn_count("dissatisfied")
    dialog = churn_page.ask_export()
    out = tmp_path / "churn.xlsx"
    dialog.fileSelected.emit(str(out))
    with qtbot.waitSignal(churn_page.task.finished, timeout=30_000):
        pass
    assert out.exists()
    office_bin = soffice()
    if office_bin is None:
        pytest.skip("LibreOffice is not installed")
    profile = f"file:///tmp/lo-{os.getpid()}-churn"
    subprocess.run(
        [
            office_bin,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "csv",
            "--outdir",
            str(tmp_path),
            str(out),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    with Path(tmp_path / "churn.csv").open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    names = [row[0] for row in rows[1:]]
    assert "C" in names and len(rows) == 1 + churn.churn_count("dissatisfied")


def test_call_list_and_department_report_print(window, qtbot, office):  # noqa: F811
    churn_page = page(window, qtbot, 3)
    printed = []
    churn_page.pdf.print = lambda: printed.append(churn_page.pdf.path)
    qtbot.mouseClick(churn_page.print_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(churn_page.task.finished, timeout=30_000):
        pass
    qtbot.waitUntil(lambda: bool(printed))
    assert printed[0].exists()
    desk = page(window, qtbot, 4)
    type_month(qtbot, desk.department_month, "2026-06")
    desk.department.setCurrentIndex(desk.department.findData("service"))
    qtbot.mouseClick(desk.department_preview, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(desk.task.finished, timeout=30_000):
        pass
    # The report opens in the app's own print preview.
    qtbot.waitUntil(lambda: desk.pdf.preview_dialog is not None)
    preview = desk.pdf.preview_dialog
    qtbot.waitUntil(preview.isVisible)
    assert desk.pdf.path.name == "department-service-2026-06.pdf"
    preview.close()


def test_the_manager_sets_the_months_of_churn(window, qtbot, office):  # noqa: F811
    from csoffice import settings

    churn_page = page(window, qtbot, 3)
    churn_page.months.setFocus()
    qtbot.waitUntil(
        lambda: (
            (focused() is not None and churn_page.months.isAncestorOf(focused()))
            or focused() is churn_page.months
        )
    )
    churn_page.months.selectAll()
    qtbot.keyClicks(focused(), "3")
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert settings.get("statistics.churn_months") == 3
    assert "3" in churn_page.kind.itemText(churn_page.kind.findData("inactive"))


def test_a_churn_row_opens_the_customer_file(window, qtbot, office):  # noqa: F811
    from csoffice.ui.dialogs.customer_dialog import CustomerDialog

    churn_page = page(window, qtbot, 3)
    churn_page.kind.setFocus()
    while churn_page.current_kind() != "cards":
        qtbot.keyClick(churn_page.kind, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: churn_page.model.rowCount() == 2)
    # By keyboard: into the list, down to the second row (C, by name), Enter.
    churn_page.view.setFocus()
    qtbot.waitUntil(lambda: focused() is churn_page.view)
    qtbot.keyClick(focused(), Qt.Key.Key_Home)
    qtbot.keyClick(focused(), Qt.Key.Key_Down)
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(churn_page.dialog, CustomerDialog))
    dialog = churn_page.dialog
    assert dialog.customer_id == office["c"].id
    qtbot.waitUntil(dialog.isVisible)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    # By mouse: a double-click on the first row (B).
    view = churn_page.view
    first = view.visualRect(churn_page.model.index(0, 0)).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=first)  # as a hand does:
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=first)  # press, again
    qtbot.waitUntil(lambda: churn_page.dialog is not dialog)
    assert churn_page.dialog.customer_id == office["b"].id
    churn_page.dialog.reject()


def test_customer_page_counts_by_responsible_staff(window, qtbot, office):  # noqa: F811
    from csoffice.db.models import Customer

    Customer.update(responsible=office["manager"]).where(Customer.name.in_(["A", "B"])).execute()
    customers_page = page(window, qtbot, 2)
    type_month(qtbot, customers_page.month, "2026-06")
    qtbot.waitUntil(
        lambda: (
            customers_page.figures is not None and customers_page.figures.period.first.month == 6
        ),
        timeout=30_000,
    )
    table = customers_page.by_responsible
    assert table.rowCount() == 2
    assert table.item(0, 0).text() == office["manager"].display_name
    assert [table.item(0, c).text() for c in range(1, 5)] == ["2", "1", "50.0%", "0"]
    assert table.item(1, 0).text() == "未指定负责人"
