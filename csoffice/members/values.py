"""Cleaning what the clerk typed on the club's forms, and stamping the rows it writes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from csoffice import audit
from csoffice.db.models import (
    BaseModel,
    Staff,
    now,
)
from csoffice.errors import ValidationError
from csoffice.i18n import _
from csoffice.validation import clean_text


def _money(value, field: str, default: str = "0") -> Decimal:
    text = str(value if value not in (None, "") else default).strip().replace("¥", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValidationError.single(field, _("Enter an amount such as 12.50.")) from None
    if not amount.is_finite() or amount < 0:
        raise ValidationError.single(field, _("The amount cannot be negative."))
    if amount > Decimal("99999999"):
        raise ValidationError.single(field, _("The amount is too large."))
    return amount.quantize(Decimal("0.01"))


def _one_line(
    errors: dict[str, str], field: str, text: str | None, limit: int, missing: str = ""
) -> str:
    """``text`` on one line with single spaces. Notes in ``errors`` under ``field`` when it is
    empty and ``missing`` (what to enter) is given, or when it is longer than ``limit``."""
    text = clean_text(text)
    if missing and not text:
        errors[field] = missing
    elif len(text) > limit:
        errors[field] = _("At most {n} characters.").format(n=limit)
    return text


def _reason(text: str, required: bool = True) -> str:
    errors: dict[str, str] = {}
    reason = _one_line(errors, "reason", text, 200, _("Give a reason.") if required else "")
    if errors:
        raise ValidationError(errors)
    return reason


def _when(at: dt.datetime | None) -> dt.datetime:
    return (at or now()).replace(microsecond=0)


def _stamps(actor: Staff, at: dt.datetime) -> dict[str, Any]:
    """Who created a row and when, for ``Model.create`` (the first update is the creation)."""
    return dict(created_by=actor, updated_by=actor, created_at=at, updated_at=at)


def _update_audited(actor: Staff, row: BaseModel, entity: str, summary: str, **values: Any) -> None:
    """Set ``values`` on ``row``, save it and record in the audit trail what changed."""
    fields = list(values)
    before = audit.snapshot(row, fields)
    for name, value in values.items():
        setattr(row, name, value)
    row.save()
    audit.record(
        actor,
        "update",
        entity,
        row.id,
        summary=summary,
        changes=audit.diff(before, audit.snapshot(row, fields)),
    )
