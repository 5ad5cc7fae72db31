"""Every file dialog of the desk opens in the last folder used (at first the user's Documents)
and remembers the folder chosen; Qt's own dialog, so it speaks the user's language."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from csoffice.i18n import _
from csoffice.paths import config_dir
from csoffice.ui.errors import show_message

_KEY = "files/last_folder"


def _state() -> QSettings:
    return QSettings(str(config_dir() / "window.ini"), QSettings.Format.IniFormat)


def last_folder() -> Path:
    """The folder the last file dialog ended in, else the user's Documents (else home)."""
    stored = _state().value(_KEY)
    if stored and Path(str(stored)).is_dir():
        return Path(str(stored))
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if documents and Path(documents).is_dir():
        return Path(documents)
    return Path.home()


def remember(path: str | Path) -> None:
    """Keep the folder of ``path`` (or ``path`` itself when it is a folder) for the next time."""
    if not path:
        return
    chosen = Path(path)
    folder = chosen if chosen.is_dir() else chosen.parent
    state = _state()
    state.setValue(_KEY, str(folder))
    state.sync()


def start_path(name: str = "") -> str:
    """Where a dialog starts: the last folder, with ``name`` proposed as the file name."""
    folder = last_folder()
    return str(folder / name) if name else str(folder)


def file_dialog(parent: QWidget | None, title: str, name: str = "") -> QFileDialog:
    """A QFileDialog (not the platform's) in the last folder that remembers where it ends."""
    dialog = QFileDialog(parent, title, start_path(name))
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    # Qt's shipped Chinese catalogue misses these two labels since Qt gave them mnemonics.
    dialog.setLabelText(QFileDialog.DialogLabel.LookIn, _("&Look in:"))
    dialog.setLabelText(QFileDialog.DialogLabel.FileType, _("Files of &type:"))
    dialog.fileSelected.connect(remember)
    dialog.filesSelected.connect(lambda names: remember(names[0]) if names else None)
    return dialog


def save_dialog(
    parent: QWidget | None, title: str, name: str, name_filter: str, suffix: str
) -> QFileDialog:
    """``file_dialog`` for saving: ``name`` proposed in the last folder, ``suffix`` added when
    the clerk types none."""
    dialog = file_dialog(parent, title, name)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setNameFilter(name_filter)
    dialog.setDefaultSuffix(suffix)
    return dialog


def ask_save_pdf(
    parent: QWidget, source: Path, title: str, saved: Callable[[str], object]
) -> QFileDialog:
    """A save dialog for a copy of the PDF at ``source``; ``saved(target)`` once copied."""
    dialog = save_dialog(parent, title, source.name, _("PDF (*.pdf)"), "pdf")
    dialog.fileSelected.connect(lambda target: copy_pdf(parent, source, target) and saved(target))
    dialog.open()
    return dialog


def copy_pdf(parent: QWidget, source: Path, target: str) -> bool:
    """Copy the PDF; a message beside ``parent`` when the disk refuses."""
    try:
        shutil.copyfile(source, target)
    except OSError as exc:
        show_message(parent, _("Not saved"), exc.strerror or str(exc))
        return False
    return True
