"""The installable app: PyInstaller builds it, it reports its version and starts to its window."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from csoffice import __version__
from tests.conftest import ROOT

pytestmark = pytest.mark.slow

MAX_MB = 200


def folder_size(path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("package")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    subprocess.run(
        [sys.executable, "packaging/make_icons.py", "build/icons"], cwd=ROOT, env=env, check=True
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "ERROR",
            "--distpath",
            str(out / "dist"),
            "--workpath",
            str(out / "work"),
            "packaging/csoffice.spec",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return out / "dist" / "csoffice"


def test_the_build_is_small_enough(built):
    assert folder_size(built) <= MAX_MB * 1000 * 1000  # decimal megabytes, the stricter reading
    # Only the languages csoffice speaks travel with it.
    assert (built / "_internal" / "translations" / "zh_CN" / "LC_MESSAGES").is_dir()
    assert any((built / "_internal" / "PySide6" / "Qt" / "translations").glob("qtbase_zh_CN.qm"))


def test_the_built_program_reports_its_version(built):
    result = subprocess.run(
        [str(built / "csoffice"), "--version"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    assert __version__ in result.stdout


def test_the_built_program_starts_to_its_main_window(built, tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CSOFFICE_HOME=str(tmp_path / "home"))
    database = tmp_path / "office.sqlite3"
    result = subprocess.run(
        [str(built / "csoffice"), "--db", str(database), "--check-startup"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert database.exists()
