"""What the one-folder build leaves out (packaging/bundle.py), checked without a build."""

from __future__ import annotations

import os
import runpy
import sys
from pathlib import Path

import platformdirs
import platformdirs.windows
import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "packaging"))
import bundle

# A Linux build as PyInstaller lays it out: extension modules and plugins in their packages, Qt's
# libraries under PySide6/Qt/lib, the system libraries they link at the top.
LINKS = {
    "PySide6/QtWidgets.abi3.so": ["libQt6Widgets.so.6", "libpyside6.abi3.so.6.12"],
    "PySide6/Qt/lib/libQt6Widgets.so.6": ["libQt6Gui.so.6"],
    "PySide6/Qt/lib/libQt6Gui.so.6": ["libfontconfig.so.1", "libc.so.6"],
    "PySide6/Qt/plugins/platforms/libqxcb.so": ["libQt6XcbQpa.so.6"],
    "PySide6/Qt/lib/libQt6XcbQpa.so.6": ["libxkbcommon-x11.so.0"],
    # Left by a plugin the build dropped: nothing kept links them.
    "libgtk-3.so.0": ["libcairo.so.2", "libpango-1.0.so.0"],
    "libcairo.so.2": ["libpixman-1.so.0"],
    "libpango-1.0.so.0": [],
    "libpixman-1.so.0": [],
    "PySide6/Qt/lib/libQt6WaylandClient.so.6": ["libwayland-client.so.0"],
    "libwayland-client.so.0": [],
    "libfontconfig.so.1": [],
    "libxkbcommon-x11.so.0": [],
    "PySide6/libpyside6.abi3.so.6.12": [],
    "libpython3.11.so.1.0": [],  # the program loads it
    "pypdfium2_raw/libpdfium.so": [],  # pypdfium2 loads it with ctypes
}


def imports_of(path: str):
    return [(name, None) for name in LINKS[Path(path).as_posix().split("/_internal/", 1)[1]]]


def test_libraries_nothing_links_any_more_are_found(tmp_path):
    binaries = {dest: tmp_path / "_internal" / dest for dest in LINKS}
    assert bundle.unlinked_libraries(binaries, imports_of) == [
        "PySide6/Qt/lib/libQt6WaylandClient.so.6",
        "libcairo.so.2",
        "libgtk-3.so.0",
        "libpango-1.0.so.0",
        "libpixman-1.so.0",
        "libwayland-client.so.0",
    ]


def test_windows_names_match_whatever_their_case(tmp_path):
    binaries = {
        "PySide6/QtCore.pyd": tmp_path / "_internal/PySide6/QtCore.pyd",
        "PySide6/Qt6Core.dll": tmp_path / "_internal/PySide6/Qt6Core.dll",
        "VCRUNTIME140.dll": tmp_path / "_internal/VCRUNTIME140.dll",
        "_ssl.pyd": tmp_path / "_internal/_ssl.pyd",
    }
    links = {"QtCore.pyd": ["qt6core.dll"], "Qt6Core.dll": ["vcruntime140.dll"]}
    assert (
        bundle.unlinked_libraries(
            binaries, lambda p: [(n, None) for n in links.get(Path(p).name, [])]
        )
        == []
    )


def test_the_unused_qt_plugins_and_languages_are_left_out():
    assert bundle.unused_plugin("PySide6/Qt/plugins/platformthemes/libqgtk3.so")
    assert bundle.unused_plugin("PySide6\\plugins\\generic\\qtuiotouchplugin.dll")
    assert not bundle.unused_plugin("PySide6/Qt/plugins/platforms/libqxcb.so")
    assert not bundle.unused_plugin(
        "PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so"
    )
    assert not bundle.unused_plugin("PySide6/Qt/plugins/printsupport/libcupsprintersupport.so")
    assert bundle.unused_library("PySide6\\opengl32sw.dll")
    assert not bundle.unused_library("PySide6\\Qt6Gui.dll")
    assert bundle.language_data_wanted("babel/locale-data/zh_Hans_CN.dat")
    assert not bundle.language_data_wanted("babel/locale-data/de.dat")
    assert bundle.language_data_wanted("PySide6/Qt/translations/qtbase_zh_CN.qm")
    assert not bundle.language_data_wanted("PySide6/Qt/translations/qtbase_de.qm")


def test_on_windows_the_records_live_in_localappdata(tmp_path, monkeypatch):
    """What the installer promises: data and settings under %LOCALAPPDATA%, never roaming."""
    from csoffice import paths

    folders = {
        "CSIDL_LOCAL_APPDATA": str(tmp_path / "Local"),
        "CSIDL_APPDATA": str(tmp_path / "Roaming"),
    }
    monkeypatch.setattr(platformdirs.windows, "get_win_folder", folders.__getitem__)
    monkeypatch.setattr(platformdirs, "PlatformDirs", platformdirs.windows.Windows)
    monkeypatch.delenv("CSOFFICE_HOME")
    expected = tmp_path / "Local" / "csoffice" / "csoffice"
    assert paths.data_dir() == expected
    assert paths.config_dir() == expected
    assert paths.default_database_path() == expected / "csoffice.sqlite3"
    assert not (tmp_path / "Roaming").exists()


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ({"LD_LIBRARY_PATH": "/opt/csoffice/_internal"}, None),
        (
            {
                "LD_LIBRARY_PATH": "/opt/csoffice/_internal",
                "LD_LIBRARY_PATH_ORIG": "/usr/local/lib",
            },
            "/usr/local/lib",
        ),
    ],
)
def test_programs_csoffice_starts_get_the_sessions_library_path(monkeypatch, before, after):
    """lp and the PDF viewer must not load the bundle's libraries (packaging/rthooks)."""
    monkeypatch.setattr(sys, "platform", "linux")
    for name in ("LD_LIBRARY_PATH", "LD_LIBRARY_PATH_ORIG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in before.items():
        monkeypatch.setenv(name, value)
    runpy.run_path(str(ROOT / "packaging" / "rthooks" / "pyi_rth_csoffice_children.py"))
    assert os.environ.get("LD_LIBRARY_PATH") == after
    assert "LD_LIBRARY_PATH_ORIG" not in os.environ


def test_windows_programs_carry_their_version():
    text = bundle.windows_version_text("0.1.0", "csoffice-cli", "csoffice 命令行")
    compile(text, "version.txt", "eval")  # PyInstaller evaluates it on Windows
    assert "filevers=(0, 1, 0, 0)" in text
    assert "StringStruct('OriginalFilename', 'csoffice-cli.exe')" in text
    assert "StringStruct('FileDescription', 'csoffice 命令行')" in text
