"""The desk's daily flows, driven as a clerk drives them: every key goes to whatever widget has
the focus (``QApplication.focusWidget()``), nothing calls a dialog's method. A ``Keyboard``
counts the keys and times each key's handling; the UI tests and bench/desk.py share these.

Keys are what the clerk presses (a Chinese character typed through the input method counts
as one committed character, kept apart as ``text`` because the issue counts the note apart).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

NO = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


_TYPING_KEYS = {
    Qt.Key.Key_Tab,
    Qt.Key.Key_Backtab,
    Qt.Key.Key_Up,
    Qt.Key.Key_Down,
    Qt.Key.Key_Left,
    Qt.Key.Key_Right,
    Qt.Key.Key_Home,
    Qt.Key.Key_End,
    Qt.Key.Key_Backspace,
    Qt.Key.Key_Space,
}


class FlowError(AssertionError):
    """The flow could not go on: what the clerk would have seen instead."""


def focused() -> QWidget:
    """Where a key goes: an open popup (a completer's list) first, as the window system
    delivers it, else the focus widget."""
    # (not QApplication.activePopupWidget(): its None return trips a PySide refcount bug)
    popups = [
        w
        for w in QApplication.topLevelWidgets()
        if w.windowType() == Qt.WindowType.Popup and w.isVisible()
    ]
    widget = popups[-1] if popups else QApplication.focusWidget()
    if widget is None:
        raise FlowError("no widget has the focus")
    return widget


def wait_until(condition: Callable[[], object], timeout: float = 5.0) -> None:
    """Let the event loop run until ``condition()`` holds (dialogs open, focus settles)."""
    deadline = time.perf_counter() + timeout
    while True:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        try:
            if condition():
                return
        except RuntimeError:
            pass
        if time.perf_counter() > deadline:
            widget = QApplication.focusWidget()
            where = widget.objectName() or type(widget).__name__ if widget else "no widget"
            active = QApplication.activeWindow()
            raise FlowError(
                f"timed out waiting for {condition}; focus on {where} in "
                f"{type(active).__name__ if active else 'no active window'}"
            )
        time.sleep(0.005)


def arrive(window: QWidget) -> None:
    """A dialog opened: wait until the focus is in it (activating it as a window manager does
    when the offscreen platform has not)."""
    wait_until(window.isVisible)
    try:
        wait_until(focus_in(window), 1)
    except FlowError:
        window.windowHandle().requestActivate()
        try:
            wait_until(focus_in(window), 2)
        except FlowError:
            raise FlowError(
                f"{window} opened without the focus: focus {QApplication.focusWidget()}, "
                f"active {QApplication.activeWindow()}"
            ) from None


def back_in(window: QWidget) -> None:
    """A dialog closed: the window manager gives the window below the focus back (the
    offscreen test platform does not, so the window is activated as a window manager would)."""
    window.activateWindow()
    try:
        wait_until(focus_in(window), 2)
    except FlowError:
        shown = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        raise FlowError(f"the focus did not come back; open: {shown}") from None


def focus_in(window: QWidget) -> Callable[[], bool]:
    """A condition: the focus is in ``window`` (a dialog that has just opened)."""
    return lambda: (
        QApplication.focusWidget() is not None and QApplication.focusWidget().window() is window
    )


@dataclass
class Keyboard:
    """Sends keys to the focus widget; counts them and times the slowest one's handling."""

    keys: int = 0
    text: int = 0
    slowest_ms: float = 0.0
    slowest_what: str = ""
    # Keys that only type or move (characters, Tab, arrows) apart from those that save,
    # open or close something (Enter, Ctrl+…, Alt+…, F-keys).
    slowest_typing_ms: float = 0.0
    slowest_typing_what: str = ""
    log: list[str] = field(default_factory=list)

    def timed(self, what: str, send: Callable[[], None], typing: bool = True) -> None:
        start = time.perf_counter()
        send()
        elapsed = (time.perf_counter() - start) * 1000
        if elapsed > self.slowest_ms:
            self.slowest_ms, self.slowest_what = elapsed, what
        if typing and elapsed > self.slowest_typing_ms:
            self.slowest_typing_ms, self.slowest_typing_what = elapsed, what

    def press(self, key: Qt.Key, modifier=NO, times: int = 1) -> None:
        for _n in range(times):
            widget = focused()
            name = f"{widget.objectName() or type(widget).__name__}:{Qt.Key(key).name}"
            typing = modifier == NO and key in _TYPING_KEYS
            self.timed(name, lambda w=widget: QTest.keyClick(w, key, modifier), typing)
            self.keys += 1
            self.log.append(name)

    def type(self, text: str) -> None:
        """ASCII as key clicks; other characters as the input method commits them."""
        for char in text:
            widget = focused()
            name = f"{widget.objectName() or type(widget).__name__}:{char!r}"
            if char.isascii():
                self.timed(name, lambda w=widget, c=char: QTest.keyClicks(w, c))
                self.keys += 1
            else:

                def commit(w=widget, c=char) -> None:
                    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                        QApplication.sendEvent(w, QKeyEvent(kind, Qt.Key.Key_unknown, NO, c))

                self.timed(name, commit)
                self.text += 1

    def note(self, text: str) -> None:
        """What the caller said: typed, and counted apart from the keys."""
        keys = self.keys
        self.type(text)
        self.text += self.keys - keys
        self.keys = keys


# --- the flows ----------------------------------------------------------------------------------


def known_caller(
    kb: Keyboard, window, last_four: str, note: str, customer_id: int | None = None
) -> None:
    """F2 from anywhere, the caller's last four digits; when others share them, ↓ into the
    list of those callers, ↓ to ``customer_id``, Enter; Tab to the note, the note, Enter."""
    kb.press(Qt.Key.Key_F2)
    entry = window.pages["reception"].entry
    wait_until(lambda: QApplication.focusWidget() is entry.phone)
    kb.type(last_four)
    if entry.customer.customer_id() is None and entry.picks.isVisible():
        kb.press(Qt.Key.Key_Down)
        picks = entry.picks
        for _row in range(picks.count()):
            item = picks.currentItem()
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == customer_id:
                break
            kb.press(Qt.Key.Key_Down)
        kb.press(Qt.Key.Key_Return)
    if entry.customer.customer_id() is None:
        raise FlowError(entry.caller_hint.text())
    while focused() is not entry.content:
        kb.press(Qt.Key.Key_Tab)
    kb.note(note)
    kb.press(Qt.Key.Key_Return)


def walk_in_stranger(kb: Keyboard, window, name: str) -> None:
    """F2, Tab to the name, the name, Tab to the channel, ↓ (walk-in), Enter."""
    kb.press(Qt.Key.Key_F2)
    entry = window.pages["reception"].entry
    wait_until(lambda: QApplication.focusWidget() is entry.phone)
    kb.press(Qt.Key.Key_Tab)
    kb.type(name)
    while focused() is not entry.channel:
        kb.press(Qt.Key.Key_Tab)
    kb.press(Qt.Key.Key_Down)  # 电话 → 到店
    kb.press(Qt.Key.Key_Return)


def choose_first(kb: Keyboard, combo) -> None:
    """↓ until the combo shows a choice (an empty first entry is skipped)."""
    kb.press(Qt.Key.Key_Down)
    if not combo.currentText():
        kb.press(Qt.Key.Key_Down)


def reception_to_complaint(kb: Keyboard, window) -> object:
    """Ctrl+T on the reception just saved: the complaint form filled in from it; choose the
    category, Ctrl+S. Returns the form."""
    tab = window.pages["reception"]
    kb.press(Qt.Key.Key_T, CTRL)
    wait_until(lambda: getattr(tab, "complaint_form", None) is not None)  # a button's key
    form = tab.complaint_form  # clicks it after its short press animation
    return _category_and_save(kb, form)


def _category_and_save(kb: Keyboard, form) -> object:
    """The complaint form just opened from a reception or a call: the category (when the
    draft has none), Ctrl+S."""
    arrive(form)
    if not form.category.currentText():
        while focused() is not form.category:
            kb.press(Qt.Key.Key_Tab)
        choose_first(kb, form.category)
    kb.press(Qt.Key.Key_S, CTRL)
    if form.view is None:
        raise FlowError(form.message.text() or "the complaint was not saved")
    return form


def _move(kb: Keyboard, form, action: str, fill: Callable[[], None]) -> None:
    button = form.action_buttons[action]
    if button.isHidden():
        raise FlowError(f"{action} is not offered")
    sequence = button.shortcut().toString()  # Alt+1 …: what the tooltip shows
    number = int(sequence.rsplit("+", 1)[1])
    kb.press(Qt.Key(Qt.Key.Key_0 + number), ALT)
    wait_until(lambda: form.step_panel.isVisible() and form.step_panel.action == action)
    fill()
    status = form.view.status
    kb.press(Qt.Key.Key_Return, CTRL)
    if form.view.status == status and action != "assign":
        errors = {n: form.step_panel.errors.message(n) for n in form.step_panel.errors.labels}
        raise FlowError(f"{action}: {form.message.text()} {errors} focus={focused()}")


def complaint_to_closed_and_reopened(kb: Keyboard, form) -> list[str]:
    """Hand to a department, record the result, the customer's answer, close, re-open: each
    by its Alt+number and Ctrl+Enter. Returns the statuses passed."""
    seen = [form.view.status]
    panel = form.step_panel

    def assign() -> None:
        wait_until(lambda: QApplication.focusWidget() is panel.department)
        kb.press(Qt.Key.Key_Down)
        kb.press(Qt.Key.Key_Tab)
        kb.press(Qt.Key.Key_Down)

    def handle() -> None:
        wait_until(lambda: QApplication.focusWidget() is panel.result)
        kb.note("已更换配件，试机正常")
        kb.press(Qt.Key.Key_Tab)
        kb.press(Qt.Key.Key_Down)  # the company was at fault
        kb.press(Qt.Key.Key_Tab)
        kb.note("配件批次质量问题")
        kb.press(Qt.Key.Key_Tab)
        kb.note("同批次配件全部检查")

    def inform() -> None:
        wait_until(lambda: QApplication.focusWidget() is panel.customer_opinion)
        kb.note("客户认可处理结果")
        kb.press(Qt.Key.Key_Tab)
        kb.press(Qt.Key.Key_Down)  # 5 of 5
        kb.press(Qt.Key.Key_Tab)
        kb.note("处理及时")

    def close() -> None:
        wait_until(lambda: QApplication.focusWidget() is panel.note)

    def reopen() -> None:
        wait_until(lambda: QApplication.focusWidget() is panel.note)
        kb.note("客户再次来电，问题复现")

    for action, fill in (
        ("assign", assign),
        ("handle", handle),
        ("inform", inform),
        ("close", close),
        ("reopen", reopen),
    ):
        _move(kb, form, action, fill)
        seen.append(form.view.status)
    return seen


def look_up_card(kb: Keyboard, window, card_no: str) -> object:
    """Ctrl+5, the card number, Enter: the card panel."""
    index = next(
        i for i in range(window.tabs.count()) if window.tabs.widget(i) is window.pages["members"]
    )
    kb.press(Qt.Key(Qt.Key.Key_1 + index), CTRL)
    page = window.pages["members"].cards
    wait_until(lambda: QApplication.focusWidget() is page.picker.line_edit)
    kb.type(card_no)
    kb.press(Qt.Key.Key_Return)
    wait_until(lambda: page.view is not None and page.view.card_no == card_no)
    return page


def _card_dialog(
    kb: Keyboard, page, keys: Qt.Key, fill: Callable[[], None], slip: bool = False
) -> None:
    """Alt+key opens the card's dialog; ``fill`` types into it; Enter. With ``slip``, the
    handover slip then opens in the print preview (written off the UI thread): Esc."""
    before = page.dialog
    preview_before = getattr(page, "preview", None)
    kb.press(keys, ALT)
    wait_until(lambda: page.dialog is not None and page.dialog is not before)
    dialog = page.dialog
    arrive(dialog)
    fill()
    kb.press(Qt.Key.Key_Return)
    wait_until(lambda: not dialog.isVisible() or dialog.message.isVisible(), 2)
    if dialog.isVisible():
        raise FlowError(dialog.message.text() or "the dialog stayed open")
    if slip:
        wait_until(
            lambda: (
                getattr(page, "preview", None) not in (None, preview_before)
                and page.preview.isVisible()
            ),
            10,
        )
        preview = page.preview
        arrive(preview)
        kb.press(Qt.Key.Key_Escape)
        wait_until(lambda: not shiboken6.isValid(preview) or not preview.isVisible(), 2)
    back_in(page.window())


def card_lost_and_reissued(kb: Keyboard, window, card_no: str) -> str:
    """Look the card up, Alt+L with the reason, Enter; Alt+I with the reason, Enter. Returns
    the new card's number."""
    page = look_up_card(kb, window, card_no)
    _card_dialog(kb, page, Qt.Key.Key_L, lambda: kb.note("客户钱包遗失"))
    _card_dialog(kb, page, Qt.Key.Key_I, lambda: kb.note("补办新卡"))
    return page.view.card_no


def earn_and_redeem(kb: Keyboard, window, card_no: str, amount: str) -> int:
    """Look the card up; Alt+E, the amount, Tab, what was bought, Enter; Alt+R (the first
    gift), Enter; the handover slip's preview opens, Esc. Returns the balance after."""
    page = look_up_card(kb, window, card_no)

    def earn() -> None:
        kb.type(amount)
        kb.press(Qt.Key.Key_Tab)
        kb.note("保养套餐")

    _card_dialog(kb, page, Qt.Key.Key_E, earn)
    _card_dialog(kb, page, Qt.Key.Key_R, lambda: None, slip=True)
    return page.view.balance


def dissatisfied_visit_to_complaint(kb: Keyboard, window) -> object:
    """Ctrl+6, Enter on the first call due; reached, Tab through the answers, satisfaction
    End (very dissatisfied), Ctrl+S; Enter (yes, a complaint); the category; Ctrl+S."""
    index = next(
        i for i in range(window.tabs.count()) if window.tabs.widget(i) is window.pages["visits"]
    )
    kb.press(Qt.Key(Qt.Key.Key_1 + index), CTRL)
    tab = window.pages["visits"]
    wait_until(lambda: QApplication.focusWidget() is tab.table)
    if not tab.table.currentIndex().isValid():
        kb.press(Qt.Key.Key_Down)
    kb.press(Qt.Key.Key_Return)
    dialog = tab.dialog
    arrive(dialog)
    while focused() is not dialog.satisfaction:
        if focused() in dialog.answer_edits.values():
            kb.note("不满意")
        kb.press(Qt.Key.Key_Tab)
    kb.press(Qt.Key.Key_End)
    kb.press(Qt.Key.Key_S, CTRL)
    box = dialog.question_box
    if box is None:
        raise FlowError(dialog.message.text() or "no question about a complaint")
    arrive(box)
    kb.press(Qt.Key.Key_Return)
    return _category_and_save(kb, dialog.complaint_form)
