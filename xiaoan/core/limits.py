"""Bounds of what the database can hold, checked before a value reaches a query.

Primary keys are 64-bit (BigAutoField); a number outside that range can name no record, and
handing it to the database makes SQLite raise OverflowError and PostgreSQL "out of range"."""

from __future__ import annotations

import re

BIGINT_MAX = 2**63 - 1
INT_MAX = 2**31 - 1  # IntegerField / PositiveIntegerField columns on PostgreSQL

_INTEGER = re.compile(r"[+-]?\d+")


def out_of_bigint_range(value: object) -> bool:
    """Whether a path or query value is an integer no 64-bit column can hold."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return not -BIGINT_MAX - 1 <= value <= BIGINT_MAX
    if isinstance(value, str) and len(value) < 4300 and _INTEGER.fullmatch(value.strip()):
        return out_of_bigint_range(int(value))
    # Longer digit strings than int() will read are out of range all the same.
    return isinstance(value, str) and len(value) >= 4300 and value.strip().lstrip("+-").isdigit()
