from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from xiaoan.chemicals import services
from xiaoan.chemicals.choices import MovementKind
from xiaoan.chemicals.tests.support import make_chemical, make_storage, move, move_signed


@dataclass
class Lab:
    storage: Any
    ethanol: Any  # ordinary, 10 bottles posted
    cyanide: Any  # controlled (剧毒), 2 posted
    pending: Any  # a controlled issue recorded by school_a_officer, awaiting the head
    stocktake: Any
    empty: Any  # a chemical with no stock (may be retired)


@pytest.fixture
def lab(persona, units) -> Lab:
    storage = make_storage(persona, units)
    ethanol = make_chemical(persona, units)
    cyanide = make_chemical(persona, units, "氰化钾", controlled=True)
    empty = make_chemical(persona, units, "丙酮")
    move_signed(persona, ethanol, storage, MovementKind.RECEIPT, "10")
    move_signed(persona, cyanide, storage, MovementKind.RECEIPT, "2")
    officer = persona("school_a_officer")
    pending = move(officer, cyanide, storage, MovementKind.ISSUE, "1")
    stocktake = services.create_stocktake(
        officer,
        storage,
        lines=[{"chemical": ethanol.pk, "counted_quantity": "9", "reason": "破损"}],
    )
    return Lab(storage, ethanol, cyanide, pending, stocktake, empty)
