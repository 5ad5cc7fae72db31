"""The codes of a return visit (kinds, statuses, satisfaction) and their labels, the questions
asked on each kind of call, and who makes calls."""

from __future__ import annotations

from csoffice import auth, settings, survey
from csoffice.db.models import Staff
from csoffice.i18n import N_, _

# --- Codes and their labels ------------------------------------------------------------------

KINDS = {
    "7dc": N_("7-day call (7DC)"),
    "3dc": N_("Call after a repair (3DC)"),
    "1m": N_("One month after purchase"),
    "1y": N_("One year after purchase"),
    "complaint": N_("After a complaint"),
    "manual": N_("Scheduled by hand"),
    "recheck": N_("Dissatisfied: call again"),
    "sample": N_("Sample check"),
    "level3": N_("Third-level call (large repair, key customer)"),
    "care": N_("Care call"),
}
STATUSES = {"due": N_("To call"), "done": N_("Done"), "cancelled": N_("Call cancelled")}
SATISFACTION = {
    1: N_("Very dissatisfied"),
    2: N_("Not satisfied"),
    3: N_("Neutral"),
    4: N_("Satisfied"),
    5: N_("Very satisfied"),
}
DISSATISFIED = 2  # a satisfaction of 2 or less is followed up until it is settled

_CHUNK = 500  # ids per IN (…): under SQLite's variable limit

_MAX = {"remarks": 2000, "answer": 500, "note": 500}


def label(code: str) -> str:
    return _(KINDS[code]) if code in KINDS else code


def status_label(code: str) -> str:
    return _(STATUSES[code]) if code in STATUSES else code


def satisfaction_label(score: int | None) -> str:
    return _(SATISFACTION[score]) if score in SATISFACTION else ""


def kinds() -> list[tuple[str, str]]:
    return [(code, label(code)) for code in KINDS]


def questions(kind: str) -> list[str]:
    """The questions a clerk asks on a call of ``kind``: the office's own, else the built-in
    (survey.questions gives their answer options)."""
    return [question.text for question in survey.questions(kind)]


def staff_choices() -> list[tuple[int, str]]:
    """Who can make calls: active clerks and managers, as (id, name)."""
    query = Staff.select(Staff.id, Staff.display_name).where(
        Staff.active == True, Staff.role.in_([auth.Role.MANAGER, auth.Role.CLERK])
    )
    return [(row.id, row.display_name) for row in query.order_by(Staff.id)]


def _int_setting(key: str, default: int, low: int = 0, high: int = 3650) -> int:
    try:
        value = int(settings.get(key))
    except (TypeError, ValueError):
        return default
    return max(low, min(value, high))
