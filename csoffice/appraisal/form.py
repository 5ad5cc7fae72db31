"""The printed appraisal form: who may print it, the PDF and its audit row."""

from __future__ import annotations

from pathlib import Path

from csoffice import settings
from csoffice.appraisal.months import month, require_view
from csoffice.appraisal.people import staff_by_username
from csoffice.db.models import Staff
from csoffice.documents import save_printed
from csoffice.errors import CsofficeError
from csoffice.i18n import _
from csoffice.printing.appraisal_form import render_form


def print_form(actor: Staff, staff_id: int, period: str, path: Path) -> Path:
    """Print a staff member's appraisal month to ``path`` (audited)."""
    view = month(staff_id, period)
    require_view(actor, view)
    pdf = render_form(view, settings.office(), printed_by=actor.display_name)
    path = Path(path)
    return save_printed(
        actor, path, pdf, "appraisal", None, f"{view.username} {period} → {path.name}"
    )


def print_command(actor: Staff, args: list[str], out: Path) -> None:
    """``python -m csoffice print appraisal STAFF YYYY-MM --out FILE.pdf``."""
    if len(args) != 2:
        raise CsofficeError(
            _("Give a staff member's user name and a month, such as wangfang 2026-11.")
        )
    staff = staff_by_username(args[0])
    print_form(actor, staff.id, args[1], out)
