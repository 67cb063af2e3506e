"""Shared set-up: School A's lab cabinet and catalogue entries (demo personas, see
xiaoan/conftest.py). school_a_officer and school_a_head both hold the ledger's rights in
School A, so either can be the second signer of the other's movements."""

from __future__ import annotations

from xiaoan.chemicals import services
from xiaoan.chemicals.choices import MovementKind, MovementStatus
from xiaoan.chemicals.registers import CHEMICALS, STORAGES
from xiaoan.core import registers

SCHOOL_A = "梁子湖高级中学"
SCHOOL_B = "东沟镇中心小学"


def make_storage(persona, units, name: str = "化学实验室危化品专柜", school: str = SCHOOL_A):
    officer, head = persona("school_a_officer"), persona("school_a_head")
    return registers.create(
        STORAGES,
        officer,
        {
            "unit": units[school],
            "name": name,
            "kind": "cabinet",
            "keeper_one": officer,
            "keeper_two": head,
        },
    )


def school_b_storage(persona, units):
    """A cabinet of School B (by the district's officer; a second member of staff added)."""
    from xiaoan.accounts.models import User

    janitor = User.objects.create(username="school_b_lab", name="钱实验", unit=units[SCHOOL_B])
    return registers.create(
        STORAGES,
        persona("district_officer"),
        {
            "unit": units[SCHOOL_B],
            "name": "科学室专柜",
            "kind": "cabinet",
            "keeper_one": persona("school_b_teacher"),
            "keeper_two": janitor,
        },
    )


def make_chemical(persona, units, name: str = "无水乙醇", *, controlled: bool = False, **flags):
    data = {"name": name, "spec": "500mL/瓶 AR", "measure": "bottle", **flags}
    if controlled:
        data["is_toxic"] = True
    else:
        data.setdefault("is_flammable", True)
    return registers.create(
        CHEMICALS, persona("school_a_officer"), {"unit": units[SCHOOL_A], **data}
    )


def move(actor, chemical, storage, kind: str, qty, **extra):
    defaults = {
        MovementKind.ISSUE: {"recipient_name": "王老师", "purpose": "高二化学分组实验"},
        MovementKind.RETURN: {"recipient_name": "王老师"},
        MovementKind.USE: {"purpose": "演示实验"},
        MovementKind.WASTE: {"disposer_name": "鄂州环保处置公司", "disposer_licence": "HW42-001"},
    }.get(kind, {})
    return services.record_movement(
        actor,
        chemical=chemical.pk,
        storage=storage.pk,
        kind=kind,
        quantity=qty,
        **{**defaults, **extra},
    )


def move_signed(persona, chemical, storage, kind: str, qty, **extra):
    """Record (school_a_officer) and, when it waits for it, confirm (school_a_head)."""
    movement = move(persona("school_a_officer"), chemical, storage, kind, qty, **extra)
    if movement.status == MovementStatus.PENDING:
        movement = services.confirm_movement(persona("school_a_head"), movement.pk)
    return movement
