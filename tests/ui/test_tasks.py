"""Slow work off the UI thread (ui/tasks.py), through its public API: the clerk cancels, the
work fails with a typed or an unexpected error (a message, never a traceback), and the window
that started the work closes while it runs."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import peewee
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from csoffice.errors import CsofficeError, ValidationError
from csoffice.ui.tasks import Cancelled, Progress, run_task
from tests.ui.desk_flows import back_in

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def parent(app, qtbot, database):
    """A shown window to start the work from; the worker closes its own connection to the
    test database when the work ends."""
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def outcome(task) -> dict[str, list]:
    """Everything the task says, by signal."""
    said: dict[str, list] = {"succeeded": [], "failed": [], "error": [], "cancelled": []}
    task.succeeded.connect(said["succeeded"].append)
    task.failed.connect(said["failed"].append)
    task.error_raised.connect(said["error"].append)
    task.cancelled.connect(lambda: said["cancelled"].append(True))
    return said


def test_the_result_comes_back_on_the_ui_thread(parent, qtbot):
    def work(progress: Progress) -> int:
        for done in range(3):
            progress(done, 3, f"第 {done} 行")
        return 42

    task = run_task(parent, "导入中…", work)
    said = outcome(task)
    with qtbot.waitSignal(task.finished, timeout=10_000):
        pass
    assert said == {"succeeded": [42], "failed": [], "error": [], "cancelled": []}
    assert not task.dialog.isVisible()


def test_cancel_stops_the_work_at_its_next_progress_report(parent, qtbot):
    started, release = threading.Event(), threading.Event()
    reached: list[int] = []

    def work(progress: Progress) -> str:
        started.set()
        release.wait(10)
        for done in range(1000):
            progress(done, 1000)  # raises Cancelled once the clerk has cancelled
            reached.append(done)
        return "finished anyway"

    task = run_task(parent, "导出中…", work)
    said = outcome(task)
    assert started.wait(10)
    task.cancel()  # what the progress dialog's Cancel button is connected to
    label = task.dialog.labelText()
    release.set()
    with qtbot.waitSignal(task.finished, timeout=10_000):
        pass
    assert label == "正在取消……"
    assert said["cancelled"] == [True]
    assert said["succeeded"] == [] and said["failed"] == [] and reached == []


def test_escape_on_the_progress_dialog_cancels(parent, qtbot):
    started, release = threading.Event(), threading.Event()

    def work(progress: Progress) -> None:
        started.set()
        release.wait(10)
        progress(1, 2)

    task = run_task(parent, "备份中…", work)
    said = outcome(task)
    assert started.wait(10)
    try:
        qtbot.waitUntil(task.dialog.isVisible)  # shown once the work takes a moment
        # The dialog that just opened is the window the clerk presses Esc in, whatever an
        # earlier test left active.
        back_in(task.dialog)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    finally:
        release.set()
    with qtbot.waitSignal(task.finished, timeout=10_000):
        pass
    assert said["cancelled"] == [True] and said["succeeded"] == []


def test_a_typed_error_comes_back_as_itself_with_its_message(parent, qtbot):
    refused = ValidationError.single("file", "第 3 行：手机号码不正确。")

    def work(progress: Progress) -> None:
        raise refused

    task = run_task(parent, "导入中…", work)
    said = outcome(task)
    with qtbot.waitSignal(task.finished, timeout=10_000):
        pass
    assert said["error"] == [refused] and task.error is refused
    assert said["failed"] == [str(refused)] and "第 3 行" in said["failed"][0]
    assert "Traceback" not in said["failed"][0]
    assert task.error_details == ""  # the clerk's own mistake is not logged as a fault


def test_a_driver_error_becomes_the_apps_typed_error(parent, qtbot):
    import sqlite3

    from csoffice.db import errors

    def work(progress: Progress) -> None:
        raise peewee.OperationalError(sqlite3.OperationalError("database is locked"))

    task = run_task(parent, "导入中…", work)
    said = outcome(task)
    with qtbot.waitSignal(task.finished, timeout=10_000):
        pass
    assert isinstance(said["error"][0], errors.DatabaseBusy)
    assert "数据库正忙" in said["failed"][0] and "Traceback" not in said["failed"][0]


def test_an_unexpected_exception_becomes_a_message_and_the_log_keeps_the_traceback(
    parent, qtbot, private_home
):
    from csoffice.ui.errors import log_path

    def work(progress: Progress) -> None:
        raise KeyError("a bug")

    task = run_task(parent, "导入中…", work)
    said = outcome(task)
    with qtbot.waitSignal(task.finished, timeout=10_000):
        pass
    (error,) = said["error"]
    assert isinstance(error, CsofficeError) and isinstance(error.__cause__, KeyError)
    assert said["failed"] == [str(error)] and "意外错误" in said["failed"][0]
    assert "Traceback" not in said["failed"][0]
    assert "Traceback" in task.error_details and "KeyError" in task.error_details
    assert "KeyError: 'a bug'" in log_path().read_text(encoding="utf-8")


def test_cancelled_is_what_the_work_raises_when_it_stops_itself(parent, qtbot):
    def work(progress: Progress) -> None:
        raise Cancelled()

    task = run_task(parent, "导出中…", work)
    said = outcome(task)
    with qtbot.waitSignal(task.finished, timeout=10_000):
        pass
    assert said["cancelled"] == [True] and said["failed"] == []


CLOSING = textwrap.dedent(
    """
    import sys, threading, time

    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication, QDialog

    from csoffice.db.database import open_database
    from csoffice.ui.tasks import run_task

    open_database(sys.argv[1])  # the desk always has its database open
    app = QApplication(sys.argv[:1])
    dialog = QDialog()
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # as the desk's dialogs are
    dialog.show()
    stopped = threading.Event()

    def work(progress):
        try:
            for done in range(400):
                progress(done, 400)
                time.sleep(0.01)
        finally:
            stopped.set()
        return "finished"

    task = run_task(dialog, "导出中…", work)
    QTimer.singleShot(300, dialog.close)  # the clerk closes the window mid-way
    QTimer.singleShot(1500, app.quit)
    app.exec()
    print("work stopped" if stopped.wait(10) else "work still running", flush=True)
    """
)


def test_closing_the_window_while_a_task_runs_stops_it_without_a_crash(tmp_path):
    """The window that started the work closes (and is deleted) while the work runs: the
    process must not abort ("QThread: Destroyed while thread is still running") and the work
    ends; run in its own process, since an abort would take the test run with it."""
    script = tmp_path / "closing.py"
    script.write_text(CLOSING, encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    env["HOME"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "desk.sqlite3")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "Destroyed while thread" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert "work stopped" in done.stdout
