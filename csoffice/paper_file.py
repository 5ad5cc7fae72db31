"""The customer's paper file (客户档案资料): the office's checklist of papers, the hand-in deadline
in working days after the delivery or handover, and the files still incomplete.

The checklist is the office setting "papers.checklist": its papers (each with a code, an
optional own name, and whether a complete file needs it), the service event that starts the
clock and the working days allowed. Presets give a car dealer's 14 papers (sales staff hand
them in within 2 working days of delivery), a property handover, or a plain service desk.
Who answers for a file is the customer's responsible staff member, else whoever entered the
delivery.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from peewee import Value, fn

from csoffice import audit, settings
from csoffice.changes import Change
from csoffice.db.database import db, emit_after_commit
from csoffice.db.lookup import tuples_of
from csoffice.db.models import Customer, CustomerDocument, ServiceEvent, Staff
from csoffice.errors import NotFound, ValidationError
from csoffice.i18n import N_, _, format_date
from csoffice.permissions import require
from csoffice.service_events import SERVICE_KINDS
from csoffice.validation import clean_text
from csoffice.workdays import Calendar, calendar

# Every paper a preset may hold; an office's own papers carry their own name.
PAPER_LABELS = {
    # the plain service desk (the first release's five papers)
    "contract": N_("Contract"),
    "id_copy": N_("ID copy"),
    "invoice": N_("Invoice"),
    "insurance": N_("Insurance slip"),
    "delivery": N_("Delivery note"),
    # a car dealer's file (7DC 客户档案管理)
    "purchase_contract": N_("Car purchase contract"),
    "accessory_contract": N_("Accessories purchase contract"),
    "customer_id": N_("Customer's ID card (or business licence / organisation code)"),
    "residence_permit": N_("Temporary residence permit"),
    "vehicle_certificate": N_("Vehicle certificate of conformity"),
    "vehicle_invoice": N_("Vehicle sales invoice (or VAT invoice)"),
    "purchase_tax_cert": N_("Vehicle purchase tax certificate"),
    "purchase_tax_receipt": N_("Vehicle purchase tax receipt"),
    "licence_receipt": N_("Driving licence agency receipt"),
    "insurance_policy": N_("Insurance policy"),
    "policy_invoice": N_("Insurance premium invoice"),
    "pickup_confirmation": N_("Vehicle pick-up confirmation"),
    "outbound_slip": N_("Sales invoicing and outbound slip"),
    "club_form": N_("Customer club membership form"),
    # a property handover (交房)
    "sale_contract": N_("House purchase contract"),
    "owner_id": N_("Owner's ID card"),
    "handover_notice": N_("Handover notice"),
    "handover_confirmation": N_("Handover confirmation"),
    "inspection_form": N_("House inspection form"),
    "key_receipt": N_("Key receipt"),
    "service_agreement": N_("Preliminary property service agreement"),
    "management_rules": N_("Provisional management rules, signed"),
    "renovation_pledge": N_("Renovation pledge"),
    "meter_reading": N_("Water, power and gas meter readings"),
    "owner_register": N_("Owner registration form"),
}

# (code, required): papers not every customer has (a residence permit, an accessories
# contract, a renovation pledge) do not keep a file from being complete.
PRESETS: dict[str, dict[str, Any]] = {
    "service": {
        "label": N_("Plain service desk"),
        "papers": [
            ("contract", True),
            ("id_copy", True),
            ("invoice", True),
            ("insurance", False),
            ("delivery", True),
        ],
        "event": "delivery",
        "days": 2,
    },
    "dealer": {
        "label": N_("Car dealer (14 papers)"),
        "papers": [
            ("purchase_contract", True),
            ("accessory_contract", False),
            ("customer_id", True),
            ("residence_permit", False),
            ("vehicle_certificate", True),
            ("vehicle_invoice", True),
            ("purchase_tax_cert", True),
            ("purchase_tax_receipt", True),
            ("licence_receipt", True),
            ("insurance_policy", True),
            ("policy_invoice", True),
            ("pickup_confirmation", True),
            ("outbound_slip", True),
            ("club_form", True),
        ],
        "event": "delivery",
        "days": 2,
    },
    "property": {
        "label": N_("Property handover"),
        "papers": [
            ("sale_contract", True),
            ("owner_id", True),
            ("handover_notice", True),
            ("handover_confirmation", True),
            ("inspection_form", True),
            ("key_receipt", True),
            ("service_agreement", True),
            ("management_rules", True),
            ("renovation_pledge", False),
            ("meter_reading", True),
            ("owner_register", True),
        ],
        "event": "handover",
        "days": 2,
    },
}
MAX_PAPERS = 40
MAX_DAYS = 30
# After a repair, the after-sales front desk hands its papers (repair order, settlement) to the
# service desk within one working day (DOMAIN.md §8); "repair_days" in the checklist setting.
REPAIR_DAYS = 1
NAME_MAX = 60
# A file is watched for three months after its delivery: late enough for any hand-in to be
# chased, and an office upgrading from a release without a checklist is not flooded with
# every file of the year.
WATCH_DAYS = 92


def preset(code: str) -> dict[str, Any]:
    """A preset as the setting stores it."""
    found = PRESETS[code]
    return {
        "preset": code,
        "papers": [{"code": c, "name": "", "required": r} for c, r in found["papers"]],
        "event": found["event"],
        "days": found["days"],
    }


def preset_label(code: str) -> str:
    if code not in PRESETS:
        return _("The office's own list")
    name = PRESETS[code]["label"]
    return _(name)


@dataclass(frozen=True)
class Paper:
    code: str
    name: str  # the office's own name; "" uses the built-in label
    required: bool

    @property
    def label(self) -> str:
        if self.name:
            return self.name
        return _(PAPER_LABELS[self.code]) if self.code in PAPER_LABELS else self.code


@dataclass(frozen=True)
class Checklist:
    preset: str
    papers: tuple[Paper, ...]
    event: str  # the service event kind that starts the hand-in clock
    days: int  # working days allowed after it
    repair_days: int = 1  # working days for a repair's papers (0: not followed)

    def label(self, code: str) -> str:
        for paper in self.papers:
            if paper.code == code:
                return paper.label
        if code == "other":
            return _("Other document")
        return _(PAPER_LABELS[code]) if code in PAPER_LABELS else code

    @property
    def required_codes(self) -> list[str]:
        return [p.code for p in self.papers if p.required]


def check(raw: Any) -> dict[str, Any]:
    """The checklist setting from what the manager typed; ValidationError by field ("papers",
    "papers.<index>", "event", "days", "repair_days")."""
    errors: dict[str, str] = {}
    if not isinstance(raw, dict):
        raise ValidationError.single("papers", _("This checklist is not readable."))
    listed = raw.get("papers")
    papers: list[Any] = listed if isinstance(listed, list) else []
    clean: list[dict[str, Any]] = []
    seen_codes: set[str] = set()
    seen_names: dict[str, int] = {}
    given = {str(item.get("code") or "") for item in papers if isinstance(item, dict)}
    for index, item in enumerate(papers):
        item = item if isinstance(item, dict) else {}
        name = clean_text(str(item.get("name") or ""))
        code = str(item.get("code") or "").strip()
        if not code and not name:
            continue  # an empty line
        if len(name) > NAME_MAX:
            errors[f"papers.{index}"] = _("At most {n} characters.").format(n=NAME_MAX)
        label = name or (_(PAPER_LABELS[code]) if code in PAPER_LABELS else "")
        if not label:
            errors[f"papers.{index}"] = _("Give the paper a name.")
        if label in seen_names:
            errors[f"papers.{index}"] = _("“{name}” is on the list twice.").format(name=label)
        seen_names[label] = index
        if not code or code in seen_codes:
            number = len(clean) + 1
            code = f"paper{number}"
            while code in seen_codes or code in given or code in PAPER_LABELS:
                number += 1
                code = f"paper{number}"
        seen_codes.add(code)
        clean.append({"code": code, "name": name, "required": bool(item.get("required", True))})
    if not clean:
        errors["papers"] = _("The checklist needs at least one paper.")
    elif len(clean) > MAX_PAPERS:
        errors["papers"] = _("At most {n} papers.").format(n=MAX_PAPERS)
    elif not any(p["required"] for p in clean):
        errors["papers"] = _("Mark at least one paper a complete file needs.")
    event = str(raw.get("event") or "")
    if event not in SERVICE_KINDS:
        errors["event"] = _("Choose the event that starts the hand-in time.")
    try:
        days = int(raw.get("days", ""))
        if not 0 <= days <= MAX_DAYS:
            raise ValueError
    except (TypeError, ValueError):
        errors["days"] = _("Enter 0 to {n} working days.").format(n=MAX_DAYS)
        days = 0
    try:
        repair_days = int(raw.get("repair_days", REPAIR_DAYS))
        if not 0 <= repair_days <= MAX_DAYS:
            raise ValueError
    except (TypeError, ValueError):
        errors["repair_days"] = _("Enter 0 to {n} working days.").format(n=MAX_DAYS)
        repair_days = 0
    if errors:
        raise ValidationError(errors)
    code = str(raw.get("preset") or "")
    return {
        "preset": code if code in PRESETS else "",
        "papers": clean,
        "event": event,
        "days": days,
        "repair_days": repair_days,
    }


def checklist() -> Checklist:
    """The office's checklist (the plain service desk's when the setting is unreadable)."""
    try:
        value = check(settings.get("papers.checklist"))
    except ValidationError:
        value = preset("service")
    return Checklist(
        preset=value["preset"],
        papers=tuple(Paper(p["code"], p["name"], p["required"]) for p in value["papers"]),
        event=value["event"],
        days=value["days"],
        repair_days=value["repair_days"],
    )


def doc_types() -> dict[str, str]:
    """The document types a scan may be filed under: the checklist's papers and "other"."""
    office = checklist()
    return {p.code: p.label for p in office.papers} | {"other": _("Other document")}


# --- A file's state ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FileState:
    """Where a customer's paper file stands against the deadline."""

    customer_id: int
    event_date: dt.date | None  # the delivery (or handover) that started the clock
    deadline: dt.date | None
    received: dict[str, dt.date]  # code → the day it was received
    missing: list[str]  # required papers not received (codes)
    late: list[str]  # required papers received after the deadline (codes)

    @property
    def complete(self) -> bool:
        return not self.missing

    def overdue_days(self, today: dt.date, office: Calendar | None = None) -> int:
        """Working days past the deadline while papers are missing (0: not late)."""
        if self.deadline is None or not self.missing or today <= self.deadline:
            return 0
        return (office or calendar()).workdays_between(self.deadline, today)


def _received(customer_ids: list[int]) -> dict[int, dict[str, dt.date]]:
    found: dict[int, dict[str, dt.date]] = {}
    for start in range(0, len(customer_ids), 500):
        chunk = customer_ids[start : start + 500]
        rows = CustomerDocument.select(
            CustomerDocument.customer, CustomerDocument.doc_type, CustomerDocument.received_on
        ).where(CustomerDocument.customer.in_(chunk), CustomerDocument.received == True)
        for customer_id, code, on in tuples_of(rows):
            found.setdefault(customer_id, {})[code] = on or dt.date.min
    return found


def _state(
    office: Checklist,
    customer_id: int,
    event_date: dt.date | None,
    got: dict[str, dt.date],
    days: Calendar | None = None,
) -> FileState:
    days = days or calendar()
    deadline = days.add_workdays(event_date, office.days) if event_date else None
    required = office.required_codes
    missing = [c for c in required if c not in got]
    late = [c for c in required if c in got and deadline and got[c] > deadline]
    return FileState(customer_id, event_date, deadline, dict(got), missing, late)


def file_state(customer_id: int) -> FileState:
    """The customer's file: the latest delivery (or the office's event), its deadline, what
    came in and what is missing."""
    office = checklist()
    event = (
        ServiceEvent.select(ServiceEvent.date)
        .where(
            ServiceEvent.customer == customer_id,
            ServiceEvent.kind == office.event,
            ServiceEvent.status == "active",
        )
        .order_by(ServiceEvent.date.desc())
        .first()
    )
    got = _received([customer_id]).get(customer_id, {})
    return _state(office, customer_id, event.date if event else None, got)


@dataclass(frozen=True)
class IncompleteFile:
    """One line of the list of files still missing papers."""

    customer_id: int
    customer_name: str
    responsible_id: int | None
    responsible_name: str
    event_date: dt.date
    deadline: dt.date
    missing: list[str]  # labels
    overdue_days: int  # working days past the deadline (0: still in time)


def incomplete_files(
    today: dt.date | None = None, responsible_id: int | None = None
) -> list[IncompleteFile]:
    """Files whose delivery lies within the last three months and that still miss a required paper,
    by responsible staff member (name), then the most overdue first."""
    today = today or dt.date.today()
    office = checklist()
    Entered = Staff.alias()
    events = tuples_of(
        ServiceEvent.select(
            ServiceEvent.customer,
            ServiceEvent.date,
            ServiceEvent.created_by,
            Customer.name,
            Customer.responsible,
        )
        .join(Customer, on=(ServiceEvent.customer == Customer.id))
        .where(
            ServiceEvent.kind == office.event,
            ServiceEvent.status == "active",
            ServiceEvent.date >= today - dt.timedelta(days=WATCH_DAYS),
            ServiceEvent.date <= today,
            Customer.status == "active",
        )
    )
    latest: dict[int, tuple[dt.date, int | None, str, int | None]] = {}
    for customer_id, date, entered_by, name, responsible in events:
        if customer_id not in latest or date > latest[customer_id][0]:
            latest[customer_id] = (date, entered_by, name, responsible)
    got = _received(sorted(latest))
    names = dict(tuples_of(Entered.select(Entered.id, Entered.display_name)))
    days = calendar()
    found = []
    for customer_id, (date, entered_by, name, responsible) in latest.items():
        state = _state(office, customer_id, date, got.get(customer_id, {}), days)
        if state.complete or state.deadline is None:
            continue  # no deadline only without the event date, which every row here has
        owner = responsible or entered_by
        if responsible_id is not None and owner != responsible_id:
            continue
        found.append(
            IncompleteFile(
                customer_id=customer_id,
                customer_name=name,
                responsible_id=owner,
                responsible_name=names.get(owner, "") if owner else "",
                event_date=date,
                deadline=state.deadline,
                missing=[office.label(c) for c in state.missing],
                overdue_days=state.overdue_days(today, days),
            )
        )
    found.sort(key=lambda f: (f.responsible_name or "\uffff", -f.overdue_days, f.deadline))
    return found


def late_files(staff_id: int, first: dt.date, last: dt.date, today: dt.date) -> int:
    """Files the staff member answers for whose hand-in deadline fell between ``first`` and
    ``last``, before ``today``, and that were not complete by it (for the monthly appraisal)."""
    office = checklist()
    low = first - dt.timedelta(days=office.days * 3 + 31)
    events = tuples_of(
        ServiceEvent.select(
            ServiceEvent.customer, ServiceEvent.date, ServiceEvent.created_by, Customer.responsible
        )
        .join(Customer, on=(ServiceEvent.customer == Customer.id))
        .where(
            ServiceEvent.kind == office.event,
            ServiceEvent.status == "active",
            ServiceEvent.date >= low,
            ServiceEvent.date <= last,
            Customer.status == "active",
        )
    )
    mine = [
        (customer_id, date)
        for customer_id, date, entered_by, responsible in events
        if (responsible or entered_by) == staff_id
    ]
    got = _received(sorted({c for c, _d in mine}))
    days = calendar()
    count = 0
    for customer_id, date in mine:
        state = _state(office, customer_id, date, got.get(customer_id, {}), days)
        due = state.deadline
        if due and first <= due <= last and due < today and (state.missing or state.late):
            count += 1
    return count


# --- A repair's papers -----------------------------------------------------------------------

# A repair's hand-in is kept as a line of the customer's checklist named after the repair
# (CustomerDocument's one row per customer and type), so each repair has its own.
REPAIR_DOC_PREFIX = "repair@"
# Repairs are followed for a month: long enough to chase any hand-in, and an office upgrading
# is not flooded with every repair of the year.
REPAIR_WATCH_DAYS = 31


@dataclass(frozen=True)
class RepairHandIn:
    """A repair whose papers have not reached the service desk."""

    event_id: int
    customer_id: int
    customer_name: str
    responsible_name: str
    date: dt.date
    product: str
    handled_by: str  # the technician named on the repair
    deadline: dt.date
    overdue_days: int  # working days past the deadline (0: still in time)


def repair_doc_type(event_id: int) -> str:
    return f"{REPAIR_DOC_PREFIX}{event_id}"


def repairs_owed(
    today: dt.date | None = None, responsible_id: int | None = None
) -> list[RepairHandIn]:
    """Repairs of the last month, up to today, whose papers were not handed in; of the customers
    ``responsible_id`` answers for (else whoever entered the repair) when given; the most
    overdue first. Empty when the office does not follow repair papers (repair_days 0)."""
    today = today or dt.date.today()
    allowed = checklist().repair_days
    if not allowed:
        return []
    handed_in = CustomerDocument.select(CustomerDocument.id).where(
        CustomerDocument.customer == ServiceEvent.customer,
        CustomerDocument.received == True,
        CustomerDocument.doc_type == Value(REPAIR_DOC_PREFIX).concat(ServiceEvent.id.cast("TEXT")),
    )
    owner = fn.COALESCE(Customer.responsible, ServiceEvent.created_by)
    query = (
        ServiceEvent.select(
            ServiceEvent.id,
            ServiceEvent.customer,
            Customer.name,
            owner,
            ServiceEvent.date,
            ServiceEvent.product,
            ServiceEvent.handled_by,
        )
        .join(Customer, on=(ServiceEvent.customer == Customer.id))
        .where(
            ServiceEvent.kind == "repair",
            ServiceEvent.status == "active",
            ServiceEvent.date >= today - dt.timedelta(days=REPAIR_WATCH_DAYS),
            ServiceEvent.date <= today,
            Customer.status == "active",
            ~fn.EXISTS(handed_in),
        )
    )
    if responsible_id is not None:
        query = query.where(owner == responsible_id)
    rows = list(tuples_of(query))
    names = dict(tuples_of(Staff.select(Staff.id, Staff.display_name)))
    days = calendar()
    by_date: dict[dt.date, tuple[dt.date, int]] = {}  # many repairs share a day
    found = []
    for event_id, customer_id, name, owner_id, date, product, handled_by in rows:
        if date not in by_date:
            due = days.add_workdays(date, allowed)
            by_date[date] = (due, days.workdays_between(due, today) if today > due else 0)
        deadline, late = by_date[date]
        found.append(
            RepairHandIn(
                event_id,
                customer_id,
                name,
                names.get(owner_id, "") if owner_id else "",
                date,
                product,
                handled_by,
                deadline,
                late,
            )
        )
    found.sort(key=lambda r: (-r.overdue_days, r.deadline, r.event_id))
    return found


def receive_repair_papers(actor: Staff, event_id: int, on: dt.date | None = None) -> None:
    """The repair's papers reached the service desk ``on`` (today): its line of the customer's
    checklist is ticked with that day, audited, in one transaction."""
    require(actor, "edit")
    on = on or dt.date.today()
    event = ServiceEvent.get_or_none(ServiceEvent.id == event_id, ServiceEvent.kind == "repair")
    if event is None:
        raise NotFound(_("No such repair."))
    if on < event.date:
        raise ValidationError.single(
            "on",
            _("The papers cannot come in before the repair ({date}).").format(
                date=format_date(event.date)
            ),
        )
    doc_type = repair_doc_type(event_id)
    with db.atomic():
        row = CustomerDocument.get_or_none(
            CustomerDocument.customer == event.customer_id, CustomerDocument.doc_type == doc_type
        )
        if row is None:
            CustomerDocument.create(
                customer=event.customer_id,
                doc_type=doc_type,
                received=True,
                received_on=on,
                created_by=actor,
                updated_by=actor,
            )
        else:
            row.received, row.received_on, row.updated_by = True, on, actor
            row.save()
        audit.record(
            actor,
            "update",
            "customer",
            event.customer_id,
            summary=f"repair papers {event.date.isoformat()} received {on.isoformat()}",
        )
        emit_after_commit(Change.SERVICE_EVENT)
