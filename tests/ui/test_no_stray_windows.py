"""Building a screen never opens a stray window (a widget shown before it has a parent opens
as a window of its own and takes the focus from the desk's window)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from csoffice.ui.main_window import TABS


@pytest.mark.parametrize("key", [spec.key for spec in TABS])
def test_building_a_tab_keeps_the_window_active(window, qtbot, key):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    before = {w for w in QApplication.topLevelWidgets() if w.isVisible()}
    window.pages[key]
    qtbot.wait(50)
    stray = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w not in before]
    assert stray == []
    assert window.isActiveWindow()
