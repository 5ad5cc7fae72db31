"""Birthdays and greetings (生日问候): whose birthday is due, who greeted whom, the birthday bonus."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from peewee import JOIN

from csoffice import audit, auth, changes, settings
from csoffice.changes import Change
from csoffice.db.database import db
from csoffice.db.lookup import dicts_of, in_id_order, tuples_of
from csoffice.db.models import (
    Customer,
    Greeting,
    MemberCard,
    MemberLevel,
    Staff,
)
from csoffice.errors import Conflict, ValidationError
from csoffice.i18n import _
from csoffice.members.codes import CURRENT_STATUSES, GREETING_CHANNELS, GREETING_KINDS, _label
from csoffice.members.finding import _customer, _usable, current_card
from csoffice.members.grading import _regrade
from csoffice.members.points import _expiry_for, _post
from csoffice.members.values import _stamps, _when
from csoffice.validation import clean_text


@dataclass(frozen=True)
class BirthdayRow:
    customer_id: int
    name: str
    mobile: str
    birthday: dt.date
    next_birthday: dt.date
    days_ahead: int
    age: int
    card_no: str
    level_name: str
    greeted: bool


def birthday_window() -> tuple[int, int]:
    """How many days ahead birthdays are due for a greeting (from, to), from the settings."""
    first = int(settings.get("members.birthday_first_day") or 0)
    last = int(settings.get("members.birthday_last_day") or 0)
    first = max(0, min(first, 60))
    return first, max(first, min(last, 60))


def _next_birthday(birthday: dt.date, today: dt.date) -> dt.date:
    for year in (today.year, today.year + 1):
        day = min(birthday.day, calendar.monthrange(year, birthday.month)[1])
        candidate = dt.date(year, birthday.month, day)
        if candidate >= today:
            return candidate
    return candidate


def next_birthday(birthday: dt.date, today: dt.date) -> dt.date:
    """The birthday's next day on or after ``today`` (29 February: the 28th in other years)."""
    return _next_birthday(birthday, today)


def birthday_condition(today: dt.date, window: tuple[int, int] | None = None):
    """The condition on Customer.birthday for birthdays in the window (None: empty window)."""
    first, last = window or birthday_window()
    days = [today + dt.timedelta(days=n) for n in range(first, last + 1)]
    month_days = {(day.month, day.day) for day in days}
    for day in days:  # 29 February is celebrated on the 28th in other years
        if day.month == 2 and day.day == 28 and not calendar.isleap(day.year):
            month_days.add((2, 29))
    condition = None
    for month in sorted({m for m, _d in month_days}):
        part = (Customer.birthday.month == month) & Customer.birthday.day.in_(
            sorted(d for m, d in month_days if m == month)
        )
        condition = part if condition is None else (condition | part)
    return condition


def birthday_ids(today: dt.date | None = None, window: tuple[int, int] | None = None) -> list[int]:
    """Members (holding a current card) whose birthday falls in the window, soonest first."""
    today = today or dt.date.today()
    condition = birthday_condition(today, window)
    if condition is None:
        return []
    rows = tuples_of(
        Customer.select(Customer.id, Customer.birthday)
        .join(MemberCard, on=(MemberCard.customer == Customer.id))
        .where(
            MemberCard.status.in_(CURRENT_STATUSES),
            Customer.status == "active",
            Customer.birthday.is_null(False),
            condition,
        )
    )
    found = sorted(
        ((_next_birthday(birthday, today), customer_id) for customer_id, birthday in rows),
    )
    return [customer_id for _day, customer_id in found]


def birthday_rows(ids: list[int], today: dt.date | None = None) -> list[BirthdayRow]:
    if not ids:
        return []
    today = today or dt.date.today()
    query = (
        Customer.select(Customer, MemberCard.card_no, MemberLevel.name.alias("level_name"))
        .join(
            MemberCard,
            JOIN.LEFT_OUTER,  # every customer's birthday is greeted, card holder or not
            on=((MemberCard.customer == Customer.id) & (MemberCard.status.in_(CURRENT_STATUSES))),
        )
        .join(MemberLevel, JOIN.LEFT_OUTER, on=(MemberCard.level == MemberLevel.id))
        .where(Customer.id.in_(ids))
        .objects()
    )
    by_id = {}
    for row in query:
        if row.birthday is None:  # cleared since the list was read: no longer on it
            continue
        upcoming = _next_birthday(row.birthday, today)
        by_id[row.id] = (row, upcoming)
    greeted = set(
        tuples_of(
            Greeting.select(Greeting.customer, Greeting.occasion_on).where(
                Greeting.customer.in_(ids), Greeting.kind == "birthday"
            )
        )
    )
    out = []
    for customer_id in ids:
        if customer_id not in by_id:
            continue
        row, upcoming = by_id[customer_id]
        out.append(
            BirthdayRow(
                customer_id=row.id,
                name=row.name,
                mobile=row.mobile,
                birthday=row.birthday,
                next_birthday=upcoming,
                days_ahead=(upcoming - today).days,
                age=upcoming.year - row.birthday.year,
                card_no=row.card_no or "",
                level_name=row.level_name or "",
                greeted=(row.id, upcoming) in greeted,
            )
        )
    return out


def log_greeting(
    actor: Staff,
    customer_id: int,
    kind: str = "birthday",
    channel: str = "phone",
    content: str = "",
    occasion_on: dt.date | None = None,
    give_bonus: bool = False,
    at: dt.datetime | None = None,
) -> Greeting:
    """Record who greeted a member, how and with what; a birthday greeting may give the
    office's birthday bonus points (once per birthday) to the member's active card."""
    auth.require(actor, "edit")
    errors = {}
    if kind not in GREETING_KINDS:
        errors["kind"] = _("Choose what the greeting is for.")
    if channel not in GREETING_CHANNELS:
        errors["channel"] = _("Choose how the greeting was given.")
    content = clean_text(content, multiline=True)
    if not content:
        errors["content"] = _("Write what was said or sent.")
    elif len(content) > 1000:
        errors["content"] = _("At most {n} characters.").format(n=1000)
    if errors:
        raise ValidationError(errors)
    at = _when(at)
    with db.atomic():
        customer = _customer(customer_id)
        if kind == "birthday" and occasion_on is None and customer.birthday:
            occasion_on = _next_birthday(customer.birthday, at.date())
        bonus = 0
        if give_bonus:
            bonus = int(settings.get("members.birthday_bonus") or 0)
            if kind != "birthday" or bonus <= 0:
                raise ValidationError.single("bonus", _("Only a birthday greeting gives a bonus."))
            card = current_card(customer.id)
            if card is None:
                raise ValidationError.single("bonus", _("The customer holds no member card."))
            _usable(card)
            if (
                Greeting.select()
                .where(
                    Greeting.customer == customer.id,
                    Greeting.kind == "birthday",
                    Greeting.occasion_on == occasion_on,
                    Greeting.bonus_points > 0,
                )
                .exists()
            ):
                raise Conflict(_("The bonus for this birthday was given already."))
            _post(
                actor,
                card,
                "bonus",
                bonus,
                at,
                reason=_("Birthday bonus"),
                expires_on=_expiry_for(at),
            )
            _regrade(actor, card, at, allow_demote=False)
        greeting = Greeting.create(
            customer=customer,
            kind=kind,
            occasion_on=occasion_on,
            channel=channel,
            content=content,
            bonus_points=bonus,
            **_stamps(actor, at),
        )
        audit.record(
            actor,
            "create",
            "greeting",
            greeting.id,
            summary=f"{customer.name} {kind} {channel}" + (f" +{bonus}" if bonus else ""),
        )
    changes.emit(Change.GREETING, *([Change.CARD] if bonus else []))
    return greeting


@dataclass(frozen=True)
class GreetingRow:
    id: int
    at: dt.datetime
    customer_name: str
    kind_label: str
    channel_label: str
    content: str
    bonus_points: int
    staff_name: str


def greeting_ids(customer_id: int | None = None) -> list[int]:
    query = Greeting.select(Greeting.id).order_by(Greeting.created_at.desc(), Greeting.id.desc())
    if customer_id is not None:
        query = query.where(Greeting.customer == customer_id)
    return [row[0] for row in tuples_of(query)]


def greeting_rows(ids: list[int]) -> list[GreetingRow]:
    if not ids:
        return []
    query = (
        Greeting.select(Greeting, Customer.name, Staff.display_name)
        .join(Customer, on=(Greeting.customer == Customer.id))
        .switch(Greeting)
        .join(Staff, JOIN.LEFT_OUTER, on=(Greeting.created_by == Staff.id))
        .where(Greeting.id.in_(ids))
    )
    by_id = {
        row["id"]: GreetingRow(
            row["id"],
            row["created_at"],
            row["name"],
            _label(GREETING_KINDS, row["kind"]),
            _label(GREETING_CHANNELS, row["channel"]),
            row["content"],
            row["bonus_points"],
            row["display_name"] or "",
        )
        for row in dicts_of(query)
    }
    return in_id_order(ids, by_id)
