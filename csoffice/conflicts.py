"""When a record was saved at another desk while this desk edited it: what each side changed,
field by field, and the clerk's choice between theirs, mine and a merge.

A form keeps three views of its record: ``base`` (what it loaded), ``theirs`` (what is stored
now) and ``mine`` (what the clerk typed). :func:`compare` lists the fields either side changed;
:func:`merge` gives the values a merge saves: theirs where only they changed a field, mine where
only I did, and the clerk's pick where both changed it differently. A domain write that finds
its record newer than the version the form read raises :class:`StaleRecord` with the stored
values, so the form can offer the choice instead of a refusal. The choice is audited: with the
save for mine and merge (the save's own audit row names it), by :func:`record_choice` for
theirs (nothing is saved then, but the trail says what was dropped).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from csoffice import audit
from csoffice.db.database import db
from csoffice.db.models import Staff
from csoffice.errors import Conflict

Choice = Literal["theirs", "mine", "merge"]
CHOICES: tuple[Choice, ...] = ("theirs", "mine", "merge")


@dataclass(frozen=True)
class FieldDiff:
    """One field that changed on at least one side since the form loaded it."""

    name: str
    base: Any
    theirs: Any
    mine: Any

    @property
    def theirs_changed(self) -> bool:
        return self.theirs != self.base

    @property
    def mine_changed(self) -> bool:
        return self.mine != self.base

    @property
    def clash(self) -> bool:
        """Both sides changed the field, to different values: the clerk picks one."""
        return self.theirs_changed and self.mine_changed and self.theirs != self.mine


class StaleRecord(Conflict):
    """The record was saved elsewhere after the form read it (at ``version``, now ``current``).

    ``theirs`` holds the stored values in the form's own terms, ``by`` and ``at`` who saved
    them and when; nothing of the refused save was written."""

    def __init__(
        self,
        message: str,
        *,
        entity: str,
        record_id: int,
        current: int,
        theirs: Mapping[str, Any],
        by: str,
        at: dt.datetime | None,
    ):
        super().__init__(message)
        self.entity = entity
        self.record_id = record_id
        self.current = current
        self.theirs = dict(theirs)
        self.by = by
        self.at = at


def compare(
    base: Mapping[str, Any], theirs: Mapping[str, Any], mine: Mapping[str, Any]
) -> list[FieldDiff]:
    """The fields (in ``base``'s order) that either side changed; equal changes are left out."""
    found = []
    for name in base:
        diff = FieldDiff(name, base[name], theirs.get(name), mine.get(name))
        if (diff.theirs_changed or diff.mine_changed) and diff.theirs != diff.mine:
            found.append(diff)
    return found


def merge(diffs: list[FieldDiff], picks: Mapping[str, Choice] | None = None) -> dict[str, Any]:
    """The value a merge keeps for each changed field. A clash takes ``picks[name]`` ("theirs"
    or "mine"); a clash without a pick keeps mine, so nothing typed is dropped unasked."""
    picks = picks or {}
    values = {}
    for diff in diffs:
        if diff.clash:
            values[diff.name] = diff.theirs if picks.get(diff.name) == "theirs" else diff.mine
        elif diff.theirs_changed:
            values[diff.name] = diff.theirs
        else:
            values[diff.name] = diff.mine
    return values


def chosen(
    choice: Choice, diffs: list[FieldDiff], picks: Mapping[str, Choice] | None = None
) -> dict[str, Any]:
    """The changed fields' values after ``choice``: all theirs, all mine, or the merge."""
    if choice == "theirs":
        return {diff.name: diff.theirs for diff in diffs}
    if choice == "mine":
        return {diff.name: diff.mine for diff in diffs}
    return merge(diffs, picks)


def audit_note(
    choice: Choice, diffs: list[FieldDiff], picks: Mapping[str, Choice] | None = None
) -> dict[str, Any]:
    """What the audit row of a save after a conflict adds to its changes: the choice, and the
    fields where the other desk's value was replaced (mine) or kept (theirs)."""
    values = chosen(choice, diffs, picks)
    replaced = [d.name for d in diffs if d.theirs_changed and values[d.name] != d.theirs]
    kept = [d.name for d in diffs if d.theirs_changed and values[d.name] == d.theirs]
    return {"conflict": choice, "theirs_replaced": replaced, "theirs_kept": kept}


def record_choice(
    actor: Staff,
    entity: str,
    record_id: int,
    choice: Choice,
    diffs: list[FieldDiff],
    summary: str = "",
) -> None:
    """Audit a choice that saves nothing (theirs: the clerk's own changes were dropped)."""
    dropped = [d.name for d in diffs if d.mine_changed]
    with db.atomic():
        audit.record(
            actor,
            "conflict",
            entity,
            record_id,
            summary=summary,
            changes={"conflict": choice, "mine_dropped": dropped},
        )
