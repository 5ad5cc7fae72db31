"""Live updates between desks: what a write tells the other desks, and how each backend's
listener hears it (csoffice.db.notify, csoffice.live_updates)."""

from __future__ import annotations

import queue
import select
import time

import psycopg2
import pytest

from csoffice import changes, receptions
from csoffice.changes import Change
from csoffice.db import notify
from csoffice.db.database import db, emit_after_commit, open_database
from csoffice.receptions import ReceptionInput

OTHER_DESK = "otherdesk000"


def reception() -> ReceptionInput:
    return ReceptionInput(caller_name="张三", caller_phone="13812345678", content="咨询保养")


def heard_within(inbox: queue.Queue, seconds: float) -> frozenset[Change] | None:
    try:
        return inbox.get(timeout=seconds)
    except queue.Empty:
        return None


def heard_all_within(inbox: queue.Queue, seconds: float) -> frozenset[Change]:
    """Everything heard within ``seconds``, until a refresh of everything arrives (a write
    logged just before the restore may be heard first, on its own poll)."""
    deadline = time.monotonic() + seconds
    heard: frozenset[Change] = frozenset()
    while heard != notify.EVERYTHING:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        kinds = heard_within(inbox, left)
        if kinds is None:
            break
        heard |= kinds
    return heard


def test_a_payload_carries_the_desk_and_the_kinds():
    payload = notify.encode([Change.RECEPTION, Change.COMPLAINT, Change.RECEPTION], desk="d1")
    assert notify.decode(payload) == ("d1", frozenset({Change.RECEPTION, Change.COMPLAINT}))
    # A newer desk's kind is left out; a payload that is not ours is ignored.
    assert notify.decode('{"desk":"d2","kinds":["reception","hologram"]}') == (
        "d2",
        frozenset({Change.RECEPTION}),
    )
    assert notify.decode("reception") is None
    assert notify.decode('{"desk":"d2","kinds":"reception"}') is None


# --- SQLite: data_version polled, the change log read -------------------------------------


@pytest.fixture
def sqlite_poller(database):
    inbox: queue.Queue = queue.Queue()
    poller = notify.SqlitePoller(database.path, inbox.put, interval=0.05)
    poller.start()
    assert poller.connected.wait(5)
    yield inbox
    poller.stop()
    assert not poller.is_alive()


def test_sqlite_a_write_is_logged_with_the_desk(manager, sqlite_poller):
    receptions.create(manager, reception())
    rows = db.execute_sql(f"SELECT payload FROM {notify.LOG_TABLE}").fetchall()
    assert notify.decode(rows[-1][0]) == (notify.DESK, frozenset({Change.RECEPTION}))
    # The desk's own write moves data_version for the poller, which knows it as its own echo.
    assert heard_within(sqlite_poller, 0.5) is None


def test_sqlite_another_desks_write_is_heard(manager, sqlite_poller, monkeypatch):
    monkeypatch.setattr(notify, "DESK", OTHER_DESK)
    start = time.monotonic()
    receptions.create(manager, reception())
    assert heard_within(sqlite_poller, 2) == frozenset({Change.RECEPTION})
    assert time.monotonic() - start < 2


def test_sqlite_a_rolled_back_write_is_not_heard(manager, sqlite_poller, monkeypatch):
    monkeypatch.setattr(notify, "DESK", OTHER_DESK)
    with pytest.raises(RuntimeError), db.atomic():
        receptions.create(manager, reception())
        raise RuntimeError("the clerk's save failed halfway")
    assert heard_within(sqlite_poller, 0.5) is None


def test_sqlite_the_log_is_kept_short(manager, monkeypatch):
    monkeypatch.setattr(notify, "LOG_KEEP", 3)
    for _ in range(6):
        changes.emit(Change.CUSTOMER)
    assert db.execute_sql(f"SELECT count(*) FROM {notify.LOG_TABLE}").fetchone()[0] == 3


def test_a_closed_database_is_not_reopened_to_tell_of_a_change(manager):
    from csoffice.db.database import close_database

    database = db.obj
    close_database()
    changes.emit(Change.CUSTOMER)
    assert database.is_closed()


# --- PostgreSQL: NOTIFY in the write's transaction, LISTEN in a thread ---------------------


@pytest.fixture
def pg_desk(pg_url):
    target = open_database(pg_url)
    yield target
    from csoffice.db.database import close_database

    close_database()


@pytest.fixture
def raw_listener(pg_url):
    """A plain psycopg2 connection LISTENing, to see exactly what the server delivers."""
    conn = psycopg2.connect(pg_url)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(f"LISTEN {notify.CHANNEL}")

    def payloads(wait: float = 0.5) -> list[str]:
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            select.select([conn], [], [], 0.05)
            conn.poll()
        got = [n.payload for n in conn.notifies]
        conn.notifies.clear()
        return got

    yield payloads
    conn.close()


def test_pg_notify_is_sent_in_the_transaction_and_once(pg_desk, raw_listener):
    told: list[Change] = []
    stop = changes.subscribe(told.append)
    try:
        with db.atomic():
            emit_after_commit(Change.COMPLAINT)
            assert raw_listener(0.3) == []  # not before the commit
        assert [notify.decode(p) for p in raw_listener()] == [
            (notify.DESK, frozenset({Change.COMPLAINT}))
        ]
        assert told == [Change.COMPLAINT]  # this desk hears it once, as its own
        with pytest.raises(RuntimeError), db.atomic():
            emit_after_commit(Change.COMPLAINT)
            raise RuntimeError("rolled back")
        assert raw_listener() == []
        # A write announced after its commit (outside a transaction) is sent then.
        changes.emit(Change.VISIT)
        assert [notify.decode(p) for p in raw_listener()] == [
            (notify.DESK, frozenset({Change.VISIT}))
        ]
        # What another desk changed is not sent on.
        changes.emit(Change.VISIT, remote=True)
        assert raw_listener() == []
    finally:
        stop()


def send_as(url: str, desk: str, kinds: list[Change]) -> None:
    conn = psycopg2.connect(url)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT pg_notify(%s, %s)", (notify.CHANNEL, notify.encode(kinds, desk)))
    conn.close()


def test_pg_listener_hears_other_desks_and_comes_back_after_the_server_drops_it(
    pg_desk, pg_url, monkeypatch
):
    monkeypatch.setattr(notify, "BACKOFF_FIRST", 0.1)
    inbox: queue.Queue = queue.Queue()
    listener = notify.PostgresListener(pg_url, inbox.put)
    listener.start()
    try:
        assert listener.connected.wait(5)
        start = time.monotonic()
        send_as(pg_url, OTHER_DESK, [Change.RECEPTION, Change.CUSTOMER])
        assert heard_within(inbox, 2) == frozenset({Change.RECEPTION, Change.CUSTOMER})
        latency = time.monotonic() - start
        assert latency < 2
        send_as(pg_url, notify.DESK, [Change.RECEPTION])  # its own echo
        send_as(pg_url, OTHER_DESK, [])  # nothing it knows
        assert heard_within(inbox, 0.5) is None

        # The server ends the listening session (a restart, a dropped network): the listener
        # reconnects, refreshes everything (what was said meanwhile is lost), then hears again.
        db.execute_sql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE application_name = 'csoffice-listen'"
        )
        assert heard_within(inbox, 10) == notify.EVERYTHING
        assert listener.connected.wait(5)
        send_as(pg_url, OTHER_DESK, [Change.COMPLAINT])
        assert heard_within(inbox, 2) == frozenset({Change.COMPLAINT})
    finally:
        listener.stop()
    assert not listener.is_alive()


def test_pg_a_listener_started_while_the_server_is_away_keeps_trying(monkeypatch):
    monkeypatch.setattr(notify, "BACKOFF_FIRST", 0.05)
    listener = notify.PostgresListener(
        "postgresql://nobody:nothing@127.0.0.1:1/none", lambda kinds: None
    )
    listener.start()
    time.sleep(0.3)
    assert listener.is_alive() and not listener.connected.is_set()
    listener.stop()
    assert not listener.is_alive()


def test_live_updates_tell_the_hub_as_remote(database, monkeypatch):
    told: list[tuple[Change, bool]] = []
    stop = changes.subscribe(lambda kind: told.append((kind, changes.is_remote())))
    try:
        from csoffice import live_updates

        live_updates.tell_hub(frozenset({Change.VISIT, Change.COMPLAINT}))
    finally:
        stop()
    assert told == [(Change.COMPLAINT, True), (Change.VISIT, True)]


def drain(inbox: queue.Queue) -> set[Change]:
    heard: set[Change] = set()
    while (kinds := heard_within(inbox, 0.3)) is not None:
        heard |= kinds
    return heard


def test_sqlite_after_a_restore_the_poller_refreshes_everything_and_hears_on(
    manager, database, sqlite_poller, tmp_path, monkeypatch
):
    from csoffice.backup import backup_to, restore_from

    monkeypatch.setattr(notify, "DESK", OTHER_DESK)
    receptions.create(manager, reception())
    copy = backup_to(manager, tmp_path / "backup.sqlite3")
    for _ in range(3):
        receptions.create(manager, reception())
    assert Change.RECEPTION in drain(sqlite_poller)
    monkeypatch.setattr(notify, "DESK", "this-desk")
    restore_from(manager, copy, database)  # the restored log's row numbers go back
    assert heard_within(sqlite_poller, 3) == notify.EVERYTHING
    drain(sqlite_poller)
    # Another desk's next save gets a row number the poller had seen before the restore.
    monkeypatch.setattr(notify, "DESK", OTHER_DESK)
    receptions.create(manager, reception())
    assert heard_within(sqlite_poller, 3) == frozenset({Change.RECEPTION})


def test_sqlite_a_database_file_replaced_at_its_path_is_followed(
    manager, database, sqlite_poller, tmp_path, monkeypatch
):
    from csoffice.backup import backup_to, replace_damaged
    from csoffice.db.database import close_database

    copy = backup_to(manager, tmp_path / "backup.sqlite3")
    close_database()
    replace_damaged(copy, database.path)  # what `restore` does to a file it cannot open
    assert heard_within(sqlite_poller, 3) == notify.EVERYTHING
    open_database(database.path)
    monkeypatch.setattr(notify, "DESK", OTHER_DESK)
    receptions.create(manager, reception())
    assert heard_within(sqlite_poller, 3) == frozenset({Change.RECEPTION})


def test_sqlite_a_restore_over_an_office_with_no_changes_yet_is_heard(
    manager, database, tmp_path, monkeypatch
):
    """The poller started before any change was logged; the restore itself says so."""
    from csoffice.backup import backup_to, restore_from

    copy = backup_to(manager, tmp_path / "backup.sqlite3")
    db.execute_sql(f"DELETE FROM {notify.LOG_TABLE}")
    inbox: queue.Queue = queue.Queue()
    poller = notify.SqlitePoller(database.path, inbox.put, interval=0.05)
    poller.start()
    try:
        assert poller.connected.wait(5)
        monkeypatch.setattr(notify, "DESK", OTHER_DESK)  # the poller hears this process
        restore_from(manager, copy, database)
        assert heard_all_within(inbox, 3) == notify.EVERYTHING
    finally:
        poller.stop()
