"""Care for every customer (客户关怀): birthdays of every customer in the greeting window (not
only card holders), festival greetings as a worklist from the holiday calendar, letters by mail
merge (one PDF of letters and an A4 sheet of address labels) and an SMS list for the office's
gateway. Every greeting sent is logged on the customer's history (Greeting); a batch run twice
greets nobody twice.
"""

from __future__ import annotations

import csv
import datetime as dt
import string
from dataclasses import dataclass
from pathlib import Path

import chinese_calendar
from peewee import fn

from csoffice import audit, auth, changes, settings
from csoffice.changes import Change
from csoffice.db.database import db
from csoffice.db.lookup import tuples_of
from csoffice.db.models import Customer, Greeting, Staff, now
from csoffice.errors import ValidationError
from csoffice.files import partial_file, write_atomically
from csoffice.i18n import N_, _, format_date
from csoffice.members import birthday_condition, birthday_window, next_birthday
from csoffice.printing.letters import Letter, labels_pdf, letters_pdf
from csoffice.validation import mask_phone

# The festivals the office greets for, by chinese-calendar's holiday; the greeting's occasion
# is the first day of the holiday (sent before the office closes for it).
FESTIVALS = {
    "new_years_day": N_("New Year's Day"),
    "spring_festival": N_("Spring Festival"),
    "dragon_boat_festival": N_("Dragon Boat Festival"),
    "mid_autumn_festival": N_("Mid-Autumn Festival"),
    "national_day": N_("National Day"),
}
# Fixed solar dates, for a year the library does not know yet.
_FIXED = {"new_years_day": (1, 1), "national_day": (10, 1)}

FIELDS = {
    "name": N_("Customer's name"),
    "salutation": N_("Mr / Ms"),
    "company": N_("Company"),
    "address": N_("Address"),
    "occasion": N_("Occasion"),
    "date": N_("Date of the occasion"),
    "office": N_("Office name"),
    "office_phone": N_("Office phone"),
}
_CHUNK = 500


@dataclass(frozen=True)
class Festival:
    code: str
    day: dt.date

    @property
    def label(self) -> str:
        return _(FESTIVALS[self.code])


def festivals(year: int) -> list[Festival]:
    """The year's festivals the office greets for, in date order (lunar ones only where the
    holiday calendar knows the year)."""
    found: dict[str, dt.date] = {}
    try:
        holidays = chinese_calendar.get_holidays(dt.date(year, 1, 1), dt.date(year, 12, 31))
        for day in holidays:
            _is_holiday, name = chinese_calendar.get_holiday_detail(day)
            for code in FESTIVALS:
                if name == getattr(chinese_calendar.Holiday, code).value and code not in found:
                    found[code] = day
    except NotImplementedError:
        for code, (month, day) in _FIXED.items():
            found[code] = dt.date(year, month, day)
    return sorted((Festival(code, day) for code, day in found.items()), key=lambda f: f.day)


def upcoming_festival(today: dt.date, within_days: int = 30) -> Festival | None:
    """The next festival in the coming weeks (None when there is none)."""
    return next(iter(festivals_ahead(today, within_days)), None)


def festivals_ahead(today: dt.date, within_days: int) -> list[Festival]:
    """The festivals from ``today`` to ``within_days`` ahead, soonest first."""
    last = today + dt.timedelta(days=within_days)
    return [
        festival
        for festival in festivals(today.year) + festivals(today.year + 1)
        if today <= festival.day <= last
    ]


def festival_owed(festival: Festival) -> int:
    """How many active customers have not been greeted for ``festival`` yet."""
    active = Customer.select().where(Customer.status == "active").count()
    greeted = (
        Greeting.select(fn.COUNT(Greeting.customer.distinct()))
        .join(Customer, on=(Greeting.customer == Customer.id))
        .where(
            Greeting.kind == "festival",
            Greeting.occasion_on == festival.day,
            Customer.status == "active",
        )
        .scalar()
    )
    return active - int(greeted or 0)


# --- Who is owed a greeting --------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    """A customer owed a greeting for ``occasion_on``."""

    customer_id: int
    name: str
    mobile: str
    occasion_on: dt.date
    greeted: bool


def _greeted(kind: str, pairs: list[tuple[int, dt.date]]) -> set[tuple[int, dt.date]]:
    found: set[tuple[int, dt.date]] = set()
    ids = sorted({c for c, _d in pairs})
    for start in range(0, len(ids), _CHUNK):
        query = Greeting.select(Greeting.customer, Greeting.occasion_on).where(
            Greeting.customer.in_(ids[start : start + _CHUNK]), Greeting.kind == kind
        )
        found.update(tuples_of(query))
    return found


def birthdays(today: dt.date | None = None) -> list[Recipient]:
    """Every active customer with a birthday in the greeting window ("members.birthday_first_day"
    to "members.birthday_last_day" days ahead, 2–7 by default), card holder or not, soonest
    first; 29 February is greeted on the 28th in other years."""
    today = today or dt.date.today()
    first, last = birthday_window()
    condition = birthday_condition(today)
    if condition is None:
        return []
    rows = tuples_of(
        Customer.select(Customer.id, Customer.name, Customer.mobile, Customer.birthday).where(
            Customer.status == "active", Customer.birthday.is_null(False), condition
        )
    )
    found = [(c, n, m, next_birthday(b, today)) for c, n, m, b in rows]
    found = [f for f in found if first <= (f[3] - today).days <= last]
    greeted = _greeted("birthday", [(f[0], f[3]) for f in found])
    found.sort(key=lambda f: (f[3], f[0]))
    return [Recipient(c, n, m, on, (c, on) in greeted) for c, n, m, on in found]


def festival_recipients(festival: Festival, customer_class: str = "") -> list[Recipient]:
    """Every active customer (of ``customer_class`` when given) for the festival's greeting."""
    query = Customer.select(Customer.id, Customer.name, Customer.mobile).where(
        Customer.status == "active"
    )
    if customer_class:
        query = query.where(Customer.customer_class == customer_class)
    rows = list(tuples_of(query.order_by(Customer.id)))
    greeted = _greeted("festival", [(c, festival.day) for c, _n, _m in rows])
    return [Recipient(c, n, m, festival.day, (c, festival.day) in greeted) for c, n, m in rows]


# --- Templates --------------------------------------------------------------------------------


def template_fields(template: str) -> list[str]:
    """The fields a template names ({name}, {occasion} …); ValidationError naming an unknown
    field, or a brace that does not close."""
    try:
        names = [name for _text, name, _spec, _conv in string.Formatter().parse(template) if name]
    except ValueError:
        raise ValidationError.single(
            "template", _("A brace is not closed: write fields like {name}.")
        ) from None
    unknown = [n for n in names if n not in FIELDS]
    if unknown:
        raise ValidationError.single(
            "template",
            _(
                "The template names a field that does not exist: {{{field}}}. Known: {known}."
            ).format(field=unknown[0], known="、".join(f"{{{k}}}" for k in FIELDS)),
        )
    if not template.strip():
        raise ValidationError.single("template", _("Write the text of the greeting."))
    return names


def _salutation(gender: str) -> str:
    return {"M": _("Mr"), "F": _("Ms")}.get(gender, "")


def fill(template: str, customer: Customer, occasion: str, occasion_on: dt.date) -> str:
    office = settings.office()
    values = {
        "name": customer.name,
        "salutation": _salutation(customer.gender),
        "company": customer.company,
        "address": customer.address,
        "occasion": occasion,
        "date": format_date(occasion_on),
        "office": office.display_name,
        "office_phone": office.phone,
    }
    return template.format(**values)


# --- Sending: letters, labels, SMS list ---------------------------------------------------------


@dataclass(frozen=True)
class Batch:
    """What a greeting run did."""

    sent: int  # greetings logged now
    already: int  # left out: greeted for this occasion before
    no_address: int  # left out: letters need an address
    no_mobile: int  # left out: texts need a valid mobile
    path: Path | None


def _customers(ids: list[int]) -> dict[int, Customer]:
    found = {}
    for start in range(0, len(ids), _CHUNK):
        for row in Customer.select().where(Customer.id.in_(ids[start : start + _CHUNK])):
            found[row.id] = row
    return found


def _log(actor: Staff, rows: list[tuple[int, str]], kind: str, on: dt.date, channel: str) -> None:
    stamp = now()
    values = [
        dict(
            customer=customer_id,
            kind=kind,
            occasion_on=on,
            channel=channel,
            content=text[:1000],
            bonus_points=0,
            created_at=stamp,
            updated_at=stamp,
            created_by=actor.id,
            updated_by=actor.id,
        )
        for customer_id, text in rows
    ]
    for start in range(0, len(values), _CHUNK):
        Greeting.insert_many(values[start : start + _CHUNK]).execute()


def _valid_mobile(number: str) -> bool:
    digits = "".join(ch for ch in number or "" if ch.isdigit())
    return len(digits) == 11 and digits.startswith("1") and digits[1] in "3456789"


def send(
    actor: Staff,
    recipients: list[Recipient],
    kind: str,
    occasion: str,
    template: str,
    channel: str,
    out: Path,
    labels: Path | None = None,
) -> Batch:
    """Greet ``recipients`` not greeted for their occasion yet: ``channel`` "letter" writes the
    letters PDF at ``out`` (and the label sheet at ``labels``), "sms" the CSV (phone, text) at
    ``out``; each greeting sent is logged, in one transaction."""
    auth.require(actor, "edit")
    if kind not in ("birthday", "festival"):
        raise ValidationError.single("kind", _("Choose what the greeting is for."))
    if channel not in ("letter", "sms"):
        raise ValidationError.single("channel", _("Choose how the greeting is sent."))
    template_fields(template)
    customers = _customers([r.customer_id for r in recipients])
    with db.atomic():
        # Read again inside the transaction: a second desk's run may have greeted some.
        greeted = _greeted(kind, [(r.customer_id, r.occasion_on) for r in recipients])
        todo = [r for r in recipients if (r.customer_id, r.occasion_on) not in greeted]
        already = len(recipients) - len(todo)
        no_address = no_mobile = 0
        logged: list[tuple[int, dt.date, str]] = []
        letters: list[Letter] = []
        lines: list[tuple[str, str]] = []
        for r in todo:
            customer = customers.get(r.customer_id)
            if customer is None:
                continue
            text = fill(template, customer, occasion, r.occasion_on)
            if channel == "letter":
                if not customer.address.strip():
                    no_address += 1
                    continue
                letters.append(Letter(customer.name, customer.address, text))
            else:
                if not _valid_mobile(customer.mobile):
                    no_mobile += 1
                    continue
                lines.append((customer.mobile, text))
            logged.append((r.customer_id, r.occasion_on, text))
        out = Path(out)
        if channel == "letter":
            write_atomically(out, letters_pdf(letters, settings.office()))
            if labels is not None:
                write_atomically(Path(labels), labels_pdf(letters))
        else:
            with (
                partial_file(out) as partial,
                partial.open("w", encoding="gb18030", newline="") as handle,
            ):
                writer = csv.writer(handle)
                writer.writerow([_("Phone"), _("Text")])
                writer.writerows(lines)
        by_day: dict[dt.date, list[tuple[int, str]]] = {}
        for customer_id, on, text in logged:
            by_day.setdefault(on, []).append((customer_id, text))
        gateway = "card" if channel == "letter" else "sms"
        for on, rows in by_day.items():
            _log(actor, rows, kind, on, gateway)
        audit.record(
            actor,
            "greet",
            "greeting",
            None,
            summary=_("{occasion}: {sent} greetings ({channel})").format(
                occasion=occasion, sent=len(logged), channel=channel
            ),
        )
    if logged:
        changes.emit(Change.GREETING)
    return Batch(len(logged), already, no_address, no_mobile, out)


def preview_lines(recipients: list[Recipient], limit: int = 200) -> list[tuple[str, str, str]]:
    """(name, masked mobile, occasion date) of the first recipients, for the worklist."""
    return [
        (r.name, mask_phone(r.mobile), format_date(r.occasion_on, "short"))
        for r in recipients[:limit]
    ]
