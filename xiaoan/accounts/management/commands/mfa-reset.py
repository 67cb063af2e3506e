"""`xiaoan mfa-reset USERNAME`: remove a person's second factor from the server console.

The only way to reset a platform administrator's (三员分立: none resets another)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from xiaoan.accounts import mfa
from xiaoan.accounts.models import User


class Command(BaseCommand):
    help = "重置某人的双因素认证（删除其验证器和恢复码）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")

    def handle(self, *args, username: str, **options) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户不存在：{username}")
        mfa.reset_from_console(user)
        self.stdout.write(f"已重置 {username} 的双因素认证；下次登录时须重新绑定验证器。")
