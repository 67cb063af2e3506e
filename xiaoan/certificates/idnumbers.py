"""Resident ID numbers (公民身份号码, GB 11643-1999): 17 digits and a check character
computed by ISO 7064 MOD 11-2."""

from __future__ import annotations

import datetime as dt
import re

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"
SHAPE = re.compile(r"^\d{17}[\dX]$")


def normalize(value: str | None) -> str:
    """Spaces gone, a lower-case x read as X (as people type it)."""
    return re.sub(r"\s+", "", value or "").upper()


def check_char(first17: str) -> str:
    return CHECK[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def is_valid(value: str) -> bool:
    """18 characters with the right check character and a real birth date."""
    if not SHAPE.match(value):
        return False
    try:
        dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    return check_char(value[:17]) == value[17]


def make(first17: str) -> str:
    """A valid number from its first 17 digits (tests and the demo)."""
    return first17 + check_char(first17)
