"""The command line: ``python -m csoffice [--db URL] COMMAND …`` (no Qt).

Every command exits 0 on success and otherwise prints one line to stderr: status 2 for a
wrong command or an unusable database, 1 when the work itself was refused. Commands run as
the office's manager on the given database.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from csoffice import __version__
from csoffice.errors import CsofficeError, DatabaseError, NotFound, ValidationError
from csoffice.i18n import LANGUAGES, _, set_language


class UsageError(Exception):
    """The command line's words are off (exit status 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


Handler = Callable[[argparse.Namespace], int]


def _open(args: argparse.Namespace):
    from csoffice import auth
    from csoffice.db.database import open_database

    target = open_database(args.db)
    return target, auth.default_manager()


def cmd_init(args: argparse.Namespace) -> int:
    from csoffice.db.migrations import LATEST

    target, _manager = _open(args)
    print(
        _("Database ready: {path} (schema {version})").format(path=target.display, version=LATEST)
    )
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from csoffice.demo import run_demo

    _target, manager = _open(args)
    summary = run_demo(manager, customers=args.customers, months=args.months, seed=args.seed)
    for label, count in summary.items():
        print(f"{label}: {count}")
    return 0


def cmd_print(args: argparse.Namespace) -> int:
    from csoffice import settings

    _target, _manager = _open(args)
    out = Path(args.out)
    if args.what == "test-page":
        from csoffice.printing.test_page import write_test_page

        write_test_page(out, settings.office())
    print(out)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="csoffice", description=_("csoffice customer-service desk, command line"))
    parser.add_argument(
        "--db",
        default=None,
        help=_("SQLite file or postgresql:// URL (default: the data folder's file)"),
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

    printing = commands.add_parser("print", help=_("print a form to PDF"))
    printing.add_argument("what", choices=["test-page"])
    printing.add_argument("--out", required=True)
    printing.set_defaults(handler=cmd_print)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from csoffice.settings import LocalConfig

    set_language(LocalConfig.load().language)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.lang:
            set_language(args.lang)
        if not getattr(args, "handler", None):
            raise UsageError(_("a command is required; see --help"))
        return args.handler(args)
    except UsageError as exc:
        label = _("error")
        print(f"csoffice: {label}: {exc}", file=sys.stderr)
        return 2
    except DatabaseError as exc:
        print(f"csoffice: {exc}", file=sys.stderr)
        return 2
    except ValidationError as exc:
        print(f"csoffice: {'; '.join(exc.errors.values())}", file=sys.stderr)
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
