"""The real printer queue for printing tests: CUPS with cups-pdf (see .ci/cups.sh).

CSOFFICE_TEST_PRINTER names the queue and CSOFFICE_TEST_PRINTER_DIR the folder cups-pdf
writes every job to. Without them a printing test is skipped; with them, a print that does
not arrive fails the test.
"""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass
class Queue:
    name: str
    folder: Path

    def files(self) -> set[Path]:
        return set(self.folder.glob("*.pdf"))

    def wait_for(self, before: set[Path], stem: str, timeout: float = 60) -> Path:
        """The PDF cups-pdf wrote for a job titled ``stem`` sent after ``before`` was taken;
        waits until the job is completed in CUPS and the file is whole."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            new = [path for path in self.files() - before if stem in path.name]
            if new:
                path = max(new, key=lambda item: item.stat().st_mtime)
                if _complete(path):
                    return path
            time.sleep(0.2)
        jobs = subprocess.run(
            ["lpstat", "-W", "all", "-o", self.name], capture_output=True, text=True
        )
        raise AssertionError(f"no job titled {stem!r} arrived in {self.folder}:\n{jobs.stdout}")


def _complete(path: Path) -> bool:
    result = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True)
    return result.returncode == 0


def page_size(path: Path) -> str:
    """pdfinfo's 'Page size' line of ``path``, e.g. '421 x 595 pts (A5)'."""
    for line in subprocess.run(
        ["pdfinfo", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines():
        if line.startswith("Page size:"):
            return line.split(":", 1)[1].strip()
    raise AssertionError(f"no page size in {path}")


def page_count(path: Path) -> int:
    for line in subprocess.run(
        ["pdfinfo", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise AssertionError(f"no page count in {path}")


@pytest.fixture
def printer_queue() -> Queue:
    name = os.environ.get("CSOFFICE_TEST_PRINTER", "")
    folder = os.environ.get("CSOFFICE_TEST_PRINTER_DIR", "")
    if not name:
        pytest.skip("no test printer (set CSOFFICE_TEST_PRINTER and CSOFFICE_TEST_PRINTER_DIR)")
    if not folder or not Path(folder).is_dir():
        pytest.fail(
            f"CSOFFICE_TEST_PRINTER={name} but CSOFFICE_TEST_PRINTER_DIR={folder!r} is no folder"
        )
    status = subprocess.run(["lpstat", "-p", name], capture_output=True, text=True)
    if status.returncode != 0:
        pytest.fail(
            f"CSOFFICE_TEST_PRINTER={name} but CUPS does not know it: {status.stderr.strip()}"
        )
    return Queue(name, Path(folder))
