"""Managing one's second factor (new recovery codes, switching it off) and an account
manager's reset of someone else's."""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from xiaoan.accounts import mfa
from xiaoan.accounts.tests.helpers import PASSWORD
from xiaoan.accounts.tests.mfa_helpers import code_for
from xiaoan.notifications.models import Notification

MANAGE = "/accounts/mfa/"


@pytest.fixture(autouse=True)
def _no_device_throttling(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def _enrol(user):
    return mfa.confirm_enrolment(user, code_for(mfa.pending_device(user)))


def _needs_code_at_login(username: str) -> bool:
    client = Client()
    client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    return client.get("/").status_code == 302


def test_it_gives_new_recovery_codes_for_a_current_code_and_voids_the_old_ones(persona, client_for):
    device, old = _enrol(persona("district_officer"))
    client = client_for("district_officer")
    assert "剩余 10 个恢复码" in client.get(MANAGE).content.decode()

    refused = client.post(MANAGE, {"action": "recovery", "code": "000000"})
    assert refused.status_code == 400
    assert "验证码不正确" in refused.content.decode()

    response = client.post(MANAGE, {"action": "recovery", "code": code_for(device)})
    assert response.status_code == 200
    new = response.context["codes"]
    assert len(new) == 10 and not set(new) & set(old)
    user = persona("district_officer")
    with pytest.raises(mfa.CodeRefused):
        mfa.verify_code(user, old[0])
    assert isinstance(mfa.verify_code(user, new[0]), StaticDevice)


def test_it_lets_a_volunteer_switch_the_second_factor_off_with_a_current_code(persona, client_for):
    device, _codes = _enrol(persona("district_officer"))
    client = client_for("district_officer")
    assert client.post(MANAGE, {"action": "disable", "code": "000000"}).status_code == 400
    assert mfa.is_enrolled(persona("district_officer"))

    response = client.post(MANAGE, {"action": "disable", "code": code_for(device)})
    assert response.status_code == 302
    assert not mfa.is_enrolled(persona("district_officer"))
    assert not StaticDevice.objects.filter(user__username="district_officer").exists()
    assert client.get("/").status_code == 200
    assert not _needs_code_at_login("district_officer")


def test_it_does_not_let_a_required_person_switch_it_off(persona, client_for):
    device, _codes = _enrol(persona("sysadmin"))
    client = client_for("sysadmin")
    assert "停用双因素认证" not in client.get(MANAGE).content.decode()
    response = client.post(MANAGE, {"action": "disable", "code": code_for(device)})
    assert response.status_code == 400
    assert "不能停用" in response.content.decode()
    assert mfa.is_enrolled(persona("sysadmin"))


def test_it_lets_an_account_manager_reset_someones_second_factor_and_tells_them(
    persona, client_for
):
    owner = persona("school_a_owner")
    _enrol(owner)
    assert _needs_code_at_login("school_a_owner")
    manager = client_for("district_officer")
    url = f"/accounts/users/{owner.pk}/mfa-reset/"
    assert manager.get(url).status_code == 200

    response = manager.post(url)
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=owner).exists()
    assert not StaticDevice.objects.filter(user=owner).exists()
    note = Notification.objects.get(recipient=owner, title="您的双因素认证已被重置")
    assert "刘安全" in note.body
    assert not _needs_code_at_login("school_a_owner")


def test_it_makes_a_required_person_enrol_again_after_a_reset(persona, client_for):
    head = persona("school_a_head")
    from xiaoan.accounts.models import Role

    Role.objects.filter(code="unit_head").update(require_mfa=True)
    _enrol(head)
    session = client_for("school_a_head")
    assert session.get("/").status_code == 200
    mfa.reset_mfa(persona("district_head"), head.pk)
    # the open session loses its verified device at once
    assert session.get("/")["Location"].startswith("/accounts/mfa/setup/")


@pytest.mark.parametrize(
    ("actor", "target", "status"),
    [
        ("school_a_owner", "school_a_owner", 403),  # nobody resets their own
        ("uni_security", "school_a_owner", 404),  # out of scope
        ("school_b_teacher", "school_a_owner", 404),
        ("auditor", "school_a_officer", 403),  # visible, but may not change people
        ("sysadmin", "secadmin", 403),  # 三员分立: another platform administrator
        ("school_a_officer", "school_a_head", 403),  # who may manage whom: not the principal
        ("secadmin", "school_a_head", 403),  # accounts are the system administrator's
    ],
)
def test_it_refuses_a_reset_to_those_who_may_not_make_it(
    actor, target, status, persona, client_for
):
    person = persona(target)
    _enrol(person)
    response = client_for(actor).post(f"/accounts/users/{person.pk}/mfa-reset/")
    assert response.status_code == status
    assert mfa.is_enrolled(person)
    assert not Notification.objects.filter(recipient=person).exists()


def test_it_lets_the_console_reset_an_administrator(persona):
    from django.core.management import call_command

    _enrol(persona("secadmin"))
    call_command("mfa-reset", "secadmin")
    assert not mfa.is_enrolled(persona("secadmin"))


def test_it_writes_second_factor_steps_to_the_audit_trail(persona, client_for):
    from xiaoan.audit.models import AuditEntry

    owner = persona("school_a_owner")
    _device, codes = _enrol(owner)
    mfa.verify_code(owner, codes[0])
    with pytest.raises(mfa.CodeRefused):
        mfa.verify_code(owner, "000000")
    client_for("district_officer").post(f"/accounts/users/{owner.pk}/mfa-reset/")
    entries = AuditEntry.objects.filter(action__in=["mfa", "login_failed"]).order_by("id")
    assert [(e.action, e.detail.get("step"), e.actor_id) for e in entries] == [
        ("mfa", "enrol", owner.pk),
        ("mfa", "recovery_code", owner.pk),
        ("login_failed", None, None),
        ("mfa", "reset", persona("district_officer").pk),
    ]
