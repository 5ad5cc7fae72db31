"""Realistic demo data, deterministic for a seed: staff, customers and their service events.

Each feature adds its part in a module here; ``run_demo`` calls them in order.
"""

from __future__ import annotations

import random

from csoffice.db.models import Staff
from csoffice.demo import answers as demo_answers
from csoffice.demo import appraisal as demo_appraisal
from csoffice.demo import complaints as demo_complaints
from csoffice.demo import customers as demo_customers
from csoffice.demo import members as demo_members
from csoffice.demo import receptions as demo_receptions
from csoffice.demo import reports as demo_reports
from csoffice.demo import staff as demo_staff
from csoffice.demo import visits as demo_visits
from csoffice.i18n import _


def run_demo(actor: Staff, customers: int = 300, months: int = 6, seed: int = 1) -> dict[str, int]:
    """Fill the database; returns a label → count summary of what was created."""
    rng = random.Random(seed)
    summary: dict[str, int] = {}
    team = demo_staff.create(actor)
    summary[_("Staff")] = len(team)
    made = demo_customers.create(actor, rng, count=customers, months=months, seed=seed)
    summary[_("Customers")] = made.customers
    summary[_("Service events")] = made.events
    summary[_("Receptions")] = demo_receptions.create(
        actor, random.Random(f"receptions-{seed}"), months=months
    )
    summary[_("Complaints")] = demo_complaints.create(
        actor, random.Random(f"complaints-{seed}"), months=months
    )
    made_visits = demo_visits.create(actor, random.Random(f"visits-{seed}"), months=months)
    summary[_("Return visits")] = made_visits.visits
    summary[_("Return visits done")] = made_visits.done
    made_members = demo_members.create(actor, random.Random(f"members-{seed}"), months=months)
    summary[_("Member cards")] = made_members.cards
    summary[_("Points entries")] = made_members.entries
    summary[_("Gift redemptions")] = made_members.redemptions
    summary[_("Appraisal months")] = demo_appraisal.create(
        actor, random.Random(f"appraisal-{seed}"), months=months
    )
    summary[_("Report notes")] = demo_reports.create(
        actor, random.Random(f"reports-{seed}"), months=months
    )
    summary[_("Answer library")] = demo_answers.create(actor, random.Random(f"answers-{seed}"))
    return summary
