"""The installable app, built as `make package` builds it and used as an office's administrator
uses it: the console program runs the command line on a fresh database, the window program
starts, and the folder passes its own checks (size, programs, installer paths, unused libraries).

The build takes about 40 s of CPU here (once per run, shared by every test in this module). Set
CSOFFICE_TEST_BUILD=dist/csoffice to test a folder `make package` already built instead.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from csoffice import __version__
from tests.conftest import ROOT, needs_poppler, pdf_text
from tests.office_sheets import convert

sys.path.insert(0, str(ROOT / "packaging"))
import check_build

pytestmark = pytest.mark.slow

SUFFIX = ".exe" if sys.platform == "win32" else ""


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    if os.environ.get("CSOFFICE_TEST_BUILD"):
        return Path(os.environ["CSOFFICE_TEST_BUILD"]).resolve()
    out = tmp_path_factory.mktemp("package")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    subprocess.run(
        [sys.executable, "packaging/make_icons.py", "build/icons"], cwd=ROOT, env=env, check=True
    )
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(out / "dist"),
            "--workpath",
            str(out / "work"),
            "packaging/csoffice.spec",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr[-3000:]
    # A clean build: nothing for an administrator to wonder about.
    warnings = [line for line in build.stderr.splitlines() if "WARNING" in line or "ERROR" in line]
    assert not warnings, warnings
    return out / "dist" / "csoffice"


@pytest.fixture(scope="module")
def desk(built, tmp_path_factory):
    """Runs one of the built programs as a desk's user would, with their own data folder."""
    home = tmp_path_factory.mktemp("desk")

    def run(program: str, *args: str, **kwargs) -> subprocess.CompletedProcess:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CSOFFICE_HOME=str(home / "home"))
        return subprocess.run(
            [str(built / f"{program}{SUFFIX}"), *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=180,
            env=env,
            cwd=home,
            **kwargs,
        )

    run.home = home
    return run


def test_the_build_passes_its_own_checks(built):
    _report, problems = check_build.check(built, ROOT / "packaging" / "csoffice.iss")
    assert not problems, problems
    assert check_build.folder_size(built)[0] <= check_build.MAX_MB * 1e6
    internal = built / "_internal"
    # Only the languages csoffice speaks travel with it.
    assert (internal / "translations" / "zh_CN" / "LC_MESSAGES" / "csoffice.mo").is_file()
    assert any(internal.rglob("qtbase_zh_CN.qm"))
    assert not any(internal.rglob("qtbase_de.qm"))
    # What printing and reading sheets need: Qt's print support with its CUPS plugin, pdfium
    # (pypdfium2) and calamine's extension module.
    assert any(internal.rglob("QtPrintSupport.*"))
    assert sys.platform == "win32" or any(internal.rglob("libcupsprintersupport.so"))
    assert any(internal.glob("pypdfium2_raw/*pdfium*"))
    assert any(internal.glob("python_calamine/_python_calamine*"))
    # Nothing the GTK theme plugin would have brought.
    assert not any(internal.rglob("libgtk-3*")) and not any(internal.rglob("libqgtk3*"))
    # Faker keeps only the locales the demo data uses.
    locales = {p.name for p in internal.glob("faker/providers/person/*") if p.is_dir()}
    assert "zh_CN" in locales and locales <= {"zh_CN", "en_US", "en"}


def test_both_programs_report_the_version(desk):
    for program in ("csoffice-cli", "csoffice"):
        result = desk(program, "--version")
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == f"csoffice {__version__}"


def test_the_console_program_runs_the_whole_command_line(desk):
    db = str(desk.home / "office.sqlite3")
    init = desk("csoffice-cli", "--db", db, "init")
    assert init.returncode == 0, init.stderr
    assert "数据库已就绪" in init.stdout
    demo = desk("csoffice-cli", "--db", db, "demo", "--customers", "50", "--months", "1")
    assert demo.returncode == 0, demo.stderr
    assert "客户: 50" in demo.stdout
    check = desk("csoffice-cli", "--db", db, "check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count("OK ") >= 5 and "ERR" not in check.stdout
    backup = desk.home / "backup.sqlite3"
    result = desk("csoffice-cli", "--db", db, "backup", "--out", str(backup))
    assert result.returncode == 0, result.stderr
    assert backup.stat().st_size > 100_000
    result = desk("csoffice-cli", "--db", db, "restore", str(backup))
    assert result.returncode == 0, result.stderr
    assert "已恢复" in result.stdout
    assert desk("csoffice-cli", "--db", db, "check").returncode == 0
    # A damaged file is refused with one line, no traceback.
    bad = desk.home / "bad.sqlite3"
    bad.write_bytes(b"not a database")
    result = desk("csoffice-cli", "--db", db, "restore", str(bad))
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


@needs_poppler
def test_the_console_program_exports_imports_and_prints(desk):
    db = str(desk.home / "office.sqlite3")
    if not Path(db).exists():
        assert desk("csoffice-cli", "--db", db, "demo", "--customers", "50").returncode == 0
    sheet = desk.home / "客户.xlsx"
    result = desk("csoffice-cli", "--db", db, "export", "customers", "--out", str(sheet))
    assert result.returncode == 0, result.stderr
    # The exported archive reads back into a new office's database.
    other = str(desk.home / "other.sqlite3")
    result = desk("csoffice-cli", "--db", other, "import", "customers", str(sheet))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "已导入：50" in result.stdout
    # A sheet the office keeps in LibreOffice (.ods) reads through calamine in the bundle.
    ods = convert(sheet, "ods", desk.home / "ods")
    third = str(desk.home / "third.sqlite3")
    result = desk("csoffice-cli", "--db", third, "import", "customers", str(ods))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "已导入：50" in result.stdout
    report = desk.home / "月报.pdf"
    month = dt.date.today().strftime("%Y-%m")
    result = desk("csoffice-cli", "--db", db, "report", "monthly", month, "--out", str(report))
    assert result.returncode == 0, result.stderr
    assert "服务月报" in pdf_text(report)
    page = desk.home / "test.pdf"
    assert desk("csoffice-cli", "print", "test-page", "--out", str(page)).returncode == 0
    assert page.stat().st_size > 1000


def test_the_window_program_starts_to_its_main_window(desk):
    database = desk.home / "window.sqlite3"
    result = desk("csoffice", "--db", str(database), "--check-startup")
    assert result.returncode == 0, result.stderr
    assert database.exists()


def test_the_window_program_points_a_command_to_the_console_program(desk, built):
    result = desk("csoffice", "--db", "x.sqlite3", "check")
    assert result.returncode == 2
    assert f"{built / 'csoffice-cli'}{SUFFIX} --db x.sqlite3 check" in result.stderr
