"""The audit trail: who did what, when, written in the same transaction as the change."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from peewee import Model

from csoffice.db.models import AuditLog, Staff


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Model):
        return value.get_id()
    return value


def snapshot(instance: Model, fields: Iterable[str]) -> dict[str, Any]:
    """The plain values of ``fields`` on ``instance``, for a before/after comparison."""
    return {
        name: _plain(
            getattr(instance, name + "_id", None)
            if _is_fk(instance, name)
            else getattr(instance, name)
        )
        for name in fields
    }


def _is_fk(instance: Model, name: str) -> bool:
    field = instance._meta.fields.get(name)
    return field is not None and field.__class__.__name__ == "ForeignKeyField"


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """The fields whose values differ: {field: [before, after]}."""
    return {
        key: [_plain(before.get(key)), _plain(after.get(key))]
        for key in sorted(set(before) | set(after))
        if _plain(before.get(key)) != _plain(after.get(key))
    }


# Who acts when no staff member does, for the whole process (the command line sets it).
_process_origin = {"value": ""}


def set_process_origin(origin: str) -> None:
    _process_origin["value"] = origin[:120]


def record(
    actor: Staff | None,
    action: str,
    entity: str,
    entity_id: int | None = None,
    summary: str = "",
    changes: Mapping[str, Any] | None = None,
) -> AuditLog:
    """Write one audit row; call inside the transaction of the change it describes. An actor
    without a staff record (the command line) is written as its origin, not as a staff."""
    origin = getattr(actor, "audit_origin", "") if actor is not None else ""
    if actor is None or actor.id is None:
        origin = origin or _process_origin["value"]
    if actor is not None and actor.id is None:
        actor = None
    return AuditLog.create(
        staff=actor,
        origin=origin,
        action=action,
        entity=entity,
        entity_id=entity_id,
        summary=summary,
        changes=json.dumps(changes, ensure_ascii=False, default=_plain) if changes else "",
    )
