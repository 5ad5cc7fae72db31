"""Pinyin readings of people's names, for search by full pinyin or initials ("zs" → 张三).

pypinyin reads characters as words, not as surnames, so 曾 comes out "ceng" and 单 "dan".
A surname is read by the table below; the everyday reading is kept too, so a clerk who
types either finds the customer.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Compound surnames first: they decide how the first two characters are read.
COMPOUND_SURNAMES: dict[str, tuple[str, str]] = {
    "尉迟": ("yu", "chi"),
    "万俟": ("mo", "qi"),
    "长孙": ("zhang", "sun"),
    "单于": ("chan", "yu"),
    "澹台": ("tan", "tai"),
    "令狐": ("ling", "hu"),
    "欧阳": ("ou", "yang"),
    "司马": ("si", "ma"),
    "上官": ("shang", "guan"),
    "诸葛": ("zhu", "ge"),
    "皇甫": ("huang", "fu"),
    "夏侯": ("xia", "hou"),
    "公孙": ("gong", "sun"),
    "慕容": ("mu", "rong"),
    "司徒": ("si", "tu"),
    "东方": ("dong", "fang"),
    "宇文": ("yu", "wen"),
    "轩辕": ("xuan", "yuan"),
    "呼延": ("hu", "yan"),
    "端木": ("duan", "mu"),
    "南宫": ("nan", "gong"),
    "西门": ("xi", "men"),
    "独孤": ("du", "gu"),
}

SURNAME_READINGS: dict[str, str] = {
    "曾": "zeng",
    "单": "shan",
    "解": "xie",
    "区": "ou",
    "朴": "piao",
    "乐": "yue",
    "覃": "qin",
    "仇": "qiu",
    "查": "zha",
    "盖": "ge",
    "缪": "miao",
    "种": "chong",
    "员": "yun",
    "褚": "chu",
    "秘": "bi",
    "繁": "po",
    "尉": "wei",
    "召": "shao",
    "翟": "zhai",
    "隗": "wei",
    "黑": "he",
    "折": "she",
    "句": "gou",
    "莘": "shen",
    "祭": "zhai",
    "佘": "she",
    "蕃": "pi",
    "郇": "xun",
    "贲": "ben",
    "能": "nai",
    "宓": "fu",
    "眭": "sui",
    "逄": "pang",
    "牟": "mou",
    "荨": "qian",
    "芮": "rui",
    "柏": "bai",
    "长": "chang",
    "重": "chong",
    "沈": "shen",
    "藏": "zang",
    "石": "shi",
    "华": "hua",
    "纪": "ji",
    "燕": "yan",
    "过": "guo",
    "角": "jue",
    "阚": "kan",
    "雍": "yong",
    "冼": "xian",
    "那": "na",
    "万": "wan",
    "薄": "bo",
    "都": "du",
}

_NOT_LETTERS = re.compile(r"[^a-z]")
_MAX_VARIANTS = 4


@lru_cache(maxsize=65_536)
def _char_syllable(char: str) -> str:
    # Imported on first use: pypinyin loads its dictionaries at import (about a quarter of a
    # second), which the app's start should not wait for.
    from pypinyin import Style, lazy_pinyin

    return _NOT_LETTERS.sub(
        "", "".join(lazy_pinyin(char, style=Style.NORMAL, errors="default")).lower()
    )


def _syllables(text: str) -> list[str]:
    # Character by character: a name is not a phrase, and a cache of single characters makes
    # a 100,000-row import fast.
    if text.isascii():
        return [_NOT_LETTERS.sub("", word.lower()) for word in text.split()]
    return [_char_syllable(char) for char in text if not char.isspace()]


def readings(name: str) -> list[list[str]]:
    """The syllable lists a name may be read as: the surname reading first, then the everyday one."""
    if name.isascii():
        words = [w for w in _syllables(name) if w]
        return [words] if words else []
    name = "".join(name.split())
    if not name:
        return []
    everyday = [s for s in _syllables(name) if s]
    variants = []
    if name[:2] in COMPOUND_SURNAMES:
        surname = list(COMPOUND_SURNAMES[name[:2]])
        variants.append(surname + [s for s in _syllables(name[2:]) if s])
    elif name[0] in SURNAME_READINGS:
        variants.append([SURNAME_READINGS[name[0]]] + [s for s in _syllables(name[1:]) if s])
    variants.append(everyday)
    unique = []
    for variant in variants:
        if variant and variant not in unique:
            unique.append(variant)
    return unique[:_MAX_VARIANTS]


def full_and_initials(name: str) -> tuple[list[str], list[str]]:
    """Full pinyin strings ("zengguofan") and initials ("zgf") for each reading of ``name``."""
    fulls, initials = _full_and_initials(name)
    return list(fulls), list(initials)


# Names repeat (a 100,000-row sheet holds about 22,000 distinct ones): worked out once each.
@lru_cache(maxsize=65_536)
def _full_and_initials(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    fulls: list[str] = []
    initials: list[str] = []
    for variant in readings(name):
        full = "".join(variant)
        first = "".join(s[0] for s in variant)
        if full not in fulls:
            fulls.append(full)
        if first not in initials:
            initials.append(first)
    return tuple(fulls), tuple(initials)


def is_pinyin_query(text: str) -> bool:
    return bool(text) and text.isascii() and text.isalpha()
