"""The command line: ``python -m csoffice [--db URL] COMMAND …`` (no Qt).

Every command exits 0 on success and otherwise prints one line to stderr: status 2 for a
wrong command or an unusable database, 1 when the work itself was refused. Commands run as
the office's manager on the given database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import inspect
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from csoffice import __version__
from csoffice.db.errors import StorageError, translate
from csoffice.errors import (
    CsofficeError,
    DatabaseError,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from csoffice.i18n import LANGUAGES, _, set_language
from csoffice.progress import ProgressBar


class UsageError(Exception):
    """The command line's words are off (exit status 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


Handler = Callable[[argparse.Namespace], int]


def _open(args: argparse.Namespace):
    from csoffice import audit, auth
    from csoffice.db.database import open_database

    # Rows written with no staff member (the manager made for scripted use, say) name the
    # command line too.
    audit.set_process_origin(auth.command_line_origin())
    target = open_database(args.db)
    return target, auth.default_manager()


def _open_as_command_line(args: argparse.Namespace):
    """Open the database; the actor is the command line itself (the manager's rights, audited
    as the command line with the OS user and host, never as a staff member)."""
    from csoffice import auth

    target, _manager = _open(args)
    return target, auth.command_line_actor()


def cmd_init(args: argparse.Namespace) -> int:
    from csoffice.db.migrations import LATEST

    target, _manager = _open(args)
    print(
        _("Database ready: {path} (schema {version})").format(path=target.display, version=LATEST)
    )
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    try:
        from csoffice.demo import run_demo
    except ImportError as exc:  # the installed app leaves out the demo-data library
        raise CsofficeError(
            _("Demo data needs the development set-up ({name} is missing).").format(name=exc.name)
        ) from exc

    from csoffice import auth

    _target, manager = _open(args)
    with ProgressBar(_("Demo data")) as bar:
        result = run_demo(
            manager, customers=args.customers, months=args.months, seed=args.seed, progress=bar
        )
    for label, count in result.summary.items():
        print(f"{label}: {count}")
    print(_("Sign in:"))
    for account in result.sign_in:
        password = account.password or _("(password unchanged)")
        role = _(auth.ROLE_LABELS.get(auth.Role(account.role), account.role))
        print(f"  {account.username} / {password}  {account.display_name} ({role})")
    return 0


# Each kind of export, print and report names the function that does it: "module:function".
# export(actor, path, date_from, date_to) -> rows written
EXPORTS: dict[str, str] = {
    "customers": "csoffice.customers:export",
    "receptions": "csoffice.receptions:export",
    "complaints": "csoffice.complaints:export",
    "members": "csoffice.members:export",
    "visits": "csoffice.visits:export",
    "answers": "csoffice.answer_transfer:export_command",
}
# print_command(actor, args: list[str], out: Path) -> None
PRINTS: dict[str, str] = {
    "test-page": "csoffice.printer_check:print_command",
    "complaint": "csoffice.complaints.slip:print_command",
    "card": "csoffice.members.prints:print_command",
    "appraisal": "csoffice.appraisal.form:print_command",
    "department": "csoffice.reports.printed:department_command",
    "clerk-daily": "csoffice.reports.printed:clerk_daily_command",
    "call-list": "csoffice.call_list:print_command",
}
# report_command(actor, period: str, out: Path) -> None
REPORTS: dict[str, str] = {
    "daily": "csoffice.reception_day:report_command",
    "visit-day": "csoffice.visit_day:report_command",
    "weekly": "csoffice.reports.printed:weekly_command",
    "monthly": "csoffice.reports.printed:monthly_command",
}


def _resolve(spec: str) -> Callable:
    module, name = spec.split(":")
    return getattr(importlib.import_module(module), name)


def _takes(function: Callable, name: str) -> bool:
    """Whether ``function`` has a parameter ``name`` (not every export reports progress)."""
    return name in inspect.signature(function).parameters


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("“{value}” is not a date like 2026-11-24").format(value=text)
        ) from None


def cmd_export(args: argparse.Namespace) -> int:
    _target, manager = _open_as_command_line(args)
    export = _resolve(EXPORTS[args.kind])
    with ProgressBar(_("Export")) as bar:
        # Exports count the rows they write (the total is not known beforehand).
        extra = {"progress": lambda rows: bar(rows)} if _takes(export, "progress") else {}
        count = export(manager, Path(args.out), args.date_from, args.date_to, **extra)
    print(_("{count} rows written to {path}").format(count=count, path=args.out))
    return 0


def _to_file_or_printer(args: argparse.Namespace, write: Callable[[Path], object]) -> int:
    """``write`` the PDF to --out, or to a temporary file sent to --printer's queue."""
    if args.out:
        write(Path(args.out))
        print(args.out)
        return 0
    import tempfile

    from csoffice.printing import spool

    queue = spool.resolve(args.printer)  # an unknown printer is refused before any work
    with tempfile.TemporaryDirectory(prefix="csoffice-print-") as folder:
        path = Path(folder) / f"{args.command}-{'-'.join(args.job_name)}.pdf"
        write(path)
        job = spool.submit(path, queue, title=path.stem)
    print(_("Sent to {printer} (job {job})").format(printer=queue, job=job or "?"))
    return 0


def cmd_print(args: argparse.Namespace) -> int:
    _target, manager = _open_as_command_line(args)
    args.job_name = [args.what, *args.args[:2]]
    return _to_file_or_printer(
        args, lambda out: _resolve(PRINTS[args.what])(manager, list(args.args), out)
    )


def cmd_report(args: argparse.Namespace) -> int:
    _target, manager = _open_as_command_line(args)
    args.job_name = [args.kind, args.period]
    return _to_file_or_printer(
        args, lambda out: _resolve(REPORTS[args.kind])(manager, args.period, out)
    )


def _add_destination(parser: argparse.ArgumentParser) -> None:
    """Exactly one of --out FILE.pdf and --printer NAME|default."""
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--out", metavar="FILE.pdf", help=_("write the PDF to this file"))
    where.add_argument(
        "--printer",
        metavar="NAME",
        help=_("send it to this printer queue (“default”: the default printer)"),
    )


def cmd_import(args: argparse.Namespace) -> int:
    from csoffice import customer_import, event_import
    from csoffice.customers import BulkRejected

    if args.kind == "answers":
        return _import_answers(args)
    _target, manager = _open_as_command_line(args)
    if args.kind == "events":
        module, rejected_error = event_import, event_import.EventsRejected
        plan = event_import.EventPlan.read(Path(args.file))
        options = {"create_customers": args.create_customers}
    else:
        module, rejected_error = customer_import, BulkRejected
        plan = customer_import.ImportPlan.read(Path(args.file))
        options = {"consume": True}
    try:
        with ProgressBar(_("Import")) as bar:
            result = module.run_import(
                manager, plan, skip_invalid=args.skip_invalid, progress=bar, **options
            )
    except rejected_error as exc:
        for line in module.describe_result(exc.result)[1:]:
            print(line)
        message = _(
            "{n} rows are invalid; nothing was imported (use --skip-invalid to import the rest)."
        ).format(n=len(exc.result.rejected))
        print(f"csoffice: {message}", file=sys.stderr)
        return 1
    for line in module.describe_result(result):
        print(line)
    return 0


def _import_answers(args: argparse.Namespace) -> int:
    """The answer library (常用答复) from a sheet: every row or, if any is refused, none."""
    from csoffice import answer_transfer

    if args.skip_invalid or args.create_customers:
        raise CsofficeError(
            _("The answer library is imported whole or not at all; leave out the options.")
        )
    _target, manager = _open_as_command_line(args)
    result = answer_transfer.import_library(manager, Path(args.file))
    lines = answer_transfer.describe(result)
    if not result.ok:
        for line in lines[1:]:
            print(line)
        print(f"csoffice: {lines[0]}", file=sys.stderr)
        return 1
    for line in lines:
        print(line)
    return 0


def cmd_migrate_to(args: argparse.Namespace) -> int:
    from csoffice.db.copy import copy_database
    from csoffice.db.database import close_database, parse_target

    source, actor = _open_as_command_line(args)  # brings the source up to date first
    close_database()
    copied: dict[str, int] = {}

    def step(table: str, rows: int) -> None:
        copied[table] = rows
        bar(sum(copied.values()))

    with ProgressBar(_("Copy")) as bar:
        report = copy_database(source.argument, args.url, progress=step)
    for table, (source_count, written) in report.counts.items():
        mark = "OK " if source_count == written else "ERR"
        print(f"{mark} {table}: {source_count} → {written}")
    scans_ok = True
    if parse_target(args.url).kind == "postgresql":
        # Every desk opens the scans from the server: they go into the database too.
        from csoffice.attachments import copy_scans_into
        from csoffice.db.database import connect

        target = connect(parse_target(args.url))
        try:
            wanted, held = copy_scans_into(target)
        finally:
            target.close()
        scans_ok = wanted == held
        label = _("scanned files")
        print(f"{'OK ' if scans_ok else 'ERR'} {label}: {wanted} → {held}")
    if not report.ok or not scans_ok:
        message = _("the copy does not match the source; see above")
        print(f"csoffice: {message}", file=sys.stderr)
        return 1
    _audit_migration(actor, source.argument, args.url)
    print(
        _("Copied to {url}. Point every desk's settings at it.").format(
            url=parse_target(args.url).display
        )
    )
    return 0


def _audit_migration(actor, source_url: str, target_url: str) -> None:
    """migrate-to leaves an audit row in both databases: where the copy came from and went."""
    from csoffice import audit
    from csoffice.db.database import close_database, db, open_database, parse_target

    summary = _("{source} copied to {target}").format(
        source=parse_target(source_url).display, target=parse_target(target_url).display
    )
    for url in (target_url, source_url):
        open_database(url)
        try:
            with db.atomic():
                audit.record(actor, "migrate_to", "database", None, summary=summary)
        finally:
            close_database()


def cmd_backup(args: argparse.Namespace) -> int:
    from csoffice.backup import backup_to

    _target, manager = _open_as_command_line(args)
    with ProgressBar(_("Backup")) as bar:
        path = backup_to(manager, Path(args.out), progress=bar)
    print(_("Backup saved to {path}").format(path=path))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from csoffice.backup import check_backup_file, replace_damaged, restore_from
    from csoffice.backup_file import ForeignOffice
    from csoffice.db.database import parse_target

    source = Path(args.file)
    check_backup_file(source)  # refuse a bad file before touching anything
    try:
        target, manager = _open_as_command_line(args)
    except DatabaseError:
        path = parse_target(args.db).path
        if path is None or not path.exists():
            raise
        aside = replace_damaged(source, path)
        _open(args)
        print(
            _("Restored {source}; the damaged database was moved to {path}").format(
                source=source, path=aside
            )
        )
        return 0
    try:
        result = restore_from(manager, source, target, allow_other_office=args.other_office)
    except ForeignOffice as exc:
        hint = _("Add --other-office to restore it all the same.")
        raise CsofficeError(f"{exc} {hint}") from exc
    print(
        _("Restored {source}; the previous database was saved to {path}").format(
            source=source, path=result.safety_copy
        )
    )
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from csoffice.checks import run_checks

    _open(args)
    report = run_checks()
    for name, problems in report.results:
        print(f"{'OK ' if not problems else 'ERR'} {name}")
        for problem in problems[:50]:
            print(f"    {problem}")
    if not report.ok:
        message = _("the database has problems; see above")
        print(f"csoffice: {message}", file=sys.stderr)
        return 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="csoffice", description=_("csoffice customer-service desk, command line"))
    parser.add_argument(
        "--db",
        default=None,
        help=_(
            "SQLite file or postgresql:// URL (default: this desk's database, as set in Settings)"
        ),
    )
    parser.add_argument(
        "--lang",
        choices=sorted(LANGUAGES),
        default=None,
        help=_("language of messages and reports"),
    )
    parser.add_argument("--version", action="version", version=f"csoffice {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    init = commands.add_parser("init", help=_("create or upgrade the database"))
    init.set_defaults(handler=cmd_init)

    demo = commands.add_parser("demo", help=_("fill the database with realistic demo data"))
    demo.add_argument("--customers", type=int, default=300)
    demo.add_argument("--months", type=int, default=6)
    demo.add_argument("--seed", type=int, default=1)
    demo.set_defaults(handler=cmd_demo)

    printing = commands.add_parser("print", help=_("print a form to PDF or to a printer"))
    printing.add_argument("what", choices=sorted(PRINTS))
    printing.add_argument(
        "args", nargs="*", metavar="ARG", help=_("what to print: a number, a card number…")
    )
    _add_destination(printing)
    printing.set_defaults(handler=cmd_print)

    importing = commands.add_parser(
        "import",
        help=_("import customers, service events or the answer library from XLSX, XLS, ODS or CSV"),
    )
    importing.add_argument("kind", choices=["customers", "events", "answers"])
    importing.add_argument("file")
    importing.add_argument(
        "--skip-invalid", action="store_true", help=_("import the valid rows, report the rest")
    )
    importing.add_argument(
        "--create-customers",
        action="store_true",
        help=_("events: open a file for a customer not found in the archive"),
    )
    importing.set_defaults(handler=cmd_import)

    if EXPORTS:
        export = commands.add_parser("export", help=_("export records to CSV or XLSX (manager)"))
        export.add_argument("kind", choices=sorted(EXPORTS))
        export.add_argument("--out", required=True)
        export.add_argument("--from", dest="date_from", type=_date, default=None)
        export.add_argument("--to", dest="date_to", type=_date, default=None)
        export.set_defaults(handler=cmd_export)

    if REPORTS:
        report = commands.add_parser(
            "report", help=_("print a daily, weekly or monthly report to PDF or to a printer")
        )
        report.add_argument("kind", choices=sorted(REPORTS))
        report.add_argument("period", help="2026-11-24 | 2026-W48 | 2026-11")
        _add_destination(report)
        report.add_argument("--lang", choices=sorted(LANGUAGES), default=argparse.SUPPRESS)
        report.set_defaults(handler=cmd_report)

    migrate = commands.add_parser(
        "migrate-to", help=_("copy this database to another (SQLite ⇄ PostgreSQL)")
    )
    migrate.add_argument("url", help="postgresql://user:password@host/db or a new SQLite file")
    migrate.set_defaults(handler=cmd_migrate_to)

    backup = commands.add_parser("backup", help=_("copy the database to a file while it is in use"))
    backup.add_argument("--out", required=True)
    backup.set_defaults(handler=cmd_backup)

    restore = commands.add_parser(
        "restore", help=_("replace the database with a backup (the current one is saved first)")
    )
    restore.add_argument("file")
    restore.add_argument(
        "--other-office",
        action="store_true",
        help=_("restore a backup even though it was made by another office"),
    )
    restore.set_defaults(handler=cmd_restore)

    check = commands.add_parser(
        "check", help=_("check the database's integrity and the desk's ledgers")
    )
    check.set_defaults(handler=cmd_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from csoffice.settings import LocalConfig

    config = LocalConfig.load()
    set_language(config.language)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        args.db = args.db or config.database_url or None  # this desk's database, as in the window
        if args.lang:
            set_language(args.lang)
        if not getattr(args, "handler", None):
            raise UsageError(_("a command is required; see --help"))
        return args.handler(args)
    except UsageError as exc:
        label = _("error")
        print(f"csoffice: {label}: {exc}", file=sys.stderr)
        return 2
    except StorageError as exc:
        print(f"csoffice: {exc}", file=sys.stderr)
        return exc.exit_status
    except DatabaseError as exc:
        print(f"csoffice: {exc}", file=sys.stderr)
        return 2
    except ValidationError as exc:
        print(f"csoffice: {'; '.join(exc.errors.values())}", file=sys.stderr)
        return 1
    except PermissionDenied as exc:
        print(f"csoffice: {exc}", file=sys.stderr)
        return 1
    except (NotFound, CsofficeError) as exc:
        print(f"csoffice: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(
            f"csoffice: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr
        )
        return 1
    except KeyboardInterrupt:
        label = _("interrupted")
        print(f"csoffice: {label}", file=sys.stderr)
        return 130
    except Exception as exc:  # never a traceback: one line here, the details in the log
        typed = translate(exc)
        if typed is not None:
            print(f"csoffice: {typed}", file=sys.stderr)
            return typed.exit_status
        log = _log_unexpected(exc)
        message = _("unexpected error: {error} (details in {path})").format(error=exc, path=log)
        print(f"csoffice: {message}", file=sys.stderr)
        return 1


def _log_unexpected(exc: BaseException) -> str:
    """Write the traceback to the data folder's log; returns where it went."""
    import traceback

    from csoffice.paths import subfolder

    try:
        path = subfolder("logs") / "csoffice-cli.log"
        with path.open("a", encoding="utf-8") as fh:
            stamp = dt.datetime.now().isoformat(timespec="seconds")
            fh.write(f"--- {stamp}\n{''.join(traceback.format_exception(exc))}\n")
        return str(path)
    except OSError:
        return "-"
