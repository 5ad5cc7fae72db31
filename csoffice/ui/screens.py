"""Windows that fit the screen they open on (a laptop's 1366×768, a scale factor of 1.5)."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget


def clamp_to_screen(window: QWidget) -> None:
    """Move and shrink ``window`` so all of it lies on the screen's available area (a geometry
    saved on a bigger monitor, or a screen that has gone, must not put it out of reach)."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return
    area = screen.availableGeometry()
    frame = window.frameGeometry()
    extra_w = max(0, frame.width() - window.width())
    extra_h = max(0, frame.height() - window.height())
    width = min(window.width(), area.width() - extra_w)
    height = min(window.height(), area.height() - extra_h)
    if (width, height) != (window.width(), window.height()):
        QWidget.resize(window, max(width, 200), max(height, 200))
    frame = window.frameGeometry()
    # When it is still taller or wider than the screen, its title bar and top stay in reach.
    x = max(min(frame.x(), area.right() - frame.width() + 1), area.left())
    y = max(min(frame.y(), area.bottom() - frame.height() + 1), area.top())
    if (x, y) != (frame.x(), frame.y()):
        QWidget.move(window, x, y)  # not window.move: a dialog may name an attribute "move"
