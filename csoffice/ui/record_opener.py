"""Open a record named by (kind, id) — a line of a customer's timeline — in its own form."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from csoffice import auth, receptions
from csoffice.i18n import _, format_datetime
from csoffice.ui.context import AppContext
from csoffice.ui.errors import show_message


def open_record(context: AppContext, kind: str, record_id: int, parent: QWidget) -> QWidget | None:
    """The complaint form, the return visit, or a reception's record; other kinds (cards,
    points, greetings) are shown on their own tab, which the message says."""
    if kind == "complaint":
        from csoffice.ui.dialogs.complaint_form import ComplaintForm

        dialog = ComplaintForm(context, complaint_id=record_id, parent=parent)
        dialog.open()
        return dialog
    if kind == "visit":
        from csoffice.ui.dialogs.visit_dialog import VisitDialog

        dialog = VisitDialog(context, record_id, parent)
        dialog.open()
        return dialog
    if kind == "reception":
        found = receptions.rows([record_id])
        if not found:
            return None
        row = found[0]
        lines = [
            _("{time} · {channel} · {category}").format(
                time=format_datetime(row.received_at),
                channel=receptions.channel_label(row.channel),
                category=receptions.category_label(row.category),
            ),
            _("Caller: {name} {phone}").format(
                name=row.caller_name, phone=auth.shown_phone(context.staff, row.caller_phone)
            ),
            _("What was said: {text}").format(text=row.content or "—"),
            _("Outcome: {text}").format(text=row.outcome or "—"),
            _("Taken by: {name}").format(name=row.handler_name),
        ]
        if row.complaint_number:
            lines.append(_("Became complaint {number}").format(number=row.complaint_number))
        return show_message(
            parent,
            _("Reception No. {id}").format(id=row.id),
            "\n".join(lines),
            QMessageBox.Icon.Information,
        )
    tab = {
        "card": _("Member cards"),
        "points": _("Member cards"),
        "greeting": _("Member cards"),
        "service": _("Customer archive"),
    }.get(kind, _("Customer archive"))
    return show_message(
        parent,
        _("Open"),
        _("This record is shown on the {tab} tab.").format(tab=tab),
        QMessageBox.Icon.Information,
    )
