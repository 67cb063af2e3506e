"""The one choke point for visibility: `Model.objects.restrict(user, action)`.

A user's role assignments grant permissions at a unit (optionally with its subtree) or, for
the platform roles, everywhere. `restrict` turns the assignments that grant
`<app>.<action>_<model>` into one SQL filter on the unit tree's materialized path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Q

_CACHE_ATTR = "_xiaoan_grants"


@dataclass(frozen=True)
class Grant:
    permissions: frozenset[str]
    unit_id: int | None  # None: platform-wide
    unit_path: str | None
    descendants: bool
    unit_kind: str = ""


# xiaoan.core.todos: per permission, the units whose own people the person is among.
OWN_UNITS_ATTR = "_xiaoan_own_units"


def grants_for(user: Any) -> list[Grant]:
    """All grants of a user, loaded once per user object (one query)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    from xiaoan.accounts.models import RoleAssignment

    rows = RoleAssignment.objects.filter(user_id=user.pk, role__is_active=True).values_list(
        "role__permissions", "unit_id", "unit__path", "include_descendants", "unit__kind"
    )
    grants = [
        Grant(frozenset(perms or ()), unit_id, path, bool(desc), kind or "")
        for perms, unit_id, path, desc, kind in rows
    ]
    setattr(user, _CACHE_ATTR, grants)
    return grants


def forget_grants(user: Any) -> None:
    for attr in (_CACHE_ATTR, "_xiaoan_unit_ids", OWN_UNITS_ATTR):
        if hasattr(user, attr):
            delattr(user, attr)


def permission_name(model: type[models.Model], action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def user_permissions(user: Any) -> set[str]:
    if getattr(user, "is_superuser", False) and user.is_active:
        from django.contrib.auth.models import Permission

        return {
            f"{app}.{code}"
            for app, code in Permission.objects.values_list("content_type__app_label", "codename")
        }
    perms: set[str] = set()
    for grant in grants_for(user):
        perms |= grant.permissions
    return perms


def has_permission_anywhere(user: Any, perm: str) -> bool:
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return any(perm in g.permissions for g in grants_for(user))


def holds_everywhere(user: Any, perm: str) -> bool:
    """True when a grant of `perm` covers the whole platform (a platform role, or superuser)."""
    return has_permission_anywhere(user, perm) and not scope_filter(user, perm, "").children


def scope_filter(user: Any, perm: str, unit_lookup: str) -> Q:
    """A Q limiting rows to the units where `user` holds `perm`.

    `unit_lookup` is the path from the model to its Unit ("unit", or "" for Unit itself).
    """
    if getattr(user, "is_superuser", False) and user.is_active:
        return Q()
    paths: list[str] = []
    ids: set[int] = set()
    for grant in grants_for(user):
        if perm not in grant.permissions:
            continue
        if grant.unit_id is None:
            return Q()
        if grant.descendants:
            paths.append(grant.unit_path or "")
        else:
            ids.add(grant.unit_id)
    # A subtree already inside another subtree adds nothing to the filter.
    paths.sort(key=len)
    kept: list[str] = []
    for path in paths:
        if not any(path.startswith(outer) for outer in kept):
            kept.append(path)
    units = Q(pk__in=[])
    for path in kept:
        units |= Q(path__startswith=path)
    if ids:
        units |= Q(pk__in=sorted(ids))
    if not unit_lookup:
        return units
    if not kept and not ids:
        return Q(pk__in=[])
    return Q(**{f"{unit_lookup}__in": _unit_ids(user, tuple(kept), tuple(sorted(ids)), units)})


LITERAL_IDS_LIMIT = 100


def _unit_ids(user: Any, paths: tuple, ids: tuple, units: Q):
    """The scope's unit ids: a literal list for a small scope (a school and its departments:
    the database can OR it with other indexed conditions), a subquery for a wider one (a
    district's hundreds of schools: PostgreSQL joins it on the unit index, and Django and
    psycopg need not handle hundreds of parameters per query). Looked up once per user."""
    from xiaoan.orgs.models import Unit

    cache = user.__dict__.setdefault("_xiaoan_unit_ids", {})
    key = (paths, ids)
    if key not in cache:
        found = list(
            Unit.objects.filter(units)
            .order_by()
            .values_list("pk", flat=True)[: LITERAL_IDS_LIMIT + 1]
        )
        cache[key] = found if len(found) <= LITERAL_IDS_LIMIT else None
    literal = cache[key]
    return literal if literal is not None else Unit.objects.filter(units).values("pk")


class ScopedQuerySetMixin:
    """Mixed into every scoped model's queryset. The model names its unit with
    `scope_unit_field` ("unit" by default; "" for Unit itself)."""

    def restrict(self, user: Any, action: str = "view") -> models.QuerySet:
        return self.with_permission(user, permission_name(self.model, action))  # type: ignore[attr-defined]

    def with_permission(self, user: Any, perm: str) -> models.QuerySet:
        """Rows whose unit is one where `user` holds `perm` (any permission name)."""
        unit_lookup = getattr(self.model, "scope_unit_field", "unit")  # type: ignore[attr-defined]
        return self.filter(scope_filter(user, perm, unit_lookup))  # type: ignore[attr-defined]


class ScopedQuerySet(ScopedQuerySetMixin, models.QuerySet):
    pass


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)
