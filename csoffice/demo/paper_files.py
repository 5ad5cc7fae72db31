"""Demo paper files: a car dealer's checklist and the papers handed in after each delivery —
most files complete on time, some late, a few still missing papers. (Who looks after each
customer, the 管家 / 业务员 a late file is chased with, comes with the customer: demo/customers.py.)"""

from __future__ import annotations

import datetime as dt

import csoffice.demo.writer as writer
from csoffice import paper_file, settings
from csoffice.db.lookup import raw_rows
from csoffice.db.models import CustomerDocument, ServiceEvent
from csoffice.demo.desk import Desk
from csoffice.workdays import calendar


def create(desk: Desk) -> int:
    """Returns how many papers were handed in."""
    actor, today, rng = desk.manager, desk.today, desk.rng("papers")
    settings.put(actor, {"papers.checklist": paper_file.preset("dealer")})
    office = paper_file.checklist()
    # Each customer's file once (a demo run again leaves the files it made before).
    deliveries = (
        ServiceEvent.select(ServiceEvent.customer, ServiceEvent.date)
        .where(
            ServiceEvent.kind == office.event,
            ServiceEvent.status == "active",
            ServiceEvent.customer.not_in(CustomerDocument.select(CustomerDocument.customer)),
        )
        .order_by(ServiceEvent.id)
    )
    work = calendar()
    rows = []
    filed: set[int] = set()
    random, randint, actor_id = rng.random, rng.randint, actor.id
    papers = [(paper.code, paper.required) for paper in office.papers]
    deadlines: dict[dt.date, dt.date] = {}
    stamps: dict[dt.date, dt.datetime] = {}
    # 1.2 million papers for 100,000 customers: what repeats is worked out once.
    for customer_id, date in raw_rows(deliveries):
        if customer_id in filed:
            continue
        filed.add(customer_id)
        if isinstance(date, str):
            date = dt.date.fromisoformat(date)
        deadline = deadlines.get(date)
        if deadline is None:
            deadline = deadlines[date] = work.add_workdays(date, office.days)
        luck = random()
        for code, required in papers:
            if not required and random() < 0.7:
                continue
            if luck < 0.12 and random() < 0.3:
                continue  # still missing
            late = luck < 0.25 and random() < 0.2
            on = deadline + dt.timedelta(days=randint(1, 6)) if late else date
            if on > today:
                continue
            ticked = stamps.get(on)
            if ticked is None:
                ticked = stamps[on] = min(dt.datetime.combine(on, dt.time(17, 45)), desk.now)
            rows.append((customer_id, code, True, on, "", ticked, ticked, actor_id, actor_id))
    writer.insert(CustomerDocument, COLUMNS, rows)
    return len(rows)


COLUMNS = [
    "customer",
    "doc_type",
    "received",
    "received_on",
    "note",
    "created_at",
    "updated_at",
    "created_by",
    "updated_by",
]
