"""The server goes away while a clerk types: the window says so (status line and banner), the
save is refused with what was typed kept, and once the server is back the form says it can be
saved, and it is."""

from __future__ import annotations

import sys

import psycopg2
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from csoffice import auth, customers, live_updates
from csoffice.customers import CustomerInput
from csoffice.db import notify
from csoffice.db.database import close_database, open_database
from csoffice.db.errors import ConnectionLost
from csoffice.ui.dialogs.customer_dialog import CustomerDialog
from csoffice.ui.errors import install_excepthook
from csoffice.ui.main_window import AppContext, MainWindow
from tests.pg_proxy import PgProxy
from tests.ui.typing import type_text


@pytest.fixture
def through_proxy(pg_url, monkeypatch):
    monkeypatch.setattr(notify, "BACKOFF_FIRST", 0.1)
    monkeypatch.setattr(notify, "BACKOFF_MAX", 0.5)
    open_database(pg_url)  # migrate directly, then go through the relay
    close_database()
    proxy = PgProxy(pg_url)
    target = open_database(proxy.url)
    listener = live_updates.start(target)
    yield proxy, target
    if proxy._server is None:  # the test stopped while the server was away
        proxy.restore()
    listener.stop()
    close_database()
    assert live_updates.link.up or not listener.is_alive()


def stored_address(url: str, customer_id: int) -> str:
    conn = psycopg2.connect(url)
    with conn, conn.cursor() as cursor:
        cursor.execute("SELECT address FROM customer WHERE id = %s", (customer_id,))
        (address,) = cursor.fetchone()
    conn.close()
    return address


def test_a_lost_server_is_shown_typing_is_kept_and_the_save_goes_through_when_back(
    app, qtbot, pg_url, through_proxy
):
    proxy, target = through_proxy
    manager = auth.default_manager()
    customer = customers.create(manager, CustomerInput(name="张三", address="幸福路1号"))
    window = MainWindow(AppContext(staff=manager, target=target))
    qtbot.addWidget(window)
    window.show()
    status = window.connection_status
    assert status is not None
    qtbot.waitUntil(lambda: status.line.text() == "服务器已连接")
    assert not status.bar.isVisible()

    dialog = CustomerDialog(window.context, customer.id, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.form.address.setFocus()
    dialog.form.address.selectAll()
    type_text(qtbot, QApplication.focusWidget(), "幸福路9号")

    proxy.cut()  # the network goes
    qtbot.waitUntil(lambda: status.bar.isVisible(), timeout=15_000)
    assert "无法连接" in status.banner.text() and "正在重试" in status.line.text()
    # A list that could not load meanwhile (an uncaught lost connection) adds no message box:
    # the banner says it already.
    previous = sys.excepthook
    install_excepthook(lambda: window)
    try:
        sys.excepthook(ConnectionLost, ConnectionLost(), None)
        assert not [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.isVisible()
        ]
    finally:
        sys.excepthook = previous

    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.message.isVisible())
    assert "连接" in dialog.message.text() and "未保存" in dialog.message.text()
    assert dialog.form.address.text() == "幸福路9号"  # kept
    assert stored_address(pg_url, customer.id) == "幸福路1号"

    proxy.restore()  # the network is back
    qtbot.waitUntil(lambda: status.line.text() == "服务器已连接", timeout=15_000)
    assert "恢复" in status.banner.text()
    qtbot.waitUntil(lambda: "再按保存" in dialog.message.text())
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.form.address)
    qtbot.keyClick(dialog.form.address, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: stored_address(pg_url, customer.id) == "幸福路9号")
    assert dialog.message.text() == "已保存。"
    dialog.close()


def test_a_sqlite_desk_shows_no_server_line(window):
    assert window.connection_status is None
    assert window.findChild(type(window.statusBar()), "connectionBar") is None
