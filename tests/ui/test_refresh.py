"""The refresh-on-change helper, driven as the domain drives it: a write, then
``changes.emit`` from the write path, then the views that show that kind refresh — once per
burst, keeping the clerk's place, and a hidden tab only when it is shown."""

from __future__ import annotations

import datetime as dt

import pytest
import shiboken6
from PySide6.QtWidgets import QVBoxLayout, QWidget

from csoffice import auth, changes, customers, receptions
from csoffice.changes import Change
from csoffice.receptions import ReceptionInput
from csoffice.ui.widgets.refresh import RefreshOnChange


class Counter(QWidget):
    """A view that records each refresh and the kinds it was given."""

    def __init__(self, kinds) -> None:
        super().__init__()
        self.calls: list[frozenset[Change]] = []
        QVBoxLayout(self)
        self.refresher = RefreshOnChange(self, kinds, self.calls.append, delay_ms=20)


@pytest.fixture
def view(app, qtbot):
    widget = Counter((Change.RECEPTION, Change.STAFF))
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_a_burst_of_changes_refreshes_once_with_every_kind(view, qtbot):
    changes.emit(Change.RECEPTION)
    changes.emit(Change.STAFF, Change.RECEPTION)
    changes.emit(Change.RECEPTION)
    qtbot.waitUntil(lambda: bool(view.calls))
    qtbot.wait(60)
    assert view.calls == [frozenset({Change.RECEPTION, Change.STAFF})]


def test_kinds_the_view_does_not_show_are_ignored(view, qtbot):
    changes.emit(Change.ANSWER, Change.GIFT)
    qtbot.wait(60)
    assert view.calls == []
    assert view.refresher.pending == frozenset()
    changes.emit(Change.GIFT, Change.STAFF)
    qtbot.waitUntil(lambda: bool(view.calls))
    assert view.calls == [frozenset({Change.STAFF})]


def test_a_hidden_view_refreshes_when_it_is_next_shown(view, qtbot):
    view.hide()
    changes.emit(Change.RECEPTION)
    qtbot.wait(60)
    assert view.calls == []
    assert view.refresher.stale
    view.show()
    qtbot.waitUntil(lambda: bool(view.calls))
    assert view.calls == [frozenset({Change.RECEPTION})]
    assert not view.refresher.stale


def test_a_change_the_view_makes_itself_refreshes_it_once(view, qtbot):
    changes.emit(Change.RECEPTION)  # the write's own emit, then the view shows it at once
    view.refresher.refresh_now()
    qtbot.wait(60)
    assert view.calls == [frozenset({Change.RECEPTION})]


def test_a_refresh_while_the_server_is_gone_waits_for_it_and_other_errors_still_show(app, qtbot):
    from csoffice.db.errors import ConnectionLost
    from csoffice.errors import CsofficeError

    failures: list[BaseException] = [ConnectionLost("gone")]

    def read(kinds: frozenset[Change]) -> None:
        if failures:
            raise failures.pop()

    widget = QWidget()
    qtbot.addWidget(widget)
    refresher = RefreshOnChange(widget, (Change.RECEPTION,), read, delay_ms=20)
    widget.show()
    changes.emit(Change.RECEPTION)
    refresher.refresh_now()  # the server is gone: nothing raised, the change kept
    assert refresher.pending == {Change.RECEPTION} and refresher.stale
    refresher.refresh_now()  # back: read, nothing left waiting
    assert not refresher.pending and not refresher.stale
    failures.append(CsofficeError("a real fault"))
    with pytest.raises(CsofficeError):
        refresher.refresh_now()


def test_the_helper_goes_with_its_view(app, qtbot):
    widget = Counter((Change.RECEPTION,))
    widget.show()
    shiboken6.delete(widget)
    changes.emit(Change.RECEPTION)  # no listener left on the deleted view: nothing raises
    qtbot.wait(40)


def reception_tab(window):
    return window.pages["reception"]


def test_the_day_view_keeps_the_clerks_place(window, qtbot, manager):
    for number in range(120):
        receptions.create(manager, ReceptionInput(caller_name=f"来电{number:03}", content="咨询"))
    page = reception_tab(window)
    window.tabs.setCurrentWidget(page)
    page.refresher.refresh_now()
    table = page.day_view.table
    model = table.model()
    while model.rowCount() < 90 and model.canFetchMore():
        model.fetchMore()
    table.selectRow(80)
    chosen = model.row_id(80)
    table.scrollTo(model.index(80, 0))
    scroll = table.verticalScrollBar().value()
    assert scroll > 0
    # Another desk logs a call: the domain's write says so, the list follows.
    receptions.create(manager, ReceptionInput(caller_name="新来电", content="报修"))
    changes.emit(Change.RECEPTION)
    qtbot.waitUntil(lambda: model.total() == 121)
    assert model.row_id(table.currentIndex().row()) == chosen
    assert table.verticalScrollBar().value() == scroll


def test_a_new_clerk_appears_in_the_filters_at_once(window, qtbot, manager):
    page = reception_tab(window)
    window.tabs.setCurrentWidget(page)
    visits_page = window.pages["visits"]
    complaints_page = window.pages["complaints"]
    auth.create_staff(manager, "clerk9", "周敏", auth.Role.CLERK, password="secret123")
    changes.emit(Change.STAFF)  # what the staff write path emits
    qtbot.waitUntil(lambda: page.day_view.handler_filter.findText("周敏") >= 0)
    assert page.entry.handler.findText("周敏") >= 0
    # The hidden tabs list the clerk as soon as the clerk looks at them.
    assert visits_page.assignee.findText("周敏") < 0
    window.tabs.setCurrentWidget(visits_page)
    qtbot.waitUntil(lambda: visits_page.assignee.findText("周敏") >= 0)
    window.tabs.setCurrentWidget(complaints_page)
    qtbot.waitUntil(lambda: complaints_page.owner.findText("周敏") >= 0)


def test_a_hidden_tab_is_read_again_only_when_shown(window, qtbot, manager):
    archive = window.pages["customers"]
    assert not archive.isVisible()
    before = archive.model.total()
    customers.create(manager, customers.CustomerInput(name="钱七", mobile="13700001111"))
    changes.emit(Change.CUSTOMER)
    qtbot.wait(200)
    assert archive.model.total() == before
    assert archive.refresher.stale
    window.tabs.setCurrentWidget(archive)
    qtbot.waitUntil(lambda: archive.model.total() == before + 1)


def test_the_today_board_follows_a_reception_logged_at_the_desk(window, qtbot, manager):
    board = window.pages["today"]
    followups = board.boxes["followups"]
    qtbot.waitUntil(lambda: followups.title().endswith("（0）"))
    receptions.create(
        manager,
        ReceptionInput(
            caller_name="孙先生",
            content="要回电",
            followup_needed=True,
            followup_due=dt.date.today(),
        ),
    )
    changes.emit(Change.RECEPTION)
    qtbot.waitUntil(lambda: followups.model.total() == 1)
    assert followups.title().endswith("（1）")
