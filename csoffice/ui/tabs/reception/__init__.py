"""The reception desk tab: the quick-entry form on top, the day view below.

Keyboard first: F2 (anywhere in the app) puts the cursor in the phone field, Tab follows
the form, Enter saves, Esc clears, and after saving the form is ready for the next call.

- ``quick_entry``: the form (QuickEntry), the caller recognised from the digits typed;
- ``caller_picks``: the list of callers who share the digits typed;
- ``day_view``: the list of receptions and its filters (DayView, COLUMNS);
- ``tab``: the tab (ReceptionTab), the selected reception's actions, the daily sheet.
"""

from csoffice.ui.tabs.reception.caller_picks import customers_line
from csoffice.ui.tabs.reception.day_view import COLUMNS, DayView
from csoffice.ui.tabs.reception.quick_entry import CALLERS_COUNTED, QuickEntry
from csoffice.ui.tabs.reception.tab import ReceptionTab

__all__ = ["CALLERS_COUNTED", "COLUMNS", "DayView", "QuickEntry", "ReceptionTab", "customers_line"]
