"""The errors the domain layer raises; the UI and the command line turn them into messages."""

from __future__ import annotations


class CsofficeError(Exception):
    """Base of every error csoffice reports to a person (the message is already translated)."""


class ValidationError(CsofficeError):
    """Input that cannot be saved; ``errors`` maps a field name to its message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = dict(errors)
        super().__init__("; ".join(self.errors.values()))

    @classmethod
    def single(cls, field: str, message: str) -> ValidationError:
        return cls({field: message})


class NotFound(CsofficeError):
    """A record asked for by number or id does not exist."""


class PermissionDenied(CsofficeError):
    """The acting staff member's role does not allow the action."""


class Conflict(CsofficeError):
    """The record was changed by someone else since it was read, or the move is not allowed now."""


class DatabaseError(CsofficeError):
    """The database cannot be opened or used (bad path, newer schema, corrupt file)."""
