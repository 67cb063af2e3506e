"""Every unit and place form page on the generic layer, attacked: another unit's id is 404,
a record one may see but not change is 403, a submission the service refuses is 400 with
what was typed still in the form, and nothing is written in any of these cases."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xiaoan.orgs.models import Place, Unit


@pytest.fixture
def officer(units, client_for):
    """school_a_officer manages School A and is a reporter (view only) at 东沟镇中心小学."""
    from xiaoan.accounts.models import Role, RoleAssignment, User

    RoleAssignment.objects.create(
        user=User.objects.get(username="school_a_officer"),
        role=Role.objects.get(code="reporter"),
        unit=units["东沟镇中心小学"],
        include_descendants=False,
    )
    return client_for("school_a_officer")


@pytest.fixture
def places(units):
    def make(unit_name: str, name: str) -> Place:
        return Place.objects.create(unit=units[unit_name], kind="building", name=name)

    return {
        "a": make("梁子湖高级中学", "一号教学楼"),
        "a2": make("梁子湖高级中学", "二号教学楼"),
        "b": make("东沟镇中心小学", "综合楼"),
        "uni": make("鄂州职业大学", "图书馆大楼"),
    }


def _unit_data(unit: Unit, **changes) -> dict:
    data = {
        "name": unit.name,
        "kind": unit.kind,
        "school_type": unit.school_type,
        "code": unit.code,
        "aliases": unit.aliases,
        "enrolment": unit.enrolment or "",
        "boarding_students": unit.boarding_students or "",
        "staff_count": unit.staff_count or "",
        "address": unit.address,
        "phone": unit.phone,
        "is_active": "on",
        **({"boarding": "on"} if unit.boarding else {}),
    }
    return {**data, **changes}


def _names(units) -> dict:
    return dict(Unit.objects.values_list("pk", "name"))


# ------------------------------------------------------------------ 404 and 403


@pytest.mark.parametrize(
    ("page", "unit_name", "status"),
    [
        ("orgs:unit_change", "鄂州职业大学", 404),  # another unit's id
        ("orgs:unit_change", "梁子湖区教育局", 404),
        ("orgs:unit_change", "东沟镇中心小学", 403),  # visible, not the officer's to change
        ("orgs:unit_move", "鄂州职业大学", 404),
        ("orgs:unit_move", "东沟镇中心小学", 403),
    ],
)
def test_it_refuses_a_unit_form_post_for_a_unit_not_ones_own(
    units, officer, page, unit_name, status
):
    unit = units[unit_name]
    before = _names(units)
    data = {**_unit_data(unit, name="被改的名字"), "parent": units["梁子湖高级中学"].pk}
    response = officer.post(reverse(page, args=[unit.pk]), data)
    assert response.status_code == status
    assert _names(units) == before
    assert Unit.objects.get(pk=unit.pk).path == unit.path


@pytest.mark.parametrize(
    ("place_key", "status"),
    [("uni", 404), ("b", 403)],
)
def test_it_refuses_a_place_edit_for_a_place_not_ones_own(officer, places, place_key, status):
    place = places[place_key]
    url = reverse("orgs:place_change", args=[place.pk])
    assert officer.get(url).status_code == status
    response = officer.post(url, {"kind": "building", "name": "被改的名字", "is_active": "on"})
    assert response.status_code == status
    place.refresh_from_db()
    assert place.name != "被改的名字"


@pytest.mark.parametrize(
    ("unit_name", "status"),
    [("鄂州职业大学", 404), ("东沟镇中心小学", 403)],
)
def test_it_refuses_to_add_a_place_to_a_unit_not_ones_own(
    units, officer, places, unit_name, status
):
    url = f"{reverse('orgs:place_add')}?unit={units[unit_name].pk}"
    response = officer.post(url, {"kind": "building", "name": "新楼", "is_active": "on"})
    assert response.status_code == status
    assert not Place.objects.filter(name="新楼").exists()


# ------------------------------------------------------------------ 400 with what was typed


def test_it_keeps_what_was_typed_when_a_unit_edit_is_refused(units, officer):
    """A name that reads like a sibling's (the service's refusal) → 400, the form again."""
    dept = units["总务处"]
    data = _unit_data(dept, name="政教处", address="新的地址一号")
    response = officer.post(reverse("orgs:unit_change", args=[dept.pk]), data)
    assert response.status_code == 400
    content = response.content.decode()
    assert "新的地址一号" in content
    assert response.context["form"].errors
    dept.refresh_from_db()
    assert dept.name == "总务处" and dept.address != "新的地址一号"


def test_it_keeps_what_was_typed_when_a_new_unit_is_refused(units, officer):
    school = units["梁子湖高级中学"]
    before = Unit.objects.count()
    data = {
        **_unit_data(units["总务处"], name="教务处", address="新的地址二号"),
        "parent": school.pk,
    }
    response = officer.post(reverse("orgs:unit_add"), data)
    assert response.status_code == 400
    assert "新的地址二号" in response.content.decode()
    assert response.context["creating"] is True
    assert Unit.objects.count() == before


def test_it_keeps_the_choice_when_a_move_is_refused(units, client_for):
    """Moving a school under one of its own departments (a stale or forged choice) → 400."""
    district = client_for("district_officer")
    school = units["梁子湖高级中学"]
    response = district.post(
        reverse("orgs:unit_move", args=[school.pk]), {"parent": units["总务处"].pk}
    )
    assert response.status_code == 400
    assert Unit.objects.get(pk=school.pk).path == school.path


def test_it_keeps_what_was_typed_when_a_place_is_refused(officer, places):
    """A second place of the same name under one parent: 400, the typed values still there."""
    url = f"{reverse('orgs:place_add')}?unit={places['a'].unit_id}"
    response = officer.post(url, {"kind": "room", "name": "一号教学楼", "is_active": "on"})
    assert response.status_code == 400
    assert "同一位置下已有" in response.content.decode()
    assert response.context["form"]["kind"].value() == "room"
    assert Place.objects.filter(name="一号教学楼").count() == 1

    edit = reverse("orgs:place_change", args=[places["a2"].pk])
    response = officer.post(edit, {"kind": "area", "name": "一号教学楼", "is_active": "on"})
    assert response.status_code == 400
    assert response.context["form"]["kind"].value() == "area"
    assert response.context["record"] == places["a2"]
    places["a2"].refresh_from_db()
    assert places["a2"].name == "二号教学楼"


def test_it_refuses_an_unreadable_import_with_400_and_writes_nothing(units, officer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = Unit.objects.count()
    upload = SimpleUploadedFile("units.xlsx", b"not a workbook", content_type="application/zip")
    response = officer.post(reverse("orgs:unit_import"), {"file": upload, "dry_run": "on"})
    assert response.status_code == 400
    assert "无法读取该文件" in response.content.decode()
    assert response.context["form"]["dry_run"].value() is True
    assert Unit.objects.count() == before


def test_it_refuses_an_import_over_the_size_limit_on_the_file_field(units, officer, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.XIAOAN_IMPORT_MAX_BYTES = 10
    upload = SimpleUploadedFile("units.xlsx", b"x" * 11)
    response = officer.post(reverse("orgs:unit_import"), {"file": upload})
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == ["文件太大。"]


# ------------------------------------------------------------------ the re-check after write


@pytest.mark.parametrize(
    "operation", ["create_unit", "update_unit", "move_unit", "create_place", "update_place"]
)
def test_it_rolls_back_a_unit_or_place_write_the_recheck_refuses(
    units, places, persona, monkeypatch, operation
):
    from xiaoan.core.errors import Forbidden
    from xiaoan.orgs import place_services, services

    calls: list = []

    def refuse(user, obj, action="change"):
        calls.append((type(obj).__name__, action))
        raise Forbidden("out of scope after the write")

    monkeypatch.setattr(services, "ensure_in_scope", refuse)
    monkeypatch.setattr(place_services, "ensure_in_scope", refuse)
    district, school, dept = persona("district_officer"), units["梁子湖高级中学"], units["总务处"]
    before = (
        sorted(Unit.objects.values_list("pk", "name", "path")),
        sorted(Place.objects.values_list("pk", "name", "kind")),
    )
    run = {
        "create_unit": lambda: services.create_unit(
            district, school, {"name": "复核处", "kind": dept.kind}
        ),
        "update_unit": lambda: services.update_unit(district, dept.pk, {"name": "复核处"}),
        "move_unit": lambda: services.move_unit(district, dept, units["太和镇中心学校"]),
        "create_place": lambda: place_services.create_place(
            district, school, {"kind": "building", "name": "复核楼"}
        ),
        "update_place": lambda: place_services.update_place(
            district, places["a"].pk, {"name": "复核楼"}
        ),
    }[operation]
    with pytest.raises(Forbidden):
        run()
    assert calls
    after = (
        sorted(Unit.objects.values_list("pk", "name", "path")),
        sorted(Place.objects.values_list("pk", "name", "kind")),
    )
    assert after == before
