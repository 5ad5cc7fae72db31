"""Printing a complaint's slip: who may, which copy, the file written whole and the print
audited. csoffice.complaint_slip_data gathers what the slip carries; csoffice.printing.
complaint_slip lays it out."""

from __future__ import annotations

from pathlib import Path

from csoffice import auth, settings
from csoffice.complaint_slip_data import COPIES, slip_data
from csoffice.complaints.detail import view_by_number
from csoffice.db.models import Staff
from csoffice.documents import save_printed
from csoffice.errors import CsofficeError
from csoffice.i18n import _
from csoffice.printing.complaint_slip import render_slip


def print_slip(
    actor: Staff,
    complaint_id: int,
    path: Path,
    page_size: str | None = None,
    copy: str = "filed",
) -> Path:
    """Print a complaint's slip to ``path`` (audited): the filed copy with the phone masked,
    or the department's copy (``copy="department"``) with the full number it must call."""
    auth.require(actor, "print")
    data = slip_data(complaint_id, copy)
    view = data.view
    size = page_size or settings.get("complaints.slip_page_size") or "A4"
    pdf = render_slip(data, size, printed_by=actor.display_name)
    path = Path(path)
    summary = f"{view.number} → {path.name}"
    if data.copy == "department":
        summary = _("{number}, department copy with the full phone → {file}").format(
            number=view.number, file=path.name
        )
    return save_printed(actor, path, pdf, "complaint", view.id, summary)


def print_command(actor: Staff, args: list[str], out: Path) -> None:
    """``python -m csoffice print complaint NUMBER [department] --out FILE.pdf``."""
    if not args or len(args) > 2 or not args[0].strip():
        raise CsofficeError(_("Give one complaint number, such as TS-202611-0001."))
    copy = "filed"
    if len(args) == 2:
        if args[1] not in COPIES:
            raise CsofficeError(
                _("The copy is “filed” or “department”, not “{copy}”.").format(copy=args[1])
            )
        copy = args[1]
    view = view_by_number(args[0])
    print_slip(actor, view.id, out, copy=copy)
