"""The database's health: SQLite's own checks plus the desk's invariants.

Each invariant is a function returning a list of problems (empty when all is well); features
add theirs to INVARIANTS. ``python -m csoffice check`` runs them all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import cast

from csoffice.appraisal import settings_problems as appraisal_settings
from csoffice.churn import last_contacts_match
from csoffice.complaints import numbers_gap_free as complaint_numbers
from csoffice.db.database import db, is_sqlite
from csoffice.db.models import Complaint
from csoffice.i18n import N_, _
from csoffice.members import balances_match_ledger as member_balances
from csoffice.members import one_current_card_per_customer as member_cards
from csoffice.receptions import check_links as reception_links
from csoffice.reports import notes_name_real_periods as report_notes
from csoffice.visits import check_results as visit_results


def sqlite_integrity() -> list[str]:
    if not is_sqlite():
        return []
    problems = [
        row[0] for row in db.execute_sql("PRAGMA integrity_check").fetchall() if row[0] != "ok"
    ]
    for table, rowid, parent, _fk in db.execute_sql("PRAGMA foreign_key_check").fetchall():
        problems.append(
            _("{table} row {rowid} points to a missing {parent} row").format(
                table=table, rowid=rowid, parent=parent
            )
        )
    return problems


def schema_whole() -> list[str]:
    """Every table and column this version's models have (what a restore also demands)."""
    from csoffice.backup_file import schema_problems

    return [_("missing: {name}").format(name=name) for name in schema_problems(db.obj)]


def scans_present() -> list[str]:
    """Every stored scan can be opened here: on this PC or in the database."""
    from csoffice.attachments import local_path
    from csoffice.db.models import Attachment

    rows = cast(
        "Iterable[tuple[str, str]]",
        Attachment.select(Attachment.sha256, Attachment.filename).distinct().tuples(),
    )
    return [
        _("The scanned file {name} is missing").format(name=filename)
        for sha, filename in rows
        if not local_path(sha, filename).exists()
    ]


def complaints_have_first_responders() -> list[str]:
    missing = Complaint.select(Complaint.number).where(Complaint.receiver.is_null())
    return [
        _("Complaint {number} has no first responder").format(number=row.number) for row in missing
    ]


INVARIANTS: list[tuple[str, Callable[[], list[str]]]] = [
    (N_("Database integrity"), sqlite_integrity),
    (N_("Every table and column of this version is there"), schema_whole),
    (N_("Every scanned document can be opened"), scans_present),
    (N_("Every complaint has a first responder"), complaints_have_first_responders),
    (N_("Complaint numbers are unique and gap-free in each month"), complaint_numbers),
    (N_("Receptions point to their complaints; follow-ups have due dates"), reception_links),
    (N_("Every member card's balance equals its points ledger"), member_balances),
    (N_("No customer holds more than one current member card"), member_cards),
    (N_("The appraisal items, weights, shares and bands are usable"), appraisal_settings),
    (N_("Every return visit done has its time and satisfaction"), visit_results),
    (N_("The report notes belong to real weekly and monthly reports"), report_notes),
    (N_("Each customer's last contact agrees with the records"), last_contacts_match),
]


@dataclass
class CheckReport:
    """Each check's name and its problems."""

    results: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(not problems for _name, problems in self.results)


def run_checks() -> CheckReport:
    report = CheckReport()
    for name, check in INVARIANTS:
        report.results.append((_(name), check()))
    return report
