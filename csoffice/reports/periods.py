"""Report periods (day, ISO week, month) and the labels the renderers translate when they draw."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from babel import dates as babel_dates

from csoffice.errors import ValidationError
from csoffice.i18n import N_, _, format_date, format_number, format_percent, locale
from csoffice.validation import clean_text

# --- Periods ----------------------------------------------------------------------------------

KINDS = {
    "daily": N_("Daily report"),
    "weekly": N_("Weekly report"),
    "monthly": N_("Monthly service report"),
}
NOTE_KINDS = ("monthly", "weekly")

_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WEEK = re.compile(r"^(\d{4})-?[Ww](\d{1,2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def weeks_in_year(year: int) -> int:
    """52 or 53: the ISO week of 28 December is always the year's last."""
    return dt.date(year, 12, 28).isocalendar().week


def _month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


@dataclass(frozen=True)
class Period:
    """A day, an ISO week, a calendar month or any span of days (first and last included)."""

    kind: str  # daily | weekly | monthly | span
    first: dt.date
    last: dt.date
    # What "previous" means when it is not the period just before (the dashboard compares
    # this month so far with the same days of last month).
    before: Period | None = field(default=None, compare=False, repr=False)

    @classmethod
    def day(cls, day: dt.date) -> Period:
        return cls("daily", day, day)

    @classmethod
    def week(cls, year: int, week: int) -> Period:
        first = dt.date.fromisocalendar(year, week, 1)
        return cls("weekly", first, first + dt.timedelta(days=6))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls("monthly", dt.date(year, month, 1), _month_end(year, month))

    @classmethod
    def span(cls, first: dt.date, last: dt.date) -> Period:
        return cls("span", first, last)

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.first, dt.time())

    @property
    def end(self) -> dt.datetime:
        """The first moment after the period."""
        return dt.datetime.combine(self.last + dt.timedelta(days=1), dt.time())

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def code(self) -> str:
        """How the period is written on the command line: 2026-11-24, 2026-W48, 2026-11."""
        if self.kind == "daily":
            return self.first.isoformat()
        if self.kind == "weekly":
            year, week, _day = self.first.isocalendar()
            return f"{year}-W{week:02d}"
        if self.kind == "monthly":
            return f"{self.first.year}-{self.first.month:02d}"
        return f"{self.first.isoformat()}..{self.last.isoformat()}"

    def previous(self) -> Period:
        """The period just before: yesterday, last week, last month, the span before."""
        if self.before is not None:
            return self.before
        if self.kind == "monthly":
            last = self.first - dt.timedelta(days=1)
            return Period.month(last.year, last.month)
        if self.kind in ("weekly", "daily"):
            step = dt.timedelta(days=self.days)
            return Period(self.kind, self.first - step, self.last - step)
        step = dt.timedelta(days=self.days)
        return Period.span(self.first - step, self.last - step)

    def year_before(self) -> Period:
        """The same period a year earlier (a week 53 compares with the year's last week)."""
        if self.kind == "monthly":
            return Period.month(self.first.year - 1, self.first.month)
        if self.kind == "weekly":
            year, week, _day = self.first.isocalendar()
            return Period.week(year - 1, min(week, weeks_in_year(year - 1)))
        return Period(self.kind, _shift_year(self.first), _shift_year(self.last))

    def label(self) -> str:
        """The period as a person reads it, in the active language."""
        if self.kind == "monthly":
            return babel_dates.format_skeleton("yMMMM", self.first, locale=locale())
        if self.kind == "weekly":
            year, week, _day = self.first.isocalendar()
            return _("Week {week} of {year} ({first} – {last})").format(
                week=week, year=year, first=format_date(self.first), last=format_date(self.last)
            )
        if self.kind == "daily":
            return format_date(self.first, "full")
        return _("{first} – {last}").format(
            first=format_date(self.first), last=format_date(self.last)
        )


def _shift_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


_EXAMPLES = {
    "daily": N_("The daily report is for one day, written like 2026-11-24."),
    "weekly": N_("The weekly report is for an ISO week, written like 2026-W48."),
    "monthly": N_("The monthly report is for a month, written like 2026-11."),
}


def parse_period(text: str, kind: str | None = None) -> Period:
    """Read ``2026-11-24``, ``2026-W48`` or ``2026-11``; with ``kind`` the form must match it.
    Raises ValidationError (field "period") saying what is wrong."""
    value = clean_text(text)
    period: Period | None = None
    try:
        if match := _DAY.match(value):
            year, month, day = (int(g) for g in match.groups())
            period = Period.day(dt.date(year, month, day))
        elif match := _WEEK.match(value):
            year, week = int(match[1]), int(match[2])
            if year < 1 or not 1 <= week <= weeks_in_year(year):
                raise ValidationError.single(
                    "period",
                    _("{year} has {weeks} ISO weeks; there is no week {week}.").format(
                        year=year, weeks=weeks_in_year(max(year, 1)), week=week
                    ),
                )
            period = Period.week(year, week)
        elif match := _MONTH.match(value):
            year, month = int(match[1]), int(match[2])
            if not 1 <= month <= 12:
                raise ValidationError.single(
                    "period",
                    _("There is no month {month}; months run from 01 to 12.").format(month=month),
                )
            period = Period.month(year, month)
    except ValueError:
        raise ValidationError.single(
            "period", _("“{value}” is not a real date.").format(value=value)
        ) from None
    if period is None:
        raise ValidationError.single(
            "period",
            _(
                "“{value}” is not a period: write a day like 2026-11-24, an ISO week like 2026-W48 or a month like 2026-11."
            ).format(value=value),
        )
    if kind is not None and kind in _EXAMPLES and period.kind != kind:
        raise ValidationError.single("period", _(_EXAMPLES[kind]))
    return period


def current_period(kind: str, today: dt.date | None = None) -> Period:
    """The period of ``kind`` that holds ``today``."""
    today = today or dt.date.today()
    if kind == "monthly":
        return Period.month(today.year, today.month)
    if kind == "weekly":
        year, week, _day = today.isocalendar()
        return Period.week(year, week)
    return Period.day(today)


# --- Labels for codes (the renderers translate when they draw) --------------------------------

VISIT_KINDS = {
    "7dc": N_("7 days after delivery"),
    "3dc": N_("3–5 days after a repair"),
    "complaint": N_("After a complaint"),
    "1m": N_("One month after purchase"),
    "1y": N_("One year after purchase"),
    "manual": N_("Scheduled by hand"),
    "sample": N_("Manager's sample check"),
    "recheck": N_("Follow-up of a dissatisfied answer"),
}
SATISFACTION = {
    1: N_("1 – very dissatisfied"),
    2: N_("2 – dissatisfied"),
    3: N_("3 – neither"),
    4: N_("4 – satisfied"),
    5: N_("5 – very satisfied"),
}


def visit_kind_label(code: str) -> str:
    return _(VISIT_KINDS[code]) if code in VISIT_KINDS else code


def satisfaction_label(score: int | None) -> str:
    if score is None:
        return _("Not given")
    return _(SATISFACTION[score]) if score in SATISFACTION else str(score)


def hours_text(hours: float | None) -> str:
    """A duration in hours for people: '5.3 h' / '5.3 小时'; a dash when there is none."""
    if hours is None:
        return "—"
    if hours >= 48:
        return _("{days} days").format(days=format_number(round(hours / 24, 1)))
    return _("{hours} h").format(hours=format_number(round(hours, 1)))


def share_text(value: float | None) -> str:
    return "—" if value is None else format_percent(value)


def average_text(value: float | None) -> str:
    return "—" if value is None else format_number(round(value, 2))
