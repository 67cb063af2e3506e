"""Writing the unit tree: creating, editing and moving units through the pages and the API,
and the rules that keep the tree sensible (which kind may sit under which, unique names
among siblings, school facts)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xiaoan.core.errors import Invalid, NotFound
from xiaoan.orgs import services
from xiaoan.orgs.models import Unit
from xiaoan.orgs.tests.test_unit_api import assert_error_shape


def parent_of(unit: Unit) -> Unit | None:
    return Unit.objects.get_parent(Unit.objects.get(pk=unit.pk))


def form_data(**values) -> dict:
    data = {
        "parent": "",
        "name": "",
        "kind": "",
        "school_type": "",
        "code": "",
        "aliases": "",
        "enrolment": "",
        "boarding_students": "",
        "staff_count": "",
        "address": "",
        "phone": "",
        "is_active": "on",
    }
    data.update({k: v for k, v in values.items() if v is not None})
    return data


# --- creating ---------------------------------------------------------------------------


def test_it_creates_a_child_unit_from_the_page(units, client_for):
    school = units["东沟镇中心小学"]
    client = client_for("district_officer")
    assert client.get(reverse("orgs:unit_add"), {"parent": school.pk}).status_code == 200
    response = client.post(
        reverse("orgs:unit_add"),
        form_data(parent=school.pk, name="安全办公室", kind="department", staff_count="3"),
    )
    assert response.status_code == 302
    created = Unit.objects.get(name="安全办公室")
    assert response["Location"] == reverse("orgs:unit_detail", args=[created.pk])
    assert parent_of(created) == school
    assert created.kind == "department" and created.staff_count == 3 and created.is_active
    school.refresh_from_db()
    assert school.numchild == 1
    page = client.get(response["Location"]).content.decode()
    assert "已创建单位“安全办公室”" in page
    assert "东沟镇中心小学" in page  # the breadcrumb names the parent


def test_it_creates_a_school_with_its_facts_from_the_page(units, client_for):
    district = units["梁子湖区教育局"]
    response = client_for("district_officer").post(
        reverse("orgs:unit_add"),
        form_data(
            parent=district.pk,
            name="梁子湖区第二实验小学",
            kind="school",
            school_type="primary",
            enrolment="600",
            boarding="on",
            boarding_students="120",
            staff_count="40",
        ),
    )
    assert response.status_code == 302
    school = Unit.objects.get(name="梁子湖区第二实验小学")
    assert parent_of(school) == district
    assert (school.school_type, school.enrolment, school.boarding, school.boarding_students) == (
        "primary",
        600,
        True,
        120,
    )


def test_it_offers_only_parents_within_the_scope_on_the_add_page(units, client_for):
    response = client_for("school_a_officer").get(reverse("orgs:unit_add"))
    offered = [u.name for u in response.context["form"].fields["parent"].queryset]
    assert offered == ["梁子湖高级中学", "政教处", "总务处", "教务处"]


def test_it_refuses_a_parent_outside_the_scope_on_the_add_page(units, client_for):
    before = Unit.objects.count()
    response = client_for("school_a_officer").post(
        reverse("orgs:unit_add"),
        form_data(parent=units["东沟镇中心小学"].pk, name="少先队", kind="department"),
    )
    assert response.status_code == 400
    assert "parent" in response.context["form"].errors
    assert Unit.objects.count() == before


def test_it_creates_a_child_unit_through_the_api(units, api_for):
    school = units["梁子湖高级中学"]
    response = api_for("school_a_officer").post(
        "/api/units/",
        {"parent": school.pk, "name": "后勤处", "kind": "department", "staff_count": 12},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["parent"] == school.pk
    assert body["depth"] == school.depth + 1
    assert body["kind_display"] == "内设部门/院系"
    created = Unit.objects.get(pk=body["id"])
    assert parent_of(created) == school and created.staff_count == 12


def test_it_clears_the_school_type_of_a_unit_that_is_not_a_school(units, api_for):
    response = api_for("school_a_officer").post(
        "/api/units/",
        {
            "parent": units["梁子湖高级中学"].pk,
            "name": "后勤处",
            "kind": "department",
            "school_type": "primary",
        },
        format="json",
    )
    assert response.status_code == 201
    assert Unit.objects.get(pk=response.json()["id"]).school_type == ""


def test_it_lets_only_the_platform_administrator_create_a_top_level_unit(api_for):
    before = Unit.objects.count()
    response = api_for("district_officer").post(
        "/api/units/", {"parent": None, "name": "黄石市教育局", "kind": "authority"}, format="json"
    )
    assert response.status_code == 403
    assert_error_shape(response.json(), "permission_denied")
    assert "平台系统管理员" in response.json()["error"]["message"]
    assert Unit.objects.count() == before
    response = api_for("sysadmin").post(
        "/api/units/", {"parent": None, "name": "黄石市教育局", "kind": "authority"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["parent"] is None and response.json()["depth"] == 1


def test_it_requires_the_parent_field_in_the_api(api_for):
    response = api_for("district_officer").post(
        "/api/units/", {"name": "应急股", "kind": "section"}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert_error_shape(body, "invalid")
    assert "parent" in body["error"]["fields"]


# --- kind rules ---------------------------------------------------------------------------


def test_it_refuses_a_school_under_a_section_with_a_chinese_message(units, api_for):
    before = Unit.objects.count()
    response = api_for("district_officer").post(
        "/api/units/",
        {
            "parent": units["安全股"].pk,
            "name": "安全股附属小学",
            "kind": "school",
            "school_type": "primary",
        },
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert_error_shape(body, "invalid")
    assert body["error"]["message"] == "股室/处室下不能设立学校。"
    assert body["error"]["fields"] == {"kind": ["该类型不能放在所选上级单位下。"]}
    assert Unit.objects.count() == before


def test_it_does_not_offer_a_section_as_a_parent_on_the_add_page(units, client_for):
    client = client_for("district_officer")
    offered = client.get(reverse("orgs:unit_add")).context["form"].fields["parent"].queryset
    assert units["安全股"] not in offered
    assert units["梁子湖区教育局"] in offered
    before = Unit.objects.count()
    response = client.post(
        reverse("orgs:unit_add"),
        form_data(parent=units["安全股"].pk, name="附属小学", kind="school", school_type="primary"),
    )
    assert response.status_code == 400
    assert Unit.objects.count() == before


def test_it_refuses_a_campus_under_an_authority(units, api_for, client_for):
    before = Unit.objects.count()
    response = api_for("district_officer").post(
        "/api/units/",
        {"parent": units["梁子湖区教育局"].pk, "name": "新校区", "kind": "campus"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "教育行政部门下不能设立校区。"
    assert "kind" in response.json()["error"]["fields"]
    response = client_for("district_officer").post(
        reverse("orgs:unit_add"),
        form_data(parent=units["梁子湖区教育局"].pk, name="新校区", kind="campus"),
    )
    assert response.status_code == 400
    assert "该类型不能放在所选上级单位下。" in response.context["form"].errors["kind"]
    assert "该类型不能放在所选上级单位下。" in response.content.decode()
    assert Unit.objects.count() == before


@pytest.mark.parametrize(
    ("parent_name", "kind", "message"),
    [
        ("梁子湖高级中学", "school", "学校下不能设立学校。"),
        ("梁子湖高级中学", "section", "学校下不能设立股室/处室。"),
        ("梁子湖区教育局", "department", "教育行政部门下不能设立内设部门/院系。"),
        ("葛店校区", "campus", "校区下不能设立校区。"),
        ("总务处", "authority", "内设部门/院系下不能设立教育行政部门。"),
    ],
)
def test_it_applies_the_kind_rules(units, api_for, parent_name, kind, message):
    response = api_for("sysadmin").post(
        "/api/units/",
        {
            "parent": units[parent_name].pk,
            "name": "新单位",
            "kind": kind,
            "school_type": "primary" if kind == "school" else "",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"] == message


def test_it_refuses_a_kind_change_that_strands_the_children(units, api_for):
    school = units["梁子湖高级中学"]
    response = api_for("district_officer").patch(
        f"/api/units/{school.pk}/", {"kind": "authority"}, format="json"
    )
    assert response.status_code == 400
    assert "政教处、总务处、教务处" in response.json()["error"]["message"]
    school.refresh_from_db()
    assert school.kind == "school" and school.school_type == "senior"


# --- names and school facts -------------------------------------------------------------


def test_it_refuses_a_duplicate_name_among_siblings(units, api_for, client_for):
    district = units["梁子湖区教育局"]
    before = Unit.objects.count()
    response = api_for("district_officer").post(
        "/api/units/",
        {
            "parent": district.pk,
            "name": "东沟镇中心小学",
            "kind": "school",
            "school_type": "primary",
        },
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["error"]["message"] == "同一上级单位下已有名为“东沟镇中心小学”的单位。"
    assert body["error"]["fields"] == {"name": ["名称重复。"]}
    response = client_for("district_officer").post(
        reverse("orgs:unit_add"),
        form_data(parent=district.pk, name="安全股", kind="section"),
    )
    assert response.status_code == 400
    assert "名称重复。" in response.context["form"].errors["name"]
    assert Unit.objects.count() == before


def test_it_allows_the_same_name_under_different_parents(units, api_for):
    # 教务处 exists under 鄂州职业大学; another school may have one too.
    response = api_for("district_officer").post(
        "/api/units/",
        {"parent": units["东沟镇中心小学"].pk, "name": "教务处", "kind": "department"},
        format="json",
    )
    assert response.status_code == 201


def test_it_refuses_renaming_a_unit_to_a_siblings_name(units, api_for):
    unit = units["太和镇中心学校"]
    response = api_for("district_officer").patch(
        f"/api/units/{unit.pk}/", {"name": "东沟镇中心小学"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"name": ["名称重复。"]}
    unit.refresh_from_db()
    assert unit.name == "太和镇中心学校"


def test_it_refuses_a_school_without_a_school_type(units, api_for, client_for):
    district = units["梁子湖区教育局"]
    before = Unit.objects.count()
    response = api_for("district_officer").post(
        "/api/units/",
        {"parent": district.pk, "name": "新学校", "kind": "school"},
        format="json",
    )
    assert response.status_code == 400
    assert_error_shape(response.json(), "invalid")
    assert response.json()["error"]["fields"] == {"school_type": ["请选择学校类型。"]}
    response = client_for("district_officer").post(
        reverse("orgs:unit_add"), form_data(parent=district.pk, name="新学校", kind="school")
    )
    assert response.status_code == 400
    assert "请选择学校类型。" in response.content.decode()
    assert Unit.objects.count() == before


def test_it_refuses_more_boarders_than_pupils(units, api_for, client_for):
    school = units["梁子湖高级中学"]  # 1860 pupils, 1500 boarders
    response = api_for("school_a_officer").patch(
        f"/api/units/{school.pk}/", {"boarding_students": 2000}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "boarding_students": ["住宿学生数不能多于在校学生数。"]
    }
    response = api_for("school_a_officer").patch(
        f"/api/units/{school.pk}/", {"enrolment": 1000}, format="json"
    )
    assert response.status_code == 400
    response = api_for("district_officer").post(
        "/api/units/",
        {
            "parent": units["梁子湖区教育局"].pk,
            "name": "新学校",
            "kind": "school",
            "school_type": "junior",
            "enrolment": 100,
            "boarding": True,
            "boarding_students": 101,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "boarding_students" in response.json()["error"]["fields"]
    page = client_for("school_a_officer").post(
        reverse("orgs:unit_change", args=[school.pk]),
        {
            "name": school.name,
            "kind": "school",
            "school_type": "senior",
            "enrolment": "1860",
            "boarding": "on",
            "boarding_students": "1900",
            "staff_count": "168",
            "is_active": "on",
        },
    )
    assert page.status_code == 400
    assert "住宿学生数不能多于在校学生数。" in page.content.decode()
    school.refresh_from_db()
    assert (school.enrolment, school.boarding_students) == (1860, 1500)
    assert school.history.count() == 1


def test_it_refuses_a_negative_number_of_pupils(units, api_for):
    school = units["东沟镇中心小学"]
    response = api_for("district_officer").patch(
        f"/api/units/{school.pk}/", {"enrolment": -5}, format="json"
    )
    assert response.status_code == 400
    assert "enrolment" in response.json()["error"]["fields"]


# --- moving -------------------------------------------------------------------------------


def test_it_moves_a_unit_with_its_subtree_from_the_page(units, client_for, persona):
    dept = units["总务处"]
    target = units["东沟镇中心小学"]
    Unit.objects.add_child(dept, instance=Unit(name="食堂", kind="department"))
    client = client_for("district_officer")
    page = client.get(reverse("orgs:unit_move", args=[dept.pk]))
    offered = page.context["form"].fields["parent"].queryset
    assert target in offered
    assert dept not in offered and Unit.objects.get(name="食堂") not in offered
    response = client.post(reverse("orgs:unit_move", args=[dept.pk]), {"parent": target.pk})
    assert response.status_code == 302
    assert parent_of(dept) == target
    assert parent_of(Unit.objects.get(name="食堂")).name == "总务处"
    assert Unit.objects.get(pk=target.pk).numchild == 1
    assert Unit.objects.get(pk=units["梁子湖高级中学"].pk).numchild == 2
    # 总务处's owner keeps their scope: it moved with the unit.
    assert Unit.objects.restrict(persona("school_a_owner")).filter(pk=dept.pk).exists()


def test_it_refuses_to_move_a_unit_under_its_own_descendant(units, client_for, persona):
    dept = units["政教处"]
    child = Unit.objects.add_child(dept, instance=Unit(name="德育科", kind="department"))
    with pytest.raises(Invalid) as caught:
        services.move_unit(persona("school_a_officer"), dept, child)
    assert str(caught.value.message) == "不能把单位移到它自己或它的下级单位之下。"
    with pytest.raises(Invalid):
        services.move_unit(persona("school_a_officer"), dept, dept)
    response = client_for("school_a_officer").post(
        reverse("orgs:unit_move", args=[dept.pk]), {"parent": child.pk}
    )
    assert response.status_code == 400
    assert "parent" in response.context["form"].errors
    assert Unit.objects.get(pk=dept.pk).path == dept.path
    assert parent_of(child) == dept


def test_it_refuses_to_move_a_unit_to_a_parent_outside_the_scope(units, client_for, persona):
    dept = units["总务处"]
    before = list(Unit.objects.values_list("pk", "path"))
    with pytest.raises(NotFound):
        services.move_unit(persona("school_a_officer"), dept, units["东沟镇中心小学"])
    with pytest.raises(NotFound):
        services.move_unit(persona("district_officer"), dept, units["鄂州职业大学"])
    # The page does not offer it and refuses it the same way as an id that does not exist.
    client = client_for("school_a_officer")
    for target in (units["东沟镇中心小学"].pk, 999999):
        response = client.post(reverse("orgs:unit_move", args=[dept.pk]), {"parent": target})
        assert response.status_code == 400
    assert list(Unit.objects.values_list("pk", "path")) == before


def test_it_refuses_a_move_that_breaks_the_kind_rules(units, persona):
    school = units["东沟镇中心小学"]
    with pytest.raises(Invalid) as caught:
        services.move_unit(persona("district_officer"), school, units["梁子湖高级中学"])
    assert str(caught.value.message) == "学校下不能设立学校。"
    assert parent_of(school) == units["梁子湖区教育局"]


def test_it_refuses_a_move_next_to_a_sibling_of_the_same_name(units, persona):
    # 教务处 of School A cannot join the 教务处 of the university (sysadmin sees both).
    school_a_office = Unit.objects.get_children(units["梁子湖高级中学"]).get(name="教务处")
    with pytest.raises(Invalid) as caught:
        services.move_unit(persona("sysadmin"), school_a_office, units["鄂州职业大学"])
    assert "同一上级单位下已有名为“教务处”的单位" in str(caught.value.message)
