"""Reading the audit trail: the manager's audit viewer's queries and labels.

``csoffice.audit`` writes the trail (inside each change's transaction); this module reads it
back, so the writers do not import the permission and account code the viewer needs.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from peewee import JOIN

from csoffice import auth, permissions
from csoffice.db.lookup import in_id_order
from csoffice.db.models import AuditLog, Staff
from csoffice.i18n import N_, _

ACTION_LABELS: dict[str, str] = {
    "create": N_("New record"),
    "update": N_("Changed"),
    "void": N_("Voided"),
    "archive": N_("Archived"),
    "restore": N_("Restored"),
    "merge": N_("Merged"),
    "move": N_("Moved on"),
    "note": N_("Note added"),
    "attach": N_("Attached"),
    "import": N_("Imported"),
    "export": N_("Exported"),
    "print": N_("Printed"),
    "backup": N_("Backup made"),
    "restore_backup": N_("Database restored"),
    "migrate_to": N_("Database copied"),
    "login": N_("Signed in"),
    "login_failed": N_("Wrong password"),
    "change_password": N_("Password changed"),
    "reset_password": N_("Password reset"),
    "clear_lockout": N_("Sign-in wait lifted"),
    "deactivate": N_("Deactivated"),
    "reactivate": N_("Reactivated"),
    "escalate": N_("Escalated"),
    "adjust": N_("Points adjusted"),
    "earn": N_("Earned"),
    "expire": N_("Expired"),
    "redeem": N_("Redeemed"),
    "restock": N_("Restocked"),
    "invite": N_("Invited"),
    "attendance": N_("Attendance"),
    "followup_done": N_("Follow-up done"),
}
ENTITY_LABELS: dict[str, str] = {
    "customer": N_("Customer"),
    "attachment": N_("Attachment"),
    "service_event": N_("Service event"),
    "reception": N_("Reception"),
    "complaint": N_("Complaint"),
    "member_card": N_("Member card"),
    "member_level": N_("Member level"),
    "member_event": N_("Member event"),
    "points": N_("Points"),
    "gift": N_("Gift"),
    "redemption": N_("Redemption"),
    "greeting": N_("Greeting"),
    "staff": N_("Staff"),
    "settings": N_("Settings"),
    "database": N_("Database"),
    "daily_sheet": N_("Daily sheet"),
    "weekly_report": N_("Weekly report"),
    "monthly_report": N_("Monthly report"),
    "report_note": N_("Report notes"),
    "visit": N_("Return visit"),
    "appraisal": N_("Staff appraisal"),
}


def action_label(code: str) -> str:
    return _(ACTION_LABELS[code]) if code in ACTION_LABELS else code


def entity_label(code: str) -> str:
    return _(ENTITY_LABELS[code]) if code in ENTITY_LABELS else code


@dataclass
class AuditFilter:
    """What the audit viewer asks for; empty fields do not filter."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    staff_id: int | None = None
    entity: str = ""
    action: str = ""
    entity_id: int | None = None
    text: str = ""  # in the summary


@dataclass(frozen=True)
class AuditRow:
    """One line of the audit trail, ready to show."""

    id: int
    at: dt.datetime
    staff_name: str
    action: str
    entity: str
    entity_id: int | None
    summary: str
    changes: dict[str, list[Any]]

    @property
    def action_label(self) -> str:
        return action_label(self.action)

    @property
    def entity_label(self) -> str:
        return entity_label(self.entity)

    def changes_text(self) -> str:
        """'field: before → after' for each changed field, one per line."""
        return "\n".join(
            f"{name}: {_show(pair[0])} → {_show(pair[1])}"
            if isinstance(pair, list | tuple) and len(pair) == 2
            else f"{name}: {_show(pair)}"
            for name, pair in self.changes.items()
        )


def _show(value: Any) -> str:
    return "—" if value in (None, "") else str(value)


def _origin_label(origin: str) -> str:
    return auth.origin_label(origin or "")


def _require_viewer(actor: Staff | None) -> None:
    permissions.require(actor, "view_audit")


_SORT = {"at": AuditLog.id, "staff": AuditLog.staff, "action": AuditLog.action}


def search_ids(
    actor: Staff | None,
    criteria: AuditFilter,
    sort_key: str | None = None,
    descending: bool = True,
    limit: int = 50_000,
) -> list[int]:
    """Ids of the audit rows matching ``criteria``, newest first by default (manager only)."""
    _require_viewer(actor)
    query = AuditLog.select(AuditLog.id)
    if criteria.date_from:
        query = query.where(AuditLog.at >= dt.datetime.combine(criteria.date_from, dt.time.min))
    if criteria.date_to:
        end = dt.datetime.combine(criteria.date_to + dt.timedelta(days=1), dt.time.min)
        query = query.where(AuditLog.at < end)
    if criteria.staff_id:
        query = query.where(AuditLog.staff == criteria.staff_id)
    if criteria.entity:
        query = query.where(AuditLog.entity == criteria.entity)
    if criteria.entity_id is not None:
        query = query.where(AuditLog.entity_id == criteria.entity_id)
    if criteria.action:
        query = query.where(AuditLog.action == criteria.action)
    if criteria.text.strip():
        query = query.where(AuditLog.summary.contains(criteria.text.strip()))
    column = _SORT.get(sort_key or "at", AuditLog.id)
    query = query.order_by(column.desc() if descending else column, AuditLog.id.desc())
    return [row.id for row in query.limit(limit)]


def rows(actor: Staff | None, ids: list[int]) -> list[AuditRow]:
    _require_viewer(actor)
    query = (
        AuditLog.select(AuditLog, Staff.display_name.alias("staff_name"))
        .join(Staff, JOIN.LEFT_OUTER, on=(AuditLog.staff == Staff.id))
        .where(AuditLog.id.in_(ids))
        .dicts()
    )
    entries = cast("Iterable[dict[str, Any]]", query)  # .dicts() yields dicts, not models
    found = {entry["id"]: entry for entry in entries}
    result = []
    for entry in in_id_order(ids, found):
        try:
            changes = json.loads(entry["changes"]) if entry["changes"] else {}
        except ValueError:
            changes = {}
        result.append(
            AuditRow(
                id=entry["id"],
                at=entry["at"],
                staff_name=entry["staff_name"] or _origin_label(entry["origin"]) or _("(system)"),
                action=entry["action"],
                entity=entry["entity"],
                entity_id=entry["entity_id"],
                summary=entry["summary"],
                changes=changes if isinstance(changes, dict) else {},
            )
        )
    return result


def used_codes(actor: Staff | None) -> tuple[list[str], list[str]]:
    """The actions and the entities the trail holds, for the viewer's filters."""
    _require_viewer(actor)
    actions = [r.action for r in AuditLog.select(AuditLog.action).distinct()]
    entities = [r.entity for r in AuditLog.select(AuditLog.entity).distinct()]
    return sorted(actions, key=action_label), sorted(entities, key=entity_label)
