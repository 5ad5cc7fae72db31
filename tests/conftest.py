"""Test set-up: offscreen Qt, a private data folder and a fresh database for every test."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

# Before anything imports Qt: without a display, Qt would abort the whole run. The offscreen
# screen is a common office laptop's 1366×768 (the plugin's default is 800×600).
if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = (
        f"offscreen:configfile={Path(__file__).parent / 'offscreen.json'}"
    )
os.environ.setdefault("CSOFFICE_HOME", str(Path(__file__).parent / ".home-unused"))

import pytest

from tests.printer_queue import printer_queue  # noqa: F401 (the real printer queue fixture)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True, scope="session")
def quick_password_hashes():
    """Passwords hashed with a 16th of the office's scrypt work inside the test process: a
    hash costs 5 ms instead of 80, and hundreds of tests create or sign in a clerk. A hash
    carries its own parameters, so these verify as the real ones do; the programs the tests
    start (command line, desk under X) hash with the office's own."""
    from csoffice import auth

    office = auth._SCRYPT_N
    auth._SCRYPT_N = office // 16
    yield
    auth._SCRYPT_N = office


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Data and config folders under the test's own temporary folder, language zh_CN."""
    home = tmp_path / "home"
    monkeypatch.setenv("CSOFFICE_HOME", str(home))
    from csoffice.i18n import set_language

    set_language("zh_CN")
    yield home
    set_language("zh_CN")


@pytest.fixture
def database(tmp_path: Path):
    """A fresh SQLite database, migrated and bound to the models."""
    from csoffice.db.database import close_database, open_database

    target = open_database(tmp_path / "test.sqlite3")
    yield target
    close_database()


@pytest.fixture
def manager(database):
    from csoffice import auth

    return auth.default_manager()


@pytest.fixture
def clerk(manager):
    from csoffice import auth

    return auth.create_staff(manager, "clerk1", "王芳", auth.Role.CLERK, password="secret123")


@pytest.fixture
def viewer(manager):
    from csoffice import auth

    return auth.create_staff(manager, "viewer1", "陈洁", auth.Role.VIEWER)


def run_cli(
    *args: str, home: Path | None = None, check: bool = False
) -> subprocess.CompletedProcess:
    """Run ``python -m csoffice`` in a subprocess, as an admin would."""
    env = dict(os.environ)
    if home is not None:
        env["CSOFFICE_HOME"] = str(home)
    result = subprocess.run(
        [sys.executable, "-m", "csoffice", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check and result.returncode != 0:
        raise AssertionError(result.stderr)
    return result


def pdf_text(path: Path) -> str:
    """The text of a PDF as pdftotext extracts it (what a search or copy would give)."""
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_fonts(path: Path) -> str:
    return subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout


needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils not installed"
)


PG_URL = os.environ.get("CSOFFICE_TEST_PG_URL", "")


def reset_postgres(url: str) -> None:
    """Empty the test database: drop and recreate its public schema."""
    import psycopg2

    connection = psycopg2.connect(url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public")
    connection.close()


@pytest.fixture
def pg_url() -> str:
    """The PostgreSQL test database's URL (CSOFFICE_TEST_PG_URL), emptied for this test.

    Without the variable the test is skipped, except where CSOFFICE_REQUIRE_PG=1 (CI), where
    a missing server is a failure.
    """
    if not PG_URL:
        if os.environ.get("CSOFFICE_REQUIRE_PG") == "1":
            pytest.fail("CSOFFICE_REQUIRE_PG=1 but CSOFFICE_TEST_PG_URL is not set")
        pytest.skip("no PostgreSQL test server (set CSOFFICE_TEST_PG_URL)")
    reset_postgres(PG_URL)
    return PG_URL


@pytest.fixture(params=["sqlite", "postgresql"])
def any_database(request, tmp_path):
    """A fresh database of each kind: the same test runs on SQLite and on PostgreSQL."""
    from csoffice.db.database import close_database, open_database

    url = (
        str(tmp_path / "test.sqlite3")
        if request.param == "sqlite"
        else request.getfixturevalue("pg_url")
    )
    target = open_database(url)
    yield target
    close_database()


def migrations_through(monkeypatch: pytest.MonkeyPatch, version: int) -> int:
    """Let an upgrade run the steps up to ``version`` only, and return the step before it.

    A migration test builds the models' schema, undoes its own step and sets the stored
    version back to the step before; the later steps (whose tables and columns the new
    database already has) must not run again, whichever branches added them.
    """
    from csoffice.db import migrations

    steps = [step for step in migrations.STEPS if step[0] <= version]
    monkeypatch.setattr(migrations, "STEPS", steps)
    monkeypatch.setattr(migrations, "LATEST", version)
    return max(step[0] for step in steps if step[0] < version)


# After 1,000-odd tests, the interpreter's last garbage collection at shutdown aborts
# ("Fatal Python error: bool_dealloc", rc 134) once every test has passed and the summary is
# printed: a reference-count fault in a C extension (PySide6 6.12 on Python 3.11 is the
# suspect). It shows only in the whole suite, not in tests/ui or in the rest run alone. The
# session's verdict is known by then, so the run ends with it instead of going through that
# collection; CSOFFICE_TEST_FULL_SHUTDOWN=1 keeps the normal shutdown, to hunt the fault.
_exit_status: list[int] = []


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _exit_status.append(int(exitstatus))


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    if _exit_status and os.environ.get("CSOFFICE_TEST_FULL_SHUTDOWN") != "1":
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_exit_status[-1])
