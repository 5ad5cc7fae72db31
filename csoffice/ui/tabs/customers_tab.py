"""The customer archive tab: one search box, filters, a lazily loaded sortable list."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from csoffice import auth, customers
from csoffice.changes import Change
from csoffice.i18n import N_, _, format_number
from csoffice.ui.context import AppContext
from csoffice.ui.models.lazy_table import Column, LazyTableModel
from csoffice.ui.widgets.lazy_table_view import LazyTableView
from csoffice.ui.widgets.refresh import RefreshOnChange, refill
from csoffice.ui.widgets.sheet_export import ask_export_file, run_export
from csoffice.validation import mask_id, mask_phone

COLUMNS = [
    Column("name", N_("Name"), lambda r: r.name, sort_key="name", width=150),
    Column("mobile", N_("Mobile"), lambda r: mask_phone(r.mobile), sort_key="mobile", width=120),
    Column("company", N_("Company"), lambda r: r.company, sort_key="company", width=220),
    Column(
        "class",
        N_("Class"),
        lambda r: customers.class_label(r.customer_class),
        sort_key="class",
        width=100,
    ),
    Column("card", N_("Card no."), lambda r: r.card_no, width=120),
    Column("id_number", N_("ID number"), lambda r: mask_id(r.id_number), width=170),
    Column("tags", N_("Tags"), lambda r: r.tags.replace(",", "、"), width=160),
    Column("status", N_("Status"), lambda r: _status_text(r)),
]


def _status_text(row: customers.CustomerRow) -> str:
    return _(customers.STATUSES.get(row.status, row.status))


class CustomersTab(QWidget):
    """Find a customer however the caller identifies themselves; open, create, import, export."""

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        layout = QVBoxLayout(self)

        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("customerSearch")
        self.search.setPlaceholderText(
            _("Search: name, pinyin or initials, phone or its last 4 digits, ID or card number")
        )
        self.search.setClearButtonEnabled(True)
        self.class_filter = QComboBox()
        self.class_filter.addItem(_("All classes"), "")
        for code, label in customers.CLASSES.items():
            self.class_filter.addItem(_(label), code)
        self.tag_filter = QComboBox()
        self.archived = QCheckBox(_("Include archived"))
        bar.addWidget(self.search, 3)
        bar.addWidget(self.class_filter)
        bar.addWidget(self.tag_filter)
        bar.addWidget(self.archived)
        layout.addLayout(bar)

        self.model = LazyTableModel(
            COLUMNS,
            self._fetch_ids,
            customers.rows,
            row_style=lambda r: "muted" if r.status != "active" else None,
        )
        self.table = LazyTableView(self.model, "customerTable")
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.opened.connect(self.open_customer)
        layout.addWidget(self.table, 1)

        bottom = QHBoxLayout()
        self.count_label = QLabel()
        self.new_button = QPushButton(_("New customer (Ctrl+N)"))
        self.new_button.clicked.connect(self.new_customer)
        self.import_button = QPushButton(_("Import…"))
        self.import_button.clicked.connect(self.start_import)
        self.export_button = QPushButton(_("Export…"))
        self.export_button.clicked.connect(self.start_export)
        self.new_button.setEnabled(auth.can(context.staff, "edit"))
        self.import_button.setEnabled(auth.can(context.staff, "edit"))
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(self.import_button)
        bottom.addWidget(self.export_button)
        bottom.addWidget(self.new_button)
        layout.addLayout(bottom)
        # Only once the button sits in the layout: shown while it has no parent, it would open
        # as a window of its own.
        self.export_button.setVisible(auth.can(context.staff, "export"))
        new_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.New), self)
        new_shortcut.activated.connect(self.new_customer)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)  # search once typing pauses; every search is an index lookup
        self._timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self.search.returnPressed.connect(self._open_first)
        self.class_filter.currentIndexChanged.connect(self.refresh)
        self.tag_filter.currentIndexChanged.connect(self.refresh)
        self.archived.toggled.connect(self.refresh)
        # A change made on another tab: the archive is read again when it is shown, not while
        # the clerk waits on the key that saved the change.
        self.refresher = RefreshOnChange(self, (Change.CUSTOMER, Change.CARD), self._on_changed)
        self.setFocusProxy(self.search)
        self._load_tags()
        self.refresh()

    def search_box(self) -> QWidget | None:
        """Where Ctrl+F puts the cursor."""
        return self.search

    def _load_tags(self) -> None:
        refill(self.tag_filter, [(tag, tag) for tag in customers.all_tags()], [("", _("All tags"))])

    def criteria(self, sort: str | None = None, descending: bool = False) -> customers.SearchFilter:
        return customers.SearchFilter(
            text=self.search.text(),
            customer_class=self.class_filter.currentData() or "",
            tag=self.tag_filter.currentData() or "",
            include_archived=self.archived.isChecked(),
            sort=sort or "name",
            descending=descending,
        )

    def _fetch_ids(self, sort: str | None, descending: bool) -> Sequence[int]:
        # A lazy sequence: its length is the true count, its pages are read as shown.
        return customers.search_list(self.criteria(sort, descending))

    def refresh(self) -> None:
        self._timer.stop()
        self.model.refresh()
        self.count_label.setText(
            _("{count} customers").format(count=format_number(self.model.total()))
        )
        if self.model.rowCount() and not self.table.currentIndex().isValid():
            self.table.selectRow(0)

    def _on_changed(self, _kinds: frozenset[Change]) -> None:
        self._load_tags()
        self.refresh()

    def _open_first(self) -> None:
        if self._timer.isActive():
            self.refresh()
        row = max(0, self.table.currentIndex().row())
        customer_id = self.model.row_id(row)
        if customer_id is not None:
            self.open_customer(customer_id)

    def keyPressEvent(self, event) -> None:
        # Down from the search box walks into the results, as in a browser's address bar.
        if event.key() == Qt.Key.Key_Down and self.search.hasFocus():
            self.table.setFocus()
            return
        super().keyPressEvent(event)

    def open_customer(self, customer_id: int | None) -> None:
        if customer_id is None:
            return
        from csoffice.ui.desk_keys import busy
        from csoffice.ui.dialogs.customer_dialog import CustomerDialog

        with busy():  # a long history takes a moment to read
            dialog = CustomerDialog(self.context, customer_id, self)
        self._follow(dialog)

    def new_customer(self) -> None:
        from csoffice.ui.dialogs.customer_dialog import CustomerDialog

        dialog = CustomerDialog(self.context, None, self)
        self._follow(dialog)

    def _follow(self, dialog) -> None:
        """Open ``dialog``; a file it saves, archives or merges shows in the list at once (the
        other views follow the customer write's change event)."""
        dialog.saved.connect(lambda _id: self.refresher.refresh_now())
        dialog.finished.connect(lambda _result: self.refresher.refresh_now())
        self.dialog = dialog
        dialog.open()

    def start_import(self) -> None:
        from csoffice.ui.dialogs.import_dialog import open_import

        self.import_dialog = open_import(self.context, self)

    def start_export(self) -> None:
        self.file_dialog = ask_export_file(
            self, _("Export customers"), "customers.xlsx", self.export_to
        )

    def export_to(self, path: str):
        staff = self.context.staff
        return run_export(
            self,
            _("Exporting customers…"),
            lambda progress: customers.export(staff, path),
            _("{count} customers exported to {path}"),
            path,
        )


def create(context: AppContext) -> CustomersTab:
    return CustomersTab(context)
