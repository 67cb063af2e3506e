"""Who sees a minor's record. Unlike every other scoped model, a grant over a subtree does
not reach down here: a record is visible to

- the people it names (its 包保 responsible person, its recorder), and
- those holding `studentcases.<action>_<model>` by a role assigned at the record's school
  itself (the 学生安全专员 role, the principal) — not a bureau's role over its schools, not
  a platform role, not a superuser without such a role.

Superiors see counts (`studentcases.count_studentcase`, scoped the usual way over the
subtree) and never names.

One exception, for bullying cases only: the review (复查) is decided by the county-level
学生欺凌防治 body and the re-examination (复核) by the city-level one (《加强中小学生欺凌
综合治理方案》). The holder of `review_bullyingcase` (学生欺凌复查专员) at an education
authority sees the bullying cases of the schools directly under it — a school always sits
directly under the authority that runs it (orgs.choices.ALLOWED_CHILDREN), its 区县 bureau —
once a review was asked for; the holder of `reexamine_bullyingcase` (学生欺凌复核专员) at an
authority sees those of the schools one authority further down (the 市级 bureau over the
district's schools) once a re-examination was asked for. Nothing else: no other student
record, no case without a request, no ordinary bureau role."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from xiaoan.core.scoping import ScopedQuerySet, grants_for, permission_name

SCHOOL = "school"
AUTHORITY = "authority"
VIEW = "studentcases.view_studentcase"
VIEW_BULLYING = "studentcases.view_bullyingcase"
REVIEW = "studentcases.review_bullyingcase"
REEXAMINE = "studentcases.reexamine_bullyingcase"
# The step's permission → how many levels above the school its body sits, and the request
# that opens a case to it.
REVIEW_STEPS = {REVIEW: (1, "review_requested_on"), REEXAMINE: (2, "reexam_requested_on")}
STEPLEN = 4  # orgs.Unit.steplen: a path grows 4 characters a level
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


def review_bureaus(user: Any, perm: str) -> list[str]:
    """The paths of the authorities where `user` holds the review step `perm` over the
    subtree (an assignment without its subtree reaches no school)."""
    if perm not in REVIEW_STEPS:
        return []
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    return sorted(
        {
            g.unit_path
            for g in grants_for(user)
            if perm in g.permissions and g.unit_kind == AUTHORITY and g.unit_path and g.descendants
        }
    )


def review_scope(user: Any, perm: str) -> Q | None:
    """The bullying cases open to `user` for the review step `perm`, or None."""
    paths = review_bureaus(user, perm)
    if not paths:
        return None
    levels, requested = REVIEW_STEPS[perm]
    units = Q(pk__in=[])
    for path in paths:
        depth = len(path) // STEPLEN + levels
        units |= Q(unit__path__startswith=path, unit__depth=depth)
    return units & Q(**{f"{requested}__isnull": False})


def reviews_anywhere(user: Any) -> bool:
    return any(review_bureaus(user, perm) for perm in REVIEW_STEPS)


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
        return self.filter(self.condition(user, perm))

    def condition(self, user: Any, perm: str) -> Q:
        condition = Q(unit_id__in=role_schools(user, perm))
        action = perm.split(".", 1)[1].rsplit("_", 1)[0]
        if action in self.named_actions:
            for name in self.named_fields:
                condition |= Q(**{f"{name}_id": user.pk})
        return condition

    def named(self, user: Any) -> CaseQuerySet:
        """Records naming `user` (whatever their roles)."""
        condition = Q(pk__in=[])
        for name in self.named_fields:
            condition |= Q(**{f"{name}_id": user.pk})
        return self.filter(condition)


class BullyingQuerySet(CaseQuerySet):
    """Adds the county and city reviewers (module note): they see the cases open to either
    of their steps and take only their own step."""

    def condition(self, user: Any, perm: str) -> Q:
        condition = super().condition(user, perm)
        steps = list(REVIEW_STEPS) if perm == VIEW_BULLYING else [perm]
        for step in steps:
            scope = review_scope(user, step) if step in REVIEW_STEPS else None
            if scope is not None:
                condition |= scope
        return condition
