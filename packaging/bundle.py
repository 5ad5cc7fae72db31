"""What the one-folder build leaves out: the rules csoffice.spec applies to PyInstaller's analysis.

Kept apart from the spec so the rules can be tested without a build, and so the build can be
checked against them (packaging/check_build.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path, PurePosixPath

# Qt plugins an office PC does not use: it runs on Windows or X11/XWayland with a keyboard and a
# mouse, and Qt's own style draws the window (the GTK theme plugin alone links libgtk-3 and some
# twenty of its friends). Input methods (ibus, compose) stay: they type Chinese.
UNUSED_PLUGINS = (
    "plugins/platforms/libqeglfs",
    "plugins/platforms/libqlinuxfb",
    "plugins/platforms/libqvnc",
    "plugins/platforms/libqvkkhrdisplay",
    "plugins/platforms/libqwayland",
    "plugins/platforms/libqminimalegl",
    "plugins/wayland-",
    "plugins/egldeviceintegrations",
    "plugins/platformthemes/libqgtk3",
    "plugins/generic/",  # evdev and TUIO input for kiosks without a window system
)

# Libraries PyInstaller's Qt hook collects for OpenGL, which a Qt Widgets app never draws with:
# the software OpenGL renderer of Windows builds (about 20 MB).
UNUSED_LIBRARIES = ("opengl32sw.dll",)

# Qt's own libraries (libQt6Core.so.6, Qt6Core.dll) are there because a module or plugin links them.
_QT_LIBRARY = re.compile(r"^(lib)?Qt6\w+\.(so\.6|dll)$", re.IGNORECASE)


_EXTENSION_MODULE = re.compile(r"(\.pyd|\.cpython-\d+[^/]*\.so|\.abi3\.so)$", re.IGNORECASE)


def _posix(dest: str) -> str:
    return dest.replace("\\", "/")


def unused_plugin(dest: str) -> bool:
    return any(part in _posix(dest) for part in UNUSED_PLUGINS)


def unused_library(dest: str) -> bool:
    return _posix(dest).rsplit("/", 1)[-1].lower() in UNUSED_LIBRARIES


def language_data_wanted(dest: str) -> bool:
    """Drop the locale data and Qt catalogues of languages csoffice does not speak."""
    dest = _posix(dest)
    name = dest.rsplit("/", 1)[-1]
    if dest.startswith("babel/locale-data/"):
        return name in ("root.dat", "en.dat", "en_001.dat", "zh.dat") or name.startswith("zh_Hans")
    if "/Qt/translations/" in dest or dest.startswith("PySide6/translations/"):
        return "_zh_CN" in name or "_en" in name
    return True


def is_dependency_only(dest: str) -> bool:
    """A library that is in the bundle only because another binary links it: Qt's libraries, and
    the system libraries the analysis copies to the top of the folder. libpython is loaded by the
    program itself, extension modules by Python (on Windows the standard library's sit at the top)."""
    dest = _posix(dest)
    name = dest.rsplit("/", 1)[-1]
    if name.startswith(("libpython", "python3")) or _EXTENSION_MODULE.search(name):
        return False
    return bool(_QT_LIBRARY.match(name)) or "/" not in dest


def _key(name: str) -> str:
    return PurePosixPath(_posix(name)).name.lower()  # Windows names ignore case


def unlinked_libraries(
    binaries: Mapping[str, Path], imports_of: Callable[[str], Iterable[tuple[str, str | None]]]
) -> list[str]:
    """The libraries no kept binary needs: in the bundle only because something since left out
    linked them. ``binaries`` maps a destination in the bundle's library folder to its file;
    ``imports_of(path)`` lists ``(name, path)`` of the libraries a binary links (PyInstaller's
    ``bindepend.get_imports``)."""
    by_name = {_key(dest): dest for dest in binaries}
    needed = {dest for dest in binaries if not is_dependency_only(dest)}
    queue = list(needed)
    while queue:
        for name, _path in imports_of(str(binaries[queue.pop()])):
            linked = by_name.get(_key(name))
            if linked is not None and linked not in needed:
                needed.add(linked)
                queue.append(linked)
    return sorted(set(binaries) - needed)


def windows_version_text(version: str, program: str, description: str) -> str:
    """The version resource of a Windows program (File ▸ Properties ▸ Details), in the text
    form PyInstaller's ``EXE(version=FILE)`` reads; Simplified Chinese, Unicode."""
    numbers = tuple(int(part) for part in re.findall(r"\d+", version)[:4])
    numbers += (0,) * (4 - len(numbers))
    strings = {
        "CompanyName": "csoffice",
        "FileDescription": description,
        "FileVersion": version,
        "InternalName": program,
        "OriginalFilename": f"{program}.exe",
        "ProductName": "csoffice",
        "ProductVersion": version,
    }
    table = ",\n".join(f"          StringStruct({k!r}, {v!r})" for k, v in strings.items())
    return f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers={numbers}, prodvers={numbers}, mask=0x3f, flags=0x0, OS=0x40004,
                    fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([StringTable('080404B0', [
{table}])]),
    VarFileInfo([VarStruct('Translation', [0x0804, 1200])]),
  ],
)
"""
