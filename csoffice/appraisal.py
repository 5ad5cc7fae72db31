"""Staff appraisal (绩效考核): the monthly form, its arithmetic, who may mark, and the facts.

The form: groups of items, each with a weight in points of 100 (the office setting
``appraisal.items``; DOMAIN §7's groups and weights by default). Each item is graded A–E,
worth GRADE_POINTS; an item scores ``points × weight / 100`` and a marker's total is the sum,
out of 100. (Should an office's weights not add up to 100, the total is divided by their sum
instead, so it stays out of 100; ``python -m csoffice check`` reports such weights.)

Three markers grade the same items: the staff member (self), a supervisor and the manager.
The combined score weighs the markers' totals by ``appraisal.shares`` (20/30/50 by default).
Only complete marks (every item graded) count, and the shares of those present are scaled up
to 100, so a missing self mark neither counts as zero nor blocks the month:
``combined = Σ share × total / Σ share of the complete marks``.

Grade bands (``appraisal.bands``): each band's lowest score, E being everything below D.
The defaults A ≥ 90, B ≥ 70, C ≥ 55, D ≥ 40 lie halfway between neighbouring grade points
(100|80, 80|60, 60|50, 50|30), so a form graded B throughout lands in band B, and any total
falls in the band of the grade whose points it is nearest to.

Who may do what:
- the self mark: the staff member themself, or the manager (e.g. copied from the paper form);
- the supervisor's mark: the manager, or the supervisor the manager chose for that month
  (``choose_supervisor``; a new month keeps the previous month's choice). Nobody is their
  own supervisor;
- the manager's mark and closing the month: the manager only.
Whoever may enter a mark may sign it; a signed mark no longer changes. The manager closes the
month once the manager's mark is signed and every other mark is signed or empty; the combined
score and band are then final, and nothing of that month changes any more.

Facts beside the marks come from the desk's records for that person and month. They inform
the markers and never enter the score; see ``facts`` for what each figure counts.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import statistics
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise
from typing import Any

from peewee import fn

from csoffice import audit, auth, complaints, settings
from csoffice.auth import Role
from csoffice.db.database import db
from csoffice.db.lookup import get_or_not_found
from csoffice.db.models import (
    Appraisal,
    AppraisalMonth,
    Complaint,
    Reception,
    ReturnVisit,
    Staff,
    now,
)
from csoffice.errors import Conflict, PermissionDenied, ValidationError
from csoffice.i18n import N_, _, format_number

GRADES = ("A", "B", "C", "D", "E")
GRADE_POINTS = {"A": 100, "B": 80, "C": 60, "D": 50, "E": 30}
MARKERS = ("self", "supervisor", "manager")

MARKER_LABELS = {
    "self": N_("Self"),
    "supervisor": N_("Supervisor"),
    "manager": N_("Manager"),
}
GROUP_LABELS = {
    "attendance": N_("Attendance at work"),
    "skills": N_("Knowledge and skills"),
    "work": N_("Work done"),
    "attitude": N_("Attitude"),
}
ITEM_LABELS = {
    "attendance": N_("Attendance at work"),
    "knowledge": N_("Professional knowledge"),
    "communication": N_("Communication"),
    "cooperation": N_("Cooperation"),
    "service": N_("Service attitude and rapport"),
    "initiative": N_("Initiative"),
    "learning": N_("Learning"),
    "execution": N_("Execution"),
    "pressure": N_("Efficiency under pressure"),
    "workload": N_("Workload and difficulty"),
    "experience": N_("Fit of experience"),
    "honesty": N_("Honesty"),
    "responsibility": N_("Responsibility"),
    "ethics": N_("Professional ethics"),
    "enthusiasm": N_("Enthusiasm"),
}
BAND_LABELS = {
    "A": N_("Excellent"),
    "B": N_("Good"),
    "C": N_("Meets expectations"),
    "D": N_("Below expectations"),
    "E": N_("Poor"),
}
DEFAULT_SHARES = {"self": 20, "supervisor": 30, "manager": 50}
DEFAULT_BANDS = {"A": 90, "B": 70, "C": 55, "D": 40}

_CENT = Decimal("0.01")
_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


def marker_label(marker: str) -> str:
    return _(MARKER_LABELS.get(marker, marker))


def band_label(grade: str) -> str:
    return _(BAND_LABELS[grade]) if grade in BAND_LABELS else ""


# --- The scheme: groups, items, weights ---------------------------------------------------------


@dataclass(frozen=True)
class Item:
    code: str
    weight: int
    name: str = ""  # an office's own item; the built-in ones are named by ITEM_LABELS

    @property
    def label(self) -> str:
        return self.name or _(ITEM_LABELS.get(self.code, self.code))


@dataclass(frozen=True)
class Group:
    code: str
    items: tuple[Item, ...]
    name: str = ""

    @property
    def label(self) -> str:
        return self.name or _(GROUP_LABELS.get(self.code, self.code))

    @property
    def weight(self) -> int:
        return sum(item.weight for item in self.items)


@dataclass(frozen=True)
class Scheme:
    """The form's groups and items, in order."""

    groups: tuple[Group, ...]

    @property
    def items(self) -> list[Item]:
        return [item for group in self.groups for item in group.items]

    @property
    def weight(self) -> int:
        return sum(group.weight for group in self.groups)

    def to_json(self) -> str:
        return json.dumps(
            [
                {
                    "code": group.code,
                    **({"name": group.name} if group.name else {}),
                    "items": [
                        {
                            "code": item.code,
                            "weight": item.weight,
                            **({"name": item.name} if item.name else {}),
                        }
                        for item in group.items
                    ],
                }
                for group in self.groups
            ],
            ensure_ascii=False,
        )


def parse_scheme(raw: Any) -> Scheme:
    """The scheme described by the setting's value; ValidationError when it is unusable."""
    problems = scheme_problems(raw)
    if problems:
        raise ValidationError({"appraisal.items": "; ".join(problems)})
    return Scheme(
        tuple(
            Group(
                code=str(group["code"]),
                name=str(group.get("name") or ""),
                items=tuple(
                    Item(
                        code=str(item["code"]),
                        weight=int(item["weight"]),
                        name=str(item.get("name") or ""),
                    )
                    for item in group["items"]
                ),
            )
            for group in raw
        )
    )


def scheme_problems(raw: Any) -> list[str]:
    """What is wrong with a value of ``appraisal.items`` (empty when it is usable)."""
    if not isinstance(raw, list) or not raw:
        return [_("The appraisal needs at least one group of items.")]
    problems: list[str] = []
    codes: set[str] = set()
    total = 0
    for group in raw:
        if not isinstance(group, dict) or not group.get("code") or not group.get("items"):
            problems.append(_("Every appraisal group needs a code and items."))
            continue
        for item in group["items"]:
            code = item.get("code") if isinstance(item, dict) else None
            weight = item.get("weight") if isinstance(item, dict) else None
            if not code or not isinstance(weight, int) or isinstance(weight, bool) or weight <= 0:
                problems.append(_("Every appraisal item needs a code and a positive weight."))
                continue
            if code in codes:
                problems.append(_("The appraisal item “{code}” appears twice.").format(code=code))
            codes.add(code)
            total += weight
    if not problems and total != 100:
        problems.append(
            _("The appraisal items' weights add up to {total}, not 100.").format(total=total)
        )
    return problems


def current_scheme() -> Scheme:
    """The scheme of the office's settings (the defaults when the setting is unusable)."""
    try:
        return parse_scheme(settings.get("appraisal.items"))
    except ValidationError:
        return parse_scheme(settings.DEFAULTS["appraisal.items"])


def settings_problems() -> list[str]:
    """An invariant for ``check``: the appraisal settings can be used as they are."""
    problems = scheme_problems(settings.get("appraisal.items"))
    shares = settings.get("appraisal.shares")
    if not _valid_shares(shares):
        problems.append(_("The markers' shares must be numbers that are not all zero."))
    if not _valid_bands(settings.get("appraisal.bands")):
        problems.append(_("The grade bands must fall from A to D."))
    return problems


def _valid_shares(shares: Any) -> bool:
    return (
        isinstance(shares, dict)
        and all(isinstance(shares.get(m), int | float) and shares.get(m) >= 0 for m in MARKERS)
        and sum(shares[m] for m in MARKERS) > 0
    )


def _valid_bands(bands: Any) -> bool:
    if not isinstance(bands, dict) or not all(
        isinstance(bands.get(g), int | float) for g in GRADES[:-1]
    ):
        return False
    values = [bands[g] for g in GRADES[:-1]]
    return all(a > b for a, b in pairwise(values))


def shares() -> dict[str, int | float]:
    value = settings.get("appraisal.shares")
    return dict(value) if _valid_shares(value) else dict(DEFAULT_SHARES)


def bands() -> dict[str, int | float]:
    value = settings.get("appraisal.bands")
    return dict(value) if _valid_bands(value) else dict(DEFAULT_BANDS)


# --- The arithmetic (pure) -------------------------------------------------------------------


@dataclass(frozen=True)
class MarkScore:
    """A marker's total so far: the graded items' points, per group and in all."""

    total: Decimal
    by_group: dict[str, Decimal]
    graded: int
    complete: bool


def item_points(grade: str, weight: int) -> Decimal:
    """What one item contributes: the grade's points × the item's weight / 100."""
    return Decimal(GRADE_POINTS[grade]) * weight / 100


def score(scheme: Scheme, grades: dict[str, str]) -> MarkScore:
    """The total of ``grades`` (item code → A–E) on ``scheme``; ungraded items add nothing."""
    scale = Decimal(100) / scheme.weight  # 1 when the weights add up to 100
    by_group: dict[str, Decimal] = {}
    graded = 0
    for group in scheme.groups:
        subtotal = Decimal(0)
        for item in group.items:
            grade = grades.get(item.code)
            if grade in GRADE_POINTS:
                subtotal += item_points(grade, item.weight)
                graded += 1
        by_group[group.code] = _round(subtotal * scale)
    total = _round(sum(by_group.values(), Decimal(0)))
    return MarkScore(total, by_group, graded, graded == len(scheme.items))


def combine(
    totals: dict[str, Decimal | None], marker_shares: dict[str, int | float] | None = None
) -> Decimal | None:
    """The markers' totals weighed by their shares, over the markers that have a total."""
    marker_shares = marker_shares or shares()
    present = [m for m in MARKERS if totals.get(m) is not None and marker_shares.get(m, 0) > 0]
    weight = sum(Decimal(str(marker_shares[m])) for m in present)
    if not present or weight == 0:
        return None
    weighed = sum((Decimal(str(marker_shares[m])) * totals[m] for m in present), Decimal(0))
    return _round(weighed / weight)


def band(value: Decimal | None, thresholds: dict[str, int | float] | None = None) -> str:
    """The grade band (A–E) of a score: the first band whose lowest score it reaches."""
    if value is None:
        return ""
    thresholds = thresholds or bands()
    for grade in GRADES[:-1]:
        if value >= Decimal(str(thresholds[grade])):
            return grade
    return "E"


def _round(value: Decimal) -> Decimal:
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def _stored(value: Any) -> Decimal | None:
    """A stored score as a two-place Decimal (the database may drop trailing zeros)."""
    return None if value is None else _round(Decimal(str(value)))


# --- Periods and people ----------------------------------------------------------------------


def parse_period(text: str, today: dt.date | None = None) -> tuple[dt.datetime, dt.datetime]:
    """The start and end (exclusive) of a month ``YYYY-MM``; it must have begun."""
    match = _PERIOD.match((text or "").strip())
    month = int(match.group(2)) if match else 0
    if not match or not 1 <= month <= 12 or int(match.group(1)) < 2000:
        raise ValidationError.single(
            "period", _("“{value}” is not a month like 2026-11.").format(value=text)
        )
    start = dt.datetime(int(match.group(1)), month, 1)
    end = dt.datetime(start.year + (month == 12), month % 12 + 1, 1)
    if start.date() > (today or dt.date.today()):
        raise ValidationError.single(
            "period", _("The month {period} has not begun.").format(period=text)
        )
    return start, end


def period_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def staff_by_username(username: str) -> Staff:
    return get_or_not_found(
        Staff,
        _("No staff member has the user name “{name}”.").format(name=username),
        Staff.username == (username or "").strip(),
    )


def _staff(staff_id: int) -> Staff:
    return get_or_not_found(Staff, _("This staff member does not exist."), Staff.id == staff_id)


def supervisor_choices(staff_id: int) -> list[tuple[int, str]]:
    """Who can be chosen to give a staff member's supervisor mark: other active desk staff."""
    query = (
        Staff.select(Staff.id, Staff.display_name)
        .where(
            Staff.active == True,
            Staff.role.in_([Role.MANAGER, Role.CLERK]),
            Staff.id != staff_id,
        )
        .order_by(Staff.display_name)
    )
    return [(row.id, row.display_name) for row in query]


# --- Reading a month -------------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    """One marker's grades for the month and their signature."""

    marker: str
    grades: dict[str, str]
    score: MarkScore
    signed_by: str = ""
    signed_at: dt.datetime | None = None

    @property
    def label(self) -> str:
        return marker_label(self.marker)

    @property
    def signed(self) -> bool:
        return self.signed_at is not None

    @property
    def total(self) -> Decimal | None:
        """The total when every item is graded (only then does it count)."""
        return self.score.total if self.score.complete else None


@dataclass(frozen=True)
class Facts:
    """What the desk's records say about a person's month (see ``facts``)."""

    receptions: int = 0
    complaints_owned: int = 0
    complaints_closed: int = 0
    median_hours_to_close: float | None = None
    overdue: int = 0
    visits_done: int = 0
    visits_reached: int = 0
    complaint_satisfaction: float | None = None
    visit_satisfaction: float | None = None


@dataclass(frozen=True)
class MonthView:
    """Everything the form shows for one staff member and month."""

    staff_id: int
    username: str
    staff_name: str
    department: str
    period: str
    scheme: Scheme
    marks: dict[str, Mark]
    shares: dict[str, int | float]
    combined: Decimal | None
    grade: str
    closed: bool
    closed_at: dt.datetime | None
    closed_by: str
    supervisor_id: int | None
    supervisor_name: str
    facts: Facts = field(default_factory=Facts)

    @property
    def grade_label(self) -> str:
        return band_label(self.grade)


def _month_row(staff_id: int, period: str) -> AppraisalMonth | None:
    return AppraisalMonth.get_or_none(
        AppraisalMonth.staff == staff_id, AppraisalMonth.period == period
    )


def _scheme_of(month: AppraisalMonth | None) -> Scheme:
    if month is not None and month.scheme:
        try:
            return parse_scheme(json.loads(month.scheme))
        except (ValueError, ValidationError):
            pass
    return current_scheme()


def _grades(text: str) -> dict[str, str]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return (
        {str(k): str(v) for k, v in value.items() if v in GRADE_POINTS}
        if isinstance(value, dict)
        else {}
    )


def _marks(staff_id: int, period: str, scheme: Scheme) -> dict[str, Mark]:
    rows = {
        row.marker: row
        for row in Appraisal.select().where(Appraisal.staff == staff_id, Appraisal.period == period)
    }
    names = {
        s.id: s.display_name
        for s in Staff.select(Staff.id, Staff.display_name).where(
            Staff.id.in_([r.signed_by_id for r in rows.values() if r.signed_by_id])
        )
    }
    marks = {}
    for marker in MARKERS:
        row = rows.get(marker)
        grades = _grades(row.marks) if row else {}
        marks[marker] = Mark(
            marker=marker,
            grades=grades,
            score=score(scheme, grades),
            signed_by=names.get(row.signed_by_id, "") if row else "",
            signed_at=row.signed_at if row else None,
        )
    return marks


def month(staff_id: int, period: str, at: dt.datetime | None = None) -> MonthView:
    """The month's form as it stands (an empty form when nobody has marked it yet)."""
    parse_period(period, (at or now()).date())
    staff = _staff(staff_id)
    row = _month_row(staff_id, period)
    scheme = _scheme_of(row)
    marks = _marks(staff_id, period, scheme)
    current_shares = shares()
    if row is not None and row.closed:
        combined = _stored(row.combined_score)
        grade = row.grade
        current_shares = json.loads(row.shares) if row.shares else current_shares
    else:
        combined = combine({m: marks[m].total for m in MARKERS}, current_shares)
        grade = band(combined)
    supervisor_id = (
        row.supervisor_id if row is not None else _inherited_supervisor(staff_id, period)
    )
    supervisor = Staff.get_or_none(Staff.id == supervisor_id) if supervisor_id else None
    closed_by = ""
    if row is not None and row.closed and row.updated_by_id:
        closer = Staff.get_or_none(Staff.id == row.updated_by_id)
        closed_by = closer.display_name if closer else ""
    return MonthView(
        staff_id=staff.id,
        username=staff.username,
        staff_name=staff.display_name,
        department=staff.department,
        period=period,
        scheme=scheme,
        marks=marks,
        shares=current_shares,
        combined=combined,
        grade=grade,
        closed=bool(row and row.closed),
        closed_at=row.closed_at if row else None,
        closed_by=closed_by,
        supervisor_id=supervisor.id if supervisor else None,
        supervisor_name=supervisor.display_name if supervisor else "",
        facts=facts(staff_id, period, at),
    )


def _inherited_supervisor(staff_id: int, period: str) -> int | None:
    earlier = (
        AppraisalMonth.select(AppraisalMonth.supervisor)
        .where(
            AppraisalMonth.staff == staff_id,
            AppraisalMonth.period < period,
            AppraisalMonth.supervisor.is_null(False),
        )
        .order_by(AppraisalMonth.period.desc())
        .first()
    )
    return earlier.supervisor_id if earlier else None


# --- Who may mark ----------------------------------------------------------------------------


def _is_manager(actor: Staff | None) -> bool:
    return actor is not None and actor.active and actor.role == Role.MANAGER


def may_mark(actor: Staff | None, staff_id: int, marker: str, supervisor_id: int | None) -> bool:
    """Whether ``actor`` may enter (and sign) ``marker``'s mark of ``staff_id``'s month."""
    if actor is None or not actor.active:
        return False
    if _is_manager(actor):
        return True
    if marker == "self":
        return actor.id == staff_id
    if marker == "supervisor":
        return supervisor_id is not None and actor.id == supervisor_id and actor.id != staff_id
    return False


def may_view(actor: Staff | None, view: MonthView) -> bool:
    """An appraisal is seen by the manager, the staff member and the month's supervisor."""
    if actor is None or not actor.active:
        return False
    return _is_manager(actor) or actor.id in (view.staff_id, view.supervisor_id)


def require_view(actor: Staff | None, view: MonthView) -> None:
    if not may_view(actor, view):
        raise PermissionDenied(
            _("Only the manager, the staff member and their supervisor may see this appraisal.")
        )


def _require_mark(actor: Staff | None, staff_id: int, marker: str, supervisor_id: int | None):
    if marker not in MARKERS:
        raise ValidationError.single("marker", _("Choose self, supervisor or manager."))
    if may_mark(actor, staff_id, marker, supervisor_id):
        return
    messages = {
        "self": _("Only the staff member themself or the manager may enter the self mark."),
        "supervisor": _(
            "Only the manager or the supervisor chosen for this month may enter the supervisor's mark."
        ),
        "manager": _("Only the manager may enter the manager's mark."),
    }
    raise PermissionDenied(messages[marker])


def _open_month(staff_id: int, period: str, actor: Staff) -> AppraisalMonth:
    """The month's row, created with today's scheme and last month's supervisor; refuses a
    closed month. Call inside the write's transaction."""
    row = _month_row(staff_id, period)
    if row is None:
        row = AppraisalMonth.create(
            staff=staff_id,
            period=period,
            scheme=current_scheme().to_json(),
            supervisor=_inherited_supervisor(staff_id, period),
            created_by=actor,
            updated_by=actor,
        )
    if row.closed:
        raise Conflict(
            _("The appraisal of {period} is closed; its marks can no longer change.").format(
                period=period
            )
        )
    return row


def _refresh_combined(row: AppraisalMonth, period: str) -> None:
    scheme = _scheme_of(row)
    marks = _marks(row.staff_id, period, scheme)
    row.combined_score = combine({m: marks[m].total for m in MARKERS})
    row.grade = band(row.combined_score)


# --- Writing ---------------------------------------------------------------------------------


def save_marks(
    actor: Staff, staff_id: int, period: str, marker: str, grades: dict[str, str]
) -> MonthView:
    """Store ``marker``'s grades (item code → A–E; an item left out is ungraded)."""
    parse_period(period)
    staff = _staff(staff_id)
    with db.atomic():
        row = _open_month(staff.id, period, actor)
        _require_mark(actor, staff.id, marker, row.supervisor_id)
        scheme = _scheme_of(row)
        codes = {item.code for item in scheme.items}
        errors = {
            code: _("Choose a grade from A to E.")
            for code, grade in grades.items()
            if grade and (code not in codes or grade not in GRADE_POINTS)
        }
        if errors:
            raise ValidationError(errors)
        clean = {code: grade for code, grade in grades.items() if grade}
        mark = Appraisal.get_or_none(
            Appraisal.staff == staff.id, Appraisal.period == period, Appraisal.marker == marker
        )
        if mark is not None and mark.signed_at is not None:
            raise Conflict(
                _("The {marker} mark is signed; it can no longer change.").format(
                    marker=marker_label(marker)
                )
            )
        before = _grades(mark.marks) if mark else {}
        result = score(scheme, clean)
        if mark is None:
            mark = Appraisal(staff=staff.id, period=period, marker=marker, created_by=actor)
        mark.marks = json.dumps(clean, ensure_ascii=False, sort_keys=True)
        mark.score = result.total if result.complete else None
        mark.updated_by = actor
        mark.save()
        _refresh_combined(row, period)
        row.updated_by = actor
        row.save()
        changes = audit.diff(before, clean)
        audit.record(
            actor,
            "update",
            "appraisal",
            row.id,
            summary=f"{staff.username} {period} {marker}",
            changes=changes,
        )
    return month(staff.id, period)


def sign(actor: Staff, staff_id: int, period: str, marker: str) -> MonthView:
    """Sign ``marker``'s mark: every item must be graded; afterwards it no longer changes."""
    parse_period(period)
    staff = _staff(staff_id)
    with db.atomic():
        row = _open_month(staff.id, period, actor)
        _require_mark(actor, staff.id, marker, row.supervisor_id)
        mark = Appraisal.get_or_none(
            Appraisal.staff == staff.id, Appraisal.period == period, Appraisal.marker == marker
        )
        if mark is not None and mark.signed_at is not None:
            raise Conflict(
                _("The {marker} mark is signed already.").format(marker=marker_label(marker))
            )
        if mark is None or not score(_scheme_of(row), _grades(mark.marks)).complete:
            raise ValidationError.single(
                marker,
                _("Grade every item before signing the {marker} mark.").format(
                    marker=marker_label(marker)
                ),
            )
        mark.signed_by = actor
        mark.signed_at = now()
        mark.updated_by = actor
        mark.save()
        audit.record(
            actor, "sign", "appraisal", row.id, summary=f"{staff.username} {period} {marker}"
        )
    return month(staff.id, period)


def choose_supervisor(
    actor: Staff, staff_id: int, period: str, supervisor_id: int | None
) -> MonthView:
    """The manager chooses who gives the month's supervisor mark (None: the manager)."""
    auth.require(actor, "choose_appraisal_supervisor")
    parse_period(period)
    staff = _staff(staff_id)
    if supervisor_id is not None and supervisor_id not in dict(supervisor_choices(staff.id)):
        raise ValidationError.single(
            "supervisor", _("Choose another active member of the desk as the supervisor.")
        )
    with db.atomic():
        row = _open_month(staff.id, period, actor)
        mark = Appraisal.get_or_none(
            Appraisal.staff == staff.id,
            Appraisal.period == period,
            Appraisal.marker == "supervisor",
        )
        if mark is not None and mark.signed_at is not None and supervisor_id != row.supervisor_id:
            raise Conflict(
                _("The supervisor's mark is signed; the supervisor can no longer change.")
            )
        before = row.supervisor_id
        row.supervisor = supervisor_id
        row.updated_by = actor
        row.save()
        audit.record(
            actor,
            "update",
            "appraisal",
            row.id,
            summary=f"{staff.username} {period} supervisor",
            changes=audit.diff({"supervisor": before}, {"supervisor": supervisor_id}),
        )
    return month(staff.id, period)


def close_month(actor: Staff, staff_id: int, period: str) -> MonthView:
    """The manager closes the month: the combined score and band become final."""
    auth.require(actor, "close_appraisal")
    parse_period(period)
    staff = _staff(staff_id)
    with db.atomic():
        row = _open_month(staff.id, period, actor)
        scheme = _scheme_of(row)
        marks = _marks(staff.id, period, scheme)
        if not marks["manager"].signed:
            raise ValidationError.single(
                "manager", _("The manager's mark must be complete and signed to close the month.")
            )
        unsigned = [marks[m].label for m in MARKERS if marks[m].grades and not marks[m].signed]
        if unsigned:
            raise ValidationError.single(
                "marks",
                _("Sign or clear these marks before closing: {markers}.").format(
                    markers=", ".join(unsigned)
                ),
            )
        _refresh_combined(row, period)
        row.shares = json.dumps(shares())
        row.closed = True
        row.closed_at = now()
        row.updated_by = actor
        row.save()
        audit.record(
            actor,
            "close",
            "appraisal",
            row.id,
            summary=f"{staff.username} {period} {row.combined_score} {row.grade}",
        )
    return month(staff.id, period)


# --- Lists for the Staff section -------------------------------------------------------------


@dataclass(frozen=True)
class StaffRow:
    id: int
    username: str
    name: str
    role: str
    active: bool
    last_closed_period: str
    last_closed_grade: str
    open_months: int


@dataclass(frozen=True)
class MonthRow:
    period: str
    totals: dict[str, Decimal | None]
    signed: dict[str, bool]
    combined: Decimal | None
    grade: str
    closed: bool


def staff_rows() -> list[StaffRow]:
    """The staff to appraise: active clerks, and anyone who already has appraisal months.
    (A desk has a handful of people, so this is one small query.)"""
    with_months = AppraisalMonth.select(AppraisalMonth.staff)
    query = (
        Staff.select()
        .where(((Staff.active == True) & (Staff.role == Role.CLERK)) | Staff.id.in_(with_months))
        .order_by(Staff.active.desc(), Staff.display_name)
    )
    months: dict[int, list[AppraisalMonth]] = {}
    for row in AppraisalMonth.select().order_by(AppraisalMonth.period.desc()):
        months.setdefault(row.staff_id, []).append(row)
    result = []
    for staff in query:
        own = months.get(staff.id, [])
        closed = [m for m in own if m.closed]
        result.append(
            StaffRow(
                id=staff.id,
                username=staff.username,
                name=staff.display_name,
                role=staff.role,
                active=staff.active,
                last_closed_period=closed[0].period if closed else "",
                last_closed_grade=closed[0].grade if closed else "",
                open_months=sum(1 for m in own if not m.closed),
            )
        )
    return result


def month_rows(staff_id: int) -> list[MonthRow]:
    """A staff member's appraisal months, newest first."""
    marks: dict[str, dict[str, Appraisal]] = {}
    for mark in Appraisal.select().where(Appraisal.staff == staff_id):
        marks.setdefault(mark.period, {})[mark.marker] = mark
    result = []
    for row in (
        AppraisalMonth.select()
        .where(AppraisalMonth.staff == staff_id)
        .order_by(AppraisalMonth.period.desc())
    ):
        own = marks.get(row.period, {})
        result.append(
            MonthRow(
                period=row.period,
                totals={m: _stored(own[m].score) if m in own else None for m in MARKERS},
                signed={m: m in own and own[m].signed_at is not None for m in MARKERS},
                combined=_stored(row.combined_score),
                grade=row.grade,
                closed=row.closed,
            )
        )
    return result


# --- Facts ----------------------------------------------------------------------------------


def facts(staff_id: int, period: str, at: dt.datetime | None = None) -> Facts:
    """The desk's figures for one person's month (start inclusive, end exclusive):

    - receptions: active (not voided) receptions they handled, by time received;
    - complaints owned: complaints they received (first responder), by time received;
    - complaints closed: complaints they own that were closed in the month (status closed),
      and the median hours from receipt to closing of those;
    - overdue: complaints they own, overdue in the month by complaints.OVERDUE_DEFINITION
      (the monthly report's own meaning);
    - visits done / reached: return visits they completed in the month, and those where the
      customer was reached;
    - satisfaction: the average (1–5) on the complaints they closed in the month and on the
      return visits they completed in it.
    """
    start, end = parse_period(period, (at or now()).date())
    at = at or now()
    receptions = (
        Reception.select()
        .where(
            Reception.handler == staff_id,
            Reception.status == "active",
            Reception.received_at >= start,
            Reception.received_at < end,
        )
        .count()
    )
    owned = (
        Complaint.select()
        .where(
            Complaint.receiver == staff_id,
            Complaint.received_at >= start,
            Complaint.received_at < end,
        )
        .count()
    )
    closed = list(
        Complaint.select(Complaint.received_at, Complaint.closed_at, Complaint.satisfaction).where(
            Complaint.receiver == staff_id,
            Complaint.status == "closed",
            Complaint.closed_at >= start,
            Complaint.closed_at < end,
        )
    )
    hours = [(c.closed_at - c.received_at).total_seconds() / 3600 for c in closed]
    complaint_scores = [c.satisfaction for c in closed if c.satisfaction is not None]
    overdue = complaints.overdue_in(start, end, at, receiver_id=staff_id)
    visits = (
        ReturnVisit.select(
            fn.COUNT(ReturnVisit.id),
            fn.SUM((ReturnVisit.reached == True).cast("integer")),
            fn.AVG(ReturnVisit.satisfaction),
        )
        .where(
            ReturnVisit.done_by == staff_id,
            ReturnVisit.status == "done",
            ReturnVisit.done_at >= start,
            ReturnVisit.done_at < end,
        )
        .tuples()
        .get()
    )
    return Facts(
        receptions=receptions,
        complaints_owned=owned,
        complaints_closed=len(closed),
        median_hours_to_close=round(statistics.median(hours), 1) if hours else None,
        overdue=overdue,
        visits_done=int(visits[0] or 0),
        visits_reached=int(visits[1] or 0),
        complaint_satisfaction=(
            round(statistics.fmean(complaint_scores), 2) if complaint_scores else None
        ),
        visit_satisfaction=round(float(visits[2]), 2) if visits[2] is not None else None,
    )


# Facts as (label, text) pairs, shared by the dialog and the printed form.
FACT_LABELS = [
    ("receptions", N_("Receptions logged")),
    ("complaints_owned", N_("Complaints received (first responder)")),
    ("complaints_closed", N_("Complaints closed")),
    ("median_hours_to_close", N_("Median time to close")),
    ("overdue", N_("Complaints past their resolution limit")),
    ("visits_done", N_("Return visits done")),
    ("visits_reached", N_("Customers reached on visits")),
    ("complaint_satisfaction", N_("Satisfaction on complaints closed")),
    ("visit_satisfaction", N_("Satisfaction on return visits")),
]


def fact_lines(values: Facts) -> list[tuple[str, str]]:
    """The facts as the form shows them: translated label and formatted value."""
    lines = []
    for key, label in FACT_LABELS:
        value = getattr(values, key)
        if value is None:
            text = "—"
        elif key == "median_hours_to_close":
            text = _("{hours} h").format(hours=format_number(value))
        elif key.endswith("satisfaction"):
            text = _("{score} of 5").format(score=format_number(value))
        else:
            text = format_number(value)
        lines.append((_(label), text))
    return lines
