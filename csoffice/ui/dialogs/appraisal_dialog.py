"""The Staff section (员工考核): the staff and their appraisal months on the left, the chosen
month's form on the right — three columns of grades (self, supervisor, manager) per item with
live totals, the desk's facts for the month, and the sign, close and print buttons.

Grades are kept when the person switches to another staff member or month, or leaves the
dialog: pending changes are saved first (the domain refuses what the person may not change,
and those columns are not editable here anyway)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QDate, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from csoffice import appraisal
from csoffice.appraisal import GRADE_POINTS, GRADES, MARKERS, MonthView
from csoffice.auth import ROLE_LABELS, Role
from csoffice.errors import CsofficeError
from csoffice.i18n import _, format_datetime, format_number
from csoffice.paths import subfolder
from csoffice.ui.context import AppContext
from csoffice.ui.desk_keys import DeskDialog


def _score_text(value: Decimal | None) -> str:
    return format_number(value) if value is not None else "—"


def _read_only_table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class AppraisalDialog(DeskDialog):
    """The manager's Staff section; ``changed`` is emitted after every stored change."""

    changed = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.staff = context.staff
        self.view: MonthView | None = None
        self.staff_id: int | None = None
        self.combos: dict[tuple[str, str], QComboBox] = {}
        self.open_printed = True  # show the printed form in the print preview
        self._loading = False
        self.setObjectName("appraisalDialog")
        self.setWindowTitle(_("Staff appraisal"))
        self.resize(1220, 760)

        splitter = QSplitter(self)
        splitter.addWidget(self._build_lists())
        splitter.addWidget(self._build_form())
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([430, 790])
        outer = QVBoxLayout(self)
        outer.addWidget(splitter)
        self.refresh_staff()
        if self.staff_table.rowCount():
            self.staff_table.selectRow(0)

    # --- construction -------------------------------------------------------------------

    def _build_lists(self) -> QWidget:
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(QLabel(_("Staff")))
        self.staff_table = _read_only_table(
            [_("Name"), _("Role"), _("Last closed"), _("Grade"), _("Months open")]
        )
        self.staff_table.setObjectName("appraisalStaff")
        self.staff_table.itemSelectionChanged.connect(self._staff_chosen)
        column.addWidget(self.staff_table, 2)
        column.addWidget(QLabel(_("Months")))
        self.months_table = _read_only_table(
            [_("Month"), *[appraisal.marker_label(m) for m in MARKERS], _("Combined"), _("Grade")]
        )
        self.months_table.setObjectName("appraisalMonths")
        self.months_table.itemSelectionChanged.connect(self._month_chosen)
        column.addWidget(self.months_table, 3)
        return holder

    def _build_form(self) -> QWidget:
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)

        top = QHBoxLayout()
        self.heading = QLabel()
        heading_font = QFont(self.heading.font())
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.25)
        heading_font.setBold(True)
        self.heading.setFont(heading_font)
        top.addWidget(self.heading, 1)
        top.addWidget(QLabel(_("Month")))
        self.period_edit = QDateEdit()
        self.period_edit.setObjectName("appraisalPeriod")
        self.period_edit.setDisplayFormat("yyyy-MM")
        self.period_edit.setMaximumDate(QDate.currentDate())
        self.period_edit.setDate(QDate.currentDate())
        self.period_edit.dateChanged.connect(self._period_changed)
        top.addWidget(self.period_edit)
        top.addWidget(QLabel(_("Supervisor")))
        self.supervisor_combo = QComboBox()
        self.supervisor_combo.setObjectName("appraisalSupervisor")
        self.supervisor_combo.setMinimumWidth(120)
        self.supervisor_combo.activated.connect(self._supervisor_chosen)
        top.addWidget(self.supervisor_combo)
        column.addLayout(top)

        self.status_label = QLabel()
        self.status_label.setObjectName("appraisalStatus")
        column.addWidget(self.status_label)

        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        column.addWidget(self.scroll_area, 1)

        self.combined_label = QLabel()
        self.combined_label.setObjectName("appraisalCombined")
        combined_font = QFont(self.combined_label.font())
        combined_font.setBold(True)
        self.combined_label.setFont(combined_font)
        column.addWidget(self.combined_label)

        self.facts_box = QGroupBox(
            _("The desk's records for the month (for information; not scored)")
        )
        facts_grid = QGridLayout(self.facts_box)
        self.fact_labels: dict[str, QLabel] = {}
        for index, (key, label) in enumerate(appraisal.FACT_LABELS):
            value = QLabel()
            value.setObjectName(f"fact_{key}")
            self.fact_labels[key] = value
            row, pair = divmod(index, 3)
            facts_grid.addWidget(QLabel(_(label)), row, pair * 2)
            facts_grid.addWidget(value, row, pair * 2 + 1)
        column.addWidget(self.facts_box)

        self.message = QLabel()
        self.message.setObjectName("formMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        column.addWidget(self.message)

        buttons = QHBoxLayout()
        self.save_button = QPushButton(_("Save grades"))
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.save_button)
        self.sign_buttons: dict[str, QPushButton] = {}
        for marker in MARKERS:
            button = QPushButton(
                _("Sign the {marker} mark").format(marker=appraisal.marker_label(marker))
            )
            button.setObjectName(f"sign_{marker}")
            button.clicked.connect(lambda _checked=False, m=marker: self.sign(m))
            self.sign_buttons[marker] = button
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.close_month_button = QPushButton(_("Close the month"))
        self.close_month_button.clicked.connect(self.confirm_close)
        buttons.addWidget(self.close_month_button)
        self.print_button = QPushButton(_("Print"))
        self.print_button.clicked.connect(self.print_form)
        buttons.addWidget(self.print_button)
        self.done_button = QPushButton(_("Close"))
        self.done_button.clicked.connect(self.accept)
        buttons.addWidget(self.done_button)
        column.addLayout(buttons)
        return holder

    def _build_grid(self, view: MonthView) -> None:
        """The items with a grade combo per marker; rebuilt for each month (its own scheme)."""
        page = QWidget()
        grid = QGridLayout(page)
        grid.setHorizontalSpacing(10)
        bold = QFont(page.font())
        bold.setBold(True)
        headers = [_("Item"), _("Weight")] + [
            _("{marker} ({share}%)").format(
                marker=appraisal.marker_label(m), share=format_number(view.shares[m])
            )
            for m in MARKERS
        ]
        for col, text in enumerate(headers):
            label = QLabel(text)
            label.setFont(bold)
            grid.addWidget(label, 0, col)
        self.combos = {}
        self.group_labels: dict[tuple[str, str], QLabel] = {}
        row = 1
        for group in view.scheme.groups:
            title = QLabel(group.label)
            title.setFont(bold)
            grid.addWidget(title, row, 0)
            weight = QLabel(f"{group.weight}%")
            weight.setFont(bold)
            grid.addWidget(weight, row, 1)
            for col, marker in enumerate(MARKERS, start=2):
                subtotal = QLabel()
                subtotal.setObjectName(f"group_{marker}_{group.code}")
                self.group_labels[(marker, group.code)] = subtotal
                grid.addWidget(subtotal, row, col)
            row += 1
            for item in group.items:
                grid.addWidget(QLabel("    " + item.label), row, 0)
                grid.addWidget(QLabel(str(item.weight)), row, 1)
                for col, marker in enumerate(MARKERS, start=2):
                    combo = QComboBox()
                    combo.setObjectName(f"grade_{marker}_{item.code}")
                    combo.addItem("—", "")
                    for grade in GRADES:
                        combo.addItem(f"{grade}  ({GRADE_POINTS[grade]})", grade)
                    combo.setCurrentIndex(
                        max(0, combo.findData(view.marks[marker].grades.get(item.code, "")))
                    )
                    combo.currentIndexChanged.connect(self._grades_changed)
                    self.combos[(marker, item.code)] = combo
                    grid.addWidget(combo, row, col)
                row += 1
        total_title = QLabel(_("Total (of 100)"))
        total_title.setFont(bold)
        grid.addWidget(total_title, row, 0)
        grid.addWidget(QLabel("100"), row, 1)
        self.total_labels: dict[str, QLabel] = {}
        self.signed_labels: dict[str, QLabel] = {}
        for col, marker in enumerate(MARKERS, start=2):
            total = QLabel()
            total.setObjectName(f"total_{marker}")
            total.setFont(bold)
            self.total_labels[marker] = total
            grid.addWidget(total, row, col)
            signed = QLabel()
            signed.setObjectName(f"signed_{marker}")
            signed.setWordWrap(True)
            self.signed_labels[marker] = signed
            grid.addWidget(signed, row + 1, col)
        grid.addWidget(QLabel(_("Signed")), row + 1, 0)
        grid.setRowStretch(row + 2, 1)
        grid.setColumnStretch(0, 1)
        self.scroll_area.setWidget(page)

    # --- lists ---------------------------------------------------------------------------

    def refresh_staff(self) -> None:
        rows = appraisal.staff_rows()
        self.staff_ids = [row.id for row in rows]
        self.staff_table.blockSignals(True)
        self.staff_table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            role = _(ROLE_LABELS[Role(row.role)]) if row.role in set(Role) else row.role
            name = row.name if row.active else _("{name} (left)").format(name=row.name)
            values = [
                name,
                role,
                row.last_closed_period,
                row.last_closed_grade,
                str(row.open_months or ""),
            ]
            for col, value in enumerate(values):
                self.staff_table.setItem(index, col, QTableWidgetItem(value))
        if self.staff_id in self.staff_ids:
            self.staff_table.selectRow(self.staff_ids.index(self.staff_id))
        self.staff_table.blockSignals(False)

    def refresh_months(self) -> None:
        rows = appraisal.month_rows(self.staff_id) if self.staff_id else []
        self.month_periods = [row.period for row in rows]
        self.months_table.blockSignals(True)
        self.months_table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            totals = [_score_text(row.totals[m]) + (" ✓" if row.signed[m] else "") for m in MARKERS]
            grade = row.grade + (" " + _("closed") if row.closed else "")
            values = [row.period, *totals, _score_text(row.combined), grade]
            for col, value in enumerate(values):
                self.months_table.setItem(index, col, QTableWidgetItem(value))
        current = self.period()
        if current in self.month_periods:
            self.months_table.selectRow(self.month_periods.index(current))
        else:
            self.months_table.clearSelection()
        self.months_table.blockSignals(False)

    def _staff_chosen(self) -> None:
        rows = self.staff_table.selectionModel().selectedRows()
        if not rows:
            return
        staff_id = self.staff_ids[rows[0].row()]
        if staff_id == self.staff_id:
            return
        if not self.save_pending():
            if self.staff_id is not None:  # keep the person whose marks are pending selected
                self.staff_table.blockSignals(True)
                self.staff_table.selectRow(self.staff_ids.index(self.staff_id))
                self.staff_table.blockSignals(False)
            return
        self.staff_id = staff_id
        self.refresh_months()
        self.load()

    def _month_chosen(self) -> None:
        rows = self.months_table.selectionModel().selectedRows()
        if rows:
            self.set_period(self.month_periods[rows[0].row()])

    def period(self) -> str:
        date = self.period_edit.date()
        return f"{date.year():04d}-{date.month():02d}"

    def set_period(self, period: str) -> None:
        year, month = (int(part) for part in period.split("-"))
        self.period_edit.setDate(QDate(year, month, 1))

    def _period_changed(self) -> None:
        view = self.view
        if view is not None and view.period == self.period():
            return
        if not self.save_pending():
            if view is not None:  # back to the month whose marks are pending
                self.period_edit.blockSignals(True)
                self.set_period(view.period)
                self.period_edit.blockSignals(False)
            return
        self.load()
        self.refresh_months()

    # --- the month ---------------------------------------------------------------------------

    def load(self) -> None:
        """Show the chosen staff member's chosen month."""
        self.clear_message()
        if self.staff_id is None:
            return
        try:
            view = appraisal.month(self.staff_id, self.period())
        except CsofficeError as exc:
            self.show_error(str(exc))
            return
        self.show_view(view)

    def show_view(self, view: MonthView) -> None:
        self._loading = True
        self.view = view
        self.heading.setText(
            _("{name} — {period}").format(name=view.staff_name, period=view.period)
        )
        self._build_grid(view)
        self.supervisor_combo.clear()
        self.supervisor_combo.addItem(_("The manager"), None)
        for staff_id, name in appraisal.supervisor_choices(view.staff_id):
            self.supervisor_combo.addItem(name, staff_id)
        self.supervisor_combo.setCurrentIndex(
            max(0, self.supervisor_combo.findData(view.supervisor_id))
        )
        for key, text in zip(
            (key for key, _label in appraisal.FACT_LABELS),
            (text for _label, text in appraisal.fact_lines(view.facts)),
            strict=True,
        ):
            self.fact_labels[key].setText(text)
        for marker in MARKERS:
            mark = view.marks[marker]
            self.signed_labels[marker].setText(
                _("{name}, {time}").format(
                    name=mark.signed_by, time=format_datetime(mark.signed_at)
                )
                if mark.signed
                else _("not signed")
            )
        if view.closed:
            self.status_label.setText(
                _("Closed {time} by {name}; the marks can no longer change.").format(
                    time=format_datetime(view.closed_at), name=view.closed_by
                )
            )
        else:
            self.status_label.setText(_("Not closed yet"))
        self._loading = False
        self._update_enabled()
        self._update_totals()

    def _editable(self, marker: str) -> bool:
        view = self.view
        return (
            view is not None
            and not view.closed
            and not view.marks[marker].signed
            and appraisal.may_mark(self.staff, view.staff_id, marker, view.supervisor_id)
        )

    def _update_enabled(self) -> None:
        view = self.view
        is_manager = self.staff.role == Role.MANAGER
        for (marker, _code), combo in self.combos.items():
            combo.setEnabled(self._editable(marker))
        for marker, button in self.sign_buttons.items():
            button.setEnabled(self._editable(marker))
        self.supervisor_combo.setEnabled(
            bool(view and is_manager and not view.closed and not view.marks["supervisor"].signed)
        )
        self.close_month_button.setEnabled(bool(view and is_manager and not view.closed))
        self.print_button.setEnabled(view is not None)
        self.save_button.setEnabled(bool(self.pending()))

    def grades(self, marker: str) -> dict[str, str]:
        """The grades shown in ``marker``'s column (ungraded items left out)."""
        return {
            code: combo.currentData()
            for (m, code), combo in self.combos.items()
            if m == marker and combo.currentData()
        }

    def pending(self) -> list[str]:
        """The markers whose shown grades differ from the stored ones."""
        if self.view is None:
            return []
        return [
            m for m in MARKERS if self._editable(m) and self.grades(m) != self.view.marks[m].grades
        ]

    def _grades_changed(self) -> None:
        if self._loading:
            return
        self._update_totals()
        self.save_button.setEnabled(bool(self.pending()))

    def _update_totals(self) -> None:
        view = self.view
        if view is None:
            return
        totals: dict[str, Decimal | None] = {}
        for marker in MARKERS:
            grades = self.grades(marker)
            result = appraisal.score(view.scheme, grades)
            for group in view.scheme.groups:
                graded = any(item.code in grades for item in group.items)
                self.group_labels[(marker, group.code)].setText(
                    format_number(result.by_group[group.code]) if graded else ""
                )
            if result.complete:
                text = format_number(result.total)
            elif result.graded:
                text = _("{total} so far ({graded} of {count})").format(
                    total=format_number(result.total),
                    graded=result.graded,
                    count=len(view.scheme.items),
                )
            else:
                text = "—"
            self.total_labels[marker].setText(text)
            totals[marker] = result.total if result.complete else None
        if view.closed:
            combined, grade = view.combined, view.grade
        else:
            combined = appraisal.combine(totals, view.shares)
            grade = appraisal.band(combined)
        if combined is None:
            self.combined_label.setText(_("Combined score: not yet (no complete mark)"))
        else:
            self.combined_label.setText(
                _("Combined score: {score} of 100 — grade {grade} ({band})").format(
                    score=format_number(combined), grade=grade, band=appraisal.band_label(grade)
                )
            )

    # --- actions -----------------------------------------------------------------------------

    def save_pending(self) -> bool:
        """Store pending grades; False (with the reason shown) when they could not be stored."""
        return not self.pending() or self.save()

    def save(self) -> bool:
        view = self.view
        if view is None:
            return False
        self.clear_message()
        try:
            for marker in self.pending():
                view = appraisal.save_marks(
                    self.staff, view.staff_id, view.period, marker, self.grades(marker)
                )
        except CsofficeError as exc:
            self.show_error(str(exc))
            return False
        self._stored(view)
        return True

    def sign(self, marker: str) -> None:
        if not self.save_pending() or self.view is None:
            return
        try:
            view = appraisal.sign(self.staff, self.view.staff_id, self.view.period, marker)
        except CsofficeError as exc:
            self.show_error(str(exc))
            return
        self._stored(view)

    def _supervisor_chosen(self) -> None:
        view = self.view
        if view is None or self.supervisor_combo.currentData() == view.supervisor_id:
            return
        if not self.save_pending():
            return
        try:
            view = appraisal.choose_supervisor(
                self.staff, view.staff_id, view.period, self.supervisor_combo.currentData()
            )
        except CsofficeError as exc:
            self.show_error(str(exc))
            current = self.view
            if current is not None:  # put back the supervisor on file
                self.supervisor_combo.setCurrentIndex(
                    max(0, self.supervisor_combo.findData(current.supervisor_id))
                )
            return
        self._stored(view)

    def confirm_close(self) -> QMessageBox | None:
        """Ask before closing the month (it cannot be undone); the box is shown with open()."""
        if not self.save_pending() or self.view is None:
            return None
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Close the month"),
            _(
                "Close the appraisal of {name} for {period}? The marks and the combined score can no longer change afterwards."
            ).format(name=self.view.staff_name, period=self.view.period),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("closeMonthQuestion")
        yes = box.button(QMessageBox.StandardButton.Yes)
        box.buttonClicked.connect(lambda button: button is yes and self.close_month())
        box.open()
        self.close_question = box
        return box

    def close_month(self) -> None:
        if self.view is None:
            return
        try:
            view = appraisal.close_month(self.staff, self.view.staff_id, self.view.period)
        except CsofficeError as exc:
            self.show_error(str(exc))
            return
        self._stored(view)

    def _stored(self, view: MonthView) -> None:
        self.show_view(view)
        self.refresh_months()
        self.refresh_staff()
        self.changed.emit()

    def print_form(self) -> Path | None:
        """Print the month's form to a PDF in the data folder's prints and open it."""
        if self.view is None or not self.save_pending():
            return None
        from csoffice.appraisal.form import print_form

        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        path = (
            subfolder("prints") / f"appraisal-{self.view.username}-{self.view.period}-{stamp}.pdf"
        )
        try:
            print_form(self.staff, self.view.staff_id, self.view.period, path)
        except CsofficeError as exc:
            self.show_error(str(exc))
            return None
        self.show_info(_("Form saved to {path}").format(path=path))
        if self.open_printed:
            from csoffice.ui.dialogs.print_preview import open_preview

            self.preview = open_preview(self, path, _("Appraisal form"))
        return path

    def done(self, result: int) -> None:
        self.save_pending()  # leaving the dialog keeps what was graded
        super().done(result)

    # --- messages ------------------------------------------------------------------------------

    def show_error(self, text: str) -> None:
        self.message.setStyleSheet("color: #b3261e;")
        self.message.setText(text)
        self.message.show()

    def show_info(self, text: str) -> None:
        self.message.setStyleSheet("")
        self.message.setText(text)
        self.message.show()

    def clear_message(self) -> None:
        self.message.clear()
        self.message.hide()
