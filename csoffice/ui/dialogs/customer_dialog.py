"""A customer's file: the details form, the history timeline, scans and checklist, service events."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from csoffice import (
    attachments,
    auth,
    conflicts,
    customer_history,
    customers,
    live_updates,
    paper_file,
    service_events,
)
from csoffice.customers import records
from csoffice.errors import CsofficeError, ValidationError
from csoffice.i18n import _, format_date, format_datetime, format_money
from csoffice.ui.conflicts import offer_choice
from csoffice.ui.connection import tell_when_back
from csoffice.ui.context import AppContext
from csoffice.ui.desk_keys import DeskDialog
from csoffice.ui.errors import show_message
from csoffice.ui.unsaved import UnsavedGuard
from csoffice.ui.widgets.customer_form import CustomerForm
from csoffice.ui.widgets.customer_picker import CustomerPicker
from csoffice.ui.widgets.form import FieldErrors, message_label
from csoffice.ui.widgets.read_only import read_only


def paper_state_text(state: paper_file.FileState, today: dt.date | None = None) -> str:
    """Where the paper file stands: complete, or what is missing and by when."""
    if state.event_date is None:
        return _("No delivery on file yet: the hand-in deadline starts with it.")
    office = paper_file.checklist()
    if state.complete:
        text = _("The file is complete.")
        if state.late:
            text += " " + _("Handed in late: {papers}").format(
                papers="、".join(office.label(c) for c in state.late)
            )
        return text
    missing = "、".join(office.label(c) for c in state.missing)
    late = state.overdue_days(today or dt.date.today())
    if late:
        return _("{n} working days past the deadline ({date}). Missing: {papers}").format(
            n=late, date=format_date(state.deadline), papers=missing
        )
    return _("To hand in by {date}. Missing: {papers}").format(
        date=format_date(state.deadline), papers=missing
    )


class AttachmentList(QListWidget):
    """The scans on file; files dropped onto it are attached."""

    dropped = Signal(list)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAcceptDrops(True)

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            self.dropped.emit(paths)
            event.acceptProposedAction()


def _save_rule(text: str) -> QLabel:
    """The line that says how the page saves (the same rule in every form)."""
    label = QLabel(text)
    label.setObjectName("saveRule")
    label.setStyleSheet("color: #5f6368;")
    label.setWordWrap(True)
    return label


class CustomerDialog(DeskDialog):
    """Create a customer (``customer_id`` None) or open an existing file."""

    saved = Signal(int)

    def __init__(
        self, context: AppContext, customer_id: int | None = None, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.context = context
        self.customer_id = customer_id
        self.version = 0
        self.loaded = customers.CustomerInput()  # the file as read: the base of a conflict
        self.duplicate_id: int | None = None
        self.resize(760, 640)
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget(self)
        layout.addWidget(self.tabs)

        self.form = CustomerForm()
        details = QWidget()
        details_layout = QVBoxLayout(details)
        details_layout.addWidget(self.form)
        details_layout.addWidget(
            _save_rule(_("Changes on this page are kept when you press Save (Ctrl+S)."))
        )
        details_layout.addStretch(1)
        # On a small or scaled screen the fields scroll instead of pushing the buttons off it.
        details_area = QScrollArea()
        details_area.setWidgetResizable(True)
        details_area.setFrameShape(QFrame.Shape.NoFrame)
        details_area.setWidget(details)
        self.tabs.addTab(details_area, _("Details"))
        self.history = QTreeWidget()
        self.history.setHeaderLabels([_("When"), _("What"), _("Summary"), _("Details")])
        self.history.setRootIsDecorated(False)
        self.history.setColumnWidth(0, 140)
        self.history.setColumnWidth(1, 90)
        self.history.setColumnWidth(2, 220)
        self.history.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # long numbers keep both ends
        self.history.setToolTip(_("Double-click a row to open that record."))
        self.history.itemActivated.connect(self._open_history_item)
        self.tabs.addTab(self.history, _("History"))
        self.tabs.addTab(self._build_documents_page(), _("Paper file"))
        self.tabs.addTab(self._build_services_page(), _("Service events"))

        self.message = message_label()
        layout.addWidget(self.message)

        buttons = QHBoxLayout()
        self.open_duplicate_button = QPushButton(_("Open the existing file"))
        self.open_duplicate_button.hide()
        self.open_duplicate_button.clicked.connect(self.open_duplicate)
        self.archive_button = QPushButton(_("Archive"))
        self.archive_button.clicked.connect(self.archive_or_restore)
        self.merge_button = QPushButton(_("Merge another file into this…"))
        self.merge_button.clicked.connect(self.start_merge)
        self.save_button = QPushButton(_("Save"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        close_button = QPushButton(_("Close"))
        close_button.clicked.connect(self.reject)
        buttons.addWidget(self.open_duplicate_button)
        buttons.addWidget(self.archive_button)
        buttons.addWidget(self.merge_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close_button)
        layout.addLayout(buttons)
        QShortcut(QKeySequence.StandardKey.Save, self).activated.connect(self.save)

        if customer_id is None:
            self.setWindowTitle(_("New customer"))
            for index in (1, 2, 3):
                self.tabs.setTabEnabled(index, False)
        self.guard = UnsavedGuard(self, [self.form, self.service_form])
        if not auth.can(self.context.staff, "edit"):
            for page in (self.form, self.service_form, self.documents_page):
                read_only(page)
        self.reload()
        self.form.name.setFocus()

    def reject(self) -> None:
        """Esc, Close and the window's close button ask before typed changes are dropped."""
        self.guard.confirm(lambda: QDialog.reject(self))

    def _open_history_item(self, item: QTreeWidgetItem) -> None:
        ref = item.data(0, Qt.ItemDataRole.UserRole)
        if ref:
            from csoffice.ui.record_opener import open_record

            self.record_dialog = open_record(self.context, ref[0], int(ref[1]), self)

    # --- pages ----------------------------------------------------------------------------

    def _build_documents_page(self) -> QWidget:
        page = QWidget()
        self.documents_page = page
        layout = QVBoxLayout(page)
        layout.addWidget(_save_rule(_("Ticks and scans are saved at once.")))
        layout.addWidget(QLabel(_("Documents received (* a complete file needs it)")))
        # The office's checklist (settings: Paper file), three papers to a row.
        office = paper_file.checklist()
        self.checks: dict[str, QCheckBox] = {}
        grid = QGridLayout()
        for index, paper in enumerate(office.papers):
            box = QCheckBox(f"{paper.label}{' *' if paper.required else ''}")
            box.clicked.connect(lambda checked, code=paper.code: self._tick(code, checked))
            self.checks[paper.code] = box
            grid.addWidget(box, index // 3, index % 3)
        layout.addLayout(grid)
        self.paper_state = QLabel()
        self.paper_state.setObjectName("paperState")
        self.paper_state.setWordWrap(True)
        layout.addWidget(self.paper_state)
        layout.addWidget(QLabel(_("Scans (drop files here)")))
        self.attachment_list = AttachmentList()
        self.attachment_list.dropped.connect(self.attach_files)
        self.attachment_list.itemActivated.connect(self._open_attachment)
        layout.addWidget(self.attachment_list, 1)
        row = QHBoxLayout()
        self.doc_type = QComboBox()
        for code, label in paper_file.doc_types().items():
            self.doc_type.addItem(label, code)
        add = QPushButton(_("Attach a scan…"))
        add.clicked.connect(self._pick_files)
        open_button = QPushButton(_("Open"))
        open_button.clicked.connect(
            lambda: self._open_attachment(self.attachment_list.currentItem())
        )
        row.addWidget(QLabel(_("Document type")))
        row.addWidget(self.doc_type)
        row.addWidget(add)
        row.addStretch(1)
        row.addWidget(open_button)
        layout.addLayout(row)
        return page

    def _build_services_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.services = QTreeWidget()
        self.services.setHeaderLabels(
            [
                _("Date"),
                _("Kind"),
                _("Product"),
                _("Amount"),
                _("Remind on"),
                _("Salesperson or technician"),
                _("Note"),
            ]
        )
        self.services.setRootIsDecorated(False)
        layout.addWidget(self.services, 1)
        form_holder = QWidget()
        self.service_form = form_holder
        form = QFormLayout(form_holder)
        self.service_errors = FieldErrors(form)
        self.service_kind = QComboBox()
        for code in customer_history.SERVICE_KINDS:
            self.service_kind.addItem(service_events.kind_label(code), code)
        self.service_errors.add_row("kind", _("Kind"), self.service_kind)
        self.service_date = QLineEdit(dt.date.today().isoformat())
        self.service_errors.add_row("date", _("Date"), self.service_date)
        self.service_product = QLineEdit()
        self.service_errors.add_row("product", _("Product"), self.service_product)
        self.service_amount = QLineEdit()
        self.service_errors.add_row("amount", _("Amount"), self.service_amount)
        self.service_remind = QLineEdit()
        self.service_errors.add_row("remind_on", _("Remind on"), self.service_remind)
        self.service_remind.setPlaceholderText(
            _("YYYY-MM-DD: next maintenance, inspection or renewal")
        )
        self.service_note = QLineEdit()
        self.service_errors.add_row("note", _("Note"), self.service_note)
        add = QPushButton(_("Add service event"))
        add.clicked.connect(self.add_service_event)
        form.addRow(add)
        form.addRow(_save_rule(_("A service event is saved at once when it is added.")))
        layout.addWidget(form_holder)
        return page

    # --- loading -----------------------------------------------------------------------------

    def reload(self) -> None:
        is_manager = auth.can(self.context.staff, "archive_customer")
        editable = auth.can(self.context.staff, "edit")
        self.save_button.setEnabled(editable)
        if self.customer_id is None:
            self.archive_button.hide()
            self.merge_button.hide()
            return
        customer = customers.get(self.customer_id)
        self.version = customer.version
        self.loaded = customers.to_input(customer)
        # Viewers see phones and ID numbers masked even here (auth.personal_view).
        self.form.load(auth.personal_view(self.context.staff, customers.to_input(customer)))
        title = _("Customer file: {name}").format(name=customer.name)
        if customer.status != "active":
            title += " — " + _(customers.STATUSES.get(customer.status, customer.status))
        self.setWindowTitle(title)
        self.archive_button.setText(_("Restore") if customer.status == "archived" else _("Archive"))
        self.archive_button.setVisible(is_manager and customer.status in ("active", "archived"))
        self.merge_button.setVisible(is_manager and customer.status == "active")
        for index in (1, 2, 3):
            self.tabs.setTabEnabled(index, True)
        self._load_history()
        self._load_documents()
        self._load_services()
        self.guard.mark_clean()

    def _load_history(self) -> None:
        if self.customer_id is None:  # a new customer has no history yet
            return
        self.history.clear()
        for entry in customer_history.history(self.customer_id):
            texts = [
                format_datetime(entry.at),
                customer_history.kind_label(entry.kind),
                entry.title,
                entry.detail,
            ]
            item = QTreeWidgetItem(texts)
            for column, text in enumerate(texts):
                item.setToolTip(column, text)
            item.setData(0, Qt.ItemDataRole.UserRole, list(entry.ref))
            self.history.addTopLevelItem(item)

    def _load_documents(self) -> None:
        if self.customer_id is None:  # a new customer has no paper file yet
            return
        received = attachments.checklist(self.customer_id)
        for code, box in self.checks.items():
            box.setChecked(received.get(code) is not None)
        self.paper_state.setText(paper_state_text(paper_file.file_state(self.customer_id)))
        office = paper_file.checklist()
        self.attachment_list.clear()
        for row in attachments.list_for(self.customer_id):
            item = QListWidgetItem(
                f"{office.label(row.doc_type)} · {row.filename} · {format_date(row.added_at.date())}"
            )
            item.setData(Qt.ItemDataRole.UserRole, str(row.path))
            self.attachment_list.addItem(item)

    def _load_services(self) -> None:
        if self.customer_id is None:  # a new customer has no service events yet
            return
        self.services.clear()
        for row in service_events.list_for(self.customer_id):
            self.services.addTopLevelItem(
                QTreeWidgetItem(
                    [
                        format_date(row.date),
                        service_events.kind_label(row.kind),
                        row.product,
                        format_money(row.amount) if row.amount is not None else "",
                        format_date(row.remind_on),
                        row.handled_by,
                        row.note,
                    ]
                )
            )

    # --- actions -----------------------------------------------------------------------------

    def _show_error(self, error: ValidationError) -> None:
        unplaced = self.form.errors.show(error)
        self.tabs.setCurrentIndex(0)
        self.message.setText("\n".join(unplaced))
        self.message.setVisible(bool(unplaced))

    def save(self) -> None:
        try:
            data = self.form.read()
        except ValidationError as exc:
            self._show_error(exc)
            return
        self._save(data, self.version)

    def _save(
        self,
        data: customers.CustomerInput,
        version: int,
        resolution: tuple[conflicts.Choice, list[conflicts.FieldDiff]] | None = None,
    ) -> None:
        self.form.errors.clear()
        self.message.hide()
        self.open_duplicate_button.hide()
        try:
            if self.customer_id is None:
                customer = customers.create(self.context.staff, data)
                self.customer_id = customer.id
            else:
                customers.update(
                    self.context.staff, self.customer_id, data, version, resolution=resolution
                )
        except customers.DuplicateCustomer as exc:
            self._show_error(exc)
            self.duplicate_id = exc.existing_id
            self.open_duplicate_button.show()
            return
        except ValidationError as exc:
            self._show_error(exc)
            return
        except conflicts.StaleRecord as exc:
            self._offer_choice(exc, data)
            return
        except CsofficeError as exc:
            self._show_text(str(exc))
            if live_updates.lost_connection(exc):  # typed input stays; say when it can be saved
                tell_when_back(self, lambda text: self._show_text(text, ok=True))
            return
        self.saved.emit(self.customer_id)
        self.reload()
        self._show_text(_("Saved."), ok=True)

    def _show_text(self, text: str, ok: bool = False) -> None:
        self.message.setStyleSheet("color: #1b5e20;" if ok else "color: #b3261e;")
        self.message.setText(text)
        self.message.show()

    def _offer_choice(self, stale: conflicts.StaleRecord, mine: customers.CustomerInput) -> None:
        """Someone saved the file while this form edited it: theirs beside mine, and the
        clerk's choice; until then the form keeps what was typed."""
        theirs = customers.CustomerInput(**stale.theirs)
        diffs = records.conflict_diffs(self.loaded, theirs, mine)
        if not diffs:  # they changed nothing this form holds: saving mine overwrites nothing
            self._save(mine, stale.current, resolution=("merge", diffs))
            return
        self._show_text(str(stale) + " " + _("Nothing was saved yet."))

        def chosen(choice: conflicts.Choice, picks: dict[str, conflicts.Choice]) -> None:
            if choice == "theirs":
                if self.customer_id is not None:  # a conflict arises only on a saved file
                    conflicts.record_choice(
                        self.context.staff,
                        "customer",
                        self.customer_id,
                        "theirs",
                        diffs,
                        summary=theirs.name,
                    )
                self.reload()
                self._show_text(_("Their version is shown; your changes were dropped."), ok=True)
                return
            data = records.resolved_input(mine, conflicts.chosen(choice, diffs, picks))
            # Theirs is now what this form has seen: a later conflict is measured from it.
            self.loaded, self.version = theirs, stale.current
            self.form.load(data)  # what is saved is what the form shows
            self._save(data, stale.current, resolution=(choice, diffs))

        self.conflict_dialog = offer_choice(
            self, diffs, self.form.errors, chosen, by=stale.by, at=stale.at
        )

    def open_duplicate(self) -> None:
        """Leave the new form and show the customer already on file."""
        if self.duplicate_id is None:
            return
        self.customer_id = self.duplicate_id
        self.duplicate_id = None
        self.open_duplicate_button.hide()
        self.form.errors.clear()
        self.message.hide()
        self.reload()

    def archive_or_restore(self) -> None:
        if self.customer_id is None:  # the button shows only for a saved file
            return
        customer = customers.get(self.customer_id)
        try:
            if customer.status == "archived":
                customers.restore(self.context.staff, self.customer_id)
            else:
                ask = QInputDialog(self)
                ask.setWindowTitle(_("Archive"))
                ask.setLabelText(_("Why is this file archived?"))
                ask.textValueSelected.connect(self._archive)
                self.archive_question = ask
                ask.open()
                return
        except CsofficeError as exc:
            show_message(self, _("Archive"), str(exc))
            return
        self.reload()

    def _archive(self, reason: str) -> None:
        if self.customer_id is None:  # the button shows only for a saved file
            return
        try:
            customers.archive(self.context.staff, self.customer_id, reason)
        except CsofficeError as exc:
            show_message(self, _("Archive"), str(exc))
            return
        self.reload()

    def start_merge(self) -> None:
        """Choose the duplicate file whose history moves into this one."""
        dialog = DeskDialog(self)
        dialog.setWindowTitle(_("Merge another file into this one"))
        layout = QVBoxLayout(dialog)
        layout.addWidget(
            QLabel(
                _(
                    "The other file's history moves here and the other file is closed as merged. This cannot be undone by a clerk."
                )
            )
        )
        picker = CustomerPicker(dialog)
        layout.addWidget(picker)
        go = QPushButton(_("Merge"))
        go.setEnabled(False)
        picker.picked.connect(lambda _id: go.setEnabled(True))
        picker.cleared.connect(lambda: go.setEnabled(False))
        layout.addWidget(go)

        def merge() -> None:
            other_id = picker.customer_id()
            if self.customer_id is None or other_id is None:  # Merge is enabled once one is picked
                return
            try:
                customers.merge(self.context.staff, self.customer_id, other_id)
            except CsofficeError as exc:
                show_message(dialog, _("Merge"), str(exc))
                return
            dialog.accept()
            self.reload()

        go.clicked.connect(merge)
        self.merge_dialog = dialog
        self.merge_picker = picker
        dialog.open()

    def _tick(self, code: str, checked: bool) -> None:
        if self.customer_id is None:  # the tab opens only for a saved file
            return
        try:
            attachments.set_received(self.context.staff, self.customer_id, code, checked)
        except CsofficeError as exc:
            show_message(self, _("Paper file"), str(exc))
        self._load_documents()

    def _pick_files(self) -> None:
        from csoffice.ui.file_dialogs import file_dialog

        dialog = file_dialog(self, _("Attach scans"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.setNameFilters(
            _(
                "Scans and documents (*.pdf *.jpg *.jpeg *.png *.tif *.tiff *.doc *.docx *.xls *.xlsx);;All files (*)"
            ).split(";;")
        )
        dialog.filesSelected.connect(lambda paths: self.attach_files([Path(p) for p in paths]))
        self.file_dialog = dialog
        dialog.open()

    def attach_files(self, paths: list[Path]) -> None:
        if self.customer_id is None:  # the tab opens only for a saved file
            return
        try:
            for path in paths:
                attachments.attach(
                    self.context.staff, self.customer_id, path, self.doc_type.currentData()
                )
        except CsofficeError as exc:
            show_message(self, _("Paper file"), str(exc))
        self._load_documents()

    def _open_attachment(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(item.data(Qt.ItemDataRole.UserRole)))

    def add_service_event(self) -> None:
        if self.customer_id is None:  # the tab opens only for a saved file
            return
        self.service_errors.clear()

        def date_or_none(field: str, text: str) -> dt.date | None:
            text = text.strip()
            if not text:
                return None
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                raise ValidationError.single(
                    field, _("“{value}” is not a date like 1990-05-01.").format(value=text)
                ) from None

        try:
            data = service_events.ServiceEventInput(
                kind=self.service_kind.currentData(),
                date=date_or_none("date", self.service_date.text()),
                product=self.service_product.text(),
                amount=self.service_amount.text(),
                note=self.service_note.text(),
                remind_on=date_or_none("remind_on", self.service_remind.text()),
            )
            service_events.add(self.context.staff, self.customer_id, data)
        except ValidationError as exc:
            self.service_errors.show(exc)
            return
        except CsofficeError as exc:
            show_message(self, _("Service events"), str(exc))
            return
        for field in (
            self.service_product,
            self.service_amount,
            self.service_note,
            self.service_remind,
        ):
            field.clear()
        self._load_services()
        self._load_history()
        self.guard.mark_clean()
