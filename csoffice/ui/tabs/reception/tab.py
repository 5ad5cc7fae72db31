"""The reception tab: the quick entry on top, the day view below, the selected reception's
actions (correct, follow-up done, void, turn into a complaint) and the daily sheet."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from csoffice import auth, receptions
from csoffice.changes import Change
from csoffice.errors import CsofficeError
from csoffice.i18n import _
from csoffice.paths import subfolder
from csoffice.ui.context import AppContext
from csoffice.ui.errors import show_message
from csoffice.ui.tabs.reception.day_view import DayView
from csoffice.ui.tabs.reception.quick_entry import QuickEntry
from csoffice.ui.tasks import run_task
from csoffice.ui.widgets.pdf_actions import PdfActions
from csoffice.ui.widgets.qt_dates import python_date
from csoffice.ui.widgets.refresh import RefreshOnChange

# What the day view shows (the reception, its caller's file, the complaint it became) and what
# its filters and the quick entry list (the office's channels and categories, the clerks).
CHANGES = (Change.RECEPTION, Change.COMPLAINT, Change.CUSTOMER, Change.STAFF, Change.SETTINGS)


class ReceptionTab(QWidget):
    """The reception desk: quick entry, the day view and its actions, the daily sheet."""

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        layout = QVBoxLayout(self)
        self.entry = QuickEntry(context)
        self.day_view = DayView(context, self)
        self.day_view.row_menu = self.build_menu
        # On a small screen the form scrolls instead of pushing the window past the screen.
        entry_area = QScrollArea()
        entry_area.setWidgetResizable(True)
        entry_area.setFrameShape(QFrame.Shape.NoFrame)
        entry_area.setWidget(self.entry)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(entry_area)
        self.splitter.addWidget(self.day_view)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([self.entry.sizeHint().height() + 4, 10_000])
        layout.addWidget(self.splitter, 1)

        actions = QHBoxLayout()
        self.edit_button = QPushButton(_("Correct…"))
        self.done_button = QPushButton(_("Follow-up done…"))
        self.void_button = QPushButton(_("Void…"))
        self.complaint_button = QPushButton(_("Turn into complaint"))
        self.complaint_button.setObjectName("turnIntoComplaint")
        self.complaint_button.setShortcut(QKeySequence("Ctrl+T"))
        self.complaint_button.setToolTip(
            _("The selected reception becomes a complaint form (Ctrl+T)")
        )
        self.print_button = QPushButton(_("Print daily sheet…"))
        self.print_button.setObjectName("printDailySheet")
        for button in (
            self.edit_button,
            self.done_button,
            self.void_button,
            self.complaint_button,
            self.print_button,
        ):
            button.setAutoDefault(False)
            actions.addWidget(button)
        actions.insertStretch(4, 1)
        layout.addLayout(actions)

        self.edit_button.clicked.connect(self.edit_current)
        self.done_button.clicked.connect(self.followup_done_current)
        self.void_button.clicked.connect(self.void_current)
        self.complaint_button.clicked.connect(self.turn_into_complaint)
        self.print_button.clicked.connect(self.print_daily_sheet)
        self.day_view.open_requested.connect(
            lambda rid: self.entry.guard.confirm(lambda: self.entry.load(rid))
        )
        self.day_view.selection_changed.connect(self._update_actions)
        self.entry.saved.connect(self._after_save)
        self.refresher = RefreshOnChange(self, CHANGES, self._on_changed)
        self.setFocusProxy(self.entry.phone)
        self.pdf = PdfActions(self, _("Daily sheet"))
        self._update_actions()

    # --- the selection's actions -------------------------------------------------------------

    def search_box(self) -> QWidget | None:
        """Where Ctrl+F puts the cursor."""
        return self.entry.phone

    def print_tab(self) -> object:
        """Ctrl+P: the day's reception sheet."""
        return self.print_daily_sheet()

    def build_menu(self) -> QMenu:
        menu = QMenu(self)
        for button in (self.edit_button, self.done_button, self.void_button, self.complaint_button):
            action = menu.addAction(button.text())
            action.setEnabled(button.isEnabled())
            action.triggered.connect(button.click)
        return menu

    def _update_actions(self) -> None:
        row = self.day_view.current_row()
        may_edit = auth.can(self.context.staff, "edit")
        active = row is not None and row.status == "active" and may_edit
        self.edit_button.setEnabled(active)
        # With no row chosen (or a voided one) nothing but printing applies.
        self.done_button.setEnabled(active and row is not None and row.followup_pending)
        unlinked = row is not None and row.complaint_id is None
        self.void_button.setEnabled(active and unlinked)
        self.complaint_button.setEnabled(active and unlinked)
        self.print_button.setEnabled(auth.can(self.context.staff, "print"))

    def focus_quick_entry(self) -> None:
        self.entry.focus_first()

    def _after_save(self, reception_id: int) -> None:
        self.refresher.refresh_now()
        self.day_view.select_id(reception_id)

    def _on_changed(self, kinds: frozenset[Change]) -> None:
        if kinds & {Change.STAFF, Change.SETTINGS}:
            self.entry.reload_choices()
            self.day_view.reload_choices()
        self.day_view.refresh()

    def edit_current(self) -> None:
        row = self.day_view.current_row()
        if row is not None:
            self.entry.load(row.id)

    def _ask(self, title: str, label: str, accepted) -> QInputDialog:
        dialog = QInputDialog(self)
        dialog.setWindowTitle(title)
        dialog.setLabelText(label)
        dialog.setInputMode(QInputDialog.InputMode.TextInput)
        dialog.textValueSelected.connect(accepted)
        dialog.open()
        self.input_dialog = dialog
        return dialog

    def void_current(self) -> QInputDialog | None:
        row = self.day_view.current_row()
        if row is None:
            return None
        return self._ask(
            _("Void reception"),
            _("Why is the reception of {caller} voided?").format(caller=row.caller or row.id),
            lambda reason, rid=row.id: self._run(
                lambda: receptions.void(self.context.staff, rid, reason)
            ),
        )

    def followup_done_current(self) -> QInputDialog | None:
        row = self.day_view.current_row()
        if row is None:
            return None
        return self._ask(
            _("Follow-up done"),
            _("What came of the follow-up with {caller}? (optional)").format(
                caller=row.caller or row.id
            ),
            lambda note, rid=row.id: self._run(
                lambda: receptions.mark_followup_done(self.context.staff, rid, note)
            ),
        )

    def _run(self, change) -> None:
        try:
            change()
        except CsofficeError as exc:
            show_message(self, _("Not saved"), str(exc))
            return
        self.refresher.refresh_now()

    def turn_into_complaint(self):
        """Open the complaint form filled in from the selected reception; saving links the two."""
        from csoffice import complaints
        from csoffice.ui.dialogs.complaint_form import ComplaintForm

        row = self.day_view.current_row()
        if row is None or row.complaint_id is not None:
            return None
        form = ComplaintForm(
            self.context,
            draft=complaints.draft_from_reception(row.id),
            reception_id=row.id,
            parent=self,
        )
        form.saved.connect(lambda _complaint_id: self.refresher.refresh_now())
        form.open()
        self.complaint_form = form
        return form

    # --- the daily sheet -------------------------------------------------------------------

    def sheet_day(self) -> dt.date:
        if self.day_view.pending.isChecked():
            return dt.date.today()
        return python_date(self.day_view.date_to.date())

    def print_daily_sheet(self):
        """Write the day's sheet off the UI thread, then show it in the print preview (the
        tab's print action: Ctrl+P may call it)."""
        from csoffice.reception_day import print_daily_sheet

        day = self.sheet_day()
        path = subfolder("reports") / f"daily-{day.isoformat()}.pdf"
        staff = self.context.staff
        task = run_task(
            self,
            _("Preparing the daily sheet…"),
            lambda _progress: print_daily_sheet(staff, day, path),
        )
        task.succeeded.connect(self._sheet_ready)
        task.failed.connect(lambda message: show_message(self, _("No daily sheet"), message))
        self.task = task
        return task

    @property
    def pdf_path(self) -> Path | None:
        """The daily sheet last written (None before the first)."""
        return self.pdf.path

    def _sheet_ready(self, path: Path) -> None:
        """The sheet in the print preview: Print…, Save as PDF…, Close."""
        self.pdf.path = Path(path)
        self.sheet_preview = self.pdf.preview()
