"""Member cards and the club (会员卡): enrolment, the card's life, the points ledger, levels,
gifts, birthdays and member events.

The card's life is a state machine::

    active ──lost──▶ lost ──found──▶ active
    active|lost ──reissue──▶ replaced   (a new active card ``replaces`` it)
    active|lost ──cancel──▶ cancelled

The points balance is the sum of the card's ledger (PointsEntry); ``MemberCard.balance`` is
a cache written in the same transaction as every ledger row, and ``check`` verifies it.
Levels follow the points *earned* over the last 12 months (earnings, bonuses and manual
adjustments), never the balance, so redeeming a gift never demotes a member. Promotions
happen as soon as points are earned; demotions when a manual correction takes points back
and at a level review (``review_levels``), when old earnings leave the 12-month window.

The package, by responsibility (each module imports only those above it; callers use this
``__init__``, which keeps every public name; the print wrappers are in ``prints``)::

    codes      the code tables and their labels        values     cleaning typed input, audit stamps
    numbers    card numbers (prefix, counter, Luhn)    finding    a card by number or holder
    grading    levels and the 12-month grade           points     the ledger, lots, earning, expiry
    cards      enrolment and the card's life           gifts      the gift list and redemption
    ledger     the card panel's lazy lists             greetings  birthdays, greetings, the bonus
    events     member events and attendance            register   ``export members`` and ``check``
    faces      what the printed card and handover slip show
    prints     printing them (imported by those who print: it loads reportlab)

Every write tells ``csoffice.changes`` after its transaction: CARD (cards, points, levels,
member events), GIFT (the gift list; with CARD when points move), GREETING (with CARD when a
birthday bonus is given).
"""

from __future__ import annotations

from decimal import Decimal  # callers compute with members.Decimal

from csoffice.dates import add_months  # the demo and tests reach it as members.add_months
from csoffice.members.cards import (
    CardView,
    as_card,
    cancel,
    card_view,
    enrol,
    mark_found,
    reissue,
    report_lost,
)
from csoffice.members.codes import (
    CANCEL_POLICIES,
    CURRENT_STATUSES,
    EARNING_KINDS,
    ENTRY_KINDS,
    EVENT_KINDS,
    EVENT_STATUSES,
    GREETING_CHANNELS,
    GREETING_KINDS,
    STATUSES,
    entry_kind_label,
    event_kind_label,
    status_label,
)
from csoffice.members.events import (
    AttendanceRow,
    MemberEventRow,
    attendance_ids,
    attendance_rows,
    create_event,
    event_list_ids,
    event_list_rows,
    invite,
    invite_level,
    set_attendance,
    set_event_status,
)
from csoffice.members.faces import card_face, handover_slip
from csoffice.members.finding import current_card, find_card, latest_card
from csoffice.members.gifts import (
    GIFT_SORTS,
    GiftRow,
    as_redemption,
    create_gift,
    gift_ids,
    gift_rows,
    redeem,
    restock,
    update_gift,
    void_redemption,
)
from csoffice.members.grading import (
    DEFAULT_LEVELS,
    LevelRow,
    chain_ids,
    earned_points,
    ensure_levels,
    level_for,
    levels,
    review_levels,
    save_level,
)
from csoffice.members.greetings import (
    BirthdayRow,
    GreetingRow,
    birthday_condition,
    birthday_ids,
    birthday_rows,
    birthday_window,
    greeting_ids,
    greeting_rows,
    log_greeting,
    next_birthday,
)
from csoffice.members.ledger import (
    EventRow,
    LedgerRow,
    event_ids,
    event_rows,
    ledger_ids,
    ledger_rows,
)
from csoffice.members.numbers import CARD_COUNTER, card_no_is_valid, normalize_card_no
from csoffice.members.points import (
    adjust,
    earn,
    expire_points,
    ledger_balance,
    points_for,
    unspent_lots,
)
from csoffice.members.register import balances_match_ledger, export, one_current_card_per_customer
from csoffice.printing.member_card_data import CardFace, HandoverSlip

__all__ = [
    "CANCEL_POLICIES",
    "CARD_COUNTER",
    "CURRENT_STATUSES",
    "DEFAULT_LEVELS",
    "EARNING_KINDS",
    "ENTRY_KINDS",
    "EVENT_KINDS",
    "EVENT_STATUSES",
    "GIFT_SORTS",
    "GREETING_CHANNELS",
    "GREETING_KINDS",
    "STATUSES",
    "AttendanceRow",
    "BirthdayRow",
    "CardFace",
    "CardView",
    "Decimal",
    "EventRow",
    "GiftRow",
    "GreetingRow",
    "HandoverSlip",
    "LedgerRow",
    "LevelRow",
    "MemberEventRow",
    "add_months",
    "adjust",
    "as_card",
    "as_redemption",
    "attendance_ids",
    "attendance_rows",
    "balances_match_ledger",
    "birthday_condition",
    "birthday_ids",
    "birthday_rows",
    "birthday_window",
    "cancel",
    "card_face",
    "card_no_is_valid",
    "card_view",
    "chain_ids",
    "create_event",
    "create_gift",
    "current_card",
    "earn",
    "earned_points",
    "enrol",
    "ensure_levels",
    "entry_kind_label",
    "event_ids",
    "event_kind_label",
    "event_list_ids",
    "event_list_rows",
    "event_rows",
    "expire_points",
    "export",
    "find_card",
    "gift_ids",
    "gift_rows",
    "greeting_ids",
    "greeting_rows",
    "handover_slip",
    "invite",
    "invite_level",
    "latest_card",
    "ledger_balance",
    "ledger_ids",
    "ledger_rows",
    "level_for",
    "levels",
    "log_greeting",
    "mark_found",
    "next_birthday",
    "normalize_card_no",
    "one_current_card_per_customer",
    "points_for",
    "redeem",
    "reissue",
    "report_lost",
    "restock",
    "review_levels",
    "save_level",
    "set_attendance",
    "set_event_status",
    "status_label",
    "unspent_lots",
    "update_gift",
    "void_redemption",
]
