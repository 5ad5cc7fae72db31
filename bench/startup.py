"""Start-up (#23): the sign-in window and the main window after signing in, each as a ratio to
a bare PySide6 window, all measured in the same rounds (one of each per round, so a change in
the machine's load touches them alike). Each figure is the time from starting the interpreter to
the window's first paint, the median of the rounds; compiled bytecode is written and used, as
an installed app has it. Targets: sign-in ≤ 2×, main window ≤ 3×. Also when the Today board is
filled (it fills after the window shows), against the same bare window."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.ui.x_desk import demo_office  # noqa: E402  (the one small demo office)

# Each script ends with one of these: the moment its window is first painted, on stdout.
PAINTED = """
import time as _time
from PySide6.QtCore import QEvent, QObject, QTimer
class _Painted(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and obj.isWindow():
            print(_time.time(), flush=True)
            QTimer.singleShot(0, app.quit)
            app.removeEventFilter(self)
        return False
_filter = _Painted()
app.installEventFilter(_filter)
QTimer.singleShot(10_000, app.quit)
app.exec()
"""

# ... or the moment the Today board shows its sections (its summary line is set last).
BOARD_FILLED = """
import time as _time
from PySide6.QtCore import QTimer
def _check():
    page = session.window.tabs.widget(0)
    summary = getattr(page, "summary", None)
    if summary is not None and summary.text():
        print(_time.time(), flush=True)
        app.quit()
    else:
        QTimer.singleShot(2, _check)
QTimer.singleShot(0, _check)
QTimer.singleShot(20_000, app.quit)
app.exec()
"""

BARE = """
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow(); w.show()
"""

# The way a desk starts: the sign-in window of an office that is set up (the demo's).
SIGN_IN = """
import os
from csoffice.app import create_application
app = create_application(["csoffice"], "zh_CN")
from csoffice.db.database import open_database
from csoffice.ui.session import Session
session = Session(open_database(os.environ["BENCH_DB"]), auto_backup=False)
session.start()
"""

# ... and the main window once the clerk has signed in (the password check itself left out).
AFTER_SIGN_IN = """
import os
from csoffice.app import create_application
app = create_application(["csoffice"], "zh_CN")
from csoffice.db.database import open_database
from csoffice.db.models import Staff
from csoffice.ui.session import Session
session = Session(open_database(os.environ["BENCH_DB"]), auto_backup=False)
session.signed_in(Staff.get(Staff.username == "wangfang"))
"""

RUNS = {
    "bare": BARE + PAINTED,
    "sign_in": SIGN_IN + PAINTED,
    "main_window": AFTER_SIGN_IN + PAINTED,
    "board_filled": AFTER_SIGN_IN + BOARD_FILLED,
}


def seconds_to(code: str, env: dict[str, str]) -> float:
    """From starting the interpreter to the moment the script prints."""
    start = time.time()
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    return float(result.stdout.split()[-1]) - start


def measure(rounds: int = 7) -> dict[str, float]:
    """The median seconds of each start over ``rounds`` rounds (one warm-up round first)."""
    folder = Path(tempfile.mkdtemp(prefix="csoffice-bench-"))
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        "BENCH_DB": str(demo_office(folder, customers=300)),
        "CSOFFICE_HOME": str(folder / "home"),
    }
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    times: dict[str, list[float]] = {name: [] for name in RUNS}
    for number in range(rounds + 1):
        for name, code in RUNS.items():
            took = seconds_to(code, env)
            if number:  # the first round writes the bytecode
                times[name].append(took)
    return {name: sorted(values)[len(values) // 2] for name, values in times.items()}


def main() -> None:
    load = os.getloadavg()[0]
    figures = measure()
    bare = figures["bare"]
    print(f"load average {load:.1f}; bare PySide6 window {bare * 1000:.0f} ms (the baseline)")
    for name, label, target in (
        ("sign_in", "sign-in window", "≤ 2"),
        ("main_window", "main window after sign-in", "≤ 3"),
        ("board_filled", "main window with the Today board filled", "no target"),
    ):
        took = figures[name]
        print(f"{label}: {took * 1000:.0f} ms, ratio {took / bare:.2f} (target {target})")


if __name__ == "__main__":
    main()
