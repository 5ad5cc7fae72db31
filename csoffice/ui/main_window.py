"""The main window: the desk's tabs in the office's order, menus, status bar, shortcuts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from csoffice import __version__, settings
from csoffice.auth import ROLE_LABELS, Role
from csoffice.i18n import N_, _
from csoffice.paths import config_dir, subfolder
from csoffice.ui.context import AppContext
from csoffice.ui.errors import show_message


@dataclass(frozen=True)
class TabSpec:
    """A tab of the main window; ``factory`` builds its page the first time it is needed."""

    key: str
    title: str
    factory: Callable[[AppContext], QWidget]


def _reception_tab(context: AppContext) -> QWidget:
    from csoffice.ui.tabs.reception import ReceptionTab

    return ReceptionTab(context)


def _complaints_tab(context: AppContext) -> QWidget:
    from csoffice.ui.tabs.complaints_tab import ComplaintsTab

    return ComplaintsTab(context)


def _customers_tab(context: AppContext) -> QWidget:
    from csoffice.ui.tabs.customers_tab import CustomersTab

    return CustomersTab(context)


def _members_tab(context: AppContext) -> QWidget:
    from csoffice.ui.tabs.members_tab import MembersTab

    return MembersTab(context)


def _today_tab(context: AppContext) -> QWidget:
    from csoffice.ui.tabs.today_tab import TodayTab

    return TodayTab(context)


def _visits_tab(context: AppContext) -> QWidget:
    from csoffice.ui.tabs.visits_tab import VisitsTab

    return VisitsTab(context)


def _reports_tab(context: AppContext) -> QWidget:
    from csoffice.ui.tabs.reports_tab import ReportsTab

    return ReportsTab(context)


TABS: list[TabSpec] = [
    TabSpec("today", N_("Today"), _today_tab),
    TabSpec("reception", N_("Reception"), _reception_tab),
    TabSpec("complaints", N_("Complaints"), _complaints_tab),
    TabSpec("customers", N_("Customer archive"), _customers_tab),
    TabSpec("members", N_("Member cards"), _members_tab),
    TabSpec("visits", N_("Return visits"), _visits_tab),
    TabSpec("reports", N_("Reports"), _reports_tab),
]


def window_state() -> QSettings:
    """This desk's window geometry, kept in the config folder beside the local settings."""
    return QSettings(str(config_dir() / "window.ini"), QSettings.Format.IniFormat)


class _Pages(dict):
    """The built tab pages by key; asking for one not built yet builds it."""

    def __init__(self, build: Callable[[str], QWidget]):
        super().__init__()
        self._build = build

    def __missing__(self, key: str) -> QWidget:
        if key not in {spec.key for spec in TABS}:
            raise KeyError(key)
        page = self._build(key)
        self[key] = page
        return page

    def get(self, key: str, default: QWidget | None = None) -> QWidget | None:  # type: ignore[override]
        try:
            return self[key]
        except KeyError:
            return default


class _FirstPaint(QObject):
    """Calls ``then`` once, in the turn after ``window`` was first painted."""

    def __init__(self, window: QWidget, then: Callable[[], object]):
        super().__init__(window)
        self.then = then
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, self.then)  # not at all once the window is deleted
        return False


class MainWindow(QMainWindow):
    """The desk's one window."""

    lock_requested = Signal()  # the session hides the window behind its lock screen
    restart_requested = Signal(str)  # signed out, or a restore (why): back to the log-in
    closed = Signal()  # the window was closed (nothing unsaved was left, or it was discarded)

    def __init__(self, context: AppContext):
        super().__init__()
        self.context = context
        self.setObjectName("mainWindow")
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("mainTabs")
        self.tabs.setDocumentMode(True)
        self.setCentralWidget(self.tabs)
        # A tab's page is built the first time it is shown (or asked for through ``pages``),
        # the first one just after the window's first paint: the window opens at once, with a
        # line saying the board is coming, and the Today board (whose domain modules are the
        # largest part of the start) follows.
        self.pages = _Pages(self._build_page)
        for spec in TABS:
            self.tabs.addTab(QWidget(), _(spec.title))
        first = self.tabs.widget(0)
        if first is not None:
            self._loading_label(first)
        self.tabs.currentChanged.connect(lambda index: self.pages[TABS[index].key])
        self._first_paint = _FirstPaint(self, self._after_first_paint)
        self._build_menus()
        self._build_shortcuts()
        self._build_status_bar()
        self.refresh_title()
        self.resize(1200, 760)
        self._restore_geometry()

    # --- construction -------------------------------------------------------------------

    @staticmethod
    def _loading_label(stand_in: QWidget) -> None:
        label = QLabel(_("Opening…"), stand_in)
        label.setObjectName("tabLoading")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(stand_in)
        layout.addWidget(label)

    def _after_first_paint(self) -> None:
        if not self.isVisible():  # closed at once (signed out, restored): nothing to show
            return
        self.pages[TABS[self.tabs.currentIndex()].key]
        QTimer.singleShot(0, self, self.escalate_overdue)

    def _build_page(self, key: str) -> QWidget:
        index = next(i for i, spec in enumerate(TABS) if spec.key == key)
        spec = TABS[index]
        page = spec.factory(self.context)
        page.setObjectName(f"tab_{spec.key}")
        current = self.tabs.currentIndex()
        stand_in = self.tabs.widget(index)
        self.tabs.blockSignals(True)
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, page, _(spec.title))
        self.tabs.setCurrentIndex(current)
        self.tabs.blockSignals(False)
        if stand_in is not None:  # the empty page that held the tab's place
            stand_in.deleteLater()
        return page

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(_("&File"))
        self.backup_action = QAction(_("&Backup…"), self)
        self.backup_action.triggered.connect(self.backup)
        file_menu.addAction(self.backup_action)
        self.settings_action = QAction(_("&Settings…"), self)
        self.settings_action.setShortcut(QKeySequence.StandardKey.Preferences)
        self.settings_action.triggered.connect(self.open_settings)
        file_menu.addAction(self.settings_action)
        self._build_import_menu(file_menu)
        self._build_trust_menu(file_menu)
        file_menu.addSeparator()
        quit_action = QAction(_("&Quit"), self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        # The Staff menu is the manager's: appraisals (and staff accounts) are theirs to keep.
        self.staff_menu = self.menuBar().addMenu(_("S&taff"))
        self.appraisal_action = QAction(_("Staff &appraisal…"), self)
        self.appraisal_action.triggered.connect(self.open_appraisal)
        self.staff_menu.addAction(self.appraisal_action)
        is_manager = self.context.staff.role == Role.MANAGER
        self.appraisal_action.setEnabled(is_manager)
        self.staff_menu.menuAction().setVisible(is_manager)

        care_menu = self.menuBar().addMenu(_("&Care"))
        self.care_action = QAction(_("&Greetings…"), self)
        self.care_action.triggered.connect(self.open_care)
        care_menu.addAction(self.care_action)
        self.referrals_action = QAction(_("&Referrals…"), self)
        self.referrals_action.triggered.connect(self.open_referrals)
        care_menu.addAction(self.referrals_action)

        help_menu = self.menuBar().addMenu(_("&Help"))
        self.test_page_action = QAction(_("Printer &test page…"), self)
        self.test_page_action.triggered.connect(self.print_test_page)
        help_menu.addAction(self.test_page_action)
        about_action = QAction(_("&About csoffice"), self)
        about_action.triggered.connect(self.show_about)
        help_menu.addAction(about_action)
        command_line_action = QAction(_("&Command line…"), self)
        command_line_action.triggered.connect(self.show_command_line)
        help_menu.insertAction(about_action, command_line_action)

    def _build_import_menu(self, file_menu) -> None:
        self.import_menu = file_menu.addMenu(_("&Import"))
        self.import_customers_action = self.import_menu.addAction(_("&Customers…"))
        self.import_customers_action.triggered.connect(lambda: self.open_import("CUSTOMERS"))
        self.import_events_action = self.import_menu.addAction(_("&Service records…"))
        self.import_events_action.triggered.connect(lambda: self.open_import("EVENTS"))
        from csoffice import auth

        self.import_menu.setEnabled(auth.can(self.context.staff, "edit"))  # not for viewers

    def open_import(self, kind: str) -> None:
        """Import ▸ Customers / Service records: pick a sheet, then its preview."""
        from csoffice.ui.dialogs import import_dialog

        self.import_dialog = import_dialog.open_import(
            self.context, self, getattr(import_dialog, kind)
        )

    def _build_shortcuts(self) -> None:
        self.tab_shortcuts = []
        for index in range(len(TABS)):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{index + 1}"), self)
            shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
            shortcut.activated.connect(lambda index=index: self.go_to_tab(index))
            self.tab_shortcuts.append(shortcut)
        self._build_desk_keys()
        # F2 from anywhere: the phone rings, the cursor goes to the reception's quick entry.
        self.reception_shortcut = QShortcut(QKeySequence(Qt.Key.Key_F2), self)
        self.reception_shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
        self.reception_shortcut.activated.connect(self.focus_reception)

    def _build_desk_keys(self) -> None:
        """Ctrl+F, Ctrl+P and F1 on every tab; dialogs open with the cursor in a field; the
        escalation of overdue complaints on one timer (a refresh never writes)."""
        from csoffice.ui import desk_keys

        self.search_shortcut = desk_keys.shortcut(
            self, QKeySequence.StandardKey.Find, self.focus_search
        )
        self.search_shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        self.print_shortcut = desk_keys.shortcut(
            self, QKeySequence.StandardKey.Print, self.print_current
        )
        self.help_shortcut = desk_keys.shortcut(
            self, QKeySequence.StandardKey.HelpContents, self.show_help
        )
        self.escalation_timer = QTimer(self)
        self.escalation_timer.setInterval(5 * 60_000)
        self.escalation_timer.timeout.connect(self.escalate_overdue)
        self.escalation_timer.start()  # and once after the first paint (_after_first_paint)
        # The other tabs are built while the desk is idle after the window opened, one per
        # turn, so the first F2 or Ctrl+5 of the day does not wait for a page to be made.
        self.prebuild_timer = QTimer(self)
        self.prebuild_timer.setSingleShot(True)
        self.prebuild_timer.setInterval(1500)
        self.prebuild_timer.timeout.connect(self._prebuild_next)
        self.prebuild_timer.start()

    def _prebuild_next(self) -> None:
        waiting = [spec.key for spec in TABS if spec.key not in self.pages]
        if not waiting or not self.isVisible():
            return
        self.pages[waiting[0]]
        if len(waiting) > 1:
            self.prebuild_timer.start(50)

    def show_tab(self, key: str) -> QWidget | None:
        """Bring the tab ``key`` forward (built if needed) and return its page; None if the
        desk has no such tab."""
        page = self.pages.get(key)
        if page is not None:
            self.tabs.setCurrentWidget(page)
        return page

    def current_key(self) -> str:
        return TABS[self.tabs.currentIndex()].key

    def go_to_tab(self, index: int) -> None:
        """Ctrl+1…7: the tab, with the cursor in its search box."""
        from csoffice.ui.desk_keys import busy

        with busy():
            self.tabs.setCurrentIndex(index)
            self.focus_search()

    def focus_search(self) -> None:
        from csoffice.ui.desk_keys import focus_search

        focus_search(self.pages[self.current_key()])

    def print_current(self) -> None:
        from csoffice.ui.desk_keys import nothing_to_print_message, print_current

        if not print_current(self.pages[self.current_key()]):
            self.statusBar().showMessage(nothing_to_print_message(), 6000)

    def show_help(self) -> None:
        from csoffice.ui.dialogs.help_dialog import HelpDialog

        dialog = HelpDialog(self.current_key(), self)
        dialog.open()
        self.help_dialog = dialog

    def escalate_overdue(self) -> None:
        """Complaints past their deadline go to the manager: here, on a timer, once for the
        whole desk; the lists only read. A failure waits for the next turn."""
        from csoffice import complaints
        from csoffice.errors import CsofficeError

        try:
            complaints.escalate_overdue()  # says what it escalated through the change hub
        except CsofficeError:
            return

    def focus_reception(self) -> None:
        page = self.pages["reception"]
        self.tabs.setCurrentWidget(page)
        if hasattr(page, "focus_quick_entry"):
            page.focus_quick_entry()

    def _build_status_bar(self) -> None:
        staff = self.context.staff
        self.database_label = QLabel(_("Database: {name}").format(name=self.context.target.display))
        self.staff_label = QLabel(
            _("Signed in: {name} ({role})").format(
                name=staff.display_name, role=_(ROLE_LABELS[Role(staff.role)])
            )
        )
        self.statusBar().addWidget(self.database_label, 1)
        self.statusBar().addPermanentWidget(self.staff_label)
        from csoffice.ui import connection  # PostgreSQL: the server's reachability, and a banner

        target = self.context.target
        self.connection_status = connection.install(self, target.kind, target.display)

    def refresh_title(self) -> None:
        self.setWindowTitle(f"{settings.office().display_name} — csoffice")

    # --- window state ---------------------------------------------------------------------

    def _restore_geometry(self) -> None:
        from csoffice.ui.screens import clamp_to_screen

        state = window_state()
        geometry = state.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        clamp_to_screen(self)

    def closeEvent(self, event: QCloseEvent) -> None:
        from csoffice.ui.unsaved import confirm_all

        if not confirm_all(self, self.close):
            event.ignore()  # asked about unsaved work first; closes once it is discarded
            return
        state = window_state()
        state.setValue("geometry", self.saveGeometry())
        state.sync()
        super().closeEvent(event)
        self.closed.emit()

    # --- actions -------------------------------------------------------------------------

    def open_appraisal(self) -> None:
        from csoffice.ui.dialogs.appraisal_dialog import AppraisalDialog

        dialog = AppraisalDialog(self.context, self)
        dialog.open()
        self.appraisal_dialog = dialog

    def open_care(self) -> None:
        from csoffice.ui.dialogs.care_dialog import CareDialog

        dialog = CareDialog(self.context, self)
        dialog.open()
        self.care_dialog = dialog

    def open_referrals(self) -> None:
        from csoffice.ui.dialogs.referrals_dialog import ReferralsDialog

        dialog = ReferralsDialog(self.context, self)
        dialog.open()
        self.referrals_dialog = dialog

    def open_settings(self) -> None:
        from csoffice.ui.dialogs.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.context, self)
        dialog.saved.connect(self.refresh_title)
        dialog.saved.connect(
            lambda: self.statusBar().showMessage(dialog.visit_rules_page.summary(), 10_000)
        )
        dialog.open()
        self.settings_dialog = dialog

    def _build_trust_menu(self, file_menu) -> None:
        """Restore, automatic backups, staff accounts, audit trail (manager); own password,
        lock, sign out (everyone)."""
        from csoffice import auth

        staff = self.context.staff
        self.backup_action.setVisible(auth.can(staff, "backup"))
        entries = [
            ("restore_action", _("&Restore a backup…"), self.restore, "restore_backup", None),
            (
                "backup_settings_action",
                _("&Automatic backups…"),
                self.open_backup_settings,
                "change_settings",
                None,
            ),
            (None, None, None, None, None),
            ("staff_action", _("Staff &accounts…"), self.open_staff, "manage_staff", None),
            ("audit_action", _("Audit &trail…"), self.open_audit, "view_audit", None),
            (None, None, None, None, None),
            ("password_action", _("Change my &password…"), self.change_password, None, None),
            ("lock_action", _("&Lock the screen"), self.lock_requested.emit, None, "Ctrl+L"),
            (
                "sign_out_action",
                _("Sign &out"),
                self.sign_out,
                None,
                None,
            ),
        ]
        for name, text, slot, needs, shortcut in entries:
            if name is None:
                file_menu.addSeparator()
                continue
            action = QAction(text, self)
            action.triggered.connect(slot)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            action.setVisible(needs is None or auth.can(staff, needs))
            file_menu.addAction(action)
            setattr(self, name, action)

    def sign_out(self) -> None:
        from csoffice.ui.unsaved import confirm_all

        if confirm_all(self, self.sign_out):
            self.restart_requested.emit("")

    def _open_dialog(self, dialog) -> None:
        self.trust_dialog = dialog
        dialog.open()

    def open_staff(self) -> None:
        from csoffice.ui.dialogs.staff_dialog import StaffDialog

        self._open_dialog(StaffDialog(self.context, self))

    def open_audit(self) -> None:
        from csoffice.ui.dialogs.audit_dialog import AuditDialog

        self._open_dialog(AuditDialog(self.context, self))

    def change_password(self) -> None:
        from csoffice.ui.dialogs.staff_dialog import PasswordDialog

        self._open_dialog(PasswordDialog(self.context.staff, None, self))

    def open_backup_settings(self) -> None:
        from csoffice.ui.dialogs.backup_dialog import BackupSettingsDialog

        self._open_dialog(BackupSettingsDialog(self.context.staff, self))

    def restore(self) -> None:
        from csoffice.ui.dialogs.backup_dialog import confirm_restore, restore_folder

        path, _filter = QFileDialog.getOpenFileName(
            self,
            _("Restore a backup"),
            str(restore_folder()),
            _("csoffice backup (*.sqlite3)"),
        )
        if path:
            confirm_restore(self, self.context.staff, self.context.target, path, self.restored)

    def restored(self, result) -> None:
        """After a restore every screen is stale and the signed-in staff may not exist: the
        session goes back to the log-in, which says what happened."""
        self.restart_requested.emit(
            _(
                "{source} was restored; the previous database was saved to {path}. Sign in again."
            ).format(source=result.source.name, path=result.safety_copy)
        )

    def backup(self) -> None:
        from csoffice.ui.dialogs.backup_dialog import backup_from_menu

        backup_from_menu(self, self.context.staff)

    def print_test_page(self):
        """The printer test page (Chinese text, rare name characters) in the print preview."""
        from csoffice.printer_check import write_test_page
        from csoffice.ui.dialogs.print_preview import open_preview

        path = write_test_page(self.context.staff, subfolder("prints") / "test-page.pdf")
        self.test_page_preview = open_preview(self, path, _("Printer test page"))
        return self.test_page_preview

    def show_about(self) -> QMessageBox:
        from csoffice.console import command_text, console_command

        return show_message(
            self,
            _("About csoffice"),
            _("csoffice {version}\nThe customer-service desk of a small office.").format(
                version=__version__
            )
            + "\n\n"
            + _("Command line (Help ▸ Command line…): {program}").format(
                program=command_text(console_command())
            ),
            QMessageBox.Icon.Information,
        )

    def show_command_line(self):
        from csoffice.ui.dialogs.command_line_dialog import CommandLineDialog

        dialog = CommandLineDialog(self.context.target.display, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog
