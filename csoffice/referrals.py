"""Referrals (会员推荐): a member recommends a prospect (name, phone, what they are interested
in); the lead goes to a list for sales (printed or exported), its follow-up is recorded step by
step, and referrals count in the member's record and the monthly club figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from csoffice import audit, auth, changes, settings
from csoffice.changes import Change
from csoffice.db.database import db
from csoffice.db.lookup import dicts_of, get_or_not_found, tuples_of
from csoffice.db.models import Customer, Referral, Staff, now
from csoffice.documents import save_printed
from csoffice.errors import ValidationError
from csoffice.i18n import N_, _, format_date
from csoffice.printing.referral_list import ReferralSheet, referral_list_pdf
from csoffice.transfer import write_table
from csoffice.validation import check_phone, clean_text, mask_phone

STATUSES = {
    "new": N_("New lead"),
    "passed": N_("Passed to sales"),
    "following": N_("Being followed"),
    "won": N_("Became a customer"),
    "lost": N_("Not interested"),
}
_MAX = {"prospect_name": 100, "interest": 100, "note": 500}


def status_label(code: str) -> str:
    return _(STATUSES[code]) if code in STATUSES else code


@dataclass
class ReferralInput:
    referrer_id: int | None = None
    prospect_name: str = ""
    prospect_phone: str = ""
    interest: str = ""
    note: str = ""


def add(actor: Staff, data: ReferralInput, at: dt.datetime | None = None) -> Referral:
    """Record a member's recommendation as a new lead."""
    auth.require(actor, "edit")
    errors: dict[str, str] = {}
    referrer = Customer.get_or_none(Customer.id == data.referrer_id) if data.referrer_id else None
    if referrer is None or referrer.status != "active":
        errors["referrer"] = _("Pick the member who recommends.")
    name = clean_text(data.prospect_name or "")
    if not name:
        errors["prospect_name"] = _("Enter the prospect's name.")
    phone = ""
    try:
        phone = check_phone(data.prospect_phone, field="prospect_phone", required=True)
    except ValidationError as exc:
        errors.update(exc.errors)
    values = {"prospect_name": name, "interest": clean_text(data.interest or "")}
    values["note"] = clean_text(data.note or "", multiline=True)
    for key, limit in _MAX.items():
        if len(values[key]) > limit:
            errors[key] = _("At most {n} characters.").format(n=limit)
    if errors or referrer is None:  # no referrer is among the errors
        raise ValidationError(errors)
    at = at or now()
    with db.atomic():
        row = Referral.create(
            referrer=referrer.id,
            prospect_phone=phone,
            status="new",
            created_at=at,
            updated_at=at,
            created_by=actor,
            updated_by=actor,
            **values,
        )
        audit.record(actor, "create", "referral", row.id, summary=f"{referrer.name} → {name}")
    changes.emit(Change.REFERRAL)
    return row


def follow_up(
    actor: Staff, referral_id: int, status: str, note: str = "", at: dt.datetime | None = None
) -> Referral:
    """Record a follow-up: the lead's new status and what was done (kept, dated, in the note)."""
    auth.require(actor, "edit")
    if status not in STATUSES:
        raise ValidationError.single("status", _("Choose the lead's status."))
    note = clean_text(note or "")
    at = at or now()
    with db.atomic():
        row = get_or_not_found(Referral, _("No such referral."), Referral.id == referral_id)
        line = f"{format_date(at.date(), 'short')} {status_label(status)}" + (
            f"：{note}" if note else ""
        )
        Referral.update(
            status=status,
            passed_at=row.passed_at or (at if status != "new" else None),
            note=f"{row.note}\n{line}".strip()[-2000:],
            updated_at=at,
            updated_by=actor,
        ).where(Referral.id == referral_id).execute()
        audit.record(
            actor, "update", "referral", referral_id, changes={"status": [row.status, status]}
        )
    changes.emit(Change.REFERRAL)
    return Referral.get_by_id(referral_id)


@dataclass(frozen=True)
class ReferralRow:
    id: int
    created_at: dt.datetime
    referrer_name: str
    prospect_name: str
    prospect_phone: str  # in full: sales will call it
    interest: str
    status: str
    note: str

    @property
    def status_label(self) -> str:
        return status_label(self.status)


def rows(
    status: str = "", referrer_id: int | None = None, first: dt.date | None = None
) -> list[ReferralRow]:
    """The leads, newest first (of one status, one member, since a day when given)."""
    query = Referral.select(Referral, Customer.name.alias("referrer_name")).join(
        Customer, on=(Referral.referrer == Customer.id)
    )
    if status:
        query = query.where(Referral.status == status)
    if referrer_id is not None:
        query = query.where(Referral.referrer == referrer_id)
    if first is not None:
        query = query.where(Referral.created_at >= dt.datetime.combine(first, dt.time()))
    found = dicts_of(query.order_by(Referral.created_at.desc(), Referral.id.desc()))
    return [
        ReferralRow(
            r["id"],
            r["created_at"],
            r["referrer_name"],
            r["prospect_name"],
            r["prospect_phone"],
            r["interest"],
            r["status"],
            r["note"],
        )
        for r in found
    ]


@dataclass(frozen=True)
class Counts:
    total: int
    won: int


def counts_for(customer_id: int) -> Counts:
    """How many prospects the member recommended, and how many became customers."""
    query = Referral.select(Referral.status).where(Referral.referrer == customer_id)
    statuses = [s for (s,) in tuples_of(query)]
    return Counts(len(statuses), statuses.count("won"))


def month_counts(first: dt.date, last: dt.date) -> Counts:
    """Referrals recorded in the period and those that became customers (club figures)."""
    start = dt.datetime.combine(first, dt.time())
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time())
    query = Referral.select(Referral.status).where(
        Referral.created_at >= start, Referral.created_at < end
    )
    statuses = [s for (s,) in tuples_of(query)]
    return Counts(len(statuses), statuses.count("won"))


EXPORT_HEADERS = [
    N_("Recorded"),
    N_("Recommended by"),
    N_("Prospect"),
    N_("Phone"),
    N_("Interested in"),
    N_("Status"),
    N_("Follow-up"),
]


def table(lines: list[ReferralRow], masked: bool = False) -> list[list[str]]:
    """The lines as the list for sales shows them (printed: phones masked when asked)."""
    return [
        [
            format_date(r.created_at.date(), "short"),
            r.referrer_name,
            r.prospect_name,
            mask_phone(r.prospect_phone) if masked else r.prospect_phone,
            r.interest,
            r.status_label,
            r.note,
        ]
        for r in lines
    ]


def export(actor: Staff, path: Path, status: str = "") -> int:
    """The lead list as CSV or XLSX for sales (manager: it carries phone numbers)."""
    auth.require(actor, "export")
    lines = rows(status)
    count = write_table(
        Path(path),
        [_(h) for h in EXPORT_HEADERS],
        table(lines),
        sheet_title=_("Referrals"),
    )
    with db.atomic():
        audit.record(actor, "export", "referral", None, summary=f"{count} → {Path(path).name}")
    return count


def print_list(actor: Staff, path: Path, status: str = "") -> Path:
    """The lead list as a PDF for sales."""
    auth.require(actor, "print")
    sheet = ReferralSheet(
        [_(h) for h in EXPORT_HEADERS],
        table(rows(status)),
        settings.office(),
        status_label(status) if status else "",
    )
    pdf = referral_list_pdf(sheet)
    return save_printed(actor, path, pdf, "referral", None, status or "all")
