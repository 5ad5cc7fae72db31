"""The choice a form offers when its record was saved at another desk meanwhile: their values
beside mine, field by field, and 用对方的 / 用我的 / 合并 (where both changed a field, the clerk
picks which to keep). Nothing is saved or dropped until a button is pressed; Esc goes back to
the form with everything typed still in it.

Any form built on ``FieldErrors`` can use it (the customer file, the member forms, the
complaint form): catch ``conflicts.StaleRecord`` from the domain's save, work out the field
differences (the domain's own ``conflict_diffs``, or ``conflicts.compare`` on plain dicts),
and call :func:`offer_choice` with a callback that gets the choice and the per-field picks;
the callback saves again at ``StaleRecord.current`` with the chosen values
(``conflicts.chosen``), or records ``theirs`` with ``conflicts.record_choice`` and reloads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from csoffice.conflicts import CHOICES, Choice, FieldDiff
from csoffice.i18n import _, format_date, format_datetime, format_number, format_time
from csoffice.ui.desk_keys import DeskDialog
from csoffice.ui.widgets.form import FieldErrors

Label = Callable[[str], str]
Shown = Callable[[str, Any], str]
OnChoice = Callable[[Choice, dict[str, Choice]], None]


def form_labels(errors: FieldErrors) -> Label:
    """A field's label as its form shows it (the QFormLayout row's label)."""

    def label(name: str) -> str:
        widget = errors.widgets.get(name)
        holder = widget.parentWidget() if widget is not None else None
        found = errors.layout.labelForField(holder) if holder is not None else None
        text = found.text() if isinstance(found, QLabel) else ""
        return text.replace("&", "") or name

    return label


def form_display(errors: FieldErrors) -> Shown:
    """A value as the form would show it: a code by its list's label, a date as a date."""

    def shown(name: str, value: Any) -> str:
        widget = errors.widgets.get(name)
        if isinstance(widget, QComboBox) and not isinstance(value, list):
            index = widget.findData(value)
            if index >= 0:
                return widget.itemText(index)
        if value is None or value == "" or value == []:
            return _("(empty)")
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if isinstance(value, int | float):
            return format_number(value)
        if isinstance(value, list | tuple):
            return "、".join(str(v) for v in value)
        if isinstance(value, dt.datetime):
            return format_datetime(value)
        if isinstance(value, dt.date):
            return format_date(value)
        return str(value)

    return shown


class ConflictDialog(DeskDialog):
    """Theirs beside mine; ``chosen(choice, picks)`` when a button is pressed (picks: the
    clashing fields' "theirs" / "mine" for a merge)."""

    chosen = Signal(str, dict)

    def __init__(
        self,
        parent: QWidget,
        diffs: Sequence[FieldDiff],
        *,
        by: str,
        at: dt.datetime | None,
        label: Label,
        shown: Shown,
        choices: Iterable[Choice] = CHOICES,
        note: str = "",
    ):
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.setWindowTitle(_("Changed at another desk"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.diffs = list(diffs)
        self.came_from = QApplication.focusWidget()  # where the clerk typed: back there after
        layout = QVBoxLayout(self)
        when = format_time(at) if at is not None else "?"
        head = QLabel(
            _(
                "{name} saved this record at {time} while you were editing it. Nothing is saved "
                "yet: choose which changes to keep."
            ).format(name=by, time=when)
        )
        head.setWordWrap(True)
        layout.addWidget(head)
        if note:
            extra = QLabel(note)
            extra.setObjectName("conflictNote")
            extra.setWordWrap(True)
            layout.addWidget(extra)

        table = QWidget()
        grid = QGridLayout(table)
        choices = tuple(choices)
        # A form whose own fields the other desk did not touch (a member form acting on a
        # card) has no "mine" column, and without a merge no column of what it keeps.
        show_mine = any(diff.mine_changed for diff in self.diffs)
        show_merge = "merge" in choices
        titles = [_("Field"), _("Before"), _("Theirs ({name})").format(name=by)]
        titles += [_("Mine")] if show_mine else []
        titles += [_("Merge keeps")] if show_merge else []
        for column, title in enumerate(titles):
            grid.addWidget(QLabel(f"<b>{title}</b>"), 0, column)
        self.picks: dict[str, QComboBox] = {}
        for row, diff in enumerate(self.diffs, start=1):
            grid.addWidget(QLabel(label(diff.name)), row, 0)
            cells = [(diff.base, False), (diff.theirs, diff.theirs_changed)]
            cells += [(diff.mine, diff.mine_changed)] if show_mine else []
            for column, (value, changed) in enumerate(cells, start=1):
                cell = QLabel(shown(diff.name, value))
                cell.setWordWrap(True)
                cell.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                if changed:
                    cell.setStyleSheet("font-weight: bold;")
                grid.addWidget(cell, row, column)
                grid.setColumnStretch(column, 1)
            if not show_merge:
                continue
            if diff.clash:
                pick = QComboBox()
                pick.setObjectName(f"pick_{diff.name}")
                pick.addItem(_("Mine"), "mine")
                pick.addItem(_("Theirs"), "theirs")
                pick.setToolTip(
                    _("Both of you changed this field: which value does the merge keep?")
                )
                self.picks[diff.name] = pick
                grid.addWidget(pick, row, len(titles) - 1)
            else:
                keeps = _("Theirs") if diff.theirs_changed else _("Mine")
                grid.addWidget(QLabel(keeps), row, len(titles) - 1)
        grid.setRowStretch(len(self.diffs) + 1, 1)  # rows at the top, not spread out
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setWidget(table)
        layout.addWidget(area, 1)

        self.buttons = QDialogButtonBox()
        texts = {
            "theirs": _("Use theirs (&T)"),
            "mine": _("Use mine (&M)"),
            "merge": _("Merge (&G)"),
        }
        self.choice_buttons: dict[Choice, QPushButton] = {}
        for choice in choices:
            button = self.buttons.addButton(texts[choice], QDialogButtonBox.ButtonRole.AcceptRole)
            button.setObjectName(f"choose_{choice}")
            button.setAutoDefault(False)
            self.choice_buttons[choice] = button
        back = self.buttons.addButton(_("Back to the form"), QDialogButtonBox.ButtonRole.RejectRole)
        back.setAutoDefault(False)
        self.buttons.clicked.connect(self._clicked)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        # Enter merges where a merge is offered; otherwise it goes back to the form, so a key
        # pressed out of habit neither drops the entry nor makes it.
        first = self.choice_buttons.get("merge") or back
        first.setDefault(True)
        self.resize(720, min(560, 180 + 40 * len(self.diffs)))
        # Where the keyboard starts: the first field both sides changed, else the default.
        self.first_focus: QWidget = next(iter(self.picks.values()), None) or first

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.activateWindow()
        self.first_focus.setFocus(Qt.FocusReason.OtherFocusReason)

    def done(self, result: int) -> None:
        super().done(result)
        was = self.came_from
        if was is not None:
            try:
                was.window().activateWindow()
                was.setFocus(Qt.FocusReason.OtherFocusReason)
            except RuntimeError:  # the form was closed meanwhile
                pass

    def _clicked(self, button: QAbstractButton) -> None:
        for choice, ours in self.choice_buttons.items():
            if button is ours:
                self.choose(choice)
                return

    def choose(self, choice: Choice) -> None:
        picks: dict[str, Choice] = {name: box.currentData() for name, box in self.picks.items()}
        self.accept()
        self.chosen.emit(choice, picks)


def offer_choice(
    parent: QWidget,
    diffs: Sequence[FieldDiff],
    errors: FieldErrors,
    on_choice: OnChoice,
    *,
    by: str,
    at: dt.datetime | None,
    choices: Iterable[Choice] = CHOICES,
    note: str = "",
    label: Label | None = None,
    shown: Shown | None = None,
) -> ConflictDialog:
    """Open the choice over ``parent`` (shown, not exec'd); ``on_choice(choice, picks)`` runs
    when a button is pressed. Labels and values are the form's own (``errors``) unless given."""
    dialog = ConflictDialog(
        parent,
        diffs,
        by=by,
        at=at,
        label=label or form_labels(errors),
        shown=shown or form_display(errors),
        choices=choices,
        note=note,
    )
    dialog.chosen.connect(on_choice)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


__all__ = ["ConflictDialog", "form_display", "form_labels", "offer_choice"]
