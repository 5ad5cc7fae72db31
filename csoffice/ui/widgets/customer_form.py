"""The fields of a customer file, with each validation message next to its field."""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QPlainTextEdit, QWidget

from csoffice import customers
from csoffice.customers import CustomerInput
from csoffice.errors import ValidationError
from csoffice.i18n import _
from csoffice.ui.widgets.form import FieldErrors


def _combo(options: dict[str, str]) -> QComboBox:
    combo = QComboBox()
    for code, label in options.items():
        combo.addItem(_(label), code)
    return combo


def _select(combo: QComboBox, code: str) -> None:
    index = combo.findData(code)
    combo.setCurrentIndex(max(0, index))


class CustomerForm(QWidget):
    """Edits a CustomerInput; ``read()`` raises ValidationError for what the UI itself can tell."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QFormLayout(self)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.errors = FieldErrors(layout)
        add = self.errors.add_row
        self.kind = add("kind", _("Type"), _combo(customers.KINDS))
        self.name = add("name", _("Name"), QLineEdit())
        self.mobile = add("mobile", _("Mobile"), QLineEdit())
        self.mobile.setPlaceholderText("138 1234 5678")
        self.phone2 = add("phone2", _("Other phone"), QLineEdit())
        self.id_type = add("id_type", _("ID type"), _combo(customers.ID_TYPES))
        self.id_number = add("id_number", _("ID number"), QLineEdit())
        self.gender = add("gender", _("Gender"), _combo(customers.GENDERS))
        self.birthday = add("birthday", _("Birthday"), QLineEdit())
        self.birthday.setPlaceholderText(
            _("YYYY-MM-DD, or left empty (taken from the resident ID)")
        )
        self.email = add("email", _("E-mail"), QLineEdit())
        self.address = add("address", _("Address"), QLineEdit())
        self.company = add("company", _("Company"), QLineEdit())
        self.customer_class = add("customer_class", _("Class"), _combo(customers.CLASSES))
        _select(self.customer_class, "ordinary")
        self.source = add("source", _("Source"), QComboBox())
        self.source.setEditable(True)
        self.source.addItems([""] + [_(s) for s in customers.SOURCES])
        self.responsible = add("responsible_id", _("Responsible (管家 / 业务员)"), QComboBox())
        self.responsible.addItem(_("Nobody named"), None)
        for staff_id, name in customers.responsible_choices():
            self.responsible.addItem(name, staff_id)
        self.tags = add("tags", _("Tags"), QLineEdit())
        self.tags.setPlaceholderText(_("Separated by commas, e.g. 老客户, 团购"))
        self.interests = add("interests", _("Interests"), QLineEdit())
        self.notes = add("notes", _("Notes"), QPlainTextEdit())
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(70)
        self.id_number.editingFinished.connect(self._guess_id_type)

    def _guess_id_type(self) -> None:
        text = self.id_number.text().strip()
        if text and not self.id_type.currentData():
            _select(
                self.id_type,
                "credit_code" if self.kind.currentData() == "company" else "resident_id",
            )

    def load(self, data: CustomerInput) -> None:
        _select(self.kind, data.kind)
        self.name.setText(data.name)
        self.mobile.setText(data.mobile)
        self.phone2.setText(data.phone2)
        _select(self.id_type, data.id_type)
        self.id_number.setText(data.id_number)
        _select(self.gender, data.gender)
        self.birthday.setText(data.birthday.isoformat() if data.birthday else "")
        self.email.setText(data.email)
        self.address.setText(data.address)
        self.company.setText(data.company)
        _select(self.customer_class, data.customer_class)
        self.source.setCurrentText(data.source)
        self.responsible.setCurrentIndex(max(0, self.responsible.findData(data.responsible_id)))
        self.tags.setText(", ".join(data.tags))
        self.interests.setText(data.interests)
        self.notes.setPlainText(data.notes)

    def read(self) -> CustomerInput:
        """What the form holds; a birthday that is not a date raises ValidationError for it."""
        birthday = None
        text = self.birthday.text().strip()
        if text:
            try:
                birthday = dt.date.fromisoformat(text.replace("/", "-"))
            except ValueError:
                raise ValidationError.single(
                    "birthday", _("“{value}” is not a date like 1990-05-01.").format(value=text)
                ) from None
        return CustomerInput(
            kind=self.kind.currentData(),
            name=self.name.text(),
            mobile=self.mobile.text(),
            phone2=self.phone2.text(),
            id_type=self.id_type.currentData(),
            id_number=self.id_number.text(),
            gender=self.gender.currentData(),
            birthday=birthday,
            email=self.email.text(),
            address=self.address.text(),
            company=self.company.text(),
            customer_class=self.customer_class.currentData(),
            source=self.source.currentText().strip(),
            tags=[t for t in re.split(r"[,，、;；]+", self.tags.text()) if t.strip()],
            interests=self.interests.text(),
            notes=self.notes.toPlainText(),
            responsible_id=self.responsible.currentData(),
        )
