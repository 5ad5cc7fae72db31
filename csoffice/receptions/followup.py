"""Follow-ups owed: their completion and the lists of those still open."""

from __future__ import annotations

import datetime as dt

from csoffice import audit, auth
from csoffice.changes import Change
from csoffice.db.database import db, emit_after_commit
from csoffice.db.lookup import tuples_of
from csoffice.db.models import Reception, Staff, now
from csoffice.errors import Conflict
from csoffice.i18n import _
from csoffice.receptions.form import _MAX
from csoffice.receptions.lists import (
    DayFilter,
    ReceptionRow,
    _filtered,
    _make_row,
    _row_query,
    _start,
)
from csoffice.receptions.records import get
from csoffice.validation import clean_text


def mark_followup_done(actor: Staff, reception_id: int, note: str = "") -> Reception:
    """Record that the follow-up owed was made; ``note`` is added to the outcome."""
    auth.require(actor, "edit")
    note = clean_text(note, multiline=True)
    with db.atomic():
        reception = get(reception_id)
        if reception.status != "active":
            raise Conflict(_("A voided reception cannot be changed."))
        if not reception.followup_needed:
            raise Conflict(_("No follow-up is owed for this reception."))
        if reception.followup_done_at is not None:
            raise Conflict(_("This follow-up is already done."))
        outcome = reception.outcome
        if note:
            outcome = f"{outcome}\n{note}".strip()[: _MAX["outcome"]]
        done_at = now()
        Reception.update(
            followup_done_at=done_at, outcome=outcome, updated_by=actor, updated_at=done_at
        ).where(Reception.id == reception_id).execute()
        audit.record(
            actor,
            "followup_done",
            "reception",
            reception_id,
            summary=note,
            changes={"followup_done_at": [None, done_at], "outcome": [reception.outcome, outcome]},
        )
    emit_after_commit(Change.RECEPTION)
    return get(reception_id)


def followups_owed(
    until: dt.date | None = None, handler_id: int | None = None
) -> list[ReceptionRow]:
    """Follow-ups still owed for receptions up to the end of ``until``, soonest due first."""
    query = _filtered(
        _row_query(),
        DayFilter(date_to=until, followup_pending=True, handler_id=handler_id),
    ).order_by(Reception.followup_due.asc(), Reception.received_at.asc())
    return [_make_row(values) for values in tuples_of(query)]


def followups_open_at_end_of(day: dt.date) -> list[ReceptionRow]:
    """The follow-ups that were still owed when ``day`` ended, whatever happened since: so a
    daily sheet reprinted next week prints the same list. A reception voided later counts as
    still owed that day (its last change, the void, came after)."""
    end = _start(day + dt.timedelta(days=1))
    query = (
        _row_query()
        .where(
            Reception.received_at < end,
            Reception.followup_needed == True,
            Reception.followup_done_at.is_null() | (Reception.followup_done_at >= end),
            (Reception.status == "active") | (Reception.updated_at >= end),
        )
        .order_by(Reception.followup_due.asc(), Reception.received_at.asc())
    )
    return [_make_row(values) for values in tuples_of(query)]


def followups_due(on: dt.date, handler_id: int | None = None) -> list[ReceptionRow]:
    """Follow-ups owed that are due on or before ``on`` (for the Today board)."""
    return [r for r in followups_owed(None, handler_id) if r.followup_due and r.followup_due <= on]
