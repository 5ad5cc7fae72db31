"""Settings at two levels.

``LocalConfig`` belongs to this desk (PC): language and where the database is. It is read
before the database opens, from a JSON file in the user's config folder.

Office settings belong to the office and live in the database, shared by every desk:
the office's name, address and phone printed on forms, numbering, deadlines, rules.
Each has a default here; features add theirs to ``DEFAULTS``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from csoffice import audit, permissions
from csoffice.changes import Change
from csoffice.db.database import db, emit_after_commit
from csoffice.db.models import Setting, Staff, now
from csoffice.errors import ValidationError
from csoffice.files import write_atomically
from csoffice.i18n import DEFAULT_LANGUAGE, LANGUAGES, _
from csoffice.paths import config_dir
from csoffice.printing.office import Office
from csoffice.validation import check_area_code

CONFIG_FILE = "settings.json"


@dataclass
class LocalConfig:
    """This desk's own settings."""

    language: str = DEFAULT_LANGUAGE
    database_url: str = ""  # empty: the data folder's file
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls) -> LocalConfig:
        path = config_dir() / CONFIG_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(data, dict):
            return cls()
        config = cls()
        language = data.get("language")
        if language in LANGUAGES:
            config.language = language
        if isinstance(data.get("database_url"), str):
            config.database_url = data["database_url"]
        if isinstance(data.get("extra"), dict):
            config.extra = data["extra"]
        return config

    def save(self) -> None:
        text = json.dumps(asdict(self), ensure_ascii=False, indent=2)
        write_atomically(config_dir() / CONFIG_FILE, text.encode("utf-8"))


DEFAULTS: dict[str, Any] = {
    "office.name": "",
    "office.address": "",
    "office.phone": "",
    # The office's own area code (like 0755): a local 7–8 digit landline typed without one
    # is stored with it; empty: every landline needs its area code.
    "office.area_code": "",
    # Imports: a sheet with more rows than this is refused before anything is read into memory.
    "import.row_limit": 500_000,
    # Complaints: category and department codes (labels in complaints.py; an office may add
    # its own names), hours to respond / resolve per severity, the running number's format
    # ({year} {month} {seq}) and the printed slip's paper (A4 | A5).
    "complaints.categories": [
        "quality",
        "attitude",
        "delivery",
        "billing",
        "repair",
        "property",
        "other",
    ],
    "complaints.departments": [
        "service",
        "sales",
        "aftersales",
        "finance",
        "logistics",
        "property",
    ],
    "complaints.deadlines": {"ordinary": [24, 72], "major": [4, 24], "group": [1, 24]},
    "complaints.number_format": "TS-{year:04d}{month:02d}-{seq:04d}",
    "complaints.slip_page_size": "A4",
    # Count the hours above only in office hours on working days (workdays.py), or on the clock.
    "complaints.working_hours": False,
    # Working days: chinese-calendar's holidays and 调休 days, before which the office's own
    # holidays and working days (ISO dates) come; the office's opening hours.
    "calendar.holidays": [],
    "calendar.workdays": [],
    "calendar.office_hours": {"start": "08:30", "end": "17:30"},
    # Reception desk: the channels and categories offered, in order (codes known to
    # receptions.py, or an office's own names such as "抖音"), and in how many days a
    # follow-up is due when the clerk gives no date.
    "reception.channels": ["phone", "visit", "wechat", "qq", "email", "letter", "other"],
    "reception.categories": ["consult", "complaint", "suggestion", "repair", "order", "other"],
    "reception.followup_days": 1,
    # Member cards: number = prefix + running number of card_digits + Luhn digit; one point
    # per yuan_per_point spent; points expire after N months (0: never); birthdays are due
    # first_day–last_day ahead; cancel_policy forfeit | refund; money as text ("10.00").
    "members.card_prefix": "8800",
    "members.card_digits": 6,
    "members.card_valid_years": 0,
    "members.yuan_per_point": "10",
    "members.points_expiry_months": 24,
    "members.birthday_first_day": 2,
    "members.birthday_last_day": 7,
    "members.birthday_bonus": 100,
    "members.cancel_policy": "forfeit",
    "members.refund_yuan_per_point": "0.01",
    "members.enrol_fee": "0",
    "members.reissue_fee": "10",
    # Return visits: the rules (a list; csoffice/visit_rules.py says what each field means:
    # kind of call, what it counts from — a service event, a complaint handled, the calendar —
    # due day, last day of its window, an optional condition, a repeat), each kind's questions
    # ({kind: [question, …]}; a kind not listed uses the built-in questionnaire), how many days
    # back the rules still create a call that fell due, when an unreached call is tried again
    # and how often, when a dissatisfied answer is called again, the manager's sample size.
    "visits.rules": [
        {
            "code": "7dc",
            "kind": "7dc",
            "events": ["delivery", "purchase", "handover"],
            "days": 7,
            "window_end": 7,
        },
        {
            "code": "7dc_outlet",
            "kind": "7dc",
            "events": ["purchase"],
            "days": 10,
            "window_end": 10,
            "condition": {"field": "source", "value": "二级网点"},
        },
        {"code": "3dc", "kind": "3dc", "events": ["repair"], "days": 3, "window_end": 5},
        {"code": "1m", "kind": "1m", "events": ["purchase"], "months": 1, "window_end": 3},
        {"code": "1y", "kind": "1y", "events": ["purchase"], "months": 12, "window_end": 7},
        {
            "code": "complaint",
            "kind": "complaint",
            "start": "complaint",
            "days": 3,
            "window_end": 5,
        },
        {
            "code": "level3_repair",
            "kind": "level3",
            "events": ["repair"],
            "days": 7,
            "window_end": 10,
            "condition": {"field": "amount", "value": "5000"},
        },
        {
            "code": "key_quarterly",
            "kind": "care",
            "start": "calendar",
            "repeat_months": 3,
            "days": 1,
            "window_end": 30,
            "condition": {"field": "class", "value": "vip"},
        },
    ],
    "visits.questions": {},
    # A 新客户 becomes 普通 after this many months (customer_classes.py).
    "customers.new_months": 6,
    # The paper file's checklist (paper_file.py; presets: service, dealer, property): papers
    # with whether a complete file needs them, the event that starts the hand-in clock and the
    # working days allowed after it.
    "papers.checklist": {
        "preset": "service",
        "papers": [
            {"code": "contract", "name": "", "required": True},
            {"code": "id_copy", "name": "", "required": True},
            {"code": "invoice", "name": "", "required": True},
            {"code": "insurance", "name": "", "required": False},
            {"code": "delivery", "name": "", "required": True},
        ],
        "event": "delivery",
        "days": 2,
    },
    "visits.lookback_days": 30,
    "visits.retry_days": 1,
    "visits.max_attempts": 3,
    "visits.recheck_days": 3,
    "visits.sample_size": 10,
    # The Today board: reminders (maintenance, inspection, insurance) due within N days, and
    # those up to M days past that nobody has called about yet.
    "today.reminder_days": 7,
    # Reminders computed from events: the next maintenance, annual inspection and insurance
    # renewal fall due this many months after the last (service_events.next_due; 0: none).
    "reminders.months": {"maintenance": 6, "inspection": 12, "insurance": 12},
    "today.reminder_days_past": 7,
    # Statistics: a customer with no contact of any kind for N months counts as lost (churn).
    "statistics.churn_months": 6,
    # Trust: the screen locks after N idle minutes (0: never); the daily automatic backup
    # goes to backup.folder ("" = the data folder's backups) and keeps the newest copy of
    # each of the last N days, weeks and months.
    "security.lock_minutes": 10,
    "backup.folder": "",
    "backup.keep_daily": 7,
    "backup.keep_weekly": 4,
    "backup.keep_monthly": 12,
    # Staff appraisal: groups of items with weights in points of 100 (codes known to
    # appraisal.py, or an office's own with a "name"); each marker's share of the combined
    # score; the lowest score of each grade band (E is everything below D).
    "appraisal.items": [
        {"code": "attendance", "items": [{"code": "attendance", "weight": 10}]},
        {
            "code": "skills",
            "items": [
                {"code": "knowledge", "weight": 10},
                {"code": "communication", "weight": 5},
                {"code": "cooperation", "weight": 5},
                {"code": "service", "weight": 10},
                {"code": "initiative", "weight": 5},
                {"code": "learning", "weight": 5},
            ],
        },
        {
            "code": "work",
            "items": [
                {"code": "execution", "weight": 5},
                {"code": "pressure", "weight": 5},
                {"code": "workload", "weight": 10},
                {"code": "experience", "weight": 10},
            ],
        },
        {
            "code": "attitude",
            "items": [
                {"code": "honesty", "weight": 5},
                {"code": "responsibility", "weight": 5},
                {"code": "ethics", "weight": 5},
                {"code": "enthusiasm", "weight": 5},
            ],
        },
    ],
    "appraisal.shares": {"self": 20, "supervisor": 30, "manager": 50},
    "appraisal.bands": {"A": 90, "B": 70, "C": 55, "D": 40},
}


def get(key: str) -> Any:
    """The office setting ``key`` (its default when never set)."""
    row = Setting.get_or_none(Setting.key == key)
    if row is None:
        return DEFAULTS.get(key)
    return json.loads(row.value)


def get_many(keys: list[str]) -> dict[str, Any]:
    rows = {row.key: json.loads(row.value) for row in Setting.select().where(Setting.key.in_(keys))}
    return {key: rows.get(key, DEFAULTS.get(key)) for key in keys}


def put(actor: Staff | None, values: dict[str, Any]) -> None:
    """Store office settings in one transaction, audited; only the manager may."""
    permissions.require(actor, "change_settings")
    unknown = [key for key in values if key not in DEFAULTS]
    if unknown:
        raise ValidationError({key: _("Unknown setting.") for key in unknown})
    values = _checked(values)
    with db.atomic():
        before = get_many(list(values))
        for key, value in values.items():
            encoded = json.dumps(value, ensure_ascii=False)
            Setting.insert(key=key, value=encoded, updated_at=now()).on_conflict(
                conflict_target=[Setting.key],
                update={Setting.value: encoded, Setting.updated_at: now()},
            ).execute()
        changes = audit.diff(before, values)
        if changes:
            audit.record(
                actor, "update", "settings", None, summary=", ".join(changes), changes=changes
            )
            emit_after_commit(Change.SETTINGS)


def _checked(values: dict[str, Any]) -> dict[str, Any]:
    """``values`` with the settings that have a form normalised; ValidationError otherwise."""
    out = dict(values)
    errors: dict[str, str] = {}
    if "office.area_code" in out:
        try:
            out["office.area_code"] = check_area_code(str(out["office.area_code"] or ""))
        except ValidationError as exc:
            errors.update(exc.errors)
    if "import.row_limit" in out:
        value = out["import.row_limit"]
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5_000_000:
            errors["import.row_limit"] = _("Enter a number of rows from 1 to 5,000,000.")
    if errors:
        raise ValidationError(errors)
    return out


def area_code() -> str:
    """The office's own area code for local landline numbers ('' when not set)."""
    return str(get("office.area_code") or "")


def office() -> Office:
    values = get_many(["office.name", "office.address", "office.phone"])
    return Office(
        values["office.name"] or "", values["office.address"] or "", values["office.phone"] or ""
    )
