"""The reception log's consistency checks (for ``csoffice check``)."""

from __future__ import annotations

from peewee import JOIN

from csoffice.db.lookup import tuples_of
from csoffice.db.models import Complaint, Reception
from csoffice.i18n import _


def check_links() -> list[str]:
    """Receptions that point to a missing complaint, or owe a follow-up without a due date."""
    problems = []
    dangling = (
        Reception.select(Reception.id, Reception.complaint_id)
        .join(Complaint, JOIN.LEFT_OUTER, on=(Reception.complaint_id == Complaint.id))
        .where(Reception.complaint_id.is_null(False), Complaint.id.is_null())
    )
    for reception_id, complaint_id in tuples_of(dangling):
        problems.append(
            _("Reception {id} points to a missing complaint {complaint}").format(
                id=reception_id, complaint=complaint_id
            )
        )
    undated = Reception.select(Reception.id).where(
        Reception.followup_needed == True,
        Reception.followup_due.is_null(),
        Reception.status == "active",
    )
    for (reception_id,) in tuples_of(undated):
        problems.append(
            _("Reception {id} owes a follow-up without a due date").format(id=reception_id)
        )
    return problems
