"""Realistic demo data, deterministic for a seed: staff, customers and their service events.

Each feature adds its part in a module here; ``run_demo`` calls them in order. The parts build
their rows in memory and write them in bulk; every query that feeds them is ordered, so a seed
gives the same data on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from csoffice.db import bulk, contacts
from csoffice.db.database import db
from csoffice.db.models import Staff, now
from csoffice.demo import answers as demo_answers
from csoffice.demo import appraisal as demo_appraisal
from csoffice.demo import complaints as demo_complaints
from csoffice.demo import customers as demo_customers
from csoffice.demo import members as demo_members
from csoffice.demo import paper_files as demo_paper_files
from csoffice.demo import receptions as demo_receptions
from csoffice.demo import reports as demo_reports
from csoffice.demo import staff as demo_staff
from csoffice.demo import visits as demo_visits
from csoffice.demo.desk import Desk, Progress
from csoffice.i18n import _

# The parts after the customers, with their share of the work (for the progress bar).
_STEPS = 8


@dataclass
class DemoResult:
    """What the demo made (label → count) and who can sign in."""

    summary: dict[str, int] = field(default_factory=dict)
    sign_in: list[demo_staff.Account] = field(default_factory=list)


def run_demo(
    actor: Staff,
    customers: int = 300,
    months: int = 6,
    seed: int = 1,
    at: dt.datetime | None = None,
    progress: Progress | None = None,
) -> DemoResult:
    """Fill the database as of ``at`` (default: now; nothing is dated after it)."""
    desk = Desk(manager=actor, now=(at or now()).replace(microsecond=0), months=months, seed=seed)
    total = customers + _STEPS * max(1, customers // 20)
    step = max(1, customers // 20)

    def advance(done: int) -> None:
        if progress is not None:
            progress(min(total, customers + done * step), total)

    # All or nothing: a demo stopped half-way (Ctrl+C) leaves the database as it was.
    with bulk.load_transaction(), contacts.set_aside(db.obj):
        result = _fill(desk, customers, total, advance, progress)
    return result


def _fill(
    desk: Desk,
    customers: int,
    total: int,
    advance: Callable[[int], None],
    progress: Progress | None,
) -> DemoResult:
    result = DemoResult()
    summary = result.summary
    result.sign_in = demo_staff.create(desk)
    desk.load_staff()
    summary[_("Staff")] = len(result.sign_in)
    made = demo_customers.create(
        desk,
        count=customers,
        progress=(lambda done, _n: progress(done, total)) if progress else None,
    )
    summary[_("Customers")] = made.customers
    summary[_("Service events")] = made.events
    summary[_("Papers handed in")] = demo_paper_files.create(desk)
    advance(1)
    everyone = demo_receptions.people()
    receptions = demo_receptions.create(desk, everyone)
    summary[_("Receptions")] = len(receptions)
    advance(2)
    summary[_("Complaints")] = demo_complaints.create(desk, receptions, everyone)
    advance(3)
    made_visits = demo_visits.create(desk)
    summary[_("Return visits")] = made_visits.visits
    summary[_("Return visits done")] = made_visits.done
    advance(5)
    made_members = demo_members.create(desk)
    summary[_("Member cards")] = made_members.cards
    summary[_("Points entries")] = made_members.entries
    summary[_("Gift redemptions")] = made_members.redemptions
    advance(6)
    summary[_("Appraisal months")] = demo_appraisal.create(desk)
    advance(7)
    summary[_("Report notes")] = demo_reports.create(desk)
    summary[_("Answer library")] = demo_answers.create(
        desk.manager, random.Random(f"answers-{desk.seed}")
    )
    advance(_STEPS)
    return result
