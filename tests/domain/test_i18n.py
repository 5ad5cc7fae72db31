"""Translations: the zh_CN catalogue is complete; formatting follows the language."""

from __future__ import annotations

import datetime as dt
import sys

from babel.messages.pofile import read_po

from csoffice import i18n
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "translations"))
import catalog


def test_zh_cn_catalogue_is_complete_and_current(tmp_path):
    pot = catalog.extract(tmp_path / "csoffice.pot")
    with pot.open("rb") as fh:
        wanted = {m.id for m in read_po(fh) if m.id}
    with (ROOT / "translations/zh_CN/LC_MESSAGES/csoffice.po").open("rb") as fh:
        zh_cn = read_po(fh)
    translated = {m.id for m in zh_cn if m.id and m.string and not m.fuzzy}
    missing = sorted(str(x) for x in wanted - translated)
    assert not missing, (
        f"untranslated in zh_CN (run make i18n-update and translate): {missing[:10]}"
    )
    fuzzy = [m.id for m in zh_cn if m.id and m.fuzzy]
    assert not fuzzy


def test_placeholders_survive_translation():
    with (ROOT / "translations/zh_CN/LC_MESSAGES/csoffice.po").open("rb") as fh:
        zh_cn = read_po(fh)
    import re

    for message in zh_cn:
        if not message.id or not message.string:
            continue
        names = lambda text: sorted(re.findall(r"\{(\w*)\}", text))  # noqa: E731
        assert names(message.id) == names(message.string), message.id


def test_languages_switch():
    i18n.set_language("zh_CN")
    assert i18n._("Today") == "今日"
    assert i18n.format_date(dt.date(2026, 11, 24)) == "2026年11月24日"
    i18n.set_language("en")
    assert i18n._("Today") == "Today"
    assert "Nov" in i18n.format_date(dt.date(2026, 11, 24))
    assert i18n.set_language("fr") == "zh_CN"
