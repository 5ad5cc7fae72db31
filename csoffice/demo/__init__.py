"""Realistic demo data, deterministic for a seed: staff, customers and their service events.

Each feature adds its part in a module here; ``run_demo`` calls them in order.
"""

from __future__ import annotations

import random

from csoffice.db.models import Staff
from csoffice.demo import customers as demo_customers
from csoffice.demo import staff as demo_staff
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
    return summary
