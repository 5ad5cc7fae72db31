"""The return-visit export and the consistency checks of results."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from csoffice import audit, auth
from csoffice.db.database import db
from csoffice.db.models import Customer, ReturnVisit, Staff
from csoffice.i18n import N_, _
from csoffice.transfer import write_table
from csoffice.visits.codes import _CHUNK
from csoffice.visits.follow_up import _answers
from csoffice.visits.lists import VisitFilter, VisitRow, rows, search_ids

# --- Export ---------------------------------------------------------------------------------

EXPORT_COLUMNS: list[tuple[str, Callable[[ReturnVisit, VisitRow], Any]]] = [
    (N_("Customer"), lambda v, r: r.customer_name),
    (N_("Mobile"), lambda v, r: v.customer.mobile),
    (N_("Type"), lambda v, r: r.kind_label),
    (N_("About"), lambda v, r: r.subject),
    (N_("Due date"), lambda v, r: v.due_on),
    (N_("Status"), lambda v, r: r.status_label),
    (N_("Done at"), lambda v, r: v.done_at),
    (N_("Call result"), lambda v, r: r.result_label),
    (N_("Attempts"), lambda v, r: v.attempts),
    (N_("Satisfaction"), lambda v, r: v.satisfaction),
    (N_("Staff"), lambda v, r: r.done_by_name or r.assigned_name),
    (N_("Answers"), lambda v, r: "；".join(f"{q}：{a}" for q, a in _answers(v).items())),
    (N_("Remarks"), lambda v, r: v.remarks),
    (N_("Note"), lambda v, r: v.note),
]


def _export_rows(ids: list[int]) -> Iterator[list[Any]]:
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        lines = {r.id: r for r in rows(chunk)}
        query = (
            ReturnVisit.select(ReturnVisit, Customer)
            .join(Customer, on=(ReturnVisit.customer == Customer.id))
            .where(ReturnVisit.id.in_(chunk))
        )
        visits = {v.id: v for v in query}
        for visit_id in chunk:
            if visit_id in visits and visit_id in lines:
                yield [value(visits[visit_id], lines[visit_id]) for _t, value in EXPORT_COLUMNS]


def export(
    actor: Staff, path: Path, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> int:
    """``python -m csoffice export visits --out FILE [--from D --to D]``: every call due in the
    period (all when no dates), by due date; returns the number of rows (manager)."""
    auth.require(actor, "export")
    path = Path(path)
    ids = search_ids(VisitFilter(view="all", date_from=date_from, date_to=date_to))
    count = write_table(
        path,
        [_(title) for title, _value in EXPORT_COLUMNS],
        _export_rows(ids),
        sheet_title=_("Return visits"),
    )
    with db.atomic():
        audit.record(actor, "export", "visit", None, summary=f"{count} → {path.name}")
    return count


# --- Checks ---------------------------------------------------------------------------------


def check_results() -> list[str]:
    """Done calls carry when and by whom, reached ones a satisfaction of 1–5; open calls carry
    no result."""
    problems = []
    done_without = ReturnVisit.select(ReturnVisit.id).where(
        ReturnVisit.status == "done", ReturnVisit.done_at.is_null()
    )
    problems += [
        _("Return visit {id} is done but has no time.").format(id=v.id) for v in done_without
    ]
    bad_score = ReturnVisit.select(ReturnVisit.id).where(
        ReturnVisit.status == "done",
        ReturnVisit.reached == True,
        ReturnVisit.satisfaction.is_null() | ~ReturnVisit.satisfaction.between(1, 5),
    )
    problems += [
        _("Return visit {id} reached the customer but has no satisfaction 1–5.").format(id=v.id)
        for v in bad_score
    ]
    open_done = ReturnVisit.select(ReturnVisit.id).where(
        ReturnVisit.status == "due", ReturnVisit.done_at.is_null(False)
    )
    problems += [
        _("Return visit {id} is still due but has a result time.").format(id=v.id)
        for v in open_done
    ]
    return problems
