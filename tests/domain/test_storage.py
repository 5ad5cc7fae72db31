"""csoffice.storage: what the desk asks of the database layer (the settings dialog's checks,
the error dialog's and the worker threads' typed errors)."""

from __future__ import annotations

import sqlite3

import pytest

from csoffice import storage
from csoffice.db.errors import DatabaseBusy, DiskFull
from csoffice.errors import DatabaseError, ValidationError


def test_a_location_csoffice_cannot_use_is_refused_in_words():
    storage.check_location("")  # the data folder's file
    storage.check_location("postgresql://desk@server/office")
    with pytest.raises(DatabaseError, match="ftp://"):
        storage.check_location("ftp://server/office.db")


def test_trying_a_location_opens_the_file_and_closes_it(tmp_path):
    path = tmp_path / "office.sqlite3"
    storage.try_location(str(path))
    assert path.exists()
    with pytest.raises(DatabaseError) as refused:
        storage.try_location(str(tmp_path / "no such folder" / "office.sqlite3"))
    assert "no such folder" in str(refused.value)


def test_a_driver_error_comes_back_as_the_apps_own():
    assert isinstance(
        storage.known_error(sqlite3.OperationalError("database is locked")), DatabaseBusy
    )
    assert isinstance(storage.known_error(OSError(28, "No space left on device")), DiskFull)
    refusal = ValidationError.single("name", "Enter a name.")
    assert storage.known_error(refusal) is refusal
    assert storage.known_error(ValueError("a bug")) is None


def test_releasing_a_thread_without_a_connection_is_harmless(database):
    storage.release_thread_connection()
    storage.release_thread_connection()
