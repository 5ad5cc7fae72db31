"""The report figures as tables of plain values, one per sheet of the Excel export."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    """One sheet of the Excel export: a title, column headers and rows of plain values."""

    title: str
    headers: list[str]
    rows: list[list]
