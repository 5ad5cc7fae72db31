"""The letterhead every printed form carries, as plain data the domain fills in."""

from __future__ import annotations

from dataclasses import dataclass

from csoffice.i18n import _


@dataclass(frozen=True)
class Office:
    """What every printed form carries in its header."""

    name: str
    address: str
    phone: str

    @property
    def display_name(self) -> str:
        return self.name or _("Customer Service Desk")
