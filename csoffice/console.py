"""The console program: how a person starts csoffice's command line on this PC, and what to type.

In the installed app it is ``csoffice-cli`` (``csoffice-cli.exe`` on Windows) beside the window
program; in a development set-up it is ``python -m csoffice``. Both run csoffice.cli.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import importlib.util
import shlex
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from csoffice.i18n import _

CONSOLE_PROGRAM = "csoffice-cli"
PRINT_JOB = "csoffice.ui.print_job"
START_MENU_ENTRY = "csoffice 命令行"  # packaging/csoffice.iss names it so (in Chinese installs)


def frozen() -> bool:
    """Running from the installed (PyInstaller) folder rather than from the sources."""
    return bool(getattr(sys, "frozen", False))


def console_command() -> list[str]:
    """The words that start the console program here."""
    if frozen():
        suffix = ".exe" if sys.platform == "win32" else ""
        return [str(Path(sys.executable).with_name(CONSOLE_PROGRAM + suffix))]
    return [sys.executable, "-m", "csoffice"]


def command_text(words: Sequence[str]) -> str:
    """``words`` as they would be typed in this system's command prompt or shell."""
    if sys.platform == "win32":
        return subprocess.list2cmdline(list(words))
    return shlex.join(words)


@dataclass(frozen=True)
class Example:
    command: str  # the whole line to type
    what: str  # what it does, in the user's language


def examples(backups: Path, today: dt.date | None = None) -> list[Example]:
    """The commands an office's manager or administrator uses most, ready to type."""
    today = today or dt.date.today()
    program = console_command()
    backup = backups / f"csoffice-{today:%Y%m%d}.sqlite3"
    month = f"{today:%Y-%m}"

    def line(*words: str) -> str:
        return command_text([*program, *words])

    return [
        Example(line("check"), _("check the database and the desk's ledgers")),
        Example(line("backup", "--out", str(backup)), _("a backup copy, while the desks work")),
        Example(
            line("restore", str(backup)),
            _("put a backup back (the current database is saved first)"),
        ),
        Example(
            line("export", "customers", "--out", _("customers") + ".xlsx"),
            _("the customer archive as a spreadsheet"),
        ),
        Example(
            line("report", "monthly", month, "--out", _("monthly-report") + ".pdf"),
            _("this month's service report as a PDF"),
        ),
        Example(line("--help"), _("every command and its options")),
    ]


def wrong_program_hint(argv: Sequence[str]) -> str:
    """What the window program says when it is given a command of the console program."""
    return _(
        "The window program takes no commands: check, backup, restore and the others belong to "
        "the console program. Type: {command}"
    ).format(command=command_text([*console_command(), *argv]))


def owns_console_window() -> bool:
    """The console program was started by a double click, not typed in a command prompt: its
    console window is its own (Windows) and would close before anyone could read it."""
    if sys.platform != "win32":
        return False
    import ctypes

    processes = (ctypes.c_uint * 2)()
    return ctypes.windll.kernel32.GetConsoleProcessList(processes, 2) == 1  # type: ignore[attr-defined]


def run_console_program(argv: Sequence[str] | None = None) -> int:
    """The console program's entry point: csoffice.cli, and when started by a double click its
    help, with the window kept open until Enter is pressed."""
    from csoffice.cli import main

    words = list(sys.argv[1:] if argv is None else argv)
    if words[:1] == ["--print-job"] and importlib.util.find_spec(PRINT_JOB):
        # Printing from the command line on Windows runs Qt's print routine in a child process
        # started as `<this program> --print-job …` (csoffice.printing.spool).
        return importlib.import_module(PRINT_JOB).main(words[1:])
    # Only without words: a scheduled `csoffice-cli backup …` has a console of its own too, and
    # must never wait for a key.
    double_clicked = not words and owns_console_window()
    try:
        status = main(["--help"] if double_clicked else words)
    except SystemExit as exc:  # --help and --version end through argparse
        status = exc.code if isinstance(exc.code, int) else 0
    if double_clicked:
        with contextlib.suppress(EOFError):
            input(_("Press Enter to close this window."))
    return status
