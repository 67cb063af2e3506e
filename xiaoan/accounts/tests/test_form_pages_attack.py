"""Every people-and-access page on the generic layer, attacked by POST: another unit's
person is 404, a person one may see but not manage is 403, a submission the service refuses
is 400 with what was typed still in the form; and nothing changes in any of these cases."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xiaoan.accounts.models import ApiToken, Role, RoleAssignment, User
from xiaoan.audit.models import AuditEntry


def _user_data(user: User, **changes) -> dict:
    data = {
        "name": user.name,
        "mobile": user.mobile or "",
        "email": user.email,
        "unit": user.unit_id or "",
        "position": user.position,
        "is_active": "on",
    }
    return {**data, **changes}


def _state(username: str) -> tuple:
    user = User.objects.get(username=username)
    assignments = sorted(RoleAssignment.objects.filter(user=user).values_list("pk", flat=True))
    return user.name, user.password, user.is_active, assignments


# ------------------------------------------------------------------ 404 and 403


@pytest.mark.parametrize(
    ("page", "target", "status"),
    [
        ("accounts:user_change", "uni_security", 404),  # another unit's person
        ("accounts:user_change", "district_head", 404),  # above the officer's school
        ("accounts:user_change", "school_a_head", 403),  # visible, holds more than the officer
        ("accounts:user_password", "uni_security", 404),
        ("accounts:user_password", "school_a_head", 403),
        ("accounts:roleassignment_add", "uni_security", 404),
        ("accounts:roleassignment_add", "school_a_head", 403),
        ("accounts:user_mfa_reset", "uni_security", 404),
        ("accounts:user_mfa_reset", "school_a_head", 403),
    ],
)
def test_it_refuses_a_post_about_a_person_not_ones_own(persona, client_for, page, target, status):
    client = client_for("school_a_officer")
    person = persona(target)
    before = _state(target)
    audits = AuditEntry.objects.count()
    data = {
        **_user_data(person, name="被改的名字"),
        "role": Role.objects.get(code="reporter").pk,
        "unit": persona("school_a_officer").unit_id,
    }
    response = client.post(reverse(page, args=[person.pk]), data)
    assert response.status_code == status
    assert _state(target) == before
    assert AuditEntry.objects.count() == audits


@pytest.mark.parametrize(("target", "status"), [("uni_security", 404), ("school_a_head", 403)])
def test_it_refuses_to_revoke_a_grant_not_ones_own(persona, client_for, target, status):
    assignment = RoleAssignment.objects.filter(user__username=target).first()
    response = client_for("school_a_officer").post(
        reverse("accounts:roleassignment_delete", args=[assignment.pk])
    )
    assert response.status_code == status
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_it_refuses_role_pages_to_those_without_the_right_and_hides_missing_roles(
    client_for,
):
    role = Role.objects.get(code="reporter")
    officer = client_for("district_officer")
    data = {"code": "x", "name": "x", "require_mfa": "on"}
    assert officer.post(reverse("accounts:role_change", args=[role.pk]), data).status_code == 403
    assert officer.post(reverse("accounts:role_add"), data).status_code == 403
    assert officer.post(reverse("accounts:role_mfa", args=[role.pk]), data).status_code == 403
    secadmin = client_for("secadmin")
    assert secadmin.post(reverse("accounts:role_change", args=[999999]), data).status_code == 404
    assert secadmin.post(reverse("accounts:role_mfa", args=[999999]), data).status_code == 404
    role.refresh_from_db()
    assert not role.require_mfa and not Role.objects.filter(code="x").exists()


def test_it_answers_404_for_someone_elses_token(persona, client_for):
    from xiaoan.accounts import tokens

    token, _key = tokens.create_token(persona("school_a_head"), "theirs")
    response = client_for("school_a_officer").post(
        reverse("accounts:token_revoke", args=[token.pk])
    )
    assert response.status_code == 404
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


# ------------------------------------------------------------------ 400 with what was typed


def test_it_keeps_what_was_typed_when_an_account_edit_is_refused(persona, client_for):
    """A mobile number someone else has (the service's refusal) → 400, the form again."""
    owner = persona("school_a_owner")
    taken = persona("school_a_head").mobile
    data = _user_data(owner, name="新名字甲", mobile=taken, position="新职务乙")
    response = client_for("school_a_officer").post(
        reverse("accounts:user_change", args=[owner.pk]), data
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "已被使用" in content
    assert "新名字甲" in content and "新职务乙" in content
    assert response.context["record"] == owner
    assert User.objects.get(pk=owner.pk).name == owner.name


def test_it_keeps_what_was_typed_when_a_new_account_is_refused(persona, client_for):
    officer = persona("school_a_officer")
    before = User.objects.count()
    taken = persona("school_a_head").mobile  # refused by the service, not the form
    data = {
        "username": "new_person_y",
        "name": "重号的人",
        "mobile": taken,
        "unit": officer.unit_id,
    }
    response = client_for("school_a_officer").post(reverse("accounts:user_add"), data)
    assert response.status_code == 400
    assert "已被使用" in response.content.decode()
    assert "重号的人" in response.content.decode()
    # another unit's id in the form: refused on the field, the rest kept
    uni = persona("uni_security").unit_id
    data = {"username": "new_person_x", "name": "外单位的人", "unit": uni}
    response = client_for("school_a_officer").post(reverse("accounts:user_add"), data)
    assert response.status_code == 400
    assert response.context["form"].errors["unit"]
    assert "new_person_x" in response.content.decode()
    assert User.objects.count() == before


def test_it_keeps_the_choice_when_a_grant_is_refused(persona, client_for):
    """The same role at the same unit again (a stale page) → 400 on the person's page."""
    owner = persona("school_a_owner")
    held = RoleAssignment.objects.filter(user=owner).first()
    before = RoleAssignment.objects.count()
    response = client_for("school_a_officer").post(
        reverse("accounts:roleassignment_add", args=[owner.pk]),
        {"role": held.role_id, "unit": held.unit_id},
    )
    assert response.status_code == 400
    assert "已有这个角色" in response.content.decode()
    form = response.context["assignment_form"]
    assert form["role"].value() == str(held.role_id) and form["unit"].value() == str(held.unit_id)
    assert response.context["object"] == owner
    assert RoleAssignment.objects.count() == before


def test_it_refuses_a_wrong_current_password_with_400_and_keeps_the_old_one(persona, client_for):
    before = persona("school_a_officer").password
    response = client_for("school_a_officer").post(
        reverse("accounts:my_password"),
        {"old_password": "wrong-one", "password": "Quite$Long2027x", "confirm": "Quite$Long2027x"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["old_password"] == ["当前密码不正确。"]
    # typed passwords are kept in the bound form but never written back into the page
    assert "Quite$Long2027x" not in response.content.decode()
    assert persona("school_a_officer").password == before


def test_it_keeps_what_was_typed_when_a_role_is_refused(client_for):
    secadmin = client_for("secadmin")
    data = {"code": "unit_head", "name": "重复代码的角色", "permissions": ["orgs.view_unit"]}
    response = secadmin.post(reverse("accounts:role_add"), data)
    assert response.status_code == 400
    assert response.context["form"].errors["code"]
    assert "重复代码的角色" in response.content.decode()
    builtin = Role.objects.get(code="reporter")
    data = {"code": "reporter", "name": "改过的内置角色"}
    response = secadmin.post(reverse("accounts:role_change", args=[builtin.pk]), data)
    assert response.status_code == 400
    assert "内置角色由系统维护" in response.content.decode()
    assert "改过的内置角色" in response.content.decode()
    assert Role.objects.get(pk=builtin.pk).name != "改过的内置角色"


def test_it_brings_a_refused_role_switch_back_as_a_message(client_for):
    platform = Role.objects.filter(is_platform=True).first()
    response = client_for("secadmin").post(reverse("accounts:role_mfa", args=[platform.pk]), {})
    assert response.status_code == 302
    assert Role.objects.get(pk=platform.pk).require_mfa
    page = client_for("secadmin").get(reverse("accounts:role_list"))
    assert page.status_code == 200


def test_it_keeps_the_typed_code_when_enrolment_is_refused(client_for):
    response = client_for("school_a_officer").post(
        reverse("accounts:mfa_setup"), {"code": "123 000"}
    )
    assert response.status_code == 400
    assert "验证码不正确" in response.content.decode()
    assert 'value="123 000"' in response.content.decode()
    assert response.context["secret"]


def test_it_keeps_the_typed_token_name_when_it_is_refused(client_for):
    name = "名" * 101
    response = client_for("school_a_officer").post(reverse("accounts:token_list"), {"name": name})
    assert response.status_code == 400
    assert name in response.content.decode()
    assert not ApiToken.objects.filter(name=name).exists()


# ------------------------------------------------------------------ the re-check after write


def _rechecked(monkeypatch, module) -> list:
    """Make the service's re-check refuse, as for a write that left the actor's scope."""
    from xiaoan.core.errors import Forbidden

    calls: list = []

    def refuse(user, obj, action="change"):
        calls.append((type(obj).__name__, action))
        raise Forbidden("out of scope after the write")

    monkeypatch.setattr(module, "ensure_in_scope", refuse)
    return calls


@pytest.mark.parametrize("operation", ["create_user", "update_user", "grant_role"])
def test_it_rolls_back_an_account_write_the_recheck_refuses(persona, monkeypatch, operation):
    from xiaoan.accounts import services
    from xiaoan.core.errors import Forbidden

    officer, owner = persona("school_a_officer"), persona("school_a_owner")
    before = (
        User.objects.count(),
        User.objects.get(pk=owner.pk).name,
        RoleAssignment.objects.count(),
        AuditEntry.objects.count(),
    )
    calls = _rechecked(monkeypatch, services)
    run = {
        "create_user": lambda: services.create_user(
            officer, {"username": "recheck_x", "name": "复核", "unit": officer.unit}
        ),
        "update_user": lambda: services.update_user(officer, owner.pk, {"name": "复核"}),
        "grant_role": lambda: services.grant_role(
            officer, owner.pk, Role.objects.get(code="reporter"), officer.unit, False
        ),
    }[operation]
    with pytest.raises(Forbidden):
        run()
    assert calls
    after = (
        User.objects.count(),
        User.objects.get(pk=owner.pk).name,
        RoleAssignment.objects.count(),
        AuditEntry.objects.count(),
    )
    assert after == before
