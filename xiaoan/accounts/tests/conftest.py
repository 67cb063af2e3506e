"""Helpers for the people-and-access tests: name demo records in parametrized tables.

A table cell like "@user:school_a_head", "@unit:总务处", "@role:inspector" or
"@assignment:school_a_owner" (that person's first role assignment) becomes the record's id.
"""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def ref(demo):
    from xiaoan.accounts.models import Role, RoleAssignment, User

    def resolve(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: resolve(v) for k, v in value.items()}
        if not isinstance(value, str) or not value.startswith("@"):
            return value
        kind, name = value[1:].split(":", 1)
        if kind == "user":
            return User.objects.get(username=name).pk
        if kind == "unit":
            return demo[name].pk
        if kind == "role":
            return Role.objects.get(code=name).pk
        if kind == "assignment":
            return RoleAssignment.objects.filter(user__username=name).order_by("pk").first().pk
        raise ValueError(value)

    return resolve
