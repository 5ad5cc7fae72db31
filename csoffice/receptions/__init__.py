"""The reception log (来访/来电登记): every call and visit, logged while it happens.

Create, edit (audited with before and after), void with a reason, follow-ups owed and
their completion, the day view's queries, finding a caller by phone as the digits arrive,
opening a customer file for an unknown caller, the daily sheet's figures and the export.

The package, by responsibility (each module imports only those above it; callers use this
``__init__``, which keeps every public name)::

    codes      the code tables, labels, the office's channels and categories
    form       typed input, cleaning, the handlers offered
    records    log, correct, void                      lists      the day view's filters and rows
    followup   follow-ups owed and their completion    caller     finding a caller by phone
    figures    the daily sheet's figures, volumes      exporting  the receptions' export
    integrity  consistency checks

Every write tells ``csoffice.changes`` after its transaction: RECEPTION (opening a file for a
caller: CUSTOMER, through the customer archive).
"""

from __future__ import annotations

from csoffice.receptions.caller import (
    MIN_LOOKUP_DIGITS,
    CallerMatch,
    completed_phone,
    create_customer_from_caller,
    lookup_caller,
)
from csoffice.receptions.codes import (
    CALLER_KINDS,
    CATEGORIES,
    CHANNELS,
    DIRECTIONS,
    STATUSES,
    caller_kind_label,
    categories,
    category_label,
    channel_label,
    channels,
    direction_label,
    status_label,
)
from csoffice.receptions.exporting import EXPORT_COLUMNS, export
from csoffice.receptions.figures import DailyFigures, daily_figures, volumes
from csoffice.receptions.followup import (
    followups_due,
    followups_open_at_end_of,
    followups_owed,
    mark_followup_done,
)
from csoffice.receptions.form import AUDITED_FIELDS, ReceptionInput, clean, handlers, to_input
from csoffice.receptions.integrity import check_links
from csoffice.receptions.lists import SORTS, DayFilter, ReceptionRow, count, row, rows, search_ids
from csoffice.receptions.records import create, get, load, update, void

__all__ = [
    "AUDITED_FIELDS",
    "CALLER_KINDS",
    "CATEGORIES",
    "CHANNELS",
    "DIRECTIONS",
    "EXPORT_COLUMNS",
    "MIN_LOOKUP_DIGITS",
    "SORTS",
    "STATUSES",
    "CallerMatch",
    "DailyFigures",
    "DayFilter",
    "ReceptionInput",
    "ReceptionRow",
    "caller_kind_label",
    "categories",
    "category_label",
    "channel_label",
    "channels",
    "check_links",
    "clean",
    "completed_phone",
    "count",
    "create",
    "create_customer_from_caller",
    "daily_figures",
    "direction_label",
    "export",
    "followups_due",
    "followups_open_at_end_of",
    "followups_owed",
    "get",
    "handlers",
    "load",
    "lookup_caller",
    "mark_followup_done",
    "row",
    "rows",
    "search_ids",
    "status_label",
    "to_input",
    "update",
    "void",
    "volumes",
]
