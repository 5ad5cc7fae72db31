"""Check a one-folder build before it goes to an office PC or into the Windows installer.

    python packaging/check_build.py dist/csoffice [--iss packaging/csoffice.iss] [--max-mb 200]

It reports the folder's size and checks that it holds both programs (the window program and the
console program), that every file the Inno Setup script names is in the build, that the folder
stays within its size, and that every library in it is used: linked by a module, a plugin or
another library that is itself used (PyInstaller's own binary analysis says what links what).
Exit status 0 when all holds, 1 otherwise (with one line per problem). `make package` runs it.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import bundle  # noqa: E402

PROGRAMS = ("csoffice", "csoffice-cli")
MAX_MB = 200
# Where the installer script expects the build, relative to the script (its [Files] Source).
ISS_BUILD = PureWindowsPath("..", "dist", "csoffice")
_LIBRARY = re.compile(r"\.(so(\.\d+)*|dll|pyd|dylib)$", re.IGNORECASE)


@dataclass
class InstallerScript:
    """An Inno Setup script as far as the check needs it: [Setup] settings, the entries of the
    other sections as key-value pairs, and [CustomMessages] per language."""

    path: Path
    setup: dict[str, str] = field(default_factory=dict)
    entries: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    messages: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path) -> InstallerScript:
        script = cls(path)
        section = ""
        for raw in path.read_text(encoding="utf-8-sig").splitlines():
            line = raw.strip()
            if not line or line.startswith((";", "#", "//")):
                continue
            if line.startswith("[") and line.endswith("]"):
                section = line[1:-1].lower()
                continue
            if section == "setup":
                key, _sep, value = line.partition("=")
                script.setup[key.strip().lower()] = value.strip()
            elif section == "custommessages":
                name, _sep, value = line.partition("=")
                language, _dot, key = name.strip().rpartition(".")
                script.messages.setdefault(language, {})[key] = value.strip()
            else:
                script.entries.setdefault(section, []).append(parse_entry(line))
        return script

    def values(self) -> Iterator[str]:
        yield from self.setup.values()
        for entries in self.entries.values():
            for entry in entries:
                yield from entry.values()

    def expand(self, text: str, language: str) -> str:
        """``text`` with its {cm:Name} custom messages in ``language``."""
        messages = self.messages.get(language, {})
        return re.sub(r"\{cm:(\w+)\}", lambda m: messages.get(m.group(1), m.group(0)), text)


def parse_entry(line: str) -> dict[str, str]:
    """``Name: "a"; Flags: b c`` → {"name": "a", "flags": "b c"}; "" inside quotes is one "."""
    entry: dict[str, str] = {}
    pattern = re.compile(r'\s*(\w+)\s*:\s*(?:"((?:[^"]|"")*)"|([^;]*))\s*(?:;|$)')
    position = 0
    while position < len(line):
        match = pattern.match(line, position)
        if not match:
            raise ValueError(f"cannot read the installer script's line: {line}")
        quoted, bare = match.group(2), match.group(3)
        entry[match.group(1).lower()] = (
            quoted.replace('""', '"') if quoted is not None else bare.strip()
        )
        position = match.end()
    return entry


def _in_build(build: Path, relative: PureWindowsPath, windows_build: bool) -> Path:
    path = build.joinpath(*relative.parts)
    if not windows_build and path.suffix.lower() == ".exe":
        path = path.with_suffix("")  # the same program, built on Linux
    return path


def _beside(script: InstallerScript, written: PureWindowsPath) -> Path:
    """A path the script names relative to itself."""
    return script.path.parent.joinpath(*written.parts).resolve()


def named_paths(script: InstallerScript, build: Path) -> list[tuple[str, Path]]:
    """Every file or folder the script names, where it must be: (as written, path)."""
    windows_build = (build / "csoffice.exe").exists()
    found: list[tuple[str, Path]] = []
    icon = script.setup.get("setupiconfile")
    if icon:
        found.append((icon, _beside(script, PureWindowsPath(icon))))
    for entry in script.entries.get("files", []):
        source = PureWindowsPath(entry["source"])
        try:
            inside = source.relative_to(ISS_BUILD)
        except ValueError:
            found.append((str(source), _beside(script, source)))
            continue
        found.append(
            (
                str(source),
                _in_build(build, inside.parent if "*" in inside.name else inside, windows_build),
            )
        )
    for value in script.values():
        for written in re.findall(r"\{app\}\\([^\"';&|]+?)(?=[\"';&|]|\s|$)", value):
            found.append(
                ("{app}\\" + written, _in_build(build, PureWindowsPath(written), windows_build))
            )
    return found


def folder_size(path: Path) -> tuple[int, int]:
    files = [f for f in path.rglob("*") if f.is_file() and not f.is_symlink()]
    return sum(f.stat().st_size for f in files), len(files)


def libraries(build: Path) -> dict[str, Path]:
    """The shared libraries and extension modules in the bundle's library folder, by destination."""
    internal = build / "_internal"
    return {
        str(PurePosixPath(*path.relative_to(internal).parts)): path
        for path in internal.rglob("*")
        if path.is_file() and not path.is_symlink() and _LIBRARY.search(path.name)
    }


def check(build: Path, iss: Path, max_mb: float = MAX_MB) -> tuple[list[str], list[str]]:
    """(report lines, problems)."""
    report: list[str] = []
    problems: list[str] = []
    size, count = folder_size(build)
    report.append(f"{build}: {size / 1e6:.1f} MB in {count} files (limit {max_mb:g} MB)")
    parts = sorted(
        (
            (folder_size(p)[0] if p.is_dir() else p.stat().st_size, p.name)
            for p in (build / "_internal").iterdir()
            if not p.is_symlink()
        ),
        reverse=True,
    )
    report.append(
        "  largest: " + ", ".join(f"{name} {bytes_ / 1e6:.1f} MB" for bytes_, name in parts[:5])
    )
    if size > max_mb * 1e6:
        problems.append(f"the build is {size / 1e6:.1f} MB, over {max_mb:g} MB")

    suffix = ".exe" if (build / "csoffice.exe").exists() else ""
    for program in PROGRAMS:
        if not (build / f"{program}{suffix}").is_file():
            problems.append(f"the program {program}{suffix} is missing")

    script = InstallerScript.read(iss)
    paths = named_paths(script, build)
    missing = [written for written, path in paths if not path.exists()]
    problems += [f"{iss.name} names {written}, which is not in the build" for written in missing]
    shortcuts = " ".join(" ".join(e.values()) for e in script.entries.get("icons", []))
    problems += [
        f"{iss.name} puts no shortcut to {program}.exe on the Start menu"
        for program in PROGRAMS
        if f"{program}.exe" not in shortcuts
    ]
    report.append(
        f"  {iss.name}: {len(paths)} paths named, {len(paths) - len(missing)} in the build"
    )

    from PyInstaller.depend import bindepend

    found = libraries(build)
    unused = bundle.unlinked_libraries(found, bindepend.get_imports)
    problems += [f"{name} is in the build but nothing uses it" for name in unused]
    report.append(f"  libraries and modules: {len(found)}, unused: {len(unused)}")
    return report, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("build", type=Path, help="the one-folder build, e.g. dist/csoffice")
    parser.add_argument("--iss", type=Path, default=HERE / "csoffice.iss")
    parser.add_argument("--max-mb", type=float, default=MAX_MB)
    args = parser.parse_args(argv)
    report, problems = check(args.build, args.iss, args.max_mb)
    print("\n".join(report))
    for problem in problems:
        print(f"ERR {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
