"""Password policy (等保 2.0 level 3): composition, not the account's own names, no reuse,
a shipped list of common and breached passwords, and expiry. The validators plug into
Django's AUTH_PASSWORD_VALIDATORS, so every place that sets a password applies them."""

from __future__ import annotations

import gzip
import re
import secrets
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

COMMON_LIST = Path(__file__).resolve().parent / "data" / "common-passwords.txt.gz"

CLASSES = (
    ("lower", re.compile(r"[a-z]")),
    ("upper", re.compile(r"[A-Z]")),
    ("digit", re.compile(r"[0-9]")),
    ("symbol", re.compile(r"[^a-zA-Z0-9]")),
)


class LengthValidator:
    """At least `min_length` characters (Django's own message has no Chinese translation)."""

    def __init__(self, min_length: int = 8) -> None:
        self.min_length = min_length

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(
                _("密码至少需要%(n)d个字符。") % {"n": self.min_length}, code="password_too_short"
            )

    def get_help_text(self) -> str:
        return _("至少%(n)d个字符。") % {"n": self.min_length}


class CharacterClassesValidator:
    """At least `classes` of the four classes: lower case, upper case, digits, symbols."""

    def __init__(self, classes: int = 3) -> None:
        self.classes = classes

    def validate(self, password: str, user: Any = None) -> None:
        found = sum(1 for _name, pattern in CLASSES if pattern.search(password))
        if found < self.classes:
            raise ValidationError(
                _("密码须包含大写字母、小写字母、数字、符号中的至少%(n)d类。")
                % {"n": self.classes},
                code="password_classes",
            )

    def get_help_text(self) -> str:
        return _("至少包含大写字母、小写字母、数字、符号中的%(n)d类。") % {"n": self.classes}


class NotOwnNamesValidator:
    """Not the username or the mobile number, nor a password containing either."""

    def validate(self, password: str, user: Any = None) -> None:
        if user is None:
            return
        lowered = password.lower()
        for value in (getattr(user, "username", ""), getattr(user, "mobile", "") or ""):
            value = str(value).lower()
            if len(value) >= 3 and value in lowered:
                raise ValidationError(
                    _("密码不能包含用户名或手机号码。"), code="password_own_names"
                )

    def get_help_text(self) -> str:
        return _("不能包含用户名或手机号码。")


def _skeleton(password: str) -> str:
    """The password with case and the usual substitutions undone (P@ssw0rd → password)."""
    table = str.maketrans({"@": "a", "0": "o", "1": "i", "3": "e", "$": "s", "5": "s", "!": "i"})
    return password.lower().translate(table)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_LIST, "rt", encoding="utf-8") as handle:
        return frozenset(line.strip().lower() for line in handle if line.strip())


class CommonPasswordListValidator:
    """Refuses passwords of the list shipped with the project (xiaoan/accounts/data/), also
    when only case, a trailing symbol/digits or the usual letter substitutions differ."""

    def validate(self, password: str, user: Any = None) -> None:
        known = common_passwords()
        lowered = password.lower()
        stripped = re.sub(r"[^a-z0-9]+$", "", lowered)
        candidates = {lowered, stripped, _skeleton(password), re.sub(r"\d+$", "", lowered)}
        if any(c and c in known for c in candidates):
            raise ValidationError(
                _("这个密码过于常见或已在泄露的密码库中出现，请换一个。"), code="password_common"
            )

    def get_help_text(self) -> str:
        return _("不能是常见密码或已泄露的密码。")


class HistoryValidator:
    """Not the current password nor one of the last `count` (等保: 不得重复使用近期口令)."""

    def __init__(self, count: int = 5) -> None:
        self.count = count

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or not getattr(user, "pk", None):
            return
        from xiaoan.accounts.models import PasswordHistory, User

        current = User.objects.filter(pk=user.pk).values_list("password", flat=True).first()
        previous = list(
            PasswordHistory.objects.filter(user_id=user.pk).values_list("password", flat=True)[
                : max(self.count - 1, 0)
            ]
        )
        for hashed in [current, *previous]:
            if hashed and check_password(password, hashed):
                raise ValidationError(
                    ngettext(
                        "新密码不能与最近使用过的密码相同。",
                        "新密码不能与最近%(n)d次使用过的密码相同。",
                        self.count,
                    )
                    % {"n": self.count},
                    code="password_reused",
                )

    def get_help_text(self) -> str:
        return _("不能与最近%(n)d次使用过的密码相同。") % {"n": self.count}


def remember(user: Any, previous_hash: str) -> None:
    """Keep the replaced hash; only as many as the history rule needs are kept."""
    from xiaoan.accounts.models import PasswordHistory

    if not previous_hash or previous_hash.startswith("!"):
        return
    PasswordHistory.objects.create(user=user, password=previous_hash)
    keep = max(settings.XIAOAN_PASSWORD_HISTORY, 1)
    old = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[keep:]
    PasswordHistory.objects.filter(pk__in=list(old)).delete()


ONE_TIME_ALPHABET = {
    "lower": "abcdefghjkmnpqrstuvwxyz",  # no i, l, o: read out over the phone
    "upper": "ABCDEFGHJKLMNPQRSTUVWXYZ",
    "digit": "23456789",
    "symbol": "@#%+=",
}


def one_time_password(length: int = 12) -> str:
    """A random password meeting the composition rule, easy to read out, for the owner to
    replace at the next login."""
    pools = list(ONE_TIME_ALPHABET.values())
    chars = [secrets.choice(pool) for pool in pools]
    every = "".join(pools)
    chars += [secrets.choice(every) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def expires_at(user: Any):
    """When the person's password must be changed (None: expiry is off)."""
    days = settings.XIAOAN_PASSWORD_MAX_AGE_DAYS
    if not days:
        return None
    changed = user.password_changed_at or user.date_joined
    return changed + timedelta(days=days)


def change_required(user: Any) -> str:
    """ "reset" (set by someone else), "expired", or "" when the password may be used."""
    if getattr(user, "must_change_password", False):
        return "reset"
    deadline = expires_at(user)
    if deadline is not None and deadline <= timezone.now():
        return "expired"
    return ""


def days_left(user: Any) -> int | None:
    """Days until expiry when inside the warning period, else None."""
    deadline = expires_at(user)
    if deadline is None:
        return None
    left = deadline - timezone.now()
    if left <= timedelta(0) or left > timedelta(days=settings.XIAOAN_PASSWORD_WARN_DAYS):
        return None
    return max(left.days, 0)
