"""Writing an appraisal month: marks, signatures, the chosen supervisor, closing."""

from __future__ import annotations

import json

from csoffice import audit, auth
from csoffice.appraisal.months import (
    MonthView,
    _grades,
    _marks,
    _open_month,
    _refresh_combined,
    _require_mark,
    _scheme_of,
    month,
)
from csoffice.appraisal.people import _staff, parse_period, supervisor_choices
from csoffice.appraisal.scheme import GRADE_POINTS, MARKERS, marker_label, score, shares
from csoffice.changes import Change, emit
from csoffice.db.database import db
from csoffice.db.models import (
    Appraisal,
    Staff,
    now,
)
from csoffice.errors import Conflict, ValidationError
from csoffice.i18n import _

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
    emit(Change.APPRAISAL)
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
    emit(Change.APPRAISAL)
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
        row.supervisor_id = supervisor_id
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
    emit(Change.APPRAISAL)
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
    emit(Change.APPRAISAL)
    return month(staff.id, period)
