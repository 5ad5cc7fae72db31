"""The daily return-visit sheet (回访日报): every call made on a day — who was called, about what,
the result, the satisfaction and the survey's answers — with the day's totals, gathered as plain
data for csoffice/printing/visit_sheet.py, and printed (permission, file, audit row)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from csoffice import auth, settings, visits
from csoffice.dates import parse_day
from csoffice.db.lookup import tuples_of
from csoffice.db.models import ReturnVisit, Staff
from csoffice.documents import save_printed
from csoffice.printing.visit_sheet import SheetLine, VisitDaySheet, visit_sheet_pdf

__all__ = ["SheetLine", "VisitDaySheet", "print_sheet", "report_command", "sheet"]


def sheet(day: dt.date) -> VisitDaySheet:
    """The calls finished on ``day`` (reached or closed unreached), in the order made."""
    start = dt.datetime.combine(day, dt.time())
    ids = [
        visit_id
        for (visit_id,) in tuples_of(
            ReturnVisit.select(ReturnVisit.id)
            .where(
                ReturnVisit.status == "done",
                ReturnVisit.done_at >= start,
                ReturnVisit.done_at < start + dt.timedelta(days=1),
            )
            .order_by(ReturnVisit.done_at, ReturnVisit.id)
        )
    ]
    stored = {v.id: v for v in ReturnVisit.select().where(ReturnVisit.id.in_(ids))} if ids else {}
    lines = []
    kinds: dict[str, int] = {}
    for row in visits.rows(ids, day):
        if row.done_at is None:
            continue  # not among the calls done that day (it was reopened since)
        visit = stored[row.id]
        lines.append(
            SheetLine(
                time=row.done_at,
                customer=row.customer_name,
                phone=row.phone,
                kind=row.kind_label,
                subject=row.subject,
                result=row.result_label,
                satisfaction=row.satisfaction,
                answers=[f"{q}：{a}" for q, a in visits.answers_of(visit).items()],
                remarks=visit.remarks,
                caller=row.done_by_name,
            )
        )
        kinds[row.kind_label] = kinds.get(row.kind_label, 0) + 1
    scores = [line.satisfaction for line in lines if line.satisfaction is not None]
    still_due = (
        ReturnVisit.select().where(ReturnVisit.status == "due", ReturnVisit.due_on <= day).count()
    )
    return VisitDaySheet(
        day=day,
        office=settings.office(),
        lines=lines,
        done=len(lines),
        reached=sum(1 for line in lines if line.satisfaction is not None),
        dissatisfied=sum(1 for s in scores if s <= visits.DISSATISFIED),
        average=round(sum(scores) / len(scores), 2) if scores else None,
        by_kind=sorted(kinds.items(), key=lambda item: -item[1]),
        still_due=still_due,
    )


def print_sheet(actor: Staff, day: dt.date, path: Path | str) -> Path:
    """Write the day's sheet as a PDF at ``path`` and note who printed it."""
    auth.require(actor, "print")
    pdf = visit_sheet_pdf(sheet(day), actor.display_name)
    return save_printed(actor, path, pdf, "visit_sheet", None, day.isoformat())


def report_command(actor: Staff, period: str, out: Path) -> None:
    """``python -m csoffice report visit-day 2026-11-24 --out FILE.pdf``."""
    print_sheet(actor, parse_day(period), out)
