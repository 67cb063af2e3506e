"""The three platform administrators (三员) are managed here, at the server console, and
nowhere in the application: no administrator can reset, rename or switch off another."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from xiaoan.accounts import passwords
from xiaoan.accounts.models import Role, RoleAssignment, User
from xiaoan.accounts.roles import PLATFORM_ROLE_CODES


class Command(BaseCommand):
    help = (
        "管理三员（系统管理员、安全保密管理员、安全审计员）账号："
        "list / create / reset-password / deactivate / activate"
    )

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        parsers = [sub.add_parser("list", help="列出三员账号")]
        create = sub.add_parser("create", help="创建三员账号（打印一次性密码）")
        parsers.append(create)
        create.add_argument("username")
        create.add_argument("--role", required=True, choices=sorted(PLATFORM_ROLE_CODES))
        create.add_argument("--name", default="")
        for name, text in (
            ("reset-password", "重置密码（打印一次性密码，下次登录须修改）"),
            ("deactivate", "停用账号"),
            ("activate", "启用账号"),
        ):
            parsers.append(sub.add_parser(name, help=text))
            parsers[-1].add_argument("username")
        for each in parsers:
            each.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args, action: str, **options) -> None:
        result = getattr(self, "_" + action.replace("-", "_"))(options)
        if action != "list":
            from xiaoan.audit.models import AuditAction
            from xiaoan.audit.services import record

            user = User.objects.filter(username=options["username"]).first()
            kind = AuditAction.PASSWORD_RESET if action == "reset-password" else AuditAction.ACCOUNT
            record(kind, obj=user, detail={"console": "platform-admin", "step": action})
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            for key, value in result.items():
                self.stdout.write(f"{key}: {value}")

    def _admin(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"账号 {username} 不存在。")
        if not RoleAssignment.objects.filter(user=user, role__is_platform=True).exists():
            raise CommandError(f"{username} 不是平台管理员；业务账号请在系统中管理。")
        return user

    def _list(self, options) -> dict:
        rows = RoleAssignment.objects.filter(role__is_platform=True).select_related("user", "role")
        return {
            a.user.username: f"{a.role.name}{'' if a.user.is_active else '（已停用）'}"
            for a in rows.order_by("user__username")
        }

    @transaction.atomic
    def _create(self, options) -> dict:
        username = options["username"]
        if User.objects.filter(username=username).exists():
            raise CommandError(f"账号 {username} 已存在。")
        role = Role.objects.get(code=options["role"])
        password = passwords.one_time_password()
        user = User(username=username, name=options["name"] or str(role.name))
        user.set_password(password)
        user.must_change_password = True
        user.save()
        RoleAssignment.objects.create(user=user, role=role, unit=None)
        return {"username": username, "role": str(role.name), "one_time_password": password}

    @transaction.atomic
    def _reset_password(self, options) -> dict:
        from xiaoan.accounts.services import store_password

        user = self._admin(options["username"])
        password = passwords.one_time_password()
        store_password(user, password, by_owner=False)
        return {"username": user.username, "one_time_password": password}

    def _set_active(self, options, active: bool) -> dict:
        user = self._admin(options["username"])
        user.is_active = active
        user.save(update_fields=["is_active"])
        return {"username": user.username, "is_active": active}

    def _deactivate(self, options) -> dict:
        return self._set_active(options, False)

    def _activate(self, options) -> dict:
        return self._set_active(options, True)
