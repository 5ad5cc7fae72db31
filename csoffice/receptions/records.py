"""Logging, correcting and voiding a reception; each write audited and announced
(Change.RECEPTION) after its transaction."""

from __future__ import annotations

from typing import Any

from csoffice import audit, auth
from csoffice.changes import Change
from csoffice.db.database import db, emit_after_commit
from csoffice.db.lookup import get_or_not_found
from csoffice.db.models import Reception, Staff, now
from csoffice.errors import Conflict, ValidationError
from csoffice.i18n import _
from csoffice.receptions.codes import category_label
from csoffice.receptions.form import _MAX, AUDITED_FIELDS, ReceptionInput, clean, to_input
from csoffice.validation import clean_text


def get(reception_id: int) -> Reception:
    return get_or_not_found(
        Reception,
        _("No reception with number {id}.").format(id=reception_id),
        Reception.id == reception_id,
    )


def load(reception_id: int) -> ReceptionInput:
    """What the form shows when a stored reception is opened for editing."""
    return to_input(get(reception_id))


def _summary(values: dict[str, Any]) -> str:
    who = values["caller_name"] or values["caller_phone"]
    return f"{who} · {category_label(values['category'])}"


def create(actor: Staff, data: ReceptionInput) -> Reception:
    """Log a call or visit."""
    auth.require(actor, "edit")
    values = clean(data, actor)
    with db.atomic():
        reception = Reception.create(**values, created_by=actor, updated_by=actor)
        audit.record(actor, "create", "reception", reception.id, summary=_summary(values))
    emit_after_commit(Change.RECEPTION)
    return reception


def update(actor: Staff, reception_id: int, data: ReceptionInput) -> Reception:
    """Correct a logged reception; the audit row keeps each changed field's before and after."""
    auth.require(actor, "edit")
    with db.atomic():
        reception = get(reception_id)
        if reception.status != "active":
            raise Conflict(_("A voided reception cannot be changed."))
        values = clean(data, actor, allowed_codes=(reception.channel, reception.category))
        if data.handler_id is None:
            values["handler"] = reception.handler_id or actor.id
        before = audit.snapshot(reception, AUDITED_FIELDS)
        after = {name: values[name] for name in AUDITED_FIELDS}
        changes = audit.diff(before, after)
        if not changes:
            return reception
        Reception.update(**values, updated_by=actor, updated_at=now()).where(
            Reception.id == reception_id
        ).execute()
        audit.record(
            actor, "update", "reception", reception_id, summary=_summary(values), changes=changes
        )
    emit_after_commit(Change.RECEPTION)
    return get(reception_id)


def void(actor: Staff, reception_id: int, reason: str) -> Reception:
    """Take a reception logged by mistake out of the day's figures; nothing is deleted."""
    auth.require(actor, "edit")
    reason = clean_text(reason)
    if not reason:
        raise ValidationError.single("void_reason", _("Say why this reception is voided."))
    if len(reason) > _MAX["void_reason"]:
        raise ValidationError.single(
            "void_reason", _("At most {n} characters.").format(n=_MAX["void_reason"])
        )
    with db.atomic():
        reception = get(reception_id)
        if reception.status == "voided":
            raise Conflict(_("This reception is already voided."))
        if reception.complaint_id is not None:
            raise Conflict(_("This reception became a complaint; cancel the complaint instead."))
        Reception.update(
            status="voided", void_reason=reason, updated_by=actor, updated_at=now()
        ).where(Reception.id == reception_id).execute()
        audit.record(
            actor,
            "void",
            "reception",
            reception_id,
            summary=reason,
            changes={"status": ["active", "voided"]},
        )
    emit_after_commit(Change.RECEPTION)
    return get(reception_id)
