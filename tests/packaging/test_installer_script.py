"""The Windows installer script, checked as far as a Linux machine can: every file it names is in
the build, the console program is on the Start menu, the records stay in %LOCALAPPDATA%."""

from __future__ import annotations

import sys

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "packaging"))
import check_build

ISS = ROOT / "packaging" / "csoffice.iss"


@pytest.fixture
def script():
    return check_build.InstallerScript.read(ISS)


def fake_build(folder, programs=("csoffice.exe", "csoffice-cli.exe")):
    (folder / "_internal").mkdir(parents=True)
    for name in programs:
        (folder / name).write_bytes(b"MZ")
    return folder


def test_the_script_is_utf8_with_a_byte_order_mark():
    # Inno Setup before 6.3 reads a script without the mark in the ANSI code page.
    assert ISS.read_bytes().startswith(b"\xef\xbb\xbf")


def test_the_console_program_is_on_the_start_menu_as_csoffice_command_line(script):
    entries = {script.expand(e["name"], "chinesesimplified"): e for e in script.entries["icons"]}
    entry = entries["{group}\\csoffice 命令行"]
    assert script.expand(entry["name"], "english") == "{group}\\csoffice command line"
    # A command prompt that stays open, the program folder on its PATH, the help on screen.
    assert entry["filename"] == "{cmd}"
    assert entry["parameters"] == '/K "set "PATH={app};%PATH%" && csoffice-cli.exe --help"'
    assert entry["iconfilename"] == "{app}\\csoffice-cli.exe"
    assert entries["{group}\\csoffice"]["filename"] == "{app}\\csoffice.exe"


def test_the_installer_and_the_programs_carry_the_icon_made_from_the_svg(script):
    assert script.setup["setupiconfile"] == "..\\build\\icons\\csoffice.ico"
    spec = (ROOT / "packaging" / "csoffice.spec").read_text(encoding="utf-8")
    assert 'ICONS / "csoffice.ico"' in spec
    assert "svg" in (ROOT / "packaging" / "make_icons.py").read_text(encoding="utf-8")


def test_the_records_stay_out_of_the_program_folder(script):
    assert script.setup["privilegesrequired"] == "lowest"
    assert script.setup["defaultdirname"] == "{autopf}\\csoffice"
    # Nothing installed into, or removed from, the user's data folders: uninstalling keeps records.
    assert not {"dirs", "uninstalldelete", "installdelete"} & set(script.entries)
    for value in script.values():
        assert "{localappdata}" not in value and "{userappdata}" not in value


def test_every_path_the_script_names_is_checked_in_the_build(script, tmp_path):
    build = fake_build(tmp_path / "csoffice")
    named = {written: path for written, path in check_build.named_paths(script, build)}
    assert named["{app}\\csoffice.exe"] == build / "csoffice.exe"
    assert named["{app}\\csoffice-cli.exe"] == build / "csoffice-cli.exe"
    assert named["..\\dist\\csoffice\\*"] == build
    assert named["..\\build\\icons\\csoffice.ico"] == ROOT / "build" / "icons" / "csoffice.ico"


def test_a_build_without_the_console_program_is_refused(script, tmp_path):
    build = fake_build(tmp_path / "csoffice", programs=("csoffice.exe",))
    report, problems = check_build.check(build, ISS)
    assert "the program csoffice-cli.exe is missing" in problems
    assert "csoffice.iss names {app}\\csoffice-cli.exe, which is not in the build" in problems
    assert report[0].startswith(f"{build}: 0.0 MB in 1 files (limit 200 MB)")


def test_a_linux_build_stands_for_the_windows_names(script, tmp_path):
    build = fake_build(tmp_path / "csoffice", programs=("csoffice", "csoffice-cli"))
    named = dict(check_build.named_paths(script, build))
    assert named["{app}\\csoffice-cli.exe"] == build / "csoffice-cli"


def test_entries_are_read_as_inno_setup_quotes_them():
    entry = check_build.parse_entry('Name: "a ""b"""; Flags: nowait postinstall; Tasks: x')
    assert entry == {"name": 'a "b"', "flags": "nowait postinstall", "tasks": "x"}
