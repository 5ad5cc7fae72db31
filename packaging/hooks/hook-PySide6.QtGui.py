"""Qt's GUI module as PyInstaller's own hook collects it, without the plugins an office PC does not
use (packaging/bundle.py says which). Left out here, their libraries are never collected either:
the GTK theme plugin alone would bring libgtk-3 and some twenty of its friends."""

import sys
from pathlib import Path, PurePosixPath

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import bundle

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [
    (source, dest)
    for source, dest in binaries
    if not bundle.unused_plugin(str(PurePosixPath(dest.replace("\\", "/"), Path(source).name)))
]
