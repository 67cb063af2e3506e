"""Place pages: a unit's places as a tree, created and edited inside one's scope; a parent
place must belong to the same unit, and a place cannot be put inside itself."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xiaoan.core.errors import Forbidden, Invalid, NotFound
from xiaoan.orgs import place_services
from xiaoan.orgs.models import Place


@pytest.fixture
def school(units):
    return units["梁子湖高级中学"]


def add_url(unit):
    return f"{reverse('orgs:place_add')}?unit={unit.pk}"


def test_it_creates_and_lists_places_as_a_tree(school, client_for):
    client = client_for("school_a_officer")
    response = client.post(
        add_url(school),
        {"kind": "building", "name": "三号宿舍楼", "use": "dormitory", "is_active": "on"},
    )
    assert response.status_code == 302
    building = Place.objects.get(unit=school, name="三号宿舍楼")
    assert building.history.first().history_user.username == "school_a_officer"
    client.post(
        add_url(school), {"kind": "floor", "name": "一层", "parent": building.pk, "is_active": "on"}
    )
    client.post(add_url(school), {"kind": "area", "name": "操场", "is_active": "on"})
    floor = Place.objects.get(unit=school, name="一层")
    assert floor.parent == building
    page = client.get(reverse("orgs:place_list"), {"unit": school.pk})
    names = [p.name for p in page.context["places"]]
    assert names == ["三号宿舍楼", "一层", "操场"]
    assert [p.indent for p in page.context["places"]] == [0, 1, 0]
    content = page.content.decode()
    assert reverse("orgs:place_change", args=[floor.pk]) in content
    # The 随手拍 page now offers the school's places.
    report = client.get(reverse("hazards:hazard_report")).content.decode()
    assert "三号宿舍楼 / 一层" in report


def test_it_refuses_a_duplicate_name_under_one_parent(school, client_for):
    client = client_for("school_a_officer")
    body = {"kind": "building", "name": "图书馆", "is_active": "on"}
    assert client.post(add_url(school), body).status_code == 302
    response = client.post(add_url(school), body)
    assert response.status_code == 400
    assert "已有名为“图书馆”的场所" in response.content.decode()
    assert Place.objects.filter(unit=school, name="图书馆").count() == 1


def test_it_edits_a_place_but_not_into_itself(school, client_for):
    building = Place.objects.create(unit=school, kind="building", name="实验楼")
    floor = Place.objects.create(unit=school, kind="floor", name="二层", parent=building)
    client = client_for("district_officer")
    url = reverse("orgs:place_change", args=[building.pk])
    page = client.get(url).content.decode()
    start = page.index('name="parent"')
    assert "实验楼 / 二层" not in page[start : page.index("</select>", start)]
    response = client.post(url, {"kind": "building", "name": "化学实验楼", "parent": floor.pk})
    assert response.status_code == 400  # not one of the offered parents
    response = client.post(
        url, {"kind": "building", "name": "化学实验楼", "use": "lab", "is_active": "on"}
    )
    assert response.status_code == 302
    building.refresh_from_db()
    assert building.name == "化学实验楼" and building.use == "lab"


def test_the_service_keeps_parents_in_the_unit_and_the_scope(units, school, persona):
    officer = persona("school_a_officer")
    other = Place.objects.create(unit=units["东沟镇中心小学"], kind="building", name="教学楼")
    with pytest.raises(Invalid):
        place_services.create_place(
            officer, school, {"kind": "room", "name": "101", "parent": other}
        )
    with pytest.raises(NotFound):
        place_services.create_place(officer, units["东沟镇中心小学"], {"kind": "area", "name": "x"})
    with pytest.raises(Forbidden):
        place_services.create_place(
            persona("school_b_teacher"), units["东沟镇中心小学"], {"kind": "area", "name": "x"}
        )
    with pytest.raises(NotFound):
        place_services.update_place(officer, other.pk, {"name": "改名"})
    building = place_services.create_place(officer, school, {"kind": "building", "name": "A楼"})
    room = place_services.create_place(
        officer, school, {"kind": "room", "name": "1", "parent": building}
    )
    with pytest.raises(Invalid):
        place_services.update_place(officer, building.pk, {"parent": room})
    with pytest.raises(Invalid):
        place_services.create_place(officer, school, {"kind": "nonsense", "name": "B楼"})
    assert not Place.objects.filter(name="B楼").exists()
