"""`restrict(user, action)`, the one choke point: a person sees the units (and the records of
units) where one of their assignments grants the permission — with or without the subtree,
platform roles everywhere, nobody else anything."""

from __future__ import annotations

import pytest

from xiaoan.accounts.models import Role, RoleAssignment, User
from xiaoan.core.scoping import forget_grants, grants_for, has_permission_anywhere
from xiaoan.orgs.models import Unit

DISTRICT_SCHOOLS = 12


def names(queryset) -> set[str]:
    return set(queryset.values_list("name", flat=True))


def test_it_gives_a_subtree_grant_the_whole_subtree(persona, demo):
    units = Unit.objects.restrict(persona("district_officer"))
    assert "梁子湖区教育局" in names(units) and "总务处" in names(units)
    assert units.filter(kind="school").count() == DISTRICT_SCHOOLS
    assert not names(units) & {"鄂州市教育局", "鄂州职业大学", "保卫处"}


def test_it_gives_a_grant_without_subtree_the_unit_alone(persona):
    assert names(Unit.objects.restrict(persona("school_b_teacher"))) == {"东沟镇中心小学"}


def test_it_gives_platform_roles_everything(persona):
    assert Unit.objects.restrict(persona("auditadmin")).count() == Unit.objects.count()
    assert User.objects.restrict(persona("secadmin")).count() == User.objects.count()


def test_it_gives_nobody_anything_without_assignments(persona):
    expert = persona("expert")
    assert not Unit.objects.restrict(expert).exists()
    assert not User.objects.restrict(expert).exists()
    assert grants_for(expert) == []


def test_it_filters_by_action(persona, demo):
    supervisor = persona("district_supervisor")
    assert Unit.objects.restrict(supervisor, "view").count() > 1
    assert not Unit.objects.restrict(supervisor, "change").exists()
    assert User.objects.restrict(supervisor, "view").filter(username="school_a_head").exists()
    assert not User.objects.restrict(supervisor, "change").exists()


def test_it_scopes_role_assignments_by_their_unit(persona):
    seen = RoleAssignment.objects.restrict(persona("school_a_officer"))
    assert set(seen.values_list("user__username", flat=True)) == {
        "school_a_head",
        "school_a_officer",
        "school_a_owner",
    }
    assert (
        not RoleAssignment.objects.restrict(persona("district_officer"))
        .filter(unit__isnull=True)
        .exists()
    )


def test_it_combines_several_assignments(persona, demo):
    teacher = persona("school_b_teacher")
    RoleAssignment.objects.create(
        user=teacher, role=Role.objects.get(code="inspector"), unit=demo["鄂州职业大学"]
    )
    forget_grants(teacher)
    seen = names(Unit.objects.restrict(teacher))
    assert {"东沟镇中心小学", "鄂州职业大学", "保卫处"} <= seen
    assert "梁子湖区教育局" not in seen


def test_it_ignores_inactive_roles_and_inactive_people(persona):
    Role.objects.filter(code="reporter").update(is_active=False)
    assert not Unit.objects.restrict(persona("school_b_teacher")).exists()
    officer = persona("district_officer")
    officer.is_active = False
    forget_grants(officer)
    assert not Unit.objects.restrict(officer).exists()
    assert not has_permission_anywhere(officer, "orgs.view_unit")


def test_it_loads_grants_once_per_user_object(persona, django_assert_num_queries):
    officer = persona("district_officer")
    with django_assert_num_queries(1):
        grants_for(officer)
        grants_for(officer)
        has_permission_anywhere(officer, "accounts.view_user")


@pytest.mark.parametrize("who", ["district_officer", "school_a_officer", "secadmin"])
def test_it_agrees_with_has_perm_for_single_objects(who, persona, demo):
    user = persona(who)
    visible = set(Unit.objects.restrict(user).values_list("pk", flat=True))
    for unit in Unit.objects.all():
        assert user.has_perm("orgs.view_unit", unit) == (unit.pk in visible), unit.name
