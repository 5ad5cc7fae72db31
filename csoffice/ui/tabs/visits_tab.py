"""Return visits (回访): the due list with its filters; open a call to record it, schedule one by
hand, the manager's sample check, export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from csoffice import auth, visits
from csoffice.changes import Change
from csoffice.errors import CsofficeError
from csoffice.i18n import N_, _, format_date, format_datetime, format_number
from csoffice.paths import subfolder
from csoffice.ui.context import AppContext
from csoffice.ui.errors import show_message
from csoffice.ui.models.lazy_table import Column, LazyTableModel
from csoffice.ui.tasks import run_task
from csoffice.ui.widgets.lazy_table_view import LazyTableView
from csoffice.ui.widgets.pdf_actions import PdfActions
from csoffice.ui.widgets.refresh import RefreshOnChange, refill
from csoffice.ui.widgets.sheet_export import ask_export_file, run_export
from csoffice.visits import VisitFilter, VisitRow

# What the list shows (a call, its customer, the complaint or service it follows) and what its
# filter lists (the clerks, who may be assigned calls as the settings say).
CHANGES = (
    Change.VISIT,
    Change.CUSTOMER,
    Change.COMPLAINT,
    Change.SERVICE_EVENT,
    Change.STAFF,
    Change.SETTINGS,
)

COLUMNS = [
    Column("due_on", N_("Due date"), lambda r: format_date(r.due_on, "short"), sort_key="due_on"),
    Column("overdue", N_("Overdue"), lambda r: r.deadline_label),
    Column("customer", N_("Customer"), lambda r: r.customer_name, sort_key="customer"),
    Column("phone", N_("Mobile"), lambda r: r.phone),
    Column("kind", N_("Type"), lambda r: r.kind_label, sort_key="kind"),
    Column("subject", N_("About"), lambda r: r.subject),
    Column("assigned", N_("Assigned to"), lambda r: r.assigned_name, sort_key="assigned"),
    Column("result", N_("Call result"), lambda r: r.result_label, sort_key="attempts"),
    Column(
        "satisfaction", N_("Satisfaction"), lambda r: r.satisfaction_label, sort_key="satisfaction"
    ),
    Column(
        "done_at",
        N_("Done at"),
        lambda r: " ".join(x for x in (format_datetime(r.done_at), r.done_by_name) if x),
        sort_key="done_at",
    ),
]


def row_style(row: VisitRow) -> str | None:
    if row.status == "due" and row.overdue_days > 0:
        return "overdue"
    if row.satisfaction is not None and row.satisfaction <= visits.DISSATISFIED:
        return "warning"
    if row.status == "cancelled":
        return "muted"
    return None


class VisitsTab(QWidget):
    """The calls to make and those made, lazily loaded."""

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.staff = context.staff
        self.dialog = None
        layout = QVBoxLayout(self)

        filters = QHBoxLayout()
        self.view = QComboBox()
        self.view.setObjectName("visitView")
        for code, label in visits.VIEWS.items():
            self.view.addItem(_(label), code)
        self.kind = QComboBox()
        self.kind.setObjectName("visitKind")
        self.kind.addItem(_("Every type"), "")
        for code, label in visits.kinds():
            self.kind.addItem(label, code)
        self.assignee = QComboBox()
        self.assignee.setObjectName("visitStaff")
        self.reload_staff()
        for label, combo in (
            (_("Show"), self.view),
            (_("Type"), self.kind),
            (_("Staff"), self.assignee),
        ):
            filters.addWidget(QLabel(label))
            filters.addWidget(combo, 1)
        layout.addLayout(filters)

        self.model = LazyTableModel(
            COLUMNS, self._fetch_ids, visits.rows, row_style=row_style, parent=self
        )
        self.table = LazyTableView(self.model, "visitTable")
        self.table.setSortingEnabled(False)  # the view's own order until a header is clicked
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the view's own order first
        header.sectionClicked.connect(self._sort_by)
        for column, width in enumerate((100, 90, 90, 110, 150, 220, 80, 150, 100)):
            header.resizeSection(column, width)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.opened.connect(self.open_visit)
        layout.addWidget(self.table, 1)

        bottom = QHBoxLayout()
        self.totals_label = QLabel()
        self.totals_label.setObjectName("visitTotals")
        self.open_button = QPushButton(_("Open (Enter)"))
        self.open_button.clicked.connect(self.open_current)
        self.new_button = QPushButton(_("Schedule a call…"))
        self.new_button.setObjectName("scheduleVisitButton")
        self.new_button.clicked.connect(self.new_visit)
        self.new_button.setEnabled(auth.can(self.staff, "edit"))
        self.sample_button = QPushButton(_("Sample check…"), self)
        self.sample_button.setObjectName("sampleCheck")
        self.sample_button.clicked.connect(self.ask_sample_check)
        self.sample_button.setVisible(auth.can(self.staff, "sample_check"))
        self.export_button = QPushButton(_("Export…"), self)
        self.export_button.clicked.connect(self.choose_export)
        self.export_button.setVisible(auth.can(self.staff, "export"))
        self.sheet_button = QPushButton(_("Daily sheet…"), self)
        self.sheet_button.setObjectName("visitDaySheet")
        self.sheet_button.setToolTip(_("Today's calls, their results and answers, as a PDF"))
        self.sheet_button.clicked.connect(self.print_day_sheet)
        self.sheet_button.setEnabled(auth.can(self.staff, "print"))
        self.pdf = PdfActions(self, _("Daily return-visit sheet"))
        bottom.addWidget(self.totals_label, 1)
        for button in (
            self.sheet_button,
            self.export_button,
            self.sample_button,
            self.new_button,
            self.open_button,
        ):
            button.setAutoDefault(False)
            bottom.addWidget(button)
        layout.addLayout(bottom)
        shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.New), self)
        shortcut.activated.connect(self.new_visit)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

        for combo in (self.view, self.kind, self.assignee):
            combo.currentIndexChanged.connect(self.refresh)
        self.refresher = RefreshOnChange(self, CHANGES, self._on_changed)
        self.setFocusProxy(self.table)
        self.refresh()

    # --- the daily sheet ----------------------------------------------------------------------

    def search_box(self) -> QWidget | None:
        """Where Ctrl+F puts the cursor."""
        return self.table

    def print_day_sheet(self, day: dt.date | None = None):
        """Write the day's return-visit sheet (回访日报) off the UI thread, then show it."""
        from csoffice import visit_day

        day = day or dt.date.today()
        path = subfolder("reports") / f"visits-{day.isoformat()}.pdf"
        staff = self.staff
        task = run_task(
            self,
            _("Preparing the daily return-visit sheet…"),
            lambda _progress: visit_day.print_sheet(staff, day, path),
        )
        task.succeeded.connect(self._sheet_ready)
        task.failed.connect(lambda message: show_message(self, _("No daily sheet"), message))
        self.sheet_task = task
        return task

    def _sheet_ready(self, path) -> None:
        self.pdf.path = Path(path)
        self.pdf.preview()

    # --- filters ------------------------------------------------------------------------

    def reload_staff(self) -> None:
        refill(
            self.assignee,
            visits.staff_choices(),
            [(None, _("Everyone")), ("none", _("Not assigned"))],
        )

    def criteria(self) -> VisitFilter:
        staff = self.assignee.currentData()
        return VisitFilter(
            view=self.view.currentData(),
            kind=self.kind.currentData() or "",
            staff_id=staff if isinstance(staff, int) else None,
            unassigned=staff == "none",
        )

    def _fetch_ids(self, sort: str | None, descending: bool) -> list[int]:
        return visits.search_ids(self.criteria(), sort, descending)

    def _sort_by(self, column: int) -> None:
        if self.model.columns[column].sort_key is None:
            return
        self.model.sort(column, self.table.horizontalHeader().sortIndicatorOrder())

    def refresh(self) -> None:
        self.model.refresh()
        self.totals_label.setText(
            _("{count} return visits").format(count=format_number(self.model.total()))
        )
        if self.model.rowCount() and not self.table.currentIndex().isValid():
            self.table.selectRow(0)

    def _on_changed(self, kinds: frozenset[Change]) -> None:
        if kinds & {Change.STAFF, Change.SETTINGS}:
            self.reload_staff()
        self.refresh()

    # --- actions ------------------------------------------------------------------------

    def open_current(self):
        row = max(0, self.table.currentIndex().row())
        return self.open_visit(self.model.row_id(row))

    def open_visit(self, visit_id: int | None):
        if visit_id is None:
            return None
        from csoffice.ui.dialogs.visit_dialog import VisitDialog

        dialog = VisitDialog(self.context, visit_id, self)
        # The call this list opened shows its result here at once (other views follow the
        # visit write's change event).
        dialog.recorded.connect(lambda _id: self.refresher.refresh_now())
        dialog.finished.connect(lambda _result: self.refresher.refresh_now())
        self.dialog = dialog
        dialog.open()
        return dialog

    def new_visit(self):
        if not auth.can(self.staff, "edit"):
            return None
        from csoffice.ui.dialogs.visit_dialog import ScheduleDialog

        dialog = ScheduleDialog(self.context, self)
        dialog.saved.connect(lambda _id: self.refresher.refresh_now())
        self.dialog = dialog
        dialog.open()
        return dialog

    def ask_sample_check(self) -> QMessageBox:
        size = visits.sample_size()
        first, _last = visits.last_month(dt.date.today())
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Sample check"),
            _(
                "Draw {size} of the calls completed in {month} at random for a second call, due "
                "today and given to you?"
            ).format(size=size, month=first.strftime("%Y-%m")),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.buttonClicked.connect(
            lambda button: (
                self.sample_check()
                if box.standardButton(button) == QMessageBox.StandardButton.Yes
                else None
            )
        )
        self.sample_box = box
        box.open()
        return box

    def sample_check(self) -> list[int]:
        try:
            ids = visits.sample_check(self.staff)
        except CsofficeError as exc:
            show_message(self, _("Sample check"), str(exc))
            return []
        self.view.setCurrentIndex(self.view.findData("due"))
        self.kind.setCurrentIndex(self.kind.findData("sample"))
        self.refresher.refresh_now()
        show_message(
            self,
            _("Sample check"),
            _("{count} calls drawn for a second call.").format(count=len(ids)),
            QMessageBox.Icon.Information,
        )
        return ids

    def choose_export(self) -> None:
        self.export_dialog = ask_export_file(
            self, _("Export the return visits"), "visits.xlsx", self.export_to
        )

    def export_to(self, path: str):
        """Export every return visit, off the UI thread."""
        staff = self.staff
        task = run_export(
            self,
            _("Exporting return visits…"),
            lambda _progress: visits.export(staff, Path(path)),
            _("{count} return visits exported to {path}"),
            path,
        )
        self.export_task = task
        return task
