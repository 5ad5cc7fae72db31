"""Widgets made after their window: their place in the Tab chain.

Qt appends a widget made late to the end of its window's focus chain, so Tab would reach a
panel built on first use after every other field. These put it back where it sits."""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget


def tab_stops(panel: QWidget) -> list[QWidget]:
    """The widgets inside ``panel`` that Tab stops at, in their focus-chain order."""
    stops = []
    widget = panel.nextInFocusChain()
    while widget is not None and panel.isAncestorOf(widget):
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            stops.append(widget)
        widget = widget.nextInFocusChain()
    return stops


def place_before(panel: QWidget, next_stop: QWidget) -> None:
    """Put ``panel``'s fields in the Tab chain just before ``next_stop``."""
    before = next_stop.previousInFocusChain()
    stops = ([] if before is None else [before]) + tab_stops(panel) + [next_stop]
    for first, second in pairwise(stops):
        QWidget.setTabOrder(first, second)
