"""The desk app as a person starts it: its own process on a real X server (Xvfb, no window
manager), keys typed with xdotool into whatever window X gives them to. Used by the tests that
offscreen Qt cannot show (offscreen activates every window it shows; X without a window manager
activates none)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def available() -> bool:
    return bool(shutil.which("Xvfb") and shutil.which("xdotool"))


class XServer:
    """An Xvfb display of 1440×900 with nothing else on it; stopped by ``stop``."""

    def __init__(self) -> None:
        read, write = os.pipe()
        self.process = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write), "-screen", "0", "1440x900x24", "-nolisten", "tcp"],
            pass_fds=(write,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(write)
        with os.fdopen(read) as answer:
            self.display = ":" + answer.readline().strip()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


class Desk:
    """csoffice's window program on ``server``, with its own home folder, on ``database``."""

    def __init__(self, server: XServer, database: Path, home: Path) -> None:
        self.env = {
            **os.environ,
            "DISPLAY": server.display,
            "QT_QPA_PLATFORM": "xcb",
            "CSOFFICE_HOME": str(home),
        }
        self.env.pop("QT_SCALE_FACTOR", None)
        self.log = home / "desk-output.txt"
        home.mkdir(parents=True, exist_ok=True)
        with self.log.open("wb") as output:
            self.process = subprocess.Popen(
                [sys.executable, "main.py", "--db", str(database)],
                cwd=ROOT,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )

    def xdotool(self, *words: str) -> str:
        done = subprocess.run(
            ["xdotool", *words], env=self.env, capture_output=True, text=True, timeout=30
        )
        return done.stdout

    def wait_for_window(self, title_part: str, timeout: float = 60) -> None:
        """Until a visible window whose title holds ``title_part`` is mapped (and painted)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.xdotool("search", "--onlyvisible", "--name", title_part).strip():
                time.sleep(0.5)  # mapped; let it take its first input
                return
            if self.process.poll() is not None:
                raise AssertionError(f"the desk ended ({self.process.returncode}): {self.output()}")
            time.sleep(0.2)
        raise AssertionError(f"no window titled {title_part!r}: {self.output()}")

    def type(self, text: str) -> None:
        self.xdotool("type", "--delay", "40", text)

    def key(self, *keys: str) -> None:
        for key in keys:
            self.xdotool("key", key)
            time.sleep(0.15)

    def exit_code(self, timeout: float = 20) -> int | None:
        """The program's exit code once it ends, None if it is still running after ``timeout``
        (it is then stopped)."""
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
            return None

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-3000:]


def demo_office(folder: Path, customers: int = 30) -> Path:
    """A small demo office (its staff sign in with demo1234; its Today board has its usual
    morning)."""
    path = folder / "office.sqlite3"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "csoffice",
            "--db",
            str(path),
            "demo",
            "--customers",
            str(customers),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        env={**os.environ, "CSOFFICE_HOME": str(folder / "demo-home")},
    )
    return path
