"""F1: a short help page for the tab in front of the clerk, with the desk's shortcuts."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from csoffice.i18n import N_, _
from csoffice.ui.desk_keys import DeskDialog

SHORTCUTS = [
    ("F2", N_("Log a call or visit: the cursor goes to the caller's phone")),
    ("Ctrl+1 … Ctrl+7", N_("Go to a tab, the cursor in its search box")),
    ("Ctrl+F", N_("Search on this tab")),
    ("Ctrl+P", N_("Print the open record or this tab's list")),
    ("Ctrl+N", N_("New record on this tab")),
    ("Ctrl+S", N_("Save the open form")),
    ("Enter", N_("Save or open (only when the form is complete)")),
    ("Esc", N_("Close or clear; asks first when something typed is not saved")),
    ("Ctrl+L", N_("Lock the screen (open forms are kept)")),
    ("F1", N_("This help")),
]

PAGES = {
    "today": (
        N_("Today"),
        [
            N_(
                "What the desk owes today: return visits due, follow-ups, complaints and birthdays."
            ),
            N_("Enter or a double-click opens the item; F5 refreshes."),
        ],
    ),
    "reception": (
        N_("Reception"),
        [
            N_(
                "Type the caller's number: four digits (the last four, or the start) find a customer on file; the phone field then shows the whole number."
            ),
            N_(
                "A stranger needs only a phone or a name. Tab moves through the form, Enter saves, Shift+Enter starts a new line in the note."
            ),
            N_("Ctrl+N opens a customer file for an unknown caller from what is typed."),
            N_("A double-click on a row of the day view opens it for correction."),
        ],
    ),
    "complaints": (
        N_("Complaints"),
        [
            N_("Type a number, a name or a phone in the search box; Enter opens the complaint."),
            N_(
                "In the form each step (assign, handle, inform the customer, close) has its button; the case block shows the current round's result and the customer's opinion."
            ),
            N_("Ctrl+S saves the form, Ctrl+P prints the slip."),
        ],
    ),
    "customers": (
        N_("Customer archive"),
        [
            N_("Search by name, pinyin initials, phone, ID or card number; Enter opens the file."),
            N_(
                "On the Details page changes are kept when you press Save; ticks on the paper file, scans and service events are saved at once."
            ),
            N_("A double-click on a row of the History page opens that record."),
        ],
    ),
    "members": (
        N_("Member cards"),
        [
            N_("Find the card by its number, the member's name, pinyin or phone."),
            N_("Earn, redeem, report lost and reissue each open a small form: type, then Enter."),
        ],
    ),
    "visits": (
        N_("Return visits"),
        [
            N_("The calls due are listed first; Enter opens one to record the answer."),
            N_("A dissatisfied answer can be turned into a complaint from the visit."),
        ],
    ),
    "reports": (
        N_("Reports"),
        [
            N_("Type a period (2026-11-24, 2026-W48 or 2026-11); Ctrl+P prints the report."),
        ],
    ),
}


def help_html(key: str) -> str:
    """The help page of tab ``key`` in the current language."""
    title, lines = PAGES.get(key, PAGES["today"])
    keys_heading = _("Keys")
    parts = [f"<h2>{escape(_(title))}</h2>", "<ul>"]
    parts += [f"<li>{escape(_(line))}</li>" for line in lines]
    parts += ["</ul>", f"<h3>{escape(keys_heading)}</h3>", "<table cellspacing='4'>"]
    for keys, what in SHORTCUTS:
        parts.append(f"<tr><td><b>{escape(keys)}</b></td><td>{escape(_(what))}</td></tr>")
    parts.append("</table>")
    return "".join(parts)


class HelpDialog(DeskDialog):
    """The help page of one tab; Esc or Enter closes it."""

    def __init__(self, key: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("helpDialog")
        self.setWindowTitle(_("Help"))
        self.resize(620, 520)
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser()
        self.browser.setObjectName("helpText")
        self.browser.setHtml(help_html(key))
        layout.addWidget(self.browser, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.browser.setFocus()
