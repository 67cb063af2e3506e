"""Unit names are stored normalised, and a name that reads like another unit's where the two
would be confused is refused (rule: xiaoan.orgs.services.lookalike_of)."""

from __future__ import annotations

import pytest

from xiaoan.core.errors import Invalid
from xiaoan.orgs import services
from xiaoan.orgs.importer import import_units
from xiaoan.orgs.models import Unit
from xiaoan.orgs.tests.sheets import xlsx

pytestmark = pytest.mark.django_db

DISTRICT = "梁子湖区教育局"
SCHOOL = {"kind": "school", "school_type": "primary"}


def test_it_stores_a_new_units_name_normalised(persona, units):
    unit = services.create_unit(
        persona("district_officer"),
        units[DISTRICT],
        {"name": "  梁子湖区\u200b第四中学\u3000（新校区） ", **SCHOOL},
    )
    assert Unit.objects.get(pk=unit.pk).name == "梁子湖区第四中学 (新校区)"


def test_it_stores_a_renamed_units_name_normalised(persona, units):
    school = units["东沟镇中心小学"]
    services.update_unit(persona("district_officer"), school, {"name": "东沟镇\ufeff中心小学 "})
    assert Unit.objects.get(pk=school.pk).name == "东沟镇中心小学"


@pytest.mark.parametrize(
    "name",
    [
        "东沟镇中心小学\u200b",  # zero-width space
        "东沟镇 中心小学",  # a space
        "东沟镇中心小学　",  # ideographic space
    ],
)
def test_it_refuses_a_look_alike_of_a_sibling(persona, units, name):
    with pytest.raises(Invalid) as refused:
        services.create_unit(persona("district_officer"), units[DISTRICT], {"name": name, **SCHOOL})
    assert "东沟镇中心小学" in str(refused.value.message)


def test_it_refuses_a_latin_name_spelled_with_cyrillic_letters(persona, units):
    officer = persona("district_officer")
    services.create_unit(officer, units[DISTRICT], {"name": "Sunshine School", **SCHOOL})
    with pytest.raises(Invalid) as refused:
        services.create_unit(officer, units[DISTRICT], {"name": "Sunshinе Sсhool", **SCHOOL})
    assert "看起来相同" in str(refused.value.message)
    assert refused.value.fields == {"name": ["与已有单位名称相同或相近。"]}


def test_it_refuses_a_school_alike_to_one_under_a_subordinate_authority(persona, units):
    officer = persona("district_officer")
    town = services.create_unit(
        officer, units[DISTRICT], {"name": "梧桐湖教育办", "kind": "authority"}
    )
    services.create_unit(officer, town, {"name": "梧桐湖小学", **SCHOOL})
    # The district's own school next to the town's: one district, two schools read alike.
    with pytest.raises(Invalid) as refused:
        services.create_unit(officer, units[DISTRICT], {"name": "梧桐湖小学", **SCHOOL})
    assert str(refused.value.message) == "同一教育行政部门下已有名为“梧桐湖小学”的学校。"
    # And the other way round: a town school named like a school directly under the district.
    with pytest.raises(Invalid):
        services.create_unit(officer, town, {"name": "东沟镇中心小学", **SCHOOL})


def test_it_allows_the_same_department_name_in_two_schools(persona, units):
    # Every school has its 教务处: departments are compared with their siblings only.
    head = persona("district_officer")
    made = services.create_unit(
        head, units["东沟镇中心小学"], {"name": "教务处", "kind": "department"}
    )
    assert made.name == "教务处"


def test_it_refuses_renaming_to_a_look_alike(persona, units):
    with pytest.raises(Invalid):
        services.update_unit(
            persona("district_officer"), units["涂家垴镇中心小学"], {"name": "东沟镇中心小学\u2060"}
        )
    assert Unit.objects.get(pk=units["涂家垴镇中心小学"].pk).name == "涂家垴镇中心小学"


def test_it_keeps_a_units_own_name_on_edit(persona, units):
    school = units["东沟镇中心小学"]
    services.update_unit(persona("district_officer"), school, {"name": "东沟镇中心小学"})


def test_it_refuses_in_the_api_with_the_structured_error(api_for, units):
    response = api_for("district_officer").post(
        "/api/units/",
        {"parent": units[DISTRICT].pk, "name": "东沟镇中心小学\u200d", **SCHOOL},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"name": ["名称重复。"]}


def test_it_imports_a_name_with_invisible_characters_as_the_existing_unit(persona, units):
    before = Unit.objects.count()
    result = import_units(
        persona("district_officer"),
        xlsx([["东沟镇\u200b中心小学", "小学", "梁子湖区\ufeff教育局", "", 990, "否", "", 62]]),
    )
    assert result.ok, result.errors
    assert (result.created, result.updated) == (0, 1)
    assert Unit.objects.count() == before
    assert Unit.objects.get(pk=units["东沟镇中心小学"].pk).enrolment == 990


def test_it_refuses_importing_a_look_alike_of_an_existing_school(persona, units):
    result = import_units(
        persona("district_officer"),
        xlsx([["Sunshinе Sсhool", "小学", "梁子湖区教育局", "", 100, "否", "", 10]]),
    )
    assert result.ok
    result = import_units(
        persona("district_officer"),
        xlsx([["Sunshine School", "小学", "梁子湖区教育局", "", 100, "否", "", 10]]),
    )
    assert not result.ok
    assert "看起来相同" in result.errors[0].message


def test_it_refuses_two_look_alike_rows_of_one_sheet(persona, units):
    result = import_units(
        persona("district_officer"),
        xlsx(
            [
                ["阳光小学", "小学", "梁子湖区教育局", "", 100, "否", "", 10],
                ["阳光小学 ", "小学", "梁子湖区教育局", "", 100, "否", "", 10],
                ["阳光 小学", "小学", "梁子湖区教育局", "", 100, "否", "", 10],
            ]
        ),
    )
    assert [e.row for e in result.errors] == [3, 4]
    assert "看起来相同" in result.errors[1].message
