"""Print the performance figures the issues ask for (run by hand or `make bench`)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def first_window_time(code: str) -> float:
    """Seconds from interpreter start to a shown window (median of three runs)."""
    times = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return sorted(times)[1]


BARE = """
from PySide6.QtWidgets import QApplication, QMainWindow
from PySide6.QtCore import QTimer
app = QApplication([])
w = QMainWindow(); w.show()
QTimer.singleShot(0, app.quit); app.exec()
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
QTimer.singleShot(0, app.quit); app.exec()
"""


def main() -> None:
    bare = first_window_time(BARE)
    ours = first_window_time(CSOFFICE)
    print(
        f"first window: bare PySide6 {bare * 1000:.0f} ms, csoffice {ours * 1000:.0f} ms, ratio {ours / bare:.2f}"
    )


if __name__ == "__main__":
    main()
