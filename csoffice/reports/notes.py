"""The manager's open problems and proposed improvements written with a weekly or monthly report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import JOIN

from csoffice import audit, auth
from csoffice.changes import Change, emit
from csoffice.db.database import db
from csoffice.db.lookup import tuples_of
from csoffice.db.models import (
    ReportNote,
    Staff,
)
from csoffice.errors import PermissionDenied, ValidationError
from csoffice.i18n import _
from csoffice.reports.periods import NOTE_KINDS, Period, parse_period
from csoffice.validation import clean_text

# --- The manager's notes ----------------------------------------------------------------------


@dataclass(frozen=True)
class Note:
    """Open problems and proposed improvements the manager wrote for one report."""

    problems: str = ""
    improvements: str = ""
    updated_at: dt.datetime | None = None
    updated_by: str = ""

    @property
    def empty(self) -> bool:
        return not (self.problems.strip() or self.improvements.strip())


_NOTE_MAX = 8000


def load_note(kind: str, period: Period | str) -> Note:
    code = period.code if isinstance(period, Period) else period
    row = (
        ReportNote.select(ReportNote, Staff.display_name)
        .join(Staff, JOIN.LEFT_OUTER, on=(ReportNote.updated_by == Staff.id))
        .where(ReportNote.kind == kind, ReportNote.period == code)
        .first()
    )
    if row is None:
        return Note()
    return Note(row.problems, row.improvements, row.updated_at, row.updated_by.display_name or "")


def save_note(
    actor: Staff, kind: str, period: Period | str, problems: str, improvements: str
) -> Note:
    """Store the manager's problems and improvements with the report of ``period``."""
    if actor is None or not actor.active or actor.role != auth.Role.MANAGER:
        raise PermissionDenied(
            _("Only the manager may write the report's open problems and improvements.")
        )
    code = period.code if isinstance(period, Period) else period
    if kind not in NOTE_KINDS:
        raise ValidationError.single("kind", _("Only weekly and monthly reports carry notes."))
    parse_period(code, kind)
    problems = clean_text(problems, multiline=True)
    improvements = clean_text(improvements, multiline=True)
    errors = {
        name: _("At most {n} characters.").format(n=_NOTE_MAX)
        for name, text in (("problems", problems), ("improvements", improvements))
        if len(text) > _NOTE_MAX
    }
    if errors:
        raise ValidationError(errors)
    with db.atomic():
        row = ReportNote.get_or_none(ReportNote.kind == kind, ReportNote.period == code)
        if row is None:
            row = ReportNote.create(
                kind=kind,
                period=code,
                problems=problems,
                improvements=improvements,
                created_by=actor,
                updated_by=actor,
            )
            changes = {"problems": [None, problems], "improvements": [None, improvements]}
            action = "create"
        else:
            before = audit.snapshot(row, ["problems", "improvements"])
            row.problems, row.improvements, row.updated_by = problems, improvements, actor
            row.save()
            changes = audit.diff(before, {"problems": problems, "improvements": improvements})
            action = "update"
        audit.record(
            actor, action, "report_note", row.id, summary=f"{kind} {code}", changes=changes
        )
    emit(Change.REPORT_NOTE)
    return load_note(kind, code)


def notes_name_real_periods() -> list[str]:
    """Each stored note belongs to a weekly or monthly report of a period that exists."""
    problems = []
    for note_id, kind, code in tuples_of(
        ReportNote.select(ReportNote.id, ReportNote.kind, ReportNote.period)
    ):
        try:
            if kind not in NOTE_KINDS:
                raise ValidationError.single("kind", "")
            parse_period(code, kind)
        except ValidationError:
            problems.append(
                _("Report note {id} is for “{kind} {period}”, which is no such report.").format(
                    id=note_id, kind=kind, period=code
                )
            )
    return problems
