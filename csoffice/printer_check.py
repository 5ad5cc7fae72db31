"""Printing the printer test page: the letterhead from the settings, the file written whole and
the print noted in the audit trail. It carries no customer data, so whoever is signed in may
print it; csoffice.printing.test_page lays it out."""

from __future__ import annotations

from pathlib import Path

from csoffice import settings
from csoffice.db.models import Staff
from csoffice.documents import save_printed
from csoffice.printing.test_page import test_page_pdf


def write_test_page(actor: Staff, path: Path | str) -> Path:
    """The test page under this office's letterhead at ``path`` (audited)."""
    path = Path(path)
    pdf = test_page_pdf(settings.office())
    return save_printed(actor, path, pdf, "test_page", None, path.name)


def print_command(actor: Staff, args: list[str], out: Path) -> None:
    """``python -m csoffice print test-page --out FILE.pdf``."""
    write_test_page(actor, out)
