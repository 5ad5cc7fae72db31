"""Run slow work (import, export, reports, backup) off the UI thread.

``run_task`` starts ``work(progress)`` on a worker thread and shows a progress dialog that
can cancel it. ``work`` reports through ``progress(done, total, text)``, which raises
``Cancelled`` once the clerk has pressed Cancel; the result or the error comes back on
the UI thread through the ``succeeded`` / ``failed`` / ``cancelled`` signals. A failure
also comes back as the error object itself (``error_raised`` and ``Task.error``), so the
caller can tell a busy database or a refused restore from any other failure; driver errors
arrive already turned into the app's typed errors (``storage.known_error``).
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from csoffice.errors import CsofficeError
from csoffice.i18n import _
from csoffice.storage import known_error, release_thread_connection


class Cancelled(Exception):
    """Raised inside the work when the clerk cancelled it."""


class Progress:
    """What the work calls to report how far it got; thread-safe."""

    def __init__(self, emit: Callable[[int, int, str], None]):
        self._emit = emit
        self._cancel = threading.Event()

    def __call__(self, done: int, total: int, text: str = "") -> None:
        if self._cancel.is_set():
            raise Cancelled()
        self._emit(done, total, text)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


class _Worker(QThread):
    progressed = Signal(int, int, str)
    done = Signal(object)
    error = Signal(object, str)
    stopped = Signal()

    def __init__(self, work: Callable[[Progress], Any], parent: QObject | None = None):
        super().__init__(parent)
        self._work = work
        self.progress = Progress(self.progressed.emit)

    def run(self) -> None:
        try:
            result = self._work(self.progress)
        except Cancelled:
            self.stopped.emit()
        except CsofficeError as exc:
            self.error.emit(exc, "")
        except Exception as exc:  # reported to the clerk plainly and written to the log
            typed = known_error(exc)
            if typed is not None:
                self.error.emit(typed, traceback.format_exc())
            else:
                plain = CsofficeError(_("Unexpected error: {error}").format(error=exc))
                plain.__cause__ = exc
                self.error.emit(plain, traceback.format_exc())
        else:
            self.done.emit(result)
        finally:
            release_thread_connection()


# The threads still running: a worker belongs to no window, so closing (and deleting) the
# window that started it cancels the work instead of destroying a running thread.
_running: set[_Worker] = set()


def _release(worker: _Worker) -> None:
    _running.discard(worker)
    worker.deleteLater()


class Task(QObject):
    """A running piece of work with its progress dialog."""

    succeeded = Signal(object)
    failed = Signal(str)
    error_raised = Signal(object)  # the error itself, a CsofficeError
    cancelled = Signal()
    finished = Signal()

    def __init__(self, parent: QWidget | None, title: str, work: Callable[[Progress], Any]):
        super().__init__(parent)
        self.error_details = ""
        self.error: CsofficeError | None = None
        self.dialog = QProgressDialog(title, _("Cancel"), 0, 0, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(300)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self._worker = _Worker(work)
        _running.add(self._worker)
        self._worker.finished.connect(lambda worker=self._worker: _release(worker))
        if parent is not None:
            parent.destroyed.connect(self._worker.progress.cancel)
        self._worker.progressed.connect(self._on_progress)
        self._worker.done.connect(self._on_done)
        self._worker.error.connect(self._on_error)
        self._worker.stopped.connect(self._on_stopped)
        self._worker.finished.connect(self._on_thread_finished)
        self.dialog.canceled.connect(self.cancel)

    def start(self) -> Task:
        self._worker.start()
        return self

    def cancel(self) -> None:
        self._worker.progress.cancel()
        self.dialog.setLabelText(_("Cancelling…"))

    def is_running(self) -> bool:
        return self._worker.isRunning()

    def wait(self, msecs: int = 30_000) -> bool:
        return self._worker.wait(msecs)

    def _on_progress(self, done: int, total: int, text: str) -> None:
        if total > 0:
            self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total))
        if text:
            self.dialog.setLabelText(text)

    def _on_done(self, result: object) -> None:
        self.succeeded.emit(result)

    def _on_error(self, error: CsofficeError, details: str) -> None:
        self.error, self.error_details = error, details
        if details:
            from csoffice.ui.errors import log_exception_text

            log_exception_text(details)
        self.error_raised.emit(error)
        self.failed.emit(str(error))

    def _on_stopped(self) -> None:
        self.cancelled.emit()

    def _on_thread_finished(self) -> None:
        self.dialog.reset()
        self.dialog.hide()
        self.finished.emit()
        self.deleteLater()


def run_task(parent: QWidget | None, title: str, work: Callable[[Progress], Any]) -> Task:
    """Start ``work`` off the UI thread with a cancellable progress dialog; connect to the signals."""
    return Task(parent, title, work).start()
