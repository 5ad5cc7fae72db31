"""What every part of the demo shares: the moment it runs, the desk's people, a random source
per part, and the bulk writes it builds its rows for (rows are made in memory and sent in
bulk, as an import does; single-row queries in loops made a demo of office size take minutes).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from csoffice.auth import Role
from csoffice.db.models import Staff

Progress = Callable[[int, int], None]


@dataclass
class Desk:
    """The demo's office: ``now`` is the moment the demo runs (nothing is dated after it)."""

    manager: Staff
    now: dt.datetime
    months: int
    seed: int
    clerks: list[Staff] = field(default_factory=list)

    @property
    def today(self) -> dt.date:
        return self.now.date()

    @property
    def start(self) -> dt.date:
        """The first day of the demo months."""
        return self.today - dt.timedelta(days=max(1, self.months) * 30)

    @property
    def days(self) -> int:
        return (self.today - self.start).days + 1

    def rng(self, part: str) -> random.Random:
        """Each part draws from its own source, so a change in one leaves the others' data."""
        return random.Random(f"{part}-{self.seed}")

    def load_staff(self) -> None:
        self.clerks = list(
            Staff.select().where(Staff.role == Role.CLERK, Staff.active == True).order_by(Staff.id)
        ) or [self.manager]

    @property
    def clerk_ids(self) -> list[int]:
        return [clerk.id for clerk in self.clerks]

    def staff(self, staff_id: int) -> Staff:
        """The clerk (or the manager) with this id."""
        for person in (*self.clerks, self.manager):
            if person.id == staff_id:
                return person
        return Staff.get_by_id(staff_id)


def moment(rng: random.Random, day: dt.date, latest: dt.datetime) -> dt.datetime:
    """A time in office hours on ``day``, never after ``latest``."""
    at = dt.datetime.combine(day, dt.time(9)) + dt.timedelta(minutes=rng.randrange(0, 540))
    return min(at, latest)
