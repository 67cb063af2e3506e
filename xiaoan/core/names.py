"""Names people type and read: one normal form to store, one look-alike key to compare.

`normalize_name` is what a name is stored as: NFKC (full-width letters and digits, ideographic
space, compatibility ideographs and Kangxi radicals become their ordinary forms), with
invisible characters removed and whitespace collapsed.

`skeleton` is a key under which names that a person reading a list would take for the same
are equal: the normal form, case-folded, without any whitespace, with the look-alikes of
`CONFUSABLES` (below) replaced. Two names with one skeleton must not both be in use where
they could be confused (usernames anywhere; unit names, see xiaoan/orgs/services.py).

The table is deliberately small: the Latin look-alikes found in Cyrillic and Greek, the
digit/letter pairs 0/o and 1/l/i, the letter pairs rn/m and vv/w, and the dash and dot
variants common in Chinese text. It is not Unicode's full confusables list (UTS #39), which
would also merge names that people do tell apart.
"""

from __future__ import annotations

import re
import unicodedata

# Invisible characters that are not of category Cf (format), which are all removed anyway:
# variation selectors, the combining grapheme joiner, Hangul fillers, the braille blank.
_INVISIBLE = {
    0x034F,
    0x115F,
    0x1160,
    0x17B4,
    0x17B5,
    0x180B,
    0x180C,
    0x180D,
    0x180E,
    0x2800,
    0x3164,
    0xFFA0,
    *range(0xFE00, 0xFE10),
    *range(0xE0100, 0xE01F0),
}
_WHITESPACE = re.compile(r"\s+")

# One character → what it is read as. Applied after NFKC and casefold, so only lower-case
# forms are needed (upper-case Cyrillic А folds to а, which maps to Latin a).
CONFUSABLES: dict[str, str] = {
    # Cyrillic
    "а": "a",
    "в": "b",
    "е": "e",
    "ё": "e",
    "һ": "h",
    "н": "h",
    "і": "l",  # і looks like i, and i is read as l below
    "ї": "l",
    "ј": "j",
    "к": "k",
    "м": "m",
    "о": "o",
    "р": "p",
    "с": "c",
    "ѕ": "s",
    "т": "t",
    "у": "y",
    "х": "x",
    "ԁ": "d",
    "ԛ": "q",
    "ԝ": "w",
    # Greek
    "α": "a",
    "β": "b",
    "ε": "e",
    "ι": "l",
    "κ": "k",
    "μ": "m",
    "ν": "v",
    "ο": "o",
    "ρ": "p",
    "τ": "t",
    "υ": "u",
    "χ": "x",
    "ζ": "z",
    # Latin and digits read as one another
    "0": "o",
    "1": "l",
    "i": "l",
    "ı": "l",
    "|": "l",
    "ɡ": "g",
    # Chinese text: the ideographic zero, dashes and middle dots
    "〇": "o",
    "‐": "-",
    "‑": "-",
    "‒": "-",
    "–": "-",
    "—": "-",
    "―": "-",
    "−": "-",
    "ー": "-",
    "·": "·",
    "・": "·",
    "‧": "·",
    "•": "·",
}
# Letter pairs read as one letter; replaced after the single characters.
_PAIRS = (("rn", "m"), ("vv", "w"))
_TABLE = str.maketrans(CONFUSABLES)


def _visible(char: str) -> bool:
    if ord(char) in _INVISIBLE:
        return False
    category = unicodedata.category(char)
    # Cf: zero-width space/joiners, BOM, soft hyphen, bidi controls; Cc: controls other
    # than whitespace (which is collapsed below); Co/Cn: private use and unassigned.
    return category not in ("Cf", "Co", "Cn") and (category != "Cc" or char.isspace())


def normalize_name(value: str) -> str:
    """The form a name is stored in (see the module docstring)."""
    text = unicodedata.normalize("NFKC", value or "")
    text = "".join(c for c in text if _visible(c))
    return _WHITESPACE.sub(" ", text).strip()


def skeleton(value: str) -> str:
    """The look-alike key of a name (see the module docstring)."""
    text = normalize_name(value).casefold()
    # Accents that the confusable letters may carry (а́) go; Chinese is not decomposed.
    text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    text = _WHITESPACE.sub("", text).translate(_TABLE)
    for pair, single in _PAIRS:
        text = text.replace(pair, single)
    return unicodedata.normalize("NFC", text)
