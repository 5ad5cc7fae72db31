"""Catalogue upkeep for developers (run through the Makefile, not by the app).

    python translations/catalog.py update            extract csoffice.pot and merge it into every .po
    python translations/catalog.py missing zh_CN     list messages still untranslated or fuzzy
    python translations/catalog.py fill zh_CN F.json set translations from a {msgid: msgstr} file

Each command holds a lock file, so several people (or scripts) can update the catalogue at once.
"""

from __future__ import annotations

import fcntl
import json
import sys
from contextlib import contextmanager
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

HERE = Path(__file__).resolve().parent
LANGUAGES = ["zh_CN", "en"]
DOMAIN = "csoffice"


@contextmanager
def locked():
    with (HERE / ".catalog.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def po_path(language: str) -> Path:
    return HERE / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def load(language: str) -> Catalog:
    path = po_path(language)
    if not path.exists():
        return Catalog(locale=language, domain=DOMAIN, project="csoffice")
    with path.open("rb") as fh:
        return read_po(fh, locale=language)


def save(catalog: Catalog, language: str) -> None:
    catalog.fuzzy = False  # a fuzzy header would make the compiler skip the whole catalogue
    path = po_path(language)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        write_po(
            fh, catalog, width=0, sort_by_file=False, omit_header=False, include_previous=False
        )


def extract(out: Path | None = None) -> Path:
    """Write the template (csoffice.pot, or ``out``) from the sources; ``update`` runs it under
    the lock. The Makefile and the catalogue test use this one definition of what is extracted."""
    import subprocess

    out = out or HERE / f"{DOMAIN}.pot"
    keywords = ["-k", "_", "-k", "N_", "-k", "ngettext:1,2"]
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "translations/babel.cfg",
            *keywords,
            "--project=csoffice",
            "--sort-by-file",
            "--no-wrap",
            "-o",
            str(out),
            "csoffice",
            "main.py",
        ],
        cwd=HERE.parent,
        check=True,
        capture_output=True,
    )
    return out


def update() -> None:
    with locked():
        extract()
        with (HERE / f"{DOMAIN}.pot").open("rb") as fh:
            template = read_po(fh)
        for language in LANGUAGES:
            catalog = load(language)
            # No fuzzy matching: a guessed translation of a new string is worse than none.
            catalog.update(template, no_fuzzy_matching=True)
            catalog.obsolete.clear()
            save(catalog, language)


def missing(language: str) -> list[str]:
    catalog = load(language)
    return [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]


def fill(language: str, source: Path) -> int:
    translations = json.loads(source.read_text(encoding="utf-8"))
    count = 0
    with locked():
        catalog = load(language)
        for message in catalog:
            if message.id in translations:
                message.string = translations[message.id]
                message.flags.discard("fuzzy")
                count += 1
        save(catalog, language)
    return count


def main(argv: list[str]) -> int:
    if argv[:1] == ["update"]:
        update()
    elif argv[:1] == ["missing"] and len(argv) == 2:
        for msgid in missing(argv[1]):
            print(json.dumps(msgid, ensure_ascii=False))
    elif argv[:1] == ["fill"] and len(argv) == 3:
        print(f"{fill(argv[1], Path(argv[2]))} translations set")
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
