"""Standard answers suggested under the quick-entry form while the clerk types.

Nothing here takes the keyboard focus: the suggestions are buttons that never accept focus,
chosen with Alt+1…Alt+5 (or the mouse) while the cursor stays where the clerk types, so Tab,
Enter-saves and Esc-clears work as before. Alt+0 marks the call "no answer found". Each
keystroke costs one look-up in the in-memory index (csoffice.answers.SuggestionIndex).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QCheckBox, QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from csoffice import answers
from csoffice.answers import Suggestion
from csoffice.changes import Change
from csoffice.i18n import _
from csoffice.ui.events import events

SHOWN = 5


def _elided(text: str, length: int = 28) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


class AnswerSuggestions(QFrame):
    """The suggestion strip; ``chosen`` carries the Suggestion the clerk picked."""

    chosen = Signal(object)
    library_requested = Signal()

    def __init__(self, shortcut_scope: QWidget, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("answerSuggestions")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.suggestions: list[Suggestion] = []
        self.chosen_ids: list[int] = []
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.caption = QLabel(_("Standard answers:"))
        layout.addWidget(self.caption)
        self.buttons: list[QPushButton] = []
        for index in range(SHOWN):
            button = QPushButton()
            button.setObjectName(f"answerSuggestion{index + 1}")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setAutoDefault(False)
            button.setFlat(True)
            button.setStyleSheet("text-align: left; padding: 1px 6px;")
            button.clicked.connect(lambda _checked=False, i=index: self.choose(i))
            button.hide()
            layout.addWidget(button)
            self.buttons.append(button)
            shortcut = QShortcut(QKeySequence(f"Alt+{index + 1}"), shortcut_scope)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda i=index: self.choose(i))
        self.empty = QLabel(_("none match yet"))
        self.empty.setObjectName("answerSuggestionsEmpty")
        self.empty.setStyleSheet("color: #777;")
        layout.addWidget(self.empty)
        layout.addStretch(1)
        self.taboo = QLabel()
        self.taboo.setObjectName("tabooWarning")
        self.taboo.setStyleSheet("color: #b3261e;")
        self.taboo.hide()
        layout.addWidget(self.taboo)
        self.no_answer = QCheckBox(_("No answer found (Alt+0)"))
        self.no_answer.setObjectName("noAnswerFound")
        self.no_answer.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.no_answer.setToolTip(
            _("The library had no answer for this question; the monthly report lists these.")
        )
        layout.addWidget(self.no_answer)
        toggle = QShortcut(QKeySequence("Alt+0"), shortcut_scope)
        toggle.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        toggle.activated.connect(self.no_answer.toggle)
        self.library_button = QPushButton(_("Answer library…"))
        self.library_button.setObjectName("openAnswerLibrary")
        self.library_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.library_button.setAutoDefault(False)
        self.library_button.clicked.connect(self.library_requested)
        layout.addWidget(self.library_button)
        events.changed.connect(self._records_changed)

    def _records_changed(self, kind: object) -> None:
        if kind == Change.ANSWER:
            answers.invalidate()  # another window (or desk) changed the library

    def update_for(self, text: str, category: str) -> None:
        """Show the answers that fit what is typed (one in-memory look-up)."""
        self.suggestions = answers.suggest(text, category, SHOWN)
        for index, button in enumerate(self.buttons):
            if index < len(self.suggestions):
                found = self.suggestions[index]
                used = "✓ " if found.id in self.chosen_ids else ""
                button.setText(f"{used}Alt+{index + 1} {_elided(found.question)}")
                button.setToolTip(f"{found.topic}\n{found.question}\n\n{found.text}".strip())
                button.show()
            else:
                button.hide()
        self.empty.setVisible(not self.suggestions)

    def warn_taboo(self, text: str) -> None:
        """Name any phrase never to use that the note or outcome contains."""
        found = answers.taboo_found(text)
        self.taboo.setText(_("Phrase never to use: “{phrase}”").format(phrase="”、“".join(found)))
        self.taboo.setVisible(bool(found))

    def choose(self, index: int) -> None:
        if index >= len(self.suggestions) or not self.buttons[index].isVisible():
            return
        found = self.suggestions[index]
        if found.id not in self.chosen_ids:
            self.chosen_ids.append(found.id)
        self.no_answer.setChecked(False)
        self.chosen.emit(found)

    def reset(self, answer_ids: list[int] | None = None, no_answer: bool = False) -> None:
        """Start afresh (a new call) or show what a stored reception had."""
        self.chosen_ids = list(answer_ids or [])
        self.no_answer.setChecked(no_answer)

    def marks(self) -> tuple[list[int], bool]:
        return list(self.chosen_ids), self.no_answer.isChecked()
