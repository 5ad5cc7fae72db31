"""Programs csoffice starts (lp for a printer, xdg-open for the PDF viewer) get the library path
of the desk's session, not the bundle's. PyInstaller's bootloader restarts the program with
LD_LIBRARY_PATH pointing into the bundle (keeping the old value as LD_LIBRARY_PATH_ORIG); a system
program started with it would load csoffice's copies of libcups, libstdc++ or libglib instead of
its own and may fail on another distribution. csoffice itself no longer needs the variable: the
dynamic loader read it when the program started."""

import os
import sys

if sys.platform.startswith("linux"):
    original = os.environ.pop("LD_LIBRARY_PATH_ORIG", None)
    if original is None:
        os.environ.pop("LD_LIBRARY_PATH", None)
    else:
        os.environ["LD_LIBRARY_PATH"] = original
