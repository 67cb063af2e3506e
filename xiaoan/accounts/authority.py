"""Who may manage whom: the rules every account operation (edit, deactivate, reset, grant,
revoke, second-factor reset) goes through.

A person may be managed only by someone who could have made them what they are: whose
scope covers the person's home unit and every one of their assignments, and who holds there
every permission the person holds. A safety officer therefore cannot reset or switch off the
principal (who holds `orgs.lead_unit`), nor anyone who also works at the district.

三员分立: the system administrator manages accounts, the security administrator roles and
grants, the audit administrator only reads. A platform administrator is managed by nobody in
the application, only from the server console (`xiaoan platform-admin`).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from xiaoan.core.errors import Forbidden
from xiaoan.core.scoping import Grant, grants_for, holds_everywhere

# What the actions need in the actor's own grants (besides covering the person).
ACTION_PERMISSION = {
    "change": "accounts.change_user",
    "reset": "accounts.change_user",
    "grant": "accounts.add_roleassignment",
    "revoke": "accounts.delete_roleassignment",
}


def is_platform_admin(user: Any) -> bool:
    from xiaoan.accounts.models import RoleAssignment

    return RoleAssignment.objects.filter(user_id=user.pk, role__is_platform=True).exists()


def _covers(grant: Grant, perm: str, path: str, unit_id: int, subtree: bool) -> bool:
    if perm not in grant.permissions:
        return False
    if grant.unit_id is None:
        return True
    if grant.descendants:
        return path.startswith(grant.unit_path or "\0")
    return not subtree and grant.unit_id == unit_id


def holds_at(actor: Any, perm: str, path: str, unit_id: int, subtree: bool) -> bool:
    """True when one of the actor's grants gives `perm` at the unit (and, with `subtree`,
    over everything below it)."""
    if getattr(actor, "is_superuser", False) and actor.is_active:
        return True
    return any(_covers(g, perm, path, unit_id, subtree) for g in grants_for(actor))


def outranks(actor: Any, target: Any) -> bool:
    """The actor holds, wherever the target holds anything, every permission the target
    holds there (subtree grants over the whole subtree)."""
    for grant in grants_for(target):
        if grant.unit_id is None:
            return False  # a platform-wide grant is matched by no unit grant
        for perm in grant.permissions:
            if not holds_at(actor, perm, grant.unit_path or "", grant.unit_id, grant.descendants):
                return False
    return True


def check_may_manage(actor: Any, target: Any, action: str) -> None:
    """Raise Forbidden unless `actor` may perform `action` ("change", "reset", "grant",
    "revoke") on `target`. Visibility (404) is decided before this by the scoped lookup."""
    from xiaoan.core.scoping import forget_grants

    if getattr(actor, "is_superuser", False) and actor.is_active:
        return
    if target.pk == getattr(actor, "pk", None):
        if action in {"grant", "revoke"}:
            raise Forbidden(_("不能给自己授权或撤销自己的授权。"))
        raise Forbidden(_("不能在这里管理自己的账号；修改密码请到“我的账号”。"))
    forget_grants(target)
    if is_platform_admin(target):
        raise Forbidden(
            _("平台管理员（三员）的账号只能在服务器控制台管理（xiaoan platform-admin）。")
        )
    perm = ACTION_PERMISSION[action]
    if holds_everywhere(actor, perm):
        # The platform's account or grant administrator: manages every business account,
        # and every step is audited and told to the person.
        return
    unit = target.unit
    if unit is None or not holds_at(actor, perm, unit.path, unit.pk, subtree=False):
        raise Forbidden(_("该账号不在您的管理范围内。"))
    if not outranks(actor, target):
        raise Forbidden(_("该账号在您管理范围之外也有职责，或拥有您没有的权限，不能由您管理。"))


def may_manage(actor: Any, target: Any, action: str) -> bool:
    try:
        check_may_manage(actor, target, action)
    except Forbidden:
        return False
    return True


def check_may_deactivate_unit(actor: Any, unit: Any) -> None:
    """Nobody switches off their own unit or one above it (it would cut their superiors and
    themselves off, and drop the unit from draws and coverage without anyone above noticing)."""
    paths = [u for u in [getattr(getattr(actor, "unit", None), "path", None)] if u]
    paths += [g.unit_path for g in grants_for(actor) if g.unit_path]
    if any(path.startswith(unit.path) for path in paths):
        raise Forbidden(_("不能停用本人所在或任职的单位及其上级单位。"))
