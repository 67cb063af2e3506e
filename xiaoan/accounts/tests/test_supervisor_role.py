"""The 督导办 supervisor role as the README describes it: it inspects (督查) and supervises
(挂牌督办) the units below it; it cannot rectify, verify or edit units."""

from __future__ import annotations

from xiaoan.accounts.roles import BUILTIN_ROLES


def _supervisor() -> set[str]:
    return set(next(r for r in BUILTIN_ROLES if r.code == "supervisor").permissions)


def test_it_lets_the_supervisor_inspect_and_supervise():
    perms = _supervisor()
    assert {
        "hazards.view_hazard",
        "hazards.supervise_hazard",
        "inspections.add_inspection",
        "inspections.conduct_inspection",
        "orgs.view_unit",
    } <= perms


def test_it_keeps_the_supervisor_from_rectifying_or_editing_units():
    perms = _supervisor()
    forbidden = {
        "hazards.rectify_hazard",
        "hazards.verify_hazard",
        "hazards.assign_hazard",
        "hazards.change_hazard",
        "orgs.add_unit",
        "orgs.change_unit",
        "plans.change_plan",
        "duties.change_duty",
    }
    assert not perms & forbidden
