"""The settings dialog, a page per area: the office's details printed on forms and this desk's
language and database (General), then the office's rules — return visits, surveys, complaints,
cards and points, reminders, the paper file, working days."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from csoffice import auth, office_rules, settings
from csoffice.errors import CsofficeError, ValidationError
from csoffice.i18n import LANGUAGES, _
from csoffice.storage import check_location, try_location
from csoffice.ui.context import AppContext
from csoffice.ui.desk_keys import DeskDialog
from csoffice.ui.dialogs.settings_page import SettingsPage
from csoffice.ui.widgets.form import FieldErrors


class SettingsDialog(DeskDialog):
    """Office details (manager only) and this desk's language and database location."""

    saved = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(_("Settings"))
        self.setMinimumWidth(520)
        outer = QVBoxLayout(self)
        self.pages = QTabWidget()
        outer.addWidget(self.pages, 1)
        general = QWidget()
        self.pages.addTab(general, _("General"))
        layout = QVBoxLayout(general)

        office_box = QGroupBox(_("Office (printed on every form)"))
        office_form = QFormLayout(office_box)
        self.errors = FieldErrors(office_form)
        office = settings.office()
        self.office_name = QLineEdit(office.name)
        self.errors.add_row("office.name", _("Office name"), self.office_name)
        self.office_address = QLineEdit(office.address)
        self.errors.add_row("office.address", _("Address"), self.office_address)
        self.office_phone = QLineEdit(office.phone)
        self.errors.add_row("office.phone", _("Phone"), self.office_phone)
        self.area_code = QLineEdit(settings.area_code())
        self.errors.add_row("office.area_code", _("Area code"), self.area_code)
        self.area_code.setPlaceholderText(_("e.g. 0755: local numbers typed without it"))
        self.may_change_office = auth.can(context.staff, "change_settings")
        for widget in (self.office_name, self.office_address, self.office_phone, self.area_code):
            widget.setEnabled(self.may_change_office)
        if not self.may_change_office:
            office_form.addRow(QLabel(_("Only the manager may change the office's details.")))
        layout.addWidget(office_box)

        desk_box = QGroupBox(_("This desk"))
        desk_form = QFormLayout(desk_box)
        self.desk_errors = FieldErrors(desk_form)
        self.language = QComboBox()
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(context.config.language)))
        self.desk_errors.add_row("language", _("Language"), self.language)
        database_row = QWidget()
        row = QHBoxLayout(database_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.database = QLineEdit(context.config.database_url)
        self.database.setPlaceholderText(_("Default: the data folder's file"))
        browse = QPushButton(_("Browse…"))
        browse.clicked.connect(self._browse)
        row.addWidget(self.database, 1)
        row.addWidget(browse)
        self.test_button = QPushButton(_("Test connection"))
        self.test_button.clicked.connect(self.test_connection)
        row.addWidget(self.test_button)
        self.desk_errors.add_row("database_url", _("Database"), database_row)
        self.desk_errors.widgets["database_url"] = self.database
        desk_form.addRow(
            QLabel(_("Language and database changes apply when csoffice next starts."))
        )
        layout.addWidget(desk_box)
        layout.addStretch(1)
        self._add_area_pages()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)

    def _add_area_pages(self) -> None:
        """The pages of the office's rules, one per area, built from their own modules."""
        from csoffice.ui.dialogs.calendar_page import CalendarPage
        from csoffice.ui.dialogs.complaint_rules_page import ComplaintRulesPage
        from csoffice.ui.dialogs.member_rules_page import MemberRulesPage
        from csoffice.ui.dialogs.paper_file_page import PaperFilePage
        from csoffice.ui.dialogs.reminders_page import RemindersPage
        from csoffice.ui.dialogs.survey_page import SurveyPage
        from csoffice.ui.dialogs.visit_rules_page import VisitRulesPage

        self.visit_rules_page = VisitRulesPage(self.context)
        self.survey_page = SurveyPage(self.context)
        self.complaint_rules_page = ComplaintRulesPage(self.context)
        self.member_rules_page = MemberRulesPage(self.context)
        self.reminders_page = RemindersPage(self.context)
        self.paper_file_page = PaperFilePage(self.context)
        self.calendar_page = CalendarPage(self.context)
        self.area_pages: list[SettingsPage] = [
            self.visit_rules_page,
            self.survey_page,
            self.complaint_rules_page,
            self.member_rules_page,
            self.reminders_page,
            self.paper_file_page,
            self.calendar_page,
        ]
        titles = [
            _("Return visits"),
            _("Surveys"),
            _("Complaints"),
            _("Cards and points"),
            _("Reminders"),
            _("Paper file"),
            _("Working days"),
        ]
        for page, title in zip(self.area_pages, titles, strict=True):
            self.pages.addTab(page, title)

    def test_connection(self) -> bool:
        """Try the database typed in (a file or postgresql://…) and say whether it answers."""
        self.desk_errors.clear()
        url = self.database.text().strip()
        try:
            try_location(url)
        except CsofficeError as exc:
            self.desk_errors.show(ValidationError.single("database_url", str(exc)))
            return False
        label = self.desk_errors.labels["database_url"]
        label.setStyleSheet("color: #1b5e20;")
        label.setText(_("The database answers."))
        label.show()
        return True

    def _browse(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self,
            _("Database file"),
            self.database.text(),
            _("SQLite database (*.sqlite3 *.db)"),
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if path:
            self.database.setText(path)

    def save(self) -> None:
        self.errors.clear()
        self.desk_errors.clear()
        url = self.database.text().strip()
        try:
            if url:
                check_location(url)
        except CsofficeError as exc:
            self.desk_errors.show(ValidationError.single("database_url", str(exc)))
            return
        for page in self.area_pages:
            if not page.validate():
                self.pages.setCurrentWidget(page)
                return
        if self.may_change_office:
            name = self.office_name.text().strip()
            if not name:
                self.pages.setCurrentIndex(0)
                self.errors.show(
                    ValidationError.single("office.name", _("Enter the office's name."))
                )
                return
            # Every page is kept, or none: a page refused at saving undoes the ones before it.
            with office_rules.all_or_nothing() as undo:
                for page in self.area_pages:
                    if not page.save():
                        undo()
                        self.pages.setCurrentWidget(page)
                        return
                try:
                    settings.put(
                        self.context.staff,
                        {
                            "office.name": name,
                            "office.address": self.office_address.text().strip(),
                            "office.phone": self.office_phone.text().strip(),
                            "office.area_code": self.area_code.text().strip(),
                        },
                    )
                except ValidationError as exc:
                    undo()
                    self.errors.show(exc)
                    return
        self.context.config.language = self.language.currentData()
        self.context.config.database_url = url
        self.context.config.save()
        self.saved.emit()
        self.accept()
