"""Where csoffice keeps its files: the user's data and config folders, and bundled resources.

Setting CSOFFICE_HOME puts data and config under one folder (tests, portable installs).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "csoffice"
APP_AUTHOR = "csoffice"


def _home_override() -> Path | None:
    home = os.environ.get("CSOFFICE_HOME")
    return Path(home) if home else None


def data_dir() -> Path:
    """The folder for the database, attachments, backups and logs (created on demand)."""
    home = _home_override()
    path = home / "data" if home else Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    """The folder for this desk's own settings (language, database location)."""
    home = _home_override()
    path = home / "config" if home else Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_path() -> Path:
    return data_dir() / "csoffice.sqlite3"


def subfolder(name: str) -> Path:
    """A named folder inside the data folder: attachments, backups, logs."""
    path = data_dir() / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def _base_dir() -> Path:
    # In a PyInstaller bundle the resources sit beside the executable's unpacked files.
    bundle = getattr(sys, "_MEIPASS", None)
    return Path(bundle) if bundle else Path(__file__).resolve().parent.parent


def resource(*parts: str) -> Path:
    """A file in the bundled resources/ folder."""
    return _base_dir().joinpath("resources", *parts)


def translations_dir() -> Path:
    return _base_dir() / "translations"
