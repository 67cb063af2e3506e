"""An attack run on account management: every persona tries every account action on every
person and every unit switch-off, through the API, and each answer is checked against an
oracle computed independently — from the scoped querysets (`restrict`), not from the rules
in accounts.authority. A success the oracle forbids is a leak; any 5xx is a failure.

Run with `-s` to see the figures (tried, allowed, refused, leaked, 5xx)."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import transaction

from xiaoan.accounts.models import Role, RoleAssignment, User
from xiaoan.core.scoping import forget_grants
from xiaoan.orgs.models import Unit

PERMS = {
    "mfa-reset": "accounts.change_user",
    "edit": "accounts.change_user",
    "deactivate": "accounts.change_user",
    "reset": "accounts.change_user",
    "grant": "accounts.add_roleassignment",
    "revoke": "accounts.delete_roleassignment",
}


def _units_with(actor, perm: str) -> set[int]:
    return set(Unit.objects.with_permission(actor, perm).values_list("pk", flat=True))


def _everywhere(actor, perm: str) -> bool:
    platform = RoleAssignment.objects.filter(user=actor, unit__isnull=True).select_related("role")
    return any(perm in grant.role.permissions for grant in platform)


def _oracle(actor, target, action: str) -> bool:
    """May `actor` do `action` to `target`? Decided from restrict() alone."""
    if actor.pk == target.pk:
        return False
    if RoleAssignment.objects.filter(user=target, role__is_platform=True).exists():
        return False
    if not User.objects.restrict(actor).filter(pk=target.pk).exists():
        return False
    perm = PERMS[action]
    if action in ("edit", "deactivate", "reset", "mfa-reset"):
        if not User.objects.restrict(actor, "change").filter(pk=target.pk).exists():
            return False
    if _everywhere(actor, perm):
        return True
    if target.unit_id is None or target.unit_id not in _units_with(actor, perm):
        return False
    for grant in RoleAssignment.objects.filter(user=target).select_related("role", "unit"):
        if grant.unit is None:
            return False
        needed = (
            set(Unit.objects.filter(path__startswith=grant.unit.path).values_list("pk", flat=True))
            if grant.include_descendants
            else {grant.unit_id}
        )
        for each in grant.role.permissions:
            if not needed <= _units_with(actor, each):
                return False
    return True


def _unit_oracle(actor, unit: Unit) -> bool:
    if not Unit.objects.restrict(actor, "change").filter(pk=unit.pk).exists():
        return False
    own = [u.path for u in Unit.objects.filter(role_assignments__user=actor)]
    if actor.unit_id:
        own.append(actor.unit.path)
    return not any(path.startswith(unit.path) for path in own)


@pytest.fixture
def people(demo):
    person = User(username="dual_role", name="双岗", unit=demo["梁子湖高级中学"])
    person.set_password("Xiaoan@2026")
    person.save()
    RoleAssignment.objects.create(
        user=person, role=Role.objects.get(code="inspector"), unit=demo["梁子湖区教育局"]
    )
    return list(User.objects.select_related("unit").order_by("username"))


def _attempt(client, action: str, target: User, role: Role):
    if action == "edit":
        return client.patch(f"/api/users/{target.pk}/", {"name": "被改名"}, format="json")
    if action == "deactivate":
        return client.patch(f"/api/users/{target.pk}/", {"is_active": False}, format="json")
    if action == "reset":
        return client.post(f"/api/users/{target.pk}/password/")
    if action == "mfa-reset":
        return client.post(f"/api/users/{target.pk}/mfa-reset/")
    if action == "grant":
        unit = target.unit_id or Unit.objects.order_by("path").values_list("pk", flat=True)[0]
        body = {"user": target.pk, "role": role.pk, "unit": unit, "include_descendants": False}
        return client.post("/api/role-assignments/", body, format="json")
    raise AssertionError(action)


def test_it_lets_nobody_manage_a_person_or_unit_beyond_the_rules(people, api_for):
    role = Role.objects.get(code="reporter")
    figures: Counter = Counter()
    leaks: list = []
    refused_wrongly: list = []
    for actor in people:
        forget_grants(actor)
        client = api_for(actor.username)
        for target in people:
            for action in ("edit", "deactivate", "reset", "mfa-reset", "grant"):
                expected = _oracle(actor, target, action)
                with transaction.atomic():
                    response = _attempt(client, action, target, role)
                    transaction.set_rollback(True)
                forget_grants(actor)
                _count(figures, leaks, refused_wrongly, response, expected, action, actor, target)
            for grant in RoleAssignment.objects.filter(user=target):
                expected = _oracle(actor, target, "revoke")
                with transaction.atomic():
                    response = client.delete(f"/api/role-assignments/{grant.pk}/")
                    transaction.set_rollback(True)
                forget_grants(actor)
                _count(figures, leaks, refused_wrongly, response, expected, "revoke", actor, target)
        for unit in Unit.objects.select_related(None).order_by("path"):
            expected = _unit_oracle(actor, unit)
            with transaction.atomic():
                response = client.patch(
                    f"/api/units/{unit.pk}/", {"is_active": False}, format="json"
                )
                transaction.set_rollback(True)
            forget_grants(actor)
            _count(figures, leaks, refused_wrongly, response, expected, "unit-off", actor, unit)
    print(
        "\nattack run (accounts): tried {tried}, allowed {allowed}, refused {refused}, "
        "leaked {leaked}, 5xx {server}".format(
            tried=figures["tried"],
            allowed=figures["allowed"],
            refused=figures["refused"],
            leaked=len(leaks),
            server=figures["5xx"],
        )
    )
    assert figures["5xx"] == 0
    assert leaks == []
    # Refusals the oracle would allow are only business-rule refusals (a 400/409, e.g. a
    # role already held), never an access rule getting in the way of a legitimate manager.
    assert all(status in (400, 409) for status, *_rest in refused_wrongly), refused_wrongly[:10]
    assert figures["allowed"] > 50 and figures["refused"] > 500


def _count(figures, leaks, refused_wrongly, response, expected, action, actor, target) -> None:
    status = response.status_code
    figures["tried"] += 1
    if status >= 500:
        figures["5xx"] += 1
    elif status < 300:
        figures["allowed"] += 1
        if not expected:
            leaks.append((action, actor.username, str(target), status))
    else:
        figures["refused"] += 1
        if expected:
            refused_wrongly.append((status, action, actor.username, str(target)))


def test_it_keeps_tokens_and_the_audit_trail_to_their_owners(people, api_for, client_for):
    """Every persona tries to list, read and revoke everyone's API tokens and to read and
    export the audit trail; only the owner touches a token, only the audit administrator
    the trail."""
    from xiaoan.accounts.models import ApiToken
    from xiaoan.accounts.tokens import create_token

    tokens = {person.pk: create_token(person, "attack")[0] for person in people}
    figures: Counter = Counter()
    leaks: list = []
    for actor in people:
        client = api_for(actor.username)
        listed = {row["id"] for row in client.get("/api/auth/tokens/").json()}
        figures["tried"] += 1
        if listed - {tokens[actor.pk].pk}:
            leaks.append(("list", actor.username, listed))
        for owner, token in tokens.items():
            with transaction.atomic():
                response = client.delete(f"/api/auth/tokens/{token.pk}/")
                gone = ApiToken.objects.get(pk=token.pk).revoked_at is not None
                transaction.set_rollback(True)
            figures["tried"] += 1
            figures["5xx"] += response.status_code >= 500
            if owner != actor.pk and (response.status_code < 400 or gone):
                leaks.append(("revoke", actor.username, owner))
        pages = client_for(actor.username)
        for path in ("/api/audit/", "/audit/", "/audit/export.xlsx"):
            response = (client if path.startswith("/api/") else pages).get(path)
            figures["tried"] += 1
            figures["5xx"] += response.status_code >= 500
            allowed = actor.username == "auditadmin"
            if (response.status_code == 200) != allowed:
                leaks.append(("audit", actor.username, path, response.status_code))
    print(
        f"\nattack run (tokens, audit): tried {figures['tried']}, leaked {len(leaks)}, "
        f"5xx {figures['5xx']}"
    )
    assert leaks == [] and figures["5xx"] == 0
