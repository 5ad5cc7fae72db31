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

from csoffice.appraisal.facts import FACT_LABELS, Facts, fact_lines, facts
from csoffice.appraisal.lists import MonthRow, StaffRow, month_rows, staff_rows
from csoffice.appraisal.marking import choose_supervisor, close_month, save_marks, sign
from csoffice.appraisal.months import Mark, MonthView, may_mark, may_view, month, require_view
from csoffice.appraisal.people import parse_period, period_of, staff_by_username, supervisor_choices
from csoffice.appraisal.scheme import (
    BAND_LABELS,
    DEFAULT_BANDS,
    DEFAULT_SHARES,
    GRADE_POINTS,
    GRADES,
    GROUP_LABELS,
    ITEM_LABELS,
    MARKER_LABELS,
    MARKERS,
    Group,
    Item,
    MarkScore,
    Scheme,
    band,
    band_label,
    bands,
    combine,
    current_scheme,
    item_points,
    marker_label,
    parse_scheme,
    scheme_problems,
    score,
    settings_problems,
    shares,
)

__all__ = [
    "BAND_LABELS",
    "DEFAULT_BANDS",
    "DEFAULT_SHARES",
    "FACT_LABELS",
    "GRADES",
    "GRADE_POINTS",
    "GROUP_LABELS",
    "ITEM_LABELS",
    "MARKERS",
    "MARKER_LABELS",
    "Facts",
    "Group",
    "Item",
    "Mark",
    "MarkScore",
    "MonthRow",
    "MonthView",
    "Scheme",
    "StaffRow",
    "band",
    "band_label",
    "bands",
    "choose_supervisor",
    "close_month",
    "combine",
    "current_scheme",
    "fact_lines",
    "facts",
    "item_points",
    "marker_label",
    "may_mark",
    "may_view",
    "month",
    "month_rows",
    "parse_period",
    "parse_scheme",
    "period_of",
    "require_view",
    "save_marks",
    "scheme_problems",
    "score",
    "settings_problems",
    "shares",
    "sign",
    "staff_by_username",
    "staff_rows",
    "supervisor_choices",
]
