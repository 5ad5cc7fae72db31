"""A complaint's correction saved at another desk meanwhile: theirs beside mine in the complaint
form, and the clerk's choice (theirs, mine, a merge); until then the form keeps what was typed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtWidgets import QLabel, QWidget

from csoffice import complaints, conflicts, customers
from csoffice.complaints import ComplaintInput, ComplaintView
from csoffice.i18n import _
from csoffice.ui.conflicts import ConflictDialog, form_display, offer_choice
from csoffice.ui.unsaved import UnsavedGuard
from csoffice.ui.widgets.form import FieldErrors

if TYPE_CHECKING:
    from csoffice.db.models import Staff


class ComplaintForm(Protocol):
    """What the choice needs of the complaint form (ui/dialogs/complaint_form.py)."""

    view: ComplaintView | None
    message: QLabel
    staff: Staff
    guard: UnsavedGuard
    errors: FieldErrors

    def load(self, complaint_id: int) -> None: ...

    def save_as(
        self,
        data: ComplaintInput,
        version: int,
        resolution: tuple[conflicts.Choice, list[conflicts.FieldDiff]] | None = None,
    ) -> None: ...


def offer_complaint_choice(
    form: ComplaintForm, stale: conflicts.StaleRecord, mine: ComplaintInput, parent: QWidget
) -> ConflictDialog | None:
    """Open the choice over ``form`` (None when there is nothing to choose: saved at once)."""
    view = form.view
    if view is None:
        return None
    diffs = conflicts.compare(
        complaints.comparable(view.as_input()), stale.theirs, complaints.comparable(mine)
    )
    if not diffs:  # they changed nothing this form holds: saving mine overwrites nothing
        form.save_as(mine, stale.current, resolution=("merge", diffs))
        return None
    form.message.setText(f"{stale} {_('Nothing was saved yet.')}")
    form.message.show()

    def chosen(choice: conflicts.Choice, picks: dict[str, conflicts.Choice]) -> None:
        if choice == "theirs":
            conflicts.record_choice(
                form.staff, "complaint", view.id, "theirs", diffs, summary=view.number
            )
            form.load(view.id)
            form.guard.mark_clean()
            form.message.setText(_("Their version is shown; your changes were dropped."))
            form.message.show()
            return
        form.save_as(
            complaints.with_values(mine, conflicts.chosen(choice, diffs, picks)),
            stale.current,
            resolution=(choice, diffs),
        )

    shown = form_display(form.errors)

    def shown_value(name: str, value: object) -> str:
        if name == "customer" and isinstance(value, int):
            found = customers.rows([value])
            return found[0].name if found else str(value)
        return shown(name, value)

    return offer_choice(
        parent, diffs, form.errors, chosen, by=stale.by, at=stale.at, shown=shown_value
    )
