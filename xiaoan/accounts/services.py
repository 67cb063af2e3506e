"""Business rules for people and access: accounts, role grants, and who may grant what."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.accounts import passwords
from xiaoan.accounts.authority import check_may_manage, holds_at
from xiaoan.accounts.models import Role, RoleAssignment, User
from xiaoan.accounts.throttling import TooManyRequests
from xiaoan.accounts.tokens import revoke_all as revoke_all_tokens
from xiaoan.audit.models import AuditAction
from xiaoan.audit.services import record as audit
from xiaoan.core.errors import Conflict, Forbidden, Invalid, NotFound
from xiaoan.core.history import stamp
from xiaoan.core.names import normalize_name, skeleton
from xiaoan.core.scoping import (
    forget_grants,
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


def _actor_name(actor: Any) -> str:
    return getattr(actor, "display_name", "") or str(actor)


def _notify_account(user: User, title: str, body: str, url: str = "") -> None:
    """Tell the person of what someone else did to their account (in-app and by email)."""
    from xiaoan.notifications.models import Notification
    from xiaoan.notifications.services import notify

    url = url or f"/accounts/users/{user.pk}/"
    # A security notice: emailed at once whatever the person's email choice.
    notify([user], Notification.Kind.SECURITY, title, body, url=url)


def _clean_names(data: dict[str, Any], exclude_pk: int | None = None) -> dict[str, Any]:
    """Names are stored normalised (NFKC, no invisible characters); a username that reads
    like an existing one is refused, so nobody can pose as "school_a_head" with a Cyrillic
    "а" or "schoo1_a_head"."""
    data = dict(data)
    for key in ("username", "name", "position"):
        if isinstance(data.get(key), str):
            data[key] = normalize_name(data[key])
    username = data.get("username")
    if username:
        clash = User.objects.filter(username_key=skeleton(username))
        if exclude_pk:
            clash = clash.exclude(pk=exclude_pk)
        if clash.exclude(username=username).exists():
            raise Invalid(fields={"username": [_("与已有的用户名过于相似，容易混淆，请换一个。")]})
    return data


@transaction.atomic
def create_user(actor: Any, data: dict[str, Any]) -> tuple[User, str]:
    """Create an account with a one-time password (shown once to the creator, to hand over);
    the person chooses their own at the first login."""
    if not has_permission_anywhere(actor, "accounts.add_user"):
        raise Forbidden()
    _check_unit(actor, data.get("unit"), "accounts.add_user")
    data = _clean_names(data)
    user = User(**{k: v for k, v in data.items() if k in USER_FIELDS})
    if user.mobile == "":
        user.mobile = None
    _full_clean(user)
    password = passwords.one_time_password()
    user.set_password(password)
    user.must_change_password = True
    try:
        stamp(user, actor).save()
    except IntegrityError:
        raise Conflict(_("用户名或手机号码已被使用。")) from None
    ensure_in_scope(actor, user, "add")
    audit(AuditAction.ACCOUNT, actor=actor, obj=user, detail={"step": "create"})
    return user, password


def _managed(actor: Any, pk: Any, action: str) -> User:
    """The person `actor` may `action`, locked for the change: 404 out of scope, 403 when
    visible but not theirs to manage."""
    user = get_scoped(actor, User, pk, "view")
    check_may_manage(actor, user, action)
    if action in {"change", "reset"}:
        get_scoped(actor, User, pk, "change")
    return User.objects.select_for_update().get(pk=user.pk)


@transaction.atomic
def update_user(actor: Any, user: User | int, data: dict[str, Any]) -> User:
    pk = user.pk if isinstance(user, User) else user
    if pk == getattr(actor, "pk", None):
        get_scoped(actor, User, pk, "change")
        raise Forbidden(_("不能在这里修改自己的账号。"))
    user = _managed(actor, pk, "change")
    data = _clean_names(data, exclude_pk=user.pk)
    if "unit" in data and data["unit"] != user.unit:
        _check_unit(actor, data["unit"], "accounts.change_user")
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
    # The person may have moved: the moved account must still be theirs to manage.
    check_may_manage(actor, User.objects.get(pk=user.pk), "change")
    changed = sorted(k for k in data if k in USER_FIELDS)
    step = "deactivate" if data.get("is_active") is False else "change"
    audit(AuditAction.ACCOUNT, actor=actor, obj=user, detail={"step": step, "fields": changed})
    return user


def store_password(user: User, password: str, *, by_owner: bool) -> None:
    """Set a password already checked against the policy: history kept, tokens ended, and
    marked for replacement unless its owner chose it."""
    previous = user.password
    user.set_password(password)
    user.must_change_password = not by_owner
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    passwords.remember(user, previous)
    # A new password ends every API token issued under the old one.
    revoke_all_tokens(user)


@transaction.atomic
def change_own_password(user: Any, old_password: str, new_password: str) -> User:
    """The owner chooses a password: only with the current one, and within the policy."""
    person = User.objects.select_for_update().get(pk=user.pk)
    guesses = f"xiaoan:old-password-failures:{person.pk}"
    if (cache.get(guesses) or 0) >= settings.AXES_FAILURE_LIMIT:
        raise TooManyRequests(_("当前密码输错次数过多，请稍后再试。"))
    if not person.check_password(old_password):
        if not cache.add(guesses, 1, settings.XIAOAN_LOGIN_COOLOFF_MINUTES * 60):
            cache.incr(guesses)
        raise Invalid(fields={"old_password": [_("当前密码不正确。")]})
    cache.delete(guesses)
    if old_password == new_password:
        raise Invalid(fields={"password": [_("新密码不能与当前密码相同。")]})
    _check_password(new_password, person)
    store_password(person, new_password, by_owner=True)
    audit(AuditAction.PASSWORD_CHANGE, actor=person, obj=person)
    return person


@transaction.atomic
def reset_password(actor: Any, user: User | int) -> tuple[User, str]:
    """Someone else's reset: a one-time password the person must replace at the next login.
    The person is told, so a reset can never go unnoticed."""
    pk = user.pk if isinstance(user, User) else user
    if pk == getattr(actor, "pk", None):
        get_scoped(actor, User, pk, "view")
        raise Forbidden(_("修改自己的密码请到“我的账号 → 修改密码”。"))
    user = _managed(actor, pk, "reset")
    password = passwords.one_time_password()
    store_password(user, password, by_owner=False)
    audit(AuditAction.PASSWORD_RESET, actor=actor, obj=user, detail={"one_time": True})
    who = _actor_name(actor)
    _notify_account(
        user,
        _("您的登录密码已被重置"),
        _(
            "%(who)s于%(when)s重置了您的登录密码，下次登录请使用管理员告知的临时密码并设置新密码。"
            "如非您本人申请，请立即联系单位安全管理员。"
        )
        % {"who": who, "when": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
    )
    return user, password


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
    check_may_manage(actor, target, "grant")
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
                holds_at(actor, perm, unit_obj.path, unit_obj.pk, subtree=True)
                for perm in role_obj.permissions
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
    audit(
        AuditAction.GRANT,
        actor=actor,
        obj=target,
        unit=unit_obj,
        detail={
            "role": role_obj.code,
            "unit": unit_obj.pk if unit_obj else None,
            "include_descendants": assignment.include_descendants,
        },
    )
    where = unit_obj.name if unit_obj else _("全平台")
    _notify_account(
        target,
        _("您获得了新的授权"),
        _("%(who)s授予您“%(role)s”（%(where)s）。如有疑问，请联系单位安全管理员。")
        % {"who": _actor_name(actor), "role": role_obj.name, "where": where},
    )
    return assignment


@transaction.atomic
def revoke_role(actor: Any, assignment: RoleAssignment | int) -> None:
    pk = assignment.pk if isinstance(assignment, RoleAssignment) else assignment
    assignment = get_scoped(actor, RoleAssignment, pk, "delete")
    check_may_manage(actor, assignment.user, "revoke")
    stamp(assignment, actor).delete()
    forget_grants(assignment.user)
    audit(
        AuditAction.REVOKE,
        actor=actor,
        obj=assignment.user,
        unit=assignment.unit_id,
        detail={"role": assignment.role.code, "unit": assignment.unit_id},
    )
    where = assignment.unit.name if assignment.unit_id else _("全平台")
    _notify_account(
        assignment.user,
        _("您的一项授权已被撤销"),
        _("%(who)s撤销了您的“%(role)s”（%(where)s）授权。")
        % {"who": _actor_name(actor), "role": assignment.role.name, "where": where},
    )


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
    for key in ("code", "name", "description", "is_active", "require_mfa"):
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


@transaction.atomic
def set_role_mfa(actor: Any, role: Role | int, required: bool) -> Role:
    """The security administrator's policy: whether holders of a role must use a second
    factor. Built-in roles too (their permissions stay as the code defines them); the
    platform roles always require it."""
    if not holds_everywhere(actor, "accounts.change_role"):
        raise Forbidden()
    pk = role.pk if isinstance(role, Role) else role
    role = Role.objects.select_for_update().filter(pk=pk).first()
    if role is None:
        raise NotFound()
    if role.is_platform and not required:
        raise Invalid(_("三员角色必须使用双因素认证，不能关闭。"))
    if role.require_mfa != required:
        role.require_mfa = required
        stamp(role, actor).save(update_fields=["require_mfa"])
        audit(AuditAction.MFA, actor=actor, obj=role, detail={"require_mfa": required})
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
