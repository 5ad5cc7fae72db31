"""The settings page of member cards and points: the card number (prefix, digits), how long a
card is valid, points per yuan and when they expire, the birthday greeting window and bonus,
what cancelling does to the points, and the fees."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from csoffice import office_rules, settings
from csoffice.i18n import _
from csoffice.ui.context import AppContext
from csoffice.ui.dialogs.settings_page import RulesPage, spin


def _policy_labels() -> dict[str, str]:
    return {
        "forfeit": _("The points lapse"),
        "refund": _("The points are paid out at the refund rate"),
    }


class MemberRulesPage(RulesPage):
    """Card numbering and the points rules (manager)."""

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(context, parent)
        values = settings.get_many(office_rules.MEMBER_KEYS)
        self.begin(
            _(
                "A card number is the prefix, a running number of the digits given and a check "
                "digit. Changes apply to cards issued and points earned from now on."
            )
        )
        self.texts: dict[str, QLineEdit] = {}
        self.numbers: dict[str, QSpinBox] = {}

        def text(key: str, label: str) -> None:
            edit = QLineEdit(str(values[key] if values[key] is not None else ""))
            edit.setMaximumWidth(200)
            self.texts[key] = self.errors.add_row(key, label, edit)

        def number(key: str, label: str, suffix: str = "") -> None:
            box = spin(-1, 999_999, suffix)
            box.setValue(int(values[key] or 0))
            self.numbers[key] = self.errors.add_row(key, label, box)

        text("members.card_prefix", _("Card number prefix"))
        number("members.card_digits", _("Running number digits"))
        number("members.card_valid_years", _("Cards valid for (0: no end)"), _(" years"))
        text("members.yuan_per_point", _("Yuan spent per point"))
        number("members.points_expiry_months", _("Points expire after (0: never)"), _(" months"))
        number("members.birthday_first_day", _("Birthday greetings from"), _(" days ahead"))
        number("members.birthday_last_day", _("Birthday greetings until"), _(" days ahead"))
        number("members.birthday_bonus", _("Birthday bonus points"))
        self.policy = QComboBox()
        for code, label in _policy_labels().items():
            self.policy.addItem(label, code)
        self.policy.setCurrentIndex(max(0, self.policy.findData(values["members.cancel_policy"])))
        self.errors.add_row("members.cancel_policy", _("When a card is cancelled"), self.policy)
        text("members.refund_yuan_per_point", _("Refund per point (yuan)"))
        text("members.enrol_fee", _("Card fee (yuan)"))
        text("members.reissue_fee", _("Reissue fee (yuan)"))
        self.finish(
            [*self.texts.values(), *self.numbers.values(), self.policy],
            _("Only the manager may change the card and points rules."),
        )

    def typed(self) -> dict[str, Any]:
        values: dict[str, Any] = {key: edit.text().strip() for key, edit in self.texts.items()}
        values.update({key: box.value() for key, box in self.numbers.items()})
        values["members.cancel_policy"] = self.policy.currentData()
        return values
