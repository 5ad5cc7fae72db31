"""Working days (工作日) in China: public holidays and the adjusted working days (调休) from the
chinese-calendar library, the office's own additions, and counting in working days or hours.

The State Council announces each year's holidays late in the year before; chinese-calendar
carries them for the years it knows (2004 to the year of its release). For a year it does not
know, nobody can compute the lunar holidays or the 调休 weekends: the calendar then counts
Monday to Friday as working days except the fixed-date holidays (元旦 1 January, 劳动节 1 May,
国庆 1–3 October), and says so (``unknown_years``) so the manager enters that year's notice in
the settings ("calendar.holidays", "calendar.workdays"), which always take precedence.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

import chinese_calendar

from csoffice import settings
from csoffice.errors import ValidationError
from csoffice.i18n import _

# Holidays on fixed solar dates, used for years the library does not know.
FIXED_HOLIDAYS = {(1, 1), (5, 1), (10, 1), (10, 2), (10, 3)}
_LONGEST = 400  # days searched for the next working day (a long run of holidays is ~10)
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


@lru_cache(maxsize=8192)
def _library_workday(day: dt.date) -> bool:
    """chinese-calendar's answer (it costs tens of microseconds; a day's answer never changes)."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5 and (day.month, day.day) not in FIXED_HOLIDAYS


def library_knows(year: int) -> bool:
    """Whether chinese-calendar holds the State Council's holidays for ``year``."""
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@dataclass(frozen=True)
class Calendar:
    """The office's working days: its own holidays and working days before the library's."""

    holidays: frozenset[dt.date] = frozenset()
    workdays: frozenset[dt.date] = frozenset()
    day_start: dt.time = dt.time(8, 30)
    day_end: dt.time = dt.time(17, 30)

    def is_workday(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return _library_workday(day)

    def known(self, year: int) -> bool:
        """The year's holidays are known: from the library, or entered by the office."""
        own = any(d.year == year for d in self.holidays | self.workdays)
        return own or library_knows(year)

    def next_workday(self, day: dt.date) -> dt.date:
        """``day`` itself when it is a working day, else the next one."""
        for _step in range(_LONGEST):
            if self.is_workday(day):
                return day
            day += dt.timedelta(days=1)
        return day

    def add_workdays(self, start: dt.date, count: int) -> dt.date:
        """The ``count``-th working day after ``start`` (``start`` itself not counted): papers
        due "within 2 working days of a delivery" on Thursday are due on Monday, or on the
        调休 Saturday between."""
        day = start
        for _done in range(max(0, count)):
            day = self.next_workday(day + dt.timedelta(days=1))
        return day

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """The working days after ``start`` up to and including ``end`` (negative when ``end``
        comes first): how many working days late something handed in on ``end`` is."""
        if end == start:
            return 0
        sign, low, high = (1, start, end) if end > start else (-1, end, start)
        days = (high - low).days
        count = sum(self.is_workday(low + dt.timedelta(days=i)) for i in range(1, days + 1))
        return sign * count

    def add_working_hours(self, start: dt.datetime, hours: float) -> dt.datetime:
        """``start`` plus ``hours`` counted only in office hours on working days: a complaint
        received on Friday at 17:00 with 4 hours to respond is due on Monday at 12:00 (office
        hours 8:30–17:30)."""
        remaining = dt.timedelta(hours=hours)
        moment = start
        for _step in range(_LONGEST):
            day = moment.date()
            opens = dt.datetime.combine(day, self.day_start)
            closes = dt.datetime.combine(day, self.day_end)
            if not self.is_workday(day) or moment >= closes:
                moment = dt.datetime.combine(
                    self.next_workday(day + dt.timedelta(days=1)), self.day_start
                )
                continue
            moment = max(moment, opens)
            if moment + remaining <= closes:
                return moment + remaining
            remaining -= closes - moment
            moment = closes
        return moment + remaining


def _parse_time(text: object, default: dt.time) -> dt.time:
    """ "HH:MM" from a setting of any shape, or ``default``."""
    match = _TIME.match(str(text or "").strip())
    if not match:
        return default
    return dt.time(int(match.group(1)), int(match.group(2)))


def _dates(value: object) -> frozenset[dt.date]:
    found = set()
    for item in value if isinstance(value, list) else []:
        try:
            found.add(dt.date.fromisoformat(str(item)))
        except ValueError:
            continue
    return frozenset(found)


def calendar() -> Calendar:
    """The office's calendar from its settings."""
    values = settings.get_many(["calendar.holidays", "calendar.workdays", "calendar.office_hours"])
    hours = values["calendar.office_hours"] or {}
    hours = hours if isinstance(hours, dict) else {}
    return Calendar(
        holidays=_dates(values["calendar.holidays"]),
        workdays=_dates(values["calendar.workdays"]),
        day_start=_parse_time(hours.get("start"), dt.time(8, 30)),
        day_end=_parse_time(hours.get("end"), dt.time(17, 30)),
    )


def unknown_years(today: dt.date | None = None) -> list[int]:
    """This year and the next when neither the library nor the office knows their holidays
    (the next year only from December, when its notice is due)."""
    today = today or dt.date.today()
    years = [today.year] + ([today.year + 1] if today.month == 12 else [])
    office = calendar()
    return [year for year in years if not office.known(year)]


def add_complaint_hours(start: dt.datetime, hours: float) -> dt.datetime:
    """A complaint's deadline: ``hours`` after ``start``, in office hours on working days when
    the office counts them so ("complaints.working_hours"), else on the clock."""
    if settings.get("complaints.working_hours"):
        return calendar().add_working_hours(start, hours)
    return start + dt.timedelta(hours=hours)


# --- Checking what the manager types -------------------------------------------------------


def parse_date_lines(text: str, field: str) -> list[dt.date]:
    """Dates typed one per line, or a range per line ("2027-02-05 ~ 2027-02-13"); blank lines
    and anything after "#" are ignored. ValidationError names the line."""
    found: list[dt.date] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip().replace("／", "/").replace("/", "-")
        if not line:
            continue
        parts = [p.strip() for p in re.split(r"\s*(?:~|～|至|\.\.)\s*", line) if p.strip()]
        try:
            days = [dt.date.fromisoformat(p) for p in parts]
        except ValueError:
            days = []
        if len(days) not in (1, 2) or len(days) != len(parts):
            raise ValidationError.single(
                field,
                _(
                    "Line {n}: enter a date like 2027-02-06, or a range 2027-02-05 ~ 2027-02-13."
                ).format(n=number),
            )
        first, last = days[0], days[-1]
        if last < first or (last - first).days > 60:
            raise ValidationError.single(
                field, _("Line {n}: the range must run forward, at most 60 days.").format(n=number)
            )
        found.extend(first + dt.timedelta(days=i) for i in range((last - first).days + 1))
    return sorted(set(found))


def check_office_days(
    holidays_text: str, workdays_text: str, start: str, end: str
) -> dict[str, object]:
    """The calendar settings from what was typed; ValidationError by field."""
    errors: dict[str, str] = {}
    values: dict[str, object] = {}
    for key, text in (("calendar.holidays", holidays_text), ("calendar.workdays", workdays_text)):
        try:
            values[key] = [d.isoformat() for d in parse_date_lines(text, key)]
        except ValidationError as exc:
            errors.update(exc.errors)
    if not errors:
        both = sorted(set(values["calendar.holidays"]) & set(values["calendar.workdays"]))  # type: ignore[arg-type]
        if both:
            errors["calendar.workdays"] = _("{date} is both a holiday and a working day.").format(
                date=both[0]
            )
    opens, closes = _TIME.match(start.strip()), _TIME.match(end.strip())
    if not opens:
        errors["calendar.start"] = _("Enter a time like 08:30.")
    if not closes:
        errors["calendar.end"] = _("Enter a time like 17:30.")
    if opens and closes and _parse_time(end, dt.time()) <= _parse_time(start, dt.time()):
        errors["calendar.end"] = _("The office must close after it opens.")
    if errors:
        raise ValidationError(errors)
    values["calendar.office_hours"] = {"start": start.strip(), "end": end.strip()}
    return values
