"""The member club's codes and their labels: card states, card steps, ledger movements,
greeting kinds and channels, event states.
"""

from __future__ import annotations

from csoffice.i18n import N_, _

STATUSES = {
    "active": N_("Active"),
    "lost": N_("Reported lost"),
    "replaced": N_("Replaced"),
    "cancelled": N_("Cancelled"),
}
CURRENT_STATUSES = ("active", "lost")  # a customer holds at most one such card

EVENT_KINDS = {
    "issued": N_("Issued"),
    "lost": N_("Reported lost"),
    "found": N_("Found"),
    "reissued": N_("Reissued"),
    "replaced": N_("Replaced by a new card"),
    "cancelled": N_("Cancelled"),
    "promoted": N_("Promoted"),
    "demoted": N_("Demoted"),
}

ENTRY_KINDS = {
    "earn": N_("Earned"),
    "bonus": N_("Bonus"),
    "adjust": N_("Adjustment"),
    "redeem": N_("Gift redeemed"),
    "redeem_void": N_("Redemption voided"),
    "expire": N_("Expired"),
    "transfer": N_("Transfer on reissue"),
    "forfeit": N_("Forfeited on cancelling"),
    "refund": N_("Refunded on cancelling"),
}
# The movements that count as "points earned" for levels; redeeming, expiry and transfers do not.
EARNING_KINDS = ("earn", "bonus", "adjust")

CANCEL_POLICIES = {"forfeit": N_("Forfeit the balance"), "refund": N_("Refund the balance")}
GREETING_KINDS = {
    "birthday": N_("Birthday"),
    "festival": N_("Festival"),
    "reminder": N_("Reminder"),
}
GREETING_CHANNELS = {
    "phone": N_("Phone call"),
    "sms": N_("Text message"),
    "wechat": N_("WeChat"),
    "card": N_("Greeting card"),
    "visit": N_("Visit"),
}
EVENT_STATUSES = {"planned": N_("Planned"), "held": N_("Held"), "cancelled": N_("Cancelled")}


def _label(table: dict[str, str], code: str) -> str:
    return _(table[code]) if code in table else code


def status_label(code: str) -> str:
    return _label(STATUSES, code)


def entry_kind_label(code: str) -> str:
    return _label(ENTRY_KINDS, code)


def event_kind_label(code: str) -> str:
    return _label(EVENT_KINDS, code)
