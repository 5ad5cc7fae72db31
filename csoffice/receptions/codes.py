"""The reception log's code tables (channels, directions, categories, caller kinds,
statuses), their labels, and the channels and categories this office offers."""

from __future__ import annotations

from csoffice import settings
from csoffice.i18n import N_, _

CHANNELS = {
    "phone": N_("Phone"),
    "visit": N_("Walk-in"),
    "wechat": N_("WeChat"),
    "qq": N_("QQ"),
    "email": N_("E-mail"),
    "letter": N_("Letter"),
    "other": N_("Other"),
}
DIRECTIONS = {"in": N_("Incoming"), "out": N_("Outgoing")}
CATEGORIES = {
    "consult": N_("Consultation"),
    "complaint": N_("Complaint"),
    "suggestion": N_("Suggestion"),
    "repair": N_("After-sales / repair"),
    "order": N_("Order"),
    "other": N_("Other"),
}
CALLER_KINDS = {
    "customer": N_("Customer"),
    "partner": N_("Partner"),
    "supplier": N_("Supplier"),
    "other": N_("Other"),
}
STATUSES = {"active": N_("Active"), "voided": N_("Voided")}


_CODE_MAX = 16  # the channel and category columns' width


def channel_label(code: str) -> str:
    return _(CHANNELS[code]) if code in CHANNELS else code


def category_label(code: str) -> str:
    return _(CATEGORIES[code]) if code in CATEGORIES else code


def direction_label(code: str) -> str:
    return _(DIRECTIONS.get(code, code))


def caller_kind_label(code: str) -> str:
    return _(CALLER_KINDS.get(code, code))


def status_label(code: str) -> str:
    return _(STATUSES.get(code, code))


def _configured(key: str, known: dict[str, str]) -> list[str]:
    values = settings.get(key) or list(known)
    out = []
    for value in values:
        value = str(value).strip()[:_CODE_MAX]
        if value and value not in out:
            out.append(value)
    return out or list(known)


def channels() -> list[tuple[str, str]]:
    """The channels this office offers, in its order: (code, label)."""
    return [(code, channel_label(code)) for code in _configured("reception.channels", CHANNELS)]


def categories() -> list[tuple[str, str]]:
    """The categories this office offers, in its order: (code, label)."""
    return [
        (code, category_label(code)) for code in _configured("reception.categories", CATEGORIES)
    ]
