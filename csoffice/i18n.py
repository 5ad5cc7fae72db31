"""Translations and locale formatting.

Strings are marked with ``_()`` (translated when called) or ``N_()`` (module-level labels,
translated when shown with ``_()``). The active language is process-wide; zh_CN is the default.
Catalogues are read from the compiled .mo when it is current, otherwise straight from the .po,
so a fresh checkout speaks Chinese before anyone has run the compile step.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
import re
from decimal import Decimal
from functools import cache

from babel import Locale

from csoffice.paths import translations_dir

DOMAIN = "csoffice"
DEFAULT_LANGUAGE = "zh_CN"
LANGUAGES: dict[str, str] = {"zh_CN": "中文", "en": "English"}

_language = DEFAULT_LANGUAGE
_translations: gettext.NullTranslations = gettext.NullTranslations()
_cache: dict[str, gettext.NullTranslations] = {}


def _load(language: str) -> gettext.NullTranslations:
    if language in _cache:
        return _cache[language]
    folder = translations_dir() / language / "LC_MESSAGES"
    po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    result: gettext.NullTranslations
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as fh:
            result = gettext.GNUTranslations(fh)
    elif po.exists():
        # Only where the catalogue was not compiled (a checkout before `make i18n-compile`):
        # babel's catalogue modules are not loaded at every start.
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        with po.open("rb") as fh:
            catalog = read_po(fh, locale=language)
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        buffer.seek(0)
        result = gettext.GNUTranslations(buffer)
    else:
        result = gettext.NullTranslations()
    _cache[language] = result
    return result


def set_language(language: str | None) -> str:
    """Make ``language`` the active one (unknown or empty falls back to zh_CN); returns it."""
    global _language, _translations
    if language not in LANGUAGES:
        language = DEFAULT_LANGUAGE
    _language = language
    _translations = _load(language)
    return language


def current_language() -> str:
    return _language


def locale() -> Locale:
    return _parsed_locale(_language)


@cache
def _parsed_locale(language: str) -> Locale:
    # Locale.parse normalises the name against every known locale: a millisecond each time,
    # which a report formatting thousands of numbers would otherwise pay per number.
    return Locale.parse(language)


def _(message: str) -> str:
    """Translate ``message`` into the active language."""
    return _translations.gettext(message)


def N_(message: str) -> str:
    """Mark ``message`` for extraction; it is translated later, when shown, with ``_()``."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations.ngettext(singular, plural, n)


# babel's date and number modules load at the first date or number shown, not before the
# sign-in window (their data, time zones among it, is a tenth of the window's start).
def _babel_dates():
    from babel import dates

    return dates


def _babel_numbers():
    from babel import numbers

    return numbers


def date_pattern() -> str:
    """The one numeric date form of the language, for lists and date fields alike.

    The locale's short pattern with the year in four digits and month and day in two (en:
    12/01/2026), so a column lines up and no year is ambiguous; Chinese writes dates in
    numbers as GB/T 7408 does (2026-12-01), which the office's own sheets and forms use. The
    letters mean the same to babel and to Qt's QDateEdit.setDisplayFormat.
    """
    return _date_pattern(_language)


@cache
def _date_pattern(language: str) -> str:
    if language.startswith("zh"):
        return "yyyy-MM-dd"
    short = _parsed_locale(language).date_formats["short"].pattern
    widened = re.sub(r"y+", "yyyy", short)
    widened = re.sub(r"M+", "MM", widened)
    return re.sub(r"d+", "dd", widened)


def datetime_pattern() -> str:
    return f"{date_pattern()} HH:mm"


def format_date(value: dt.date | None, fmt: str = "medium") -> str:
    """A date for a person: ``short`` is the one numeric form of lists and fields
    (:func:`date_pattern`); ``medium``/``full`` are for sentences ('2026年11月24日')."""
    if value is None:
        return ""
    if fmt == "short":
        return _babel_dates().format_date(value, format=date_pattern(), locale=locale())
    return _babel_dates().format_date(value, format=fmt, locale=locale())


def format_datetime(value: dt.datetime | None, fmt: str = "short") -> str:
    """Date and time for a person: short = '2026-11-24 09:30' in zh_CN, '11/24/2026 09:30' in en."""
    if value is None:
        return ""
    if fmt == "short":
        return _babel_dates().format_datetime(value, format=datetime_pattern(), locale=locale())
    return _babel_dates().format_datetime(value, format=fmt, locale=locale())


def format_time(value: dt.time | dt.datetime | None) -> str:
    if value is None:
        return ""
    return _babel_dates().format_time(value, format="HH:mm", locale=locale())


def format_number(value: int | float | Decimal) -> str:
    return _babel_numbers().format_decimal(value, locale=locale())


def format_percent(value: float | Decimal, digits: int = 1) -> str:
    pattern = "#,##0." + "0" * digits + "%" if digits else "#,##0%"
    return _babel_numbers().format_percent(value, format=pattern, locale=locale())


def format_money(value: int | float | Decimal, currency: str = "CNY") -> str:
    return _babel_numbers().format_currency(value, currency, locale=locale())


set_language(DEFAULT_LANGUAGE)
