"""What every screen of the desk is given: who is working, on which database, this desk's
own settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from csoffice import settings

if TYPE_CHECKING:  # types only: the UI reads no model and opens no connection
    from csoffice.db.models import Staff
    from csoffice.db.target import DatabaseTarget


@dataclass
class AppContext:
    """What every screen needs to know: who is working, and on which database."""

    staff: Staff
    target: DatabaseTarget
    config: settings.LocalConfig = field(default_factory=settings.LocalConfig)
