"""The quick-entry form a clerk fills while the caller talks: keys first (Tab follows the
form, Enter saves, Esc clears), the caller recognised from the digits typed, the standard
answers offered as the note is written."""

from __future__ import annotations

import datetime as dt
from itertools import pairwise

from PySide6.QtCore import QDate, QDateTime, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from csoffice import answers, auth, customers, receptions
from csoffice.errors import CsofficeError, ValidationError
from csoffice.i18n import _, format_number, format_time
from csoffice.receptions import ReceptionInput
from csoffice.ui.context import AppContext
from csoffice.ui.errors import show_message
from csoffice.ui.tabs.reception.caller_picks import CallerPicks, customers_line
from csoffice.ui.unsaved import UnsavedGuard
from csoffice.ui.widgets.answer_suggestions import AnswerSuggestions
from csoffice.ui.widgets.customer_picker import CustomerPicker
from csoffice.ui.widgets.form import FieldErrors
from csoffice.ui.widgets.qt_dates import python_date, python_datetime, show_dates
from csoffice.ui.widgets.read_only import read_only
from csoffice.ui.widgets.refresh import refill
from csoffice.validation import normalize_phone

CALLERS_COUNTED = 12


class _Cell(QWidget):
    """One field of the quick-entry grid: its label, the field and its error line."""

    def __init__(self, errors: list[FieldErrors], name: str, label: str, widget: QWidget):
        super().__init__()
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        field_errors = FieldErrors(form)
        field_errors.add_row(name, label, widget)
        errors.append(field_errors)


class QuickEntry(QGroupBox):
    """The form a clerk fills while the caller talks; ``saved`` carries the reception's id."""

    saved = Signal(int)

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(_("Quick entry (F2)"), parent)
        self.context = context
        self.setObjectName("quickEntry")
        self.editing_id: int | None = None
        self._auto: dict[str, str] = {}  # what the phone lookup filled in, field → text
        self._found_mobile = ""  # the full number of the caller the typed digits found
        self._time_touched = False
        self._errors: list[FieldErrors] = []
        self._choices_extended = False

        self.phone = QLineEdit()
        self.phone.setObjectName("callerPhone")
        self.phone.setPlaceholderText(_("Digits find the customer as you type"))
        self.caller_name = QLineEdit()
        self.caller_name.setObjectName("callerName")
        self.caller_company = QLineEdit()
        self.caller_company.setObjectName("callerCompany")
        self.channel = QComboBox()
        self.channel.setObjectName("channel")
        self.direction = QComboBox()
        self.direction.setObjectName("direction")
        for code, label in receptions.DIRECTIONS.items():
            self.direction.addItem(_(label), code)
        self.category = QComboBox()
        self.category.setObjectName("category")
        self.content = QPlainTextEdit()
        self.content.setObjectName("content")
        self.content.setTabChangesFocus(True)
        self.content.setPlaceholderText(_("What the caller said (Shift+Enter for a new line)"))
        self.content.setFixedHeight(56)
        self.content.installEventFilter(self)
        self.phone.installEventFilter(self)
        self.outcome = QLineEdit()
        self.outcome.setObjectName("outcome")
        self.outcome.setPlaceholderText(_("What was done or promised"))
        self.followup = QCheckBox(_("Follow-up owed"))
        self.followup.setObjectName("followup")
        self.followup_due = QDateEdit()
        self.followup_due.setObjectName("followupDue")
        self.followup_due.setCalendarPopup(True)
        show_dates(self.followup_due)
        self.caller_kind = QComboBox()
        self.caller_kind.setObjectName("callerKind")
        for code, label in receptions.CALLER_KINDS.items():
            self.caller_kind.addItem(_(label), code)
        self.customer = CustomerPicker(hint=_("Link a customer file by name or phone"))
        self.customer.setObjectName("customerPicker")
        self.handler = QComboBox()
        self.handler.setObjectName("handler")
        self.received_at = QDateTimeEdit()
        self.received_at.setObjectName("receivedAt")
        show_dates(self.received_at)
        self.received_at.setCalendarPopup(True)

        self.caller_hint = QLabel()
        self.caller_hint.setObjectName("callerHint")
        self.caller_hint.setWordWrap(True)
        self.picks = CallerPicks(
            lambda row: f"{customers_line(row)} · {self._shown_phone(row.mobile)}"
        )
        self.mode_label = QLabel()
        self.mode_label.setObjectName("entryMode")
        self.save_button = QPushButton(_("Save (Enter)"))
        self.save_button.setObjectName("saveReception")
        self.save_button.setAutoDefault(False)
        self.clear_button = QPushButton(_("Clear (Esc)"))
        self.clear_button.setAutoDefault(False)
        self.new_customer_button = QPushButton(_("New customer file (Ctrl+N)"))
        self.new_customer_button.setAutoDefault(False)
        self.new_customer_button.setToolTip(
            _("Open a customer file for this caller from the name, phone and company typed")
        )

        errors = self._errors
        grid = QGridLayout(self)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        grid.addWidget(_Cell(errors, "caller_phone", _("Phone"), self.phone), 0, 0)
        grid.addWidget(_Cell(errors, "caller_name", _("Caller's name"), self.caller_name), 0, 1)
        grid.addWidget(_Cell(errors, "caller_company", _("Company"), self.caller_company), 0, 2)
        found = QWidget()
        found_rows = QVBoxLayout(found)
        found_rows.setContentsMargins(0, 0, 0, 0)
        found_rows.setSpacing(2)
        found_rows.addWidget(self.caller_hint)
        found_rows.addWidget(self.picks)
        grid.addWidget(found, 1, 0, 1, 3)
        grid.addWidget(_Cell(errors, "channel", _("Channel"), self.channel), 2, 0)
        grid.addWidget(_Cell(errors, "direction", _("Direction"), self.direction), 2, 1)
        grid.addWidget(_Cell(errors, "category", _("Category"), self.category), 2, 2)
        grid.addWidget(_Cell(errors, "content", _("What was said"), self.content), 3, 0, 1, 2)
        grid.addWidget(_Cell(errors, "outcome", _("Outcome"), self.outcome), 3, 2)
        self.suggestions = AnswerSuggestions(self)
        grid.addWidget(self.suggestions, 4, 0, 1, 3)
        followup_row = QWidget()
        row = QHBoxLayout(followup_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.followup)
        row.addWidget(QLabel(_("due")))
        row.addWidget(self.followup_due, 1)
        grid.addWidget(_Cell(errors, "followup_due", _("Follow-up"), followup_row), 5, 0)
        self._errors[-1].widgets["followup_due"] = self.followup_due
        grid.addWidget(_Cell(errors, "caller_kind", _("Caller is a"), self.caller_kind), 5, 1)
        grid.addWidget(_Cell(errors, "customer", _("Customer file"), self.customer), 5, 2)
        grid.addWidget(_Cell(errors, "handler", _("Taken by"), self.handler), 6, 0)
        grid.addWidget(_Cell(errors, "received_at", _("Time"), self.received_at), 6, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.mode_label, 1)
        buttons.addWidget(self.new_customer_button)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.save_button)
        grid.addLayout(buttons, 6, 2)
        for column in range(3):
            grid.setColumnStretch(column, 1)

        # Tab order follows the form, row by row.
        chain = [
            self.phone,
            self.caller_name,
            self.caller_company,
            self.channel,
            self.direction,
            self.category,
            self.content,
            self.outcome,
            self.followup,
            self.followup_due,
            self.caller_kind,
            self.customer.line_edit,
            self.handler,
            self.received_at,
            self.new_customer_button,
            self.clear_button,
            self.save_button,
        ]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

        self.phone.textEdited.connect(self._on_phone_edited)
        self.phone.editingFinished.connect(self._complete_phone)
        self.customer.picked.connect(self._on_customer_picked)
        self.picks.picked.connect(self._on_caller_picked)
        self.picks.left.connect(lambda: self.phone.setFocus(Qt.FocusReason.OtherFocusReason))
        self.channel.currentIndexChanged.connect(self._on_channel_changed)
        self.followup.toggled.connect(self.followup_due.setEnabled)
        self.received_at.dateTimeChanged.connect(self._on_time_changed)
        self.save_button.clicked.connect(self.save)
        self.content.textChanged.connect(self._suggest)
        self.outcome.textChanged.connect(self._suggest)
        self.category.currentIndexChanged.connect(self._suggest)
        self.suggestions.chosen.connect(self._answer_chosen)
        self.suggestions.library_requested.connect(self.open_answer_library)
        self.clear_button.clicked.connect(self.discard)
        self.new_customer_button.clicked.connect(self.create_customer)
        new_customer = QShortcut(QKeySequence("Ctrl+N"), self)
        new_customer.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        new_customer.activated.connect(self.create_customer)

        may_edit = auth.can(context.staff, "edit")
        for widget in (self.save_button, self.new_customer_button):
            widget.setEnabled(may_edit)
        if not may_edit:
            self.mode_label.setText(_("Your role may only look at the log."))
            read_only(self)
        self.guard = UnsavedGuard(
            self,
            inputs=lambda: [
                self.phone,
                self.caller_name,
                self.caller_company,
                self.content,
                self.outcome,
            ],
        )
        self.reload_choices()
        self.clear()

    # --- keys ----------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.phone
            and self.picks.isVisible()
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            # Several callers share these digits: ↓ (or Enter, which could not save them)
            # goes to the list to choose one.
            self.picks.enter()
            return True
        if (
            watched is self.content
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        ):
            self.save()
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Line edits, combo boxes and date fields pass Enter and Esc up to the form.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.save()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.discard()
            return
        super().keyPressEvent(event)

    # --- filling ---------------------------------------------------------------------------

    def reload_choices(self) -> None:
        """Channels, categories and staff as the office has configured them now."""
        self._choices_extended = False
        refill(self.channel, receptions.channels())
        refill(self.category, receptions.categories())
        staff = self.context.staff
        handlers = list(receptions.handlers())
        if all(staff_id != staff.id for staff_id, _name in handlers):
            handlers.append((staff.id, staff.display_name))
        refill(self.handler, handlers)

    def _set_time(self, value: dt.datetime) -> None:
        self.received_at.blockSignals(True)
        self.received_at.setDateTime(QDateTime(value.replace(second=0)))
        self.received_at.blockSignals(False)

    def _on_time_changed(self, _value: QDateTime) -> None:
        self._time_touched = True

    def _select(self, combo: QComboBox, code, label: str | None = None) -> None:
        index = combo.findData(code)
        if index < 0 and code is not None:
            combo.addItem(label or str(code), code)  # a code the office has switched off since
            index = combo.count() - 1
            self._choices_extended = True
        combo.setCurrentIndex(max(0, index))

    def clear(self) -> None:
        """Empty the form for the next call: now, by phone, taken by me."""
        self.editing_id = None
        self._auto = {}
        self._found_mobile = ""
        for field_errors in self._errors:
            field_errors.clear()
        for widget in (self.phone, self.caller_name, self.caller_company, self.outcome):
            widget.clear()
        self.content.clear()
        self.suggestions.reset()
        self._suggest()
        self.caller_hint.clear()
        self.picks.dismiss()
        self.customer.set_customer(None)
        if self._choices_extended:
            # The choices follow STAFF and SETTINGS changes (the tab reloads them); only a
            # switched-off code a correction showed must go.
            self.reload_choices()
        self.channel.setCurrentIndex(0)
        self.direction.setCurrentIndex(0)
        self.category.setCurrentIndex(0)
        self.caller_kind.setCurrentIndex(0)
        self._select(self.handler, self.context.staff.id)
        self.followup.setChecked(False)
        self.followup_due.setEnabled(False)
        self.followup_due.setDate(QDate.currentDate().addDays(1))
        self._set_time(dt.datetime.now())
        self._time_touched = False
        self.setTitle(_("Quick entry (F2)"))
        if auth.can(self.context.staff, "edit"):
            self.mode_label.clear()
        self._on_channel_changed()
        self.guard.mark_clean()

    def discard(self) -> None:
        """Esc: empty the form, asking first when something typed would be lost."""
        self.guard.confirm(self._discarded)

    def _discarded(self) -> None:
        self.clear()
        self.focus_first()

    def focus_first(self) -> None:
        if self.editing_id is None and not self._time_touched:
            self._set_time(dt.datetime.now())
        self.phone.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.phone.selectAll()

    def load(self, reception_id: int) -> None:
        """Open a stored reception in the form to correct it."""
        data = receptions.load(reception_id)
        self.clear()
        self.editing_id = reception_id
        self.phone.setText(self._shown_phone(data.caller_phone))
        self.caller_name.setText(data.caller_name)
        self.caller_company.setText(data.caller_company)
        self._select(self.channel, data.channel, receptions.channel_label(data.channel))
        self._select(self.direction, data.direction)
        self._select(self.category, data.category, receptions.category_label(data.category))
        self._select(self.caller_kind, data.caller_kind)
        self.customer.set_customer(data.customer_id)
        self.content.setPlainText(data.content)
        self.suggestions.reset(*answers.marks(reception_id))
        self.outcome.setText(data.outcome)
        self._select(self.handler, data.handler_id)
        self.followup.setChecked(data.followup_needed)
        if data.followup_due:
            self.followup_due.setDate(QDate(data.followup_due))
        if data.received_at is not None:  # a stored reception always has its time
            self._set_time(data.received_at)
        self._time_touched = False
        self.setTitle(_("Correcting reception No. {id} (Esc cancels)").format(id=reception_id))
        self.guard.mark_clean()
        self.phone.setFocus()

    def _on_channel_changed(self, *_args) -> None:
        self.direction.setEnabled(self.channel.currentData() == "phone")

    def _fill(self, name: str, value: str) -> None:
        """Fill an empty (or earlier auto-filled) field; never overwrite what the clerk typed."""
        widget = self.caller_name if name == "name" else self.caller_company
        if widget.text() and widget.text() != self._auto.get(name):
            return
        widget.setText(value)
        self._auto[name] = value

    def _unfill(self) -> str:
        """Undo what the lookup filled in; returns the name of the customer unlinked, if any."""
        for name, widget in (("name", self.caller_name), ("company", self.caller_company)):
            if name in self._auto and widget.text() == self._auto[name]:
                widget.clear()
        dropped = ""
        if self._auto.pop("customer", None) is not None:
            dropped = self.customer.line_edit.text()
            self.customer.set_customer(None)
        self._auto = {}
        self._found_mobile = ""
        return dropped

    def _shown_phone(self, mobile: str) -> str:
        return auth.shown_phone(self.context.staff, mobile)

    def _on_phone_edited(self, text: str) -> None:
        if not text.strip() and "customer" in self._auto:
            # Clearing the digits keeps the caller found: the clerk says so with Esc or by
            # typing another number, never by accident.
            self.caller_hint.setText(
                _(
                    "The phone is empty; the call stays linked to {name} (Esc clears the form)."
                ).format(name=self.customer.line_edit.text())
            )
            return
        match = receptions.lookup_caller(text, limit=CALLERS_COUNTED)
        found = match.unique
        if match.total > 1 and found is None:
            self.picks.show_rows(match.customers)
        else:
            self.picks.dismiss()
        if found is not None:
            self._link(found)
            return
        dropped = self._unfill()
        if dropped:
            self.caller_hint.setText(
                _("No longer linked to {name}: these digits are not theirs.").format(name=dropped)
            )
            return
        if match.total > 1:
            self.caller_hint.setText(
                _("{count} customers match these digits: ↓ chooses one, or keep typing.").format(
                    count=format_number(match.total)
                    if match.total <= CALLERS_COUNTED
                    else f"{CALLERS_COUNTED}+"
                )
            )
        elif match.previous_name:
            self._fill("name", match.previous_name)
            self._fill("company", match.previous_company)
            self._select(self.caller_kind, match.previous_kind)
            self.caller_hint.setText(
                _("Called before as {name} ({kind}); not in the customer archive.").format(
                    name=match.previous_name,
                    kind=receptions.caller_kind_label(match.previous_kind),
                )
            )
        elif len(normalize_phone(text)) >= 7:
            self.caller_hint.setText(
                _(
                    "Not on file. Ctrl+N opens a customer file for this caller, or leave the call unlinked."
                )
            )
        else:
            self.caller_hint.clear()

    def _link(self, found: customers.CustomerRow) -> None:
        """The caller is this customer: their file linked, their name and company filled."""
        self._fill("name", found.name if found.kind != "company" else "")
        self._fill("company", found.company or (found.name if found.kind == "company" else ""))
        if self.customer.customer_id() != found.id:
            self.customer.set_customer(found.id)
            self._auto["customer"] = str(found.id)
        self._found_mobile = found.mobile
        self._select(self.caller_kind, "customer")
        self.caller_hint.setText(
            _("✓ On file: {name} · {phone} (Enter saves)").format(
                name=customers_line(found), phone=self._shown_phone(found.mobile)
            )
        )

    def _on_caller_picked(self, customer_id: int) -> None:
        """The clerk chose the caller among those sharing the digits: linked, on to the note."""
        found = customers.rows([customer_id])
        self.picks.dismiss()
        if not found:
            return
        self._unfill()
        self._link(found[0])
        self._complete_phone()
        self.content.setFocus(Qt.FocusReason.OtherFocusReason)

    def _complete_phone(self) -> None:
        """Once the clerk moves on, the phone field shows the found caller's whole number."""
        if "customer" not in self._auto or not self._found_mobile:
            return
        full = receptions.completed_phone(self.phone.text(), self._found_mobile)
        if full != self.phone.text():
            self.phone.setText(self._shown_phone(full))

    def _typed_phone(self) -> str:
        """The number to save: the found caller's whole number for digits that are part of it
        (a viewer's masked display never reaches here: viewers cannot save)."""
        text = self.phone.text()
        if "customer" in self._auto and self._found_mobile:
            if "*" in text:
                return self._found_mobile
            return receptions.completed_phone(text, self._found_mobile)
        return text

    def _on_customer_picked(self, customer_id: int) -> None:
        self._auto.pop("customer", None)
        found = customers.rows([customer_id])
        if not found:
            return
        row = found[0]
        if not self.caller_name.text() or self.caller_name.text() == self._auto.get("name"):
            self._fill("name", row.name if row.kind != "company" else "")
        if not self.caller_company.text():
            self._fill("company", row.company or (row.name if row.kind == "company" else ""))
        if not self.phone.text():
            self.phone.setText(self._shown_phone(row.mobile))
        self._select(self.caller_kind, "customer")
        self.caller_hint.setText(_("✓ On file: {name}").format(name=customers_line(row)))

    # --- saving ------------------------------------------------------------------------------

    def data(self) -> ReceptionInput:
        when = python_datetime(self.received_at.dateTime()) if self._time_touched else None
        if self.editing_id is not None and not self._time_touched:
            when = receptions.load(self.editing_id).received_at
        due = python_date(self.followup_due.date()) if self.followup.isChecked() else None
        return ReceptionInput(
            channel=self.channel.currentData() or "",
            category=self.category.currentData() or "",
            direction=self.direction.currentData() or "in",
            caller_name=self.caller_name.text(),
            caller_phone=self._typed_phone(),
            caller_company=self.caller_company.text(),
            caller_kind=self.caller_kind.currentData() or "other",
            customer_id=self.customer.customer_id(),
            content=self.content.toPlainText(),
            outcome=self.outcome.text(),
            handler_id=self.handler.currentData(),
            followup_needed=self.followup.isChecked(),
            followup_due=due,
            received_at=when,
        )

    def show_errors(self, error: ValidationError) -> None:
        unplaced = list(error.errors)
        first: QWidget | None = None
        for field_errors in self._errors:
            mine = {k: v for k, v in error.errors.items() if k in field_errors.labels}
            if mine:
                field_errors.show(ValidationError(mine))
                unplaced = [k for k in unplaced if k not in mine]
                first = first or field_errors.widgets[next(iter(mine))]
            else:
                field_errors.clear()
        if unplaced:
            self.mode_label.setText("; ".join(error.errors[k] for k in unplaced))
        if first is not None:
            first.setFocus()

    def save(self) -> int | None:
        """Save the form (a new reception or the correction); returns the id or None."""
        if not auth.can(self.context.staff, "edit"):
            return None
        self.mode_label.clear()  # the last try's message goes when the next one starts
        try:
            data = self.data()
            chosen, no_answer = self.suggestions.marks()
            reception_id = answers.save_reception(
                self.context.staff, data, self.editing_id, chosen, no_answer
            ).id
            if self.editing_id is None:
                message = _("Saved at {time}: {caller}").format(
                    time=format_time(dt.datetime.now()),
                    caller=data.caller_name or data.caller_phone,
                )
            else:
                message = _("Reception No. {id} corrected.").format(id=reception_id)
        except ValidationError as exc:
            self.show_errors(exc)
            return None
        except CsofficeError as exc:
            show_message(self, _("Not saved"), str(exc))
            return None
        self.clear()
        self.mode_label.setText(message)
        self.focus_first()
        self.saved.emit(reception_id)
        return reception_id

    # --- standard answers ------------------------------------------------------------------

    def _suggest(self, *_args) -> None:
        typed = answers.typed_part(self.content.toPlainText())
        self.suggestions.update_for(typed, self.category.currentData() or "")
        self.suggestions.warn_taboo(f"{typed}\n{self.outcome.text()}")

    def _answer_chosen(self, suggestion) -> None:
        """Put the answer read to the caller into the note; the cursor stays where it was."""
        self.content.appendPlainText(answers.note_text(suggestion))

    def open_answer_library(self) -> None:
        from csoffice.ui.dialogs.answer_library_dialog import AnswerLibraryDialog

        dialog = AnswerLibraryDialog(self.context, self)
        dialog.finished.connect(lambda _result: self._suggest())
        dialog.open()
        self.answer_library = dialog

    def create_customer(self) -> None:
        """Open a customer file for the unknown caller from what is typed, and link it."""
        if not auth.can(self.context.staff, "edit"):
            return
        for field_errors in self._errors:
            field_errors.clear()
        try:
            customer = receptions.create_customer_from_caller(
                self.context.staff,
                self.caller_name.text(),
                self.phone.text(),
                self.caller_company.text(),
                self.channel.currentData() or "",
            )
            customer_id = customer.id
            hint = _("✓ New customer file opened and linked.")
        except customers.DuplicateCustomer as exc:
            customer_id = exc.existing_id
            hint = _("This phone is on file already; the existing customer is linked.")
        except ValidationError as exc:
            self.show_errors(exc)
            return
        except CsofficeError as exc:
            show_message(self, _("No customer file opened"), str(exc))
            return
        self._auto.pop("customer", None)
        self.customer.set_customer(customer_id)
        self._select(self.caller_kind, "customer")
        self.caller_hint.setText(hint)
