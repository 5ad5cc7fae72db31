"""UI fixtures: the application as the app itself creates it, and the main window."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def qapp_cls():
    from PySide6.QtWidgets import QApplication

    return QApplication


@pytest.fixture
def app(qapp):
    """The QApplication with the bundled font, style sheet and Qt's zh_CN translations."""
    from csoffice.app import create_application

    return create_application(["csoffice"], "zh_CN")


@pytest.fixture
def window(app, qtbot, manager, database):
    from csoffice.ui.main_window import AppContext, MainWindow

    win = MainWindow(AppContext(staff=manager, target=database))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win
