"""Reading one person's appraisal month, and who may mark or view it."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal

from csoffice.appraisal.facts import Facts, facts
from csoffice.appraisal.people import _staff, parse_period
from csoffice.appraisal.scheme import (
    DEFAULT_BANDS,
    GRADE_POINTS,
    MARKERS,
    MarkScore,
    Scheme,
    _stored,
    band,
    band_label,
    bands,
    combine,
    current_scheme,
    marker_label,
    parse_scheme,
    score,
    shares,
)
from csoffice.auth import Role
from csoffice.db.models import (
    Appraisal,
    AppraisalMonth,
    Staff,
    now,
)
from csoffice.errors import Conflict, PermissionDenied, ValidationError
from csoffice.i18n import _

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
    # The office's grade bands, for the form's key (appraisal.bands).
    bands: dict[str, int | float] = field(default_factory=lambda: dict(DEFAULT_BANDS))

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
            signed_by=names.get(row.signed_by_id, "") if row and row.signed_by_id else "",
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
        bands=bands(),
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
