"""The composition root: settings, language, database, staff member, main window."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from csoffice import __version__
from csoffice.i18n import LANGUAGES, _, set_language
from csoffice.settings import LocalConfig


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="csoffice", description="csoffice")
    parser.add_argument("--db", default=None, help="SQLite file or postgresql:// URL")
    parser.add_argument("--lang", choices=sorted(LANGUAGES), default=None)
    parser.add_argument("--version", action="version", version=f"csoffice {__version__}")
    # For installers and packaging checks: open the database, show the main window, exit 0.
    parser.add_argument("--check-startup", action="store_true", help=argparse.SUPPRESS)
    args, extra = parser.parse_known_args(argv)
    if any(not word.startswith("-") for word in extra):
        set_language(args.lang or LocalConfig.load().language)
        tell_wrong_program(list(sys.argv[1:] if argv is None else argv))
        raise SystemExit(2)
    if extra:
        parser.error(_("unrecognized arguments: {words}").format(words=" ".join(extra)))
    return args


def tell_wrong_program(argv: list[str]) -> None:
    """`csoffice check` was typed: say the console program does that, and how to call it (in a
    message box when the window program has no console to print to, as on Windows)."""
    from csoffice.console import wrong_program_hint

    message = wrong_program_hint(argv)
    if sys.stderr is not None:
        print(f"csoffice: {message}", file=sys.stderr)
        return
    from PySide6.QtWidgets import QApplication, QMessageBox

    app = QApplication.instance() or QApplication(sys.argv[:1])  # noqa: F841 (the box needs it)
    QMessageBox.warning(None, "csoffice", message)


def install_qt_translations(app, language: str) -> list:
    """Qt's own catalogue, so standard buttons and dialogs speak the same language."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    translators = []
    if language == "en":
        return translators
    QLocale.setDefault(QLocale(language))
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in ("qtbase",):
        translator = QTranslator(app)
        if translator.load(f"{name}_{language}", folder):
            app.installTranslator(translator)
            translators.append(translator)
    return translators


def create_application(argv: Sequence[str], language: str):
    """The QApplication with the bundled font, the style sheet and Qt's translations."""
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from csoffice.paths import resource
    from csoffice.ui.fonts import register_app_font

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(list(argv))
    app.setApplicationName("csoffice")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("csoffice")
    app.setWindowIcon(QIcon(str(resource("icons", "csoffice.svg"))))
    install_qt_translations(app, language)
    register_app_font(app)
    from csoffice.ui.activation import keep_a_window_active

    keep_a_window_active(app)
    style = resource("style.qss")
    if style.exists():
        app.setStyleSheet(style.read_text(encoding="utf-8"))
    return app


def run(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--print-job"]:  # the installed app's command line printing on Windows
        from csoffice.ui.print_job import main

        return main(argv[1:])
    args = parse_args(argv)
    config = LocalConfig.load()
    language = set_language(args.lang or config.language)
    app = create_application(sys.argv[:1], language)

    from PySide6.QtWidgets import QMessageBox

    from csoffice import auth
    from csoffice.db.database import open_database
    from csoffice.errors import CsofficeError
    from csoffice.ui.errors import install_excepthook
    from csoffice.ui.main_window import AppContext, MainWindow
    from csoffice.ui.session import Session

    try:
        target = open_database(args.db or config.database_url or None)
    except CsofficeError as exc:
        QMessageBox.critical(None, _("csoffice cannot start"), str(exc))
        return 2
    if args.check_startup:
        # Installers and packaging checks: the main window as the manager, then exit.
        from PySide6.QtCore import QTimer

        window = MainWindow(AppContext(staff=auth.default_manager(), target=target, config=config))
        install_excepthook(lambda: window)
        window.show()
        QTimer.singleShot(0, app.quit)
        return app.exec()
    from csoffice import live_updates

    # Other desks' saves refresh this desk's lists too (stopped with the app).
    listener = live_updates.start(target)
    app.aboutToQuit.connect(listener.stop)
    # Set-up on the very first start, otherwise log-in; the main window follows.
    session = Session(target, config)
    session.quit_requested.connect(app.quit)
    install_excepthook(lambda: session.window or session.dialog)
    session.start()
    return app.exec()
