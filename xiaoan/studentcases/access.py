"""Who sees a minor's record. Unlike every other scoped model, a grant over a subtree does
not reach down here: a record is visible to

- the people it names (its 包保 responsible person, its recorder), and
- those holding `studentcases.<action>_<model>` by a role assigned at the record's school
  itself (the 学生安全专员 role, the principal) — not a bureau's role over its schools, not
  a platform role, not a superuser without such a role.

Superiors see counts (`studentcases.count_studentcase`, scoped the usual way over the
subtree) and never names."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from xiaoan.core.scoping import ScopedQuerySet, grants_for, permission_name

SCHOOL = "school"
VIEW = "studentcases.view_studentcase"
COUNT = "studentcases.count_studentcase"


def role_schools(user: Any, perm: str) -> list[int]:
    """The schools where `user` holds `perm` by an assignment at that school itself."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    return sorted(
        {
            g.unit_id
            for g in grants_for(user)
            if perm in g.permissions and g.unit_id is not None and g.unit_kind == SCHOOL
        }
    )


def holds_role_at(user: Any, unit_id: int, perm: str = VIEW) -> bool:
    return unit_id in role_schools(user, perm)


class CaseQuerySet(ScopedQuerySet):
    # The user fields naming people who may see the record, and the actions they may take
    # as named people (the rest needs the role at the school).
    named_fields: tuple[str, ...] = ()
    named_actions: tuple[str, ...] = ("view",)

    def restrict(self, user: Any, action: str = "view") -> CaseQuerySet:
        return self.with_permission(user, permission_name(self.model, action))

    def with_permission(self, user: Any, perm: str) -> CaseQuerySet:
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        condition = Q(unit_id__in=role_schools(user, perm))
        action = perm.split(".", 1)[1].rsplit("_", 1)[0]
        if action in self.named_actions:
            for name in self.named_fields:
                condition |= Q(**{f"{name}_id": user.pk})
        return self.filter(condition)

    def named(self, user: Any) -> CaseQuerySet:
        """Records naming `user` (whatever their roles)."""
        condition = Q(pk__in=[])
        for name in self.named_fields:
            condition |= Q(**{f"{name}_id": user.pk})
        return self.filter(condition)
