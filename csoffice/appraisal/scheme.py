"""The appraisal scheme (groups, items, weights, shares, bands) and its pure arithmetic."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise
from typing import Any

from csoffice import settings
from csoffice.errors import ValidationError
from csoffice.i18n import N_, _

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
        and all(isinstance(v := shares.get(m), int | float) and v >= 0 for m in MARKERS)
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
    present = {
        m: total
        for m in MARKERS
        if (total := totals.get(m)) is not None and marker_shares.get(m, 0) > 0
    }
    weight = sum(Decimal(str(marker_shares[m])) for m in present)
    if not present or weight == 0:
        return None
    weighed = sum(
        (Decimal(str(marker_shares[m])) * total for m, total in present.items()), Decimal(0)
    )
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
