"""The second factor (TOTP through django-otp, recovery codes as django-otp static tokens).

Who must use it: anyone holding an assignment of an active role flagged `require_mfa` (the
three platform roles always are). Anyone else may enrol of their own accord; once enrolled,
the code is asked at every login just the same.
"""

from __future__ import annotations

import base64
import io
from typing import Any

import qrcode
import qrcode.image.svg
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from xiaoan.accounts.models import RoleAssignment, User
from xiaoan.audit.models import AuditAction
from xiaoan.audit.services import record as audit
from xiaoan.core.errors import Conflict, Forbidden, Invalid
from xiaoan.core.services import get_scoped

RECOVERY_CODE_COUNT = 10
# Wrong codes in one session before the person is sent back to the password step.
SESSION_FAILURE_LIMIT = 5
TOTP_NAME = "TOTP"
RECOVERY_NAME = "recovery"


class CodeRefused(Invalid):
    """A wrong, reused or throttled code."""


def _required_roles(user: Any):
    return RoleAssignment.objects.filter(user=user, role__is_active=True, role__require_mfa=True)


def mfa_required(user: Any) -> bool:
    """True when the person must use a second factor (a role of theirs requires it)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return _required_roles(user).exists()


def is_enrolled(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def mfa_state(user: Any) -> tuple[bool, bool]:
    """(required, enrolled) in one query: the middleware asks this on every request of a
    session that has not passed the second factor yet."""
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            required=Exists(
                RoleAssignment.objects.filter(
                    user=OuterRef("pk"), role__is_active=True, role__require_mfa=True
                )
            ),
            enrolled=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
        )
        .values_list("required", "enrolled")
        .first()
    )
    return (bool(row[0]), bool(row[1])) if row else (False, False)


def mfa_applies(user: Any) -> bool:
    required, enrolled = mfa_state(user)
    return required or enrolled


# Enrolment ------------------------------------------------------------------------------


def pending_device(user: User) -> TOTPDevice:
    """The unconfirmed device being enrolled (kept across reloads so a scanned code stays
    valid until it is confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def secret_of(device: TOTPDevice) -> str:
    """The key as the authenticator apps expect it typed in (Base32, grouped by four)."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// URL as an SVG QR code in a data: URI (allowed by img-src 'self' data:;
    nothing is fetched from anywhere else)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return [format_recovery_code(code) for code in codes]


def format_recovery_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def confirm_enrolment(user: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the pending device with a first code; returns it and 10 new recovery codes."""
    if is_enrolled(user):
        raise Conflict(_("已启用双因素认证。"))
    device = pending_device(user)
    if not device.verify_token(_digits(code)):
        raise CodeRefused(_("验证码不正确，请核对手机时间后重新输入。"))
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        codes = _new_recovery_codes(user)
        audit(AuditAction.MFA, actor=user, obj=user, detail={"step": "enrol"})
    return device, codes


# Verification ---------------------------------------------------------------------------


def _digits(code: str) -> str:
    return "".join((code or "").split())


def _recovery(code: str) -> str:
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


def _locked_device(model: type[Device], user: Any) -> Device | None:
    return model.objects.select_for_update().filter(user=user, confirmed=True).first()


def verify_code(user: Any, code: str, request: Any = None, field: str = "") -> Device:
    """The device that accepts `code` (a 6-digit TOTP code or a recovery code, which is used
    up). A wrong code counts as a failed login: for the account (django-axes and the audit
    trail listen to `user_login_failed`) and for the address; django-otp itself slows down
    repeated tries per device. With `field`, the refusal names that input too (the API's
    `otp`)."""

    def refused(message: str) -> CodeRefused:
        return CodeRefused(message, fields={field: [message]} if field else None)

    digits = _digits(code)
    is_totp = digits.isdigit() and len(digits) == 6
    with transaction.atomic():
        device = _locked_device(TOTPDevice if is_totp else StaticDevice, user)
        allowed = device is not None and device.verify_is_allowed()[0]
        accepted = allowed and device.verify_token(digits if is_totp else _recovery(code))
    if accepted:
        kind = "totp" if is_totp else "recovery_code"
        audit(AuditAction.MFA, actor=user, request=request, obj=user, detail={"step": kind})
        return device
    if device is not None and not allowed:
        raise refused(_("尝试过于频繁，请稍后再试。"))
    user_login_failed.send(
        sender=__name__, credentials={"username": user.get_username()}, request=request
    )
    if request is not None:
        from xiaoan.accounts.throttling import count_address_failure

        count_address_failure(request)  # guessing from one address counts as for passwords
    raise refused(_("验证码不正确或已使用。"))


def recovery_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def regenerate_recovery_codes(user: User, code: str, request: Any = None) -> list[str]:
    if not is_enrolled(user):
        raise Conflict(_("尚未启用双因素认证。"))
    verify_code(user, code, request)
    with transaction.atomic():
        audit(AuditAction.MFA, actor=user, obj=user, detail={"step": "new_recovery_codes"})
        return _new_recovery_codes(user)


def _remove_devices(user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def disable(user: User, code: str, request: Any = None) -> None:
    """Switch the second factor off (only for those not required to use it)."""
    if mfa_required(user):
        raise Forbidden(_("您的角色要求双因素认证，不能停用。"))
    if not is_enrolled(user):
        raise Conflict(_("尚未启用双因素认证。"))
    verify_code(user, code, request)
    with transaction.atomic():
        _remove_devices(user)
        audit(AuditAction.MFA, actor=user, obj=user, detail={"step": "disable"})


@transaction.atomic
def reset_mfa(actor: Any, user: User | int) -> User:
    from xiaoan.accounts.authority import check_may_manage

    """An account manager removes someone's second factor (lost phone): they enrol again at
    their next login if their role requires it. The person is told."""
    from xiaoan.notifications.models import Notification
    from xiaoan.notifications.services import notify

    pk = user.pk if isinstance(user, User) else user
    if pk == getattr(actor, "pk", None):
        raise Forbidden(_("不能重置自己的双因素认证；请在“双因素认证”页面自行管理。"))
    target = get_scoped(actor, User, pk, "view")
    # The same rule as a password reset: only someone who could manage the person, never a
    # platform administrator (the console can: `xiaoan mfa-reset`).
    check_may_manage(actor, target, "reset")
    get_scoped(actor, User, pk, "change")
    _remove_devices(target)
    audit(AuditAction.MFA, actor=actor, obj=target, detail={"step": "reset"})
    notify(
        [target],
        Notification.Kind.SECURITY,
        _("您的双因素认证已被重置"),
        _("%(actor)s 重置了您的双因素认证（动态验证码）。如需使用，请重新绑定验证器。")
        % {"actor": getattr(actor, "display_name", str(actor))},
    )
    return target


def reset_from_console(user: User) -> None:
    """`xiaoan mfa-reset USERNAME`: for platform administrators, whom nobody else resets."""
    with transaction.atomic():
        _remove_devices(user)
        audit(AuditAction.MFA, actor=None, obj=user, detail={"step": "reset", "console": True})
