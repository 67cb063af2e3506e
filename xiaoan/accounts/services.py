"""Business rules for people and access: accounts, role grants, and who may grant what."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from xiaoan.accounts.models import Role, RoleAssignment, User
from xiaoan.core.errors import Conflict, Forbidden, Invalid
from xiaoan.core.history import stamp
from xiaoan.core.scoping import (
    forget_grants,
    grants_for,
    has_permission_anywhere,
    holds_everywhere,
    scope_filter,
)
from xiaoan.core.services import ensure_in_scope, get_scoped
from xiaoan.orgs.models import Unit, ancestor_paths

USER_FIELDS = ["username", "name", "mobile", "email", "unit", "position", "is_active"]


def _check_password(password: str, user: User | None = None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise Invalid(fields={"password": list(exc.messages)}) from exc


def _check_unit(actor: Any, unit: Unit | None, perm: str) -> None:
    if unit is None:
        if not holds_everywhere(actor, perm):
            raise Invalid(fields={"unit": [_("请选择所属单位。")]})
        return
    if not Unit.objects.with_permission(actor, perm).filter(pk=unit.pk).exists():
        raise Invalid(fields={"unit": [_("所选单位不在您的管理范围内。")]})


def _full_clean(user: User) -> None:
    try:
        user.full_clean(exclude=["password", "last_login", "date_joined"])
    except ValidationError as exc:
        raise Invalid(fields={k: [str(m) for m in v] for k, v in exc.message_dict.items()}) from exc


def _check_may_reset(actor: Any, target: User) -> None:
    """A password reset lets the resetter act as the target, so: platform administrators are
    reset only by themselves or from the server console (三员分立); platform-wide account
    managers may reset anyone else; others only people holding no right they lack."""
    if getattr(actor, "is_superuser", False):
        return
    if RoleAssignment.objects.filter(user=target, role__is_platform=True).exists():
        raise Forbidden(_("平台管理员的密码只能由本人修改，或在服务器控制台重置。"))
    if holds_everywhere(actor, "accounts.change_user"):
        return
    from xiaoan.core.scoping import user_permissions

    forget_grants(target)
    if not user_permissions(target) <= user_permissions(actor):
        raise Forbidden(_("该账号拥有您没有的权限，不能由您重置密码。"))


@transaction.atomic
def create_user(actor: Any, data: dict[str, Any], password: str) -> User:
    if not has_permission_anywhere(actor, "accounts.add_user"):
        raise Forbidden()
    _check_unit(actor, data.get("unit"), "accounts.add_user")
    user = User(**{k: v for k, v in data.items() if k in USER_FIELDS})
    if user.mobile == "":
        user.mobile = None
    _full_clean(user)
    _check_password(password, user)
    user.set_password(password)
    try:
        stamp(user, actor).save()
    except IntegrityError:
        raise Conflict(_("用户名或手机号码已被使用。")) from None
    ensure_in_scope(actor, user, "add")
    return user


@transaction.atomic
def update_user(actor: Any, user: User | int, data: dict[str, Any]) -> User:
    pk = user.pk if isinstance(user, User) else user
    user = get_scoped(actor, User, pk, "change")
    user = User.objects.select_for_update().get(pk=user.pk)
    if "unit" in data and data["unit"] != user.unit:
        _check_unit(actor, data["unit"], "accounts.change_user")
    if "is_active" in data and not data["is_active"] and user.pk == getattr(actor, "pk", None):
        raise Invalid(_("不能停用自己的账号。"))
    for key, value in data.items():
        if key in USER_FIELDS:
            setattr(user, key, value)
    if user.mobile == "":
        user.mobile = None
    _full_clean(user)
    try:
        stamp(user, actor).save()
    except IntegrityError:
        raise Conflict(_("用户名或手机号码已被使用。")) from None
    ensure_in_scope(actor, user, "change")
    return user


@transaction.atomic
def set_password(actor: Any, user: User | int, password: str) -> User:
    pk = user.pk if isinstance(user, User) else user
    if pk == getattr(actor, "pk", None):
        user = User.objects.get(pk=pk)
    else:
        user = get_scoped(actor, User, pk, "change")
        _check_may_reset(actor, user)
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    # A new password ends every API token issued under the old one.
    Token.objects.filter(user=user).delete()
    return user


def _holds_over_subtree(actor: Any, perm: str, unit: Unit) -> bool:
    """True when one of the actor's grants gives `perm` over `unit` and everything below it."""
    if getattr(actor, "is_superuser", False) and actor.is_active:
        return True
    return any(
        perm in g.permissions
        and (g.unit_id is None or (g.descendants and unit.path.startswith(g.unit_path or "")))
        for g in grants_for(actor)
    )


def grantable_roles(actor: Any):
    """Roles the actor may give: platform-wide granters may give any role; others only roles
    whose permissions they hold themselves (checked again per unit in `grant_role`)."""
    if holds_everywhere(actor, "accounts.add_roleassignment"):
        return Role.objects.filter(is_active=True)
    from xiaoan.core.scoping import user_permissions

    mine = user_permissions(actor)
    return Role.objects.filter(
        pk__in=[
            r.pk
            for r in Role.objects.filter(is_active=True, is_platform=False)
            if set(r.permissions) <= mine
        ]
    )


@transaction.atomic
def grant_role(
    actor: Any,
    user: User | int,
    role: Role | int,
    unit: Unit | int | None,
    include_descendants: bool = True,
) -> RoleAssignment:
    if not has_permission_anywhere(actor, "accounts.add_roleassignment"):
        raise Forbidden()
    target = get_scoped(actor, User, user.pk if isinstance(user, User) else user, "view")
    role_obj = role if isinstance(role, Role) else Role.objects.filter(pk=role).first()
    if role_obj is None or not role_obj.is_active:
        raise Invalid(fields={"role": [_("角色不存在或已停用。")]})
    platform_granter = holds_everywhere(actor, "accounts.add_roleassignment")
    if role_obj.is_platform:
        if not platform_granter:
            raise Forbidden(_("平台角色只能由安全保密管理员授予。"))
        if unit is not None:
            raise Invalid(fields={"unit": [_("平台角色在全平台生效，不需要选择单位。")]})
        others = RoleAssignment.objects.filter(user=target, role__is_platform=True).exclude(
            role=role_obj
        )
        if others.exists():
            raise Invalid(_("三员分立：同一账号只能担任一个平台管理角色。"))
        if RoleAssignment.objects.filter(user=target, role__is_platform=False).exists():
            raise Invalid(_("已有单位角色的账号不能再担任平台管理角色。"))
        unit_obj = None
    else:
        if unit is None:
            raise Invalid(fields={"unit": [_("请选择授权单位。")]})
        unit_pk = unit.pk if isinstance(unit, Unit) else unit
        unit_obj = (
            Unit.objects.with_permission(actor, "accounts.add_roleassignment")
            .filter(pk=unit_pk)
            .first()
        )
        if unit_obj is None:
            raise Invalid(fields={"unit": [_("所选单位不在您的管理范围内。")]})
        if not platform_granter:
            # Nobody hands out more than they hold at that unit.
            query = Unit.objects.filter(pk=unit_obj.pk)
            for perm in role_obj.permissions:
                query = query.filter(scope_filter(actor, perm, ""))
            if not query.exists():
                raise Forbidden(_("您不能授予超出自身权限的角色。"))
            if include_descendants and not all(
                _holds_over_subtree(actor, perm, unit_obj) for perm in role_obj.permissions
            ):
                # A grant without the subtree must not hand out the subtree.
                raise Forbidden(_("您不能授予超出自身权限的角色。"))
        if RoleAssignment.objects.filter(user=target, role__is_platform=True).exists():
            raise Invalid(_("平台管理账号不能再授予单位角色。"))
    if RoleAssignment.objects.filter(user=target, role=role_obj, unit=unit_obj).exists():
        raise Conflict(_("该用户在此单位已有这个角色。"))
    assignment = RoleAssignment(
        user=target,
        role=role_obj,
        unit=unit_obj,
        include_descendants=include_descendants if unit_obj else True,
        granted_by=actor,
    )
    try:
        with transaction.atomic():
            stamp(assignment, actor).save()
    except IntegrityError:  # the same grant made at the same moment by someone else
        raise Conflict(_("该用户在此单位已有这个角色。")) from None
    if unit_obj is not None:
        ensure_in_scope(actor, assignment, "add")
    forget_grants(target)
    return assignment


@transaction.atomic
def revoke_role(actor: Any, assignment: RoleAssignment | int) -> None:
    pk = assignment.pk if isinstance(assignment, RoleAssignment) else assignment
    assignment = get_scoped(actor, RoleAssignment, pk, "delete")
    platform_revoker = holds_everywhere(actor, "accounts.delete_roleassignment")
    if assignment.role.is_platform and not platform_revoker:
        raise Forbidden()
    if assignment.user_id == getattr(actor, "pk", None) and assignment.role.is_platform:
        raise Invalid(_("不能撤销自己的平台管理角色。"))
    stamp(assignment, actor).delete()


def assignable_units(actor: Any):
    return Unit.objects.with_permission(actor, "accounts.add_roleassignment")


def permission_catalogue() -> list[tuple[str, str]]:
    """Every permission a role may carry, as ("app.codename", readable name)."""
    from django.contrib.auth.models import Permission

    apps = {
        "orgs",
        "accounts",
        "hazards",
        "inspections",
        "plans",
        "registers",
        "training",
        "alerts",
        "reports",
    }
    rows = (
        Permission.objects.filter(content_type__app_label__in=apps)
        .exclude(content_type__model__startswith="historical")
        .values_list("content_type__app_label", "codename", "name")
        .order_by("content_type__app_label", "codename")
    )
    return [(f"{app}.{code}", str(name)) for app, code, name in rows]


@transaction.atomic
def save_role(actor: Any, role: Role | None, data: dict[str, Any]) -> Role:
    """Create or edit a custom role. Built-in roles are defined in code and stay as they are."""
    action = "change" if role else "add"
    if not holds_everywhere(actor, f"accounts.{action}_role"):
        raise Forbidden()
    if role is not None:
        role = Role.objects.select_for_update().get(pk=role.pk)
        if role.is_builtin:
            raise Invalid(_("内置角色由系统维护，不能修改；可以新建自定义角色。"))
    else:
        role = Role(is_builtin=False, is_platform=False)
    known = {code for code, _name in permission_catalogue()}
    permissions = sorted(set(data.get("permissions", [])))
    unknown = [p for p in permissions if p not in known]
    if unknown:
        raise Invalid(fields={"permissions": [_("未知权限：%(p)s") % {"p": "、".join(unknown)}]})
    for key in ("code", "name", "description", "is_active"):
        if key in data:
            setattr(role, key, data[key])
    role.permissions = permissions
    if Role.objects.filter(code=role.code).exclude(pk=role.pk).exists():
        raise Invalid(fields={"code": [_("代码已被使用。")]})
    try:
        role.full_clean()
    except ValidationError as exc:
        raise Invalid(fields={k: [str(m) for m in v] for k, v in exc.message_dict.items()}) from exc
    role.save()
    return role


def people_with(perm: str, unit: Unit) -> list[User]:
    """Active people whose grants give `perm` over `unit` (its subtree grants included): the
    ones to tell of something that happened there."""
    rows = RoleAssignment.objects.filter(
        Q(unit__path=unit.path)
        | Q(unit__path__in=ancestor_paths(unit.path), include_descendants=True),
        role__is_active=True,
        user__is_active=True,
    ).select_related("user", "role")
    # Permission lists are JSON; SQLite cannot search inside them, and the rows are few.
    return list({a.user_id: a.user for a in rows if perm in a.role.permissions}.values())
