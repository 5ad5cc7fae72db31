"""Print the performance figures the issues ask for (run by hand or `make bench`)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


# Each script ends with this: the moment its window is first painted, on stdout.
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


def first_window_time(code: str, env: dict[str, str] | None = None, runs: int = 3) -> float:
    """Seconds from starting the interpreter to the window's first paint (median of ``runs``
    runs). Compiled bytecode is written and used, as an installed app has it."""
    environment = {**os.environ, **(env or {})}
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    times = []
    for number in range(runs + 1):
        start = time.time()
        result = subprocess.run(
            [sys.executable, "-c", code + PAINTED],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
            env=environment,
        )
        if number:  # the first run writes the bytecode
            times.append(float(result.stdout.split()[-1]) - start)
    return sorted(times)[len(times) // 2]


BARE = """
from PySide6.QtWidgets import QApplication, QMainWindow
from PySide6.QtCore import QTimer
app = QApplication([])
w = QMainWindow(); w.show()
"""

CSOFFICE = """
import os, sys, tempfile
os.environ["CSOFFICE_HOME"] = tempfile.mkdtemp()
from PySide6.QtCore import QTimer
from csoffice.app import create_application
from csoffice.i18n import set_language
set_language("zh_CN")
app = create_application(["csoffice"], "zh_CN")
from csoffice import auth
from csoffice.db.database import open_database
from csoffice.ui.main_window import AppContext, MainWindow
target = open_database(None)
w = MainWindow(AppContext(staff=auth.default_manager(), target=target)); w.show()
"""


# The way a desk starts: the sign-in window of an office that is set up (the demo's).
SIGN_IN = """
import os
from PySide6.QtCore import QTimer
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
from PySide6.QtCore import QTimer
from csoffice.app import create_application
app = create_application(["csoffice"], "zh_CN")
from csoffice.db.database import open_database
from csoffice.db.models import Staff
from csoffice.ui.session import Session
session = Session(open_database(os.environ["BENCH_DB"]), auto_backup=False)
session.signed_in(Staff.get(Staff.username == "wangfang"))
"""


def demo_office(folder: Path) -> Path:
    """A small demo office to start on (its Today board has its usual morning)."""
    path = folder / "office.sqlite3"
    subprocess.run(
        [sys.executable, "-m", "csoffice", "--db", str(path), "demo", "--customers", "300"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        env={**os.environ, "CSOFFICE_HOME": str(folder / "home")},
    )
    return path


def main() -> None:
    bare = first_window_time(BARE, runs=5)
    ours = first_window_time(CSOFFICE)
    print(
        f"first window: bare PySide6 {bare * 1000:.0f} ms, csoffice {ours * 1000:.0f} ms, ratio {ours / bare:.2f}"
    )
    folder = Path(tempfile.mkdtemp(prefix="csoffice-bench-"))
    env = {"BENCH_DB": str(demo_office(folder)), "CSOFFICE_HOME": str(folder / "home")}
    sign_in = first_window_time(SIGN_IN, env, runs=5)
    after = first_window_time(AFTER_SIGN_IN, env, runs=5)
    print(
        f"sign-in window: {sign_in * 1000:.0f} ms, ratio {sign_in / bare:.2f} to the bare window"
        " (target ≤ 2)"
    )
    print(
        f"main window after sign-in: {after * 1000:.0f} ms, ratio {after / bare:.2f} to the bare"
        " window (target ≤ 3)"
    )


def run_feature_benches(names: list[str]) -> int:
    """Every other script in bench/ (or those named), one after the other, each printing its
    own figures and ratios; returns how many failed."""
    here = Path(__file__).resolve().parent
    scripts = sorted(p for p in here.glob("*.py") if p.name != "run.py")
    if names:
        scripts = [p for p in scripts if p.stem in names]
    failed = 0
    for script in scripts:
        print(f"\n== bench/{script.name}", flush=True)
        if subprocess.run([sys.executable, str(script)], cwd=ROOT).returncode != 0:
            print(f"bench/{script.name} failed", flush=True)
            failed += 1
    return failed


if __name__ == "__main__":
    # `make bench` prints every figure: start-up here, then each feature's script.
    # `python bench/run.py startup` or `python bench/run.py customer_statistics desk` runs only those.
    wanted = sys.argv[1:]
    if not wanted or "startup" in wanted:
        main()
    others = [name for name in wanted if name != "startup"]
    if not wanted or others:
        raise SystemExit(1 if run_feature_benches(others) else 0)
