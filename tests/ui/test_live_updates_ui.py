"""Another desk's save reaches this desk's Today board by itself, within 2 s, in a second
process on the same database (PostgreSQL and SQLite)."""

from __future__ import annotations

import time

from csoffice import auth, live_updates
from csoffice.db.database import close_database, open_database
from tests.db.test_two_desks import OtherDesk, shared_url  # noqa: F401 (the fixture)
from tests.ui.test_today_tab import make_tab


def test_the_today_board_follows_another_desks_save(app, qtbot, shared_url):  # noqa: F811
    target = open_database(shared_url)
    manager = auth.default_manager()
    listener = live_updates.start(target)
    other = OtherDesk(shared_url)
    try:
        tab = make_tab(qtbot, manager, target)
        followups = tab.boxes["followups"]
        assert followups.model.total() == 0
        assert listener.connected.wait(10)
        other.expect("ready", 60)
        other.send("save 2 followup")
        other.expect("saved 2", 30)
        saved = time.monotonic()
        qtbot.waitUntil(lambda: followups.model.total() == 2, timeout=2000)
        assert time.monotonic() - saved < 2
        assert followups.title().endswith("（2）")
    finally:
        other.close()
        listener.stop()
        close_database()
