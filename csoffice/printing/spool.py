"""Sending a finished PDF to a printer queue without Qt (the command line's ``--printer``).

On Linux and macOS the queue is CUPS: ``lpstat`` names the printers and ``lp -d`` sends the
file, with the PDF's own page size as the job's media so an A5 slip comes out on A5 and a
CR80 card on card stock rather than scaled onto the queue's default paper. Windows has no
``lp``; there the file goes through the app's own Qt print routine in a child process
(``csoffice.ui.print_job``), which paints the same rendered pages the preview shows — the
command line itself still imports no Qt.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from csoffice.errors import CsofficeError
from csoffice.i18n import _

# ISO and North-American sheets CUPS knows by name (portrait width × height, points).
NAMED_SIZES: dict[str, tuple[float, float]] = {
    "A3": (841.89, 1190.55),
    "A4": (595.28, 841.89),
    "A5": (419.53, 595.28),
    "A6": (297.64, 419.53),
    "B5": (498.9, 708.66),
    "Letter": (612.0, 792.0),
    "Legal": (612.0, 1008.0),
}
TOLERANCE = 2.0  # points: reportlab and CUPS round the same sheet differently
TIMEOUT = 30  # seconds for one lp/lpstat call; a hung CUPS must not hang a nightly script


class PrinterError(CsofficeError):
    """No such printer, no printer at all, or the queue refused the job."""


@dataclass(frozen=True)
class PageSize:
    """A page's size in points and, when it is a standard sheet, its name."""

    width: float
    height: float

    @property
    def name(self) -> str | None:
        short, long = sorted((self.width, self.height))
        for name, (w, h) in NAMED_SIZES.items():
            if abs(short - w) <= TOLERANCE and abs(long - h) <= TOLERANCE:
                return name
        return None

    @property
    def landscape(self) -> bool:
        return self.width > self.height + TOLERANCE

    def describe(self) -> str:
        """'A5 (148 × 210 mm)' or '86 × 54 mm' for a sheet without a name."""
        mm = f"{self.width / 72 * 25.4:.0f} × {self.height / 72 * 25.4:.0f} mm"
        return f"{self.name} ({mm})" if self.name else mm

    def cups_media(self) -> str:
        """The ``media`` option CUPS needs for this sheet (named, or a custom size in points)."""
        if self.name:
            return self.name
        return f"Custom.{round(self.width)}x{round(self.height)}"


def pdf_page_size(path: Path) -> PageSize:
    """The size of the PDF's first page (the sheet the printer must load)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(Path(path).read_bytes())
    try:
        width, height = document[0].get_size()
    finally:
        document.close()
    return PageSize(width, height)


def _uses_cups() -> bool:
    return sys.platform != "win32"


def _run(command: list[str]) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
            env={**os.environ, "LC_ALL": "C"},  # lpstat's words are parsed below
        )
    except subprocess.TimeoutExpired:
        raise PrinterError(_("The printing system did not answer; is CUPS running?")) from None
    except OSError as exc:
        raise PrinterError(
            _("The printing system could not be reached: {error}").format(error=exc)
        ) from None


def _cups_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise PrinterError(
            _("No printing system is installed (CUPS's “{tool}” is missing).").format(tool=name)
        )
    return path


def printers() -> list[str]:
    """The names of the printer queues of this computer."""
    if not _uses_cups():
        return _windows_helper(["--list"]).split("\n")
    result = _run([_cups_tool("lpstat"), "-e"])
    return [line.strip() for line in result.stdout.splitlines() if line.strip()]


def default_printer() -> str | None:
    if not _uses_cups():
        return _windows_helper(["--default"]).strip() or None
    result = _run([_cups_tool("lpstat"), "-d"])
    match = re.search(r"system default destination:\s*(\S+)", result.stdout)
    return match.group(1) if match else None


def resolve(name: str) -> str:
    """The queue ``name`` stands for (``default``: the default printer); refuses an unknown one."""
    known = printers()
    if not known:
        raise PrinterError(
            _("No printer is installed on this computer; save the PDF with --out instead.")
        )
    if name == "default":
        chosen = default_printer()
        if not chosen:
            raise PrinterError(
                _("No default printer is set; name one: {names}").format(names=", ".join(known))
            )
        return chosen
    if name not in known:
        raise PrinterError(
            _("No printer named “{name}”; printers here: {names}").format(
                name=name, names=", ".join(known)
            )
        )
    return name


@dataclass(frozen=True)
class QueueProblem:
    """Why a queue would not print now: ``refusing`` jobs (a job sent fails) or ``stopped``
    (a job sent waits); ``message`` says so in the user's language."""

    kind: str
    message: str


def queue_problem(name: str) -> QueueProblem | None:
    """What stands in the way of printing on the queue ``name`` now; None when it is ready."""
    if not _uses_cups():
        return None
    status = _run([_cups_tool("lpstat"), "-p", name, "-a", name]).stdout
    if re.search(rf"^{re.escape(name)} not accepting", status, re.MULTILINE):
        message = _("The printer “{name}” is not accepting jobs.").format(name=name)
        return QueueProblem("refusing", message)
    if re.search(rf"^printer {re.escape(name)} disabled", status, re.MULTILINE):
        message = _("The printer “{name}” is stopped; jobs wait until it is resumed.")
        return QueueProblem("stopped", message.format(name=name))
    return None


def submit(path: Path, printer: str, title: str = "", copies: int = 1) -> str:
    """Send the PDF at ``path`` to ``printer`` (a name from printers() or ``default``) on
    paper of the PDF's own size; returns the job's id. Raises PrinterError when the queue is
    unknown, refuses the job, or is stopped (a nightly sheet must not wait there unseen)."""
    queue = resolve(printer)
    problem = queue_problem(queue)
    if problem:
        raise PrinterError(problem.message)
    size = pdf_page_size(path)
    if not _uses_cups():
        return _windows_helper([str(path), "--printer", queue, "--copies", str(copies)]).strip()
    command = [
        _cups_tool("lp"),
        "-d",
        queue,
        "-n",
        str(max(1, copies)),
        "-o",
        f"media={size.cups_media()}",
        "-t",
        title or Path(path).stem,
        str(path),
    ]
    result = _run(command)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise PrinterError(
            _("The printer “{name}” refused the job: {error}").format(
                name=queue, error=detail[-1] if detail else result.returncode
            )
        )
    match = re.search(r"request id is (\S+)", result.stdout)
    return match.group(1) if match else ""


def _windows_helper(args: list[str]) -> str:
    """Run the Qt print routine in a child process (Windows has no ``lp``)."""
    if getattr(sys, "frozen", False):
        command = [sys.executable, "--print-job", *args]
    else:
        command = [sys.executable, "-m", "csoffice.ui.print_job", *args]
    result = _run(command)
    if result.returncode != 0:
        raise PrinterError(result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "")
    return result.stdout
