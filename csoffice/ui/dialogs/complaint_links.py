"""The complaint form's group and duplicate panel: a group complaint's complainants (each a
customer picked with the same finder as the form's customer; Delete takes the selected one off),
and the link to the complaint this one repeats (Enter in the number field links it; removing the
link asks for the reason). Each change is saved at once, as a step of the timeline."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from csoffice import auth, complaints
from csoffice.complaints import ComplaintView
from csoffice.errors import CsofficeError
from csoffice.i18n import _, format_datetime
from csoffice.ui.context import AppContext
from csoffice.ui.dialogs.form_rows import row_holder, row_label
from csoffice.ui.widgets.customer_picker import CustomerPicker
from csoffice.ui.widgets.form import FieldErrors, show_refusal


class ComplaintLinks(QGroupBox):
    """Complainants and the duplicate link of a stored complaint; ``changed`` carries its id
    after a change was saved."""

    changed = Signal(int)

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(_("Group complaint and duplicates (saved at once)"), parent)
        self.setObjectName("complaintLinks")
        self.staff = context.staff
        self.view: ComplaintView | None = None
        form = QFormLayout(self)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.form = form
        self.errors = FieldErrors(form)

        people = QWidget()
        people_column = QHBoxLayout(people)
        people_column.setContentsMargins(0, 0, 0, 0)
        self.complainants = QListWidget()
        self.complainants.setObjectName("complainantList")
        self.complainants.setFixedHeight(64)
        self.remove_button = QPushButton(_("Remove"))
        self.remove_button.setObjectName("removeComplainant")
        self.remove_button.clicked.connect(self.remove_selected)
        people_column.addWidget(self.complainants, 1)
        people_column.addWidget(self.remove_button)
        self.errors.add_row("complainant_list", _("Complainants"), people)
        self.people_label = row_label(self.errors, "complainant_list")
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.complainants)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.remove_selected)

        self.picker = CustomerPicker(hint=_("Add a complainant: name, pinyin or phone"))
        self.picker.setObjectName("complainantPicker")
        self.picker.picked.connect(self.add)
        self.errors.add_row("complainants", _("Add complainant"), self.picker)
        self.errors.widgets["complainants"] = self.picker.line_edit

        self.duplicate_state = QLabel()
        self.duplicate_state.setObjectName("duplicateState")
        self.duplicate_state.setWordWrap(True)
        form.addRow(_("Duplicate"), self.duplicate_state)
        link = QWidget()
        link_row = QHBoxLayout(link)
        link_row.setContentsMargins(0, 0, 0, 0)
        self.original = QLineEdit()
        self.original.setObjectName("duplicateOf")
        self.original.setPlaceholderText(_("Number of the complaint it repeats"))
        self.original.returnPressed.connect(self.link)
        self.reason = QLineEdit()
        self.reason.setObjectName("duplicateReason")
        self.reason.returnPressed.connect(self._reason_entered)
        self.link_button = QPushButton(_("Mark as duplicate"))
        self.link_button.setObjectName("linkDuplicate")
        self.link_button.clicked.connect(self.link)
        self.unlink_button = QPushButton(_("Remove the link"))
        self.unlink_button.setObjectName("unlinkDuplicate")
        self.unlink_button.clicked.connect(self.unlink)
        for widget in (self.original, self.reason, self.link_button, self.unlink_button):
            link_row.addWidget(widget, 1 if isinstance(widget, QLineEdit) else 0)
        self.errors.add_row("duplicate_of", _("Repeats"), link)
        self.errors.widgets["duplicate_of"] = self.original
        self.errors.labels["note"] = self.errors.labels["duplicate_of"]
        self.errors.widgets["note"] = self.reason
        self.message = QLabel()
        self.message.setObjectName("linksMessage")
        self.message.setWordWrap(True)
        form.addRow(self.message)
        for button in (self.remove_button, self.link_button, self.unlink_button):
            button.setAutoDefault(False)
        self.hide()

    # --- showing ------------------------------------------------------------------------

    def show_view(self, view: ComplaintView | None) -> None:
        """Show ``view``'s complainants and link (hidden for a complaint not saved yet)."""
        self.view = view
        if view is None:
            self.hide()
            return
        self.show()
        may_edit = auth.can(self.staff, "edit")
        final = view.status in complaints.FINAL_STATUSES
        group = view.severity == "group"
        self.complainants.clear()
        for person in view.complainants:
            text = f"{person.name}　{person.phone}".strip()
            if person.added_at is None:
                text += "　" + _("(the complaint's customer)")
            else:
                text += "　" + _("added {time} by {name}").format(
                    time=format_datetime(person.added_at), name=person.added_by
                )
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, person.customer_id)
            item.setData(Qt.ItemDataRole.UserRole + 1, person.added_at is not None)
            self.complainants.addItem(item)
        if self.people_label is not None:
            self.people_label.setText(_("Complainants ({n} people)").format(n=view.people))
        for name in ("complainant_list", "complainants"):
            self.form.setRowVisible(row_holder(self.errors, name), group)
        self.picker.setEnabled(may_edit and not final)
        self.remove_button.setEnabled(may_edit and not final)
        self.picker.set_customer(None)
        linked = bool(view.duplicate_of)
        parts = []
        if linked:
            parts.append(
                _("Repeats complaint {number}: counted there, not here.").format(
                    number=view.duplicate_of
                )
            )
        if view.duplicates:
            parts.append(
                _("Repeated by {numbers} (counted here).").format(
                    numbers="、".join(view.duplicates)
                )
            )
        self.duplicate_state.setText(" ".join(parts) or _("Not a duplicate."))
        self.original.setVisible(not linked)
        self.link_button.setVisible(not linked)
        self.unlink_button.setVisible(linked)
        self.original.clear()
        self.reason.clear()
        self.reason.setPlaceholderText(
            _("Reason for removing the link") if linked else _("Remarks (optional)")
        )
        for widget in (self.original, self.reason, self.link_button, self.unlink_button):
            widget.setEnabled(may_edit)

    # --- writing ------------------------------------------------------------------------

    def _run(self, write, done: str) -> None:
        if self.view is None:
            return
        self.errors.clear()
        self.message.clear()
        try:
            write()
        except CsofficeError as exc:
            show_refusal(self.errors, self.message, exc, "；")
            return
        complaint_id = self.view.id
        self.changed.emit(complaint_id)
        self.message.setText(done)

    def add(self, customer_id: int) -> None:
        """Add the customer just picked to the complainants; the finder is ready for the next."""
        assert self.view is not None
        view = self.view
        self._run(
            lambda: complaints.add_complainant(self.staff, view.id, customer_id),
            _("Complainant added."),
        )
        self.picker.setFocus()

    def remove_selected(self) -> None:
        item = self.complainants.currentItem()
        if self.view is None or item is None:
            return
        if not item.data(Qt.ItemDataRole.UserRole + 1):
            self.message.setText(
                _("The complaint's own customer is changed in the form, not here.")
            )
            return
        view, customer_id = self.view, item.data(Qt.ItemDataRole.UserRole)
        self._run(
            lambda: complaints.remove_complainant(self.staff, view.id, customer_id),
            _("Complainant removed."),
        )
        self.complainants.setFocus()

    def _reason_entered(self) -> None:
        if self.view is not None and self.view.duplicate_of:
            self.unlink()
        else:
            self.link()

    def link(self) -> None:
        if self.view is None or self.view.duplicate_of:
            return
        view, number, note = self.view, self.original.text(), self.reason.text()
        self._run(
            lambda: complaints.link_duplicate(self.staff, view.id, number, note),
            _("Marked as a duplicate: it is no longer counted on its own."),
        )

    def unlink(self) -> None:
        if self.view is None or not self.view.duplicate_of:
            return
        view, reason = self.view, self.reason.text()
        self._run(
            lambda: complaints.unlink_duplicate(self.staff, view.id, reason),
            _("The link is removed: the complaint counts on its own again."),
        )
