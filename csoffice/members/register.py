"""The card register: ``export members`` as a spreadsheet, and the club's consistency checks
for ``check``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from peewee import JOIN, fn

from csoffice import audit, auth, transfer
from csoffice.db.database import db
from csoffice.db.lookup import tuples_of
from csoffice.db.models import (
    Customer,
    MemberCard,
    MemberLevel,
    PointsEntry,
    Staff,
)
from csoffice.i18n import _
from csoffice.members.codes import CURRENT_STATUSES, status_label


def export(
    actor: Staff, path: Path, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> int:
    """``export members``: every card issued in the period, with the number it replaced."""
    auth.require(actor, "export")
    path = Path(path)
    transfer.check_export_path(path)
    old = MemberCard.alias()
    query = (
        MemberCard.select(
            MemberCard.card_no,
            Customer.name,
            Customer.mobile,
            MemberLevel.name,
            MemberCard.status,
            MemberCard.balance,
            MemberCard.issued_on,
            MemberCard.expires_on,
            old.card_no,
            MemberCard.closed_at,
            MemberCard.close_reason,
        )
        .join(Customer, on=(MemberCard.customer == Customer.id))
        .switch(MemberCard)
        .join(MemberLevel, JOIN.LEFT_OUTER, on=(MemberCard.level == MemberLevel.id))
        .switch(MemberCard)
        .join(old, JOIN.LEFT_OUTER, on=(MemberCard.replaces == old.id))
        .order_by(MemberCard.issued_on, MemberCard.id)
    )
    if date_from is not None:
        query = query.where(MemberCard.issued_on >= date_from)
    if date_to is not None:
        query = query.where(MemberCard.issued_on <= date_to)
    headers = [
        _("Card number"),
        _("Customer"),
        _("Mobile"),
        _("Level"),
        _("Status"),
        _("Balance"),
        _("Issued on"),
        _("Expires on"),
        _("Replaces card"),
        _("Closed at"),
        _("Reason for closing"),
    ]

    def rows():
        for row in query.tuples().iterator():
            row = list(row)
            row[4] = status_label(row[4])
            yield row

    count = transfer.write_table(path, headers, rows(), sheet_title=_("Member cards"))
    with db.atomic():
        audit.record(
            actor,
            "export",
            "member_card",
            None,
            summary=_("{count} rows written to {path}").format(count=count, path=path.name),
        )
    return count


def balances_match_ledger() -> list[str]:
    """Every card's cached balance equals its ledger's sum and is not negative."""
    sums = tuples_of(
        MemberCard.select(
            MemberCard.card_no,
            MemberCard.balance,
            fn.COALESCE(fn.SUM(PointsEntry.points), 0).alias("total"),
        )
        .join(PointsEntry, JOIN.LEFT_OUTER, on=(PointsEntry.card == MemberCard.id))
        .group_by(MemberCard.id, MemberCard.card_no, MemberCard.balance)
        .having(
            (MemberCard.balance != fn.COALESCE(fn.SUM(PointsEntry.points), 0))
            | (MemberCard.balance < 0)
        )
    )
    return [
        _("Card {number}: balance {balance}, ledger sum {total}").format(
            number=number, balance=balance, total=total
        )
        for number, balance, total in sums
    ]


def one_current_card_per_customer() -> list[str]:
    rows = tuples_of(
        MemberCard.select(MemberCard.customer, fn.COUNT(MemberCard.id))
        .where(MemberCard.status.in_(CURRENT_STATUSES))
        .group_by(MemberCard.customer)
        .having(fn.COUNT(MemberCard.id) > 1)
    )
    return [
        _("Customer {id} holds {n} current member cards").format(id=customer, n=count)
        for customer, count in rows
    ]
