"""Second-factor helpers for tests: real TOTP codes computed from a device's key."""

from __future__ import annotations

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from xiaoan.accounts import mfa


def code_for(device: TOTPDevice) -> str:
    """The current code, as the person's authenticator app shows it. The device's record of
    the last used time step is cleared first: each code is accepted once per 30 seconds, and
    a test would otherwise have to wait for the next one."""
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def enrolled_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name=mfa.TOTP_NAME, confirmed=True)


def pass_second_factor(client: Client, user) -> None:
    """For a logged-in test client: when the second factor applies to the person, give them a
    device and mark the session as verified (as the code page does)."""
    if not mfa.mfa_applies(user):
        return
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = enrolled_device(user).persistent_id
    session.save()
