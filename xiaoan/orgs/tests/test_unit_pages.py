"""Who may open which unit page: in scope 200, out of scope 404, no permission 403,
anonymous to the login page. And what the lists show to whom."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from xiaoan.orgs.demo import SCHOOLS
from xiaoan.orgs.models import Unit
from xiaoan.orgs.tests.sheets import GOOD_ROWS, upload, xlsx

LOGIN = "login"

# (page, persona or None for anonymous, unit the page is about or None, expected status)
PAGE_CASES = [
    ("orgs:unit_list", "district_officer", None, 200),
    ("orgs:unit_list", "school_a_officer", None, 200),
    ("orgs:unit_list", "school_b_teacher", None, 200),
    ("orgs:unit_list", "auditor", None, 200),
    ("orgs:unit_list", "expert", None, 403),
    ("orgs:unit_list", None, None, LOGIN),
    ("orgs:unit_detail", "school_a_officer", "梁子湖高级中学", 200),
    ("orgs:unit_detail", "school_a_officer", "总务处", 200),
    ("orgs:unit_detail", "school_a_officer", "东沟镇中心小学", 404),
    ("orgs:unit_detail", "school_a_officer", "鄂州职业大学", 404),
    ("orgs:unit_detail", "school_a_officer", "梁子湖区教育局", 404),
    ("orgs:unit_detail", "school_a_owner", "总务处", 200),
    ("orgs:unit_detail", "school_a_owner", "梁子湖高级中学", 404),
    ("orgs:unit_detail", "district_officer", "东沟镇中心小学", 200),
    ("orgs:unit_detail", "district_officer", "鄂州职业大学", 404),
    ("orgs:unit_detail", "district_officer", "鄂州市教育局", 404),
    ("orgs:unit_detail", "uni_head", "葛店校区", 200),
    ("orgs:unit_detail", "uni_head", "梁子湖高级中学", 404),
    ("orgs:unit_detail", "school_b_teacher", "东沟镇中心小学", 200),
    ("orgs:unit_detail", "school_b_teacher", "梁子湖高级中学", 404),
    ("orgs:unit_detail", "sysadmin", "鄂州职业大学", 200),
    ("orgs:unit_detail", "expert", "东沟镇中心小学", 403),
    ("orgs:unit_detail", None, "东沟镇中心小学", LOGIN),
    ("orgs:unit_add", "district_officer", None, 200),
    ("orgs:unit_add", "school_a_officer", None, 200),
    ("orgs:unit_add", "school_b_teacher", None, 403),
    ("orgs:unit_add", "district_supervisor", None, 403),
    ("orgs:unit_add", "secadmin", None, 403),
    ("orgs:unit_add", "expert", None, 403),
    ("orgs:unit_add", None, None, LOGIN),
    ("orgs:unit_change", "school_a_officer", "梁子湖高级中学", 200),
    ("orgs:unit_change", "school_a_officer", "东沟镇中心小学", 404),
    ("orgs:unit_change", "school_a_officer", "鄂州职业大学", 404),
    ("orgs:unit_change", "district_officer", "东沟镇中心小学", 200),
    ("orgs:unit_change", "district_officer", "鄂州职业大学", 404),
    ("orgs:unit_change", "school_b_teacher", "东沟镇中心小学", 403),
    ("orgs:unit_change", "school_b_teacher", "鄂州职业大学", 403),
    ("orgs:unit_change", "district_supervisor", "东沟镇中心小学", 403),
    ("orgs:unit_change", "expert", "东沟镇中心小学", 403),
    ("orgs:unit_change", None, "东沟镇中心小学", LOGIN),
    ("orgs:unit_move", "school_a_officer", "总务处", 200),
    ("orgs:unit_move", "school_a_officer", "东沟镇中心小学", 404),
    ("orgs:unit_move", "school_a_officer", "鄂州职业大学", 404),
    ("orgs:unit_move", "district_officer", "东沟镇中心小学", 200),
    ("orgs:unit_move", "district_officer", "鄂州职业大学", 404),
    ("orgs:unit_move", "school_b_teacher", "东沟镇中心小学", 403),
    ("orgs:unit_move", "auditor", "东沟镇中心小学", 403),
    ("orgs:unit_move", "expert", "东沟镇中心小学", 403),
    ("orgs:unit_move", None, "东沟镇中心小学", LOGIN),
    ("orgs:unit_import", "district_officer", None, 200),
    ("orgs:unit_import", "school_a_officer", None, 200),
    ("orgs:unit_import", "school_b_teacher", None, 403),
    ("orgs:unit_import", "auditor", None, 403),
    ("orgs:unit_import", "expert", None, 403),
    ("orgs:unit_import", None, None, LOGIN),
    ("orgs:unit_import_template", "district_officer", None, 200),
    ("orgs:unit_import_template", "school_a_officer", None, 200),
    ("orgs:unit_import_template", "school_b_teacher", None, 403),
    ("orgs:unit_import_template", "expert", None, 403),
    ("orgs:unit_import_template", None, None, LOGIN),
]


def _url(units, page: str, unit_name: str | None) -> str:
    if unit_name is None:
        return reverse(page)
    return reverse(page, args=[units[unit_name].pk])


def _client(client_for, username: str | None) -> Client:
    return client_for(username) if username else Client()


@pytest.mark.parametrize(
    ("page", "username", "unit_name", "expected"),
    PAGE_CASES,
    ids=[f"{p.split(':')[1]}-{u or 'anonymous'}-{n or '-'}" for p, u, n, _e in PAGE_CASES],
)
def test_it_scopes_every_unit_page(units, client_for, page, username, unit_name, expected):
    url = _url(units, page, unit_name)
    response = _client(client_for, username).get(url)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        assert "next=" in response["Location"]
    else:
        assert response.status_code == expected


def _edit_data(unit: Unit, **changes) -> dict:
    data = {
        "name": unit.name,
        "kind": unit.kind,
        "school_type": unit.school_type,
        "code": unit.code,
        "aliases": unit.aliases,
        "enrolment": "" if unit.enrolment is None else unit.enrolment,
        "boarding_students": "" if unit.boarding_students is None else unit.boarding_students,
        "staff_count": "" if unit.staff_count is None else unit.staff_count,
        "address": unit.address,
        "phone": unit.phone,
    }
    if unit.boarding:
        data["boarding"] = "on"
    if unit.is_active:
        data["is_active"] = "on"
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("username", "unit_name", "expected"),
    [
        ("school_a_officer", "东沟镇中心小学", 404),
        ("school_a_officer", "鄂州职业大学", 404),
        ("district_officer", "鄂州职业大学", 404),
        ("school_b_teacher", "东沟镇中心小学", 403),
        ("district_supervisor", "东沟镇中心小学", 403),
        ("expert", "东沟镇中心小学", 403),
    ],
)
def test_it_refuses_to_save_an_edit_outside_the_scope(
    units, client_for, username, unit_name, expected
):
    unit = units[unit_name]
    response = client_for(username).post(
        reverse("orgs:unit_change", args=[unit.pk]), _edit_data(unit, name="改过的名字")
    )
    assert response.status_code == expected
    unit.refresh_from_db()
    assert unit.name == unit_name
    assert unit.history.count() == 1


def test_it_sends_an_anonymous_post_to_the_login_page_and_changes_nothing(units):
    unit = units["东沟镇中心小学"]
    response = Client().post(
        reverse("orgs:unit_change", args=[unit.pk]), _edit_data(unit, name="改过的名字")
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    unit.refresh_from_db()
    assert unit.name == "东沟镇中心小学"


@pytest.mark.parametrize(
    ("username", "unit_name", "expected"),
    [
        ("school_a_officer", "东沟镇中心小学", 404),
        ("district_officer", "鄂州职业大学", 404),
        ("school_b_teacher", "东沟镇中心小学", 403),
    ],
)
def test_it_refuses_to_move_a_unit_outside_the_scope(
    units, client_for, username, unit_name, expected
):
    unit = units[unit_name]
    target = units["太和镇中心学校"] if unit.kind != "school" else units["梁子湖区教育局"]
    response = client_for(username).post(
        reverse("orgs:unit_move", args=[unit.pk]), {"parent": target.pk}
    )
    assert response.status_code == expected
    assert Unit.objects.get(pk=unit.pk).path == unit.path


@pytest.mark.parametrize("username", ["school_b_teacher", "expert", "district_supervisor"])
def test_it_refuses_to_create_a_unit_without_add_rights(units, client_for, username):
    before = Unit.objects.count()
    response = client_for(username).post(
        reverse("orgs:unit_add"),
        {"parent": units["东沟镇中心小学"].pk, "name": "少先队", "kind": "department"},
    )
    assert response.status_code == 403
    assert Unit.objects.count() == before


@pytest.mark.parametrize("username", ["school_b_teacher", "expert"])
def test_it_refuses_an_import_upload_without_add_rights(units, client_for, username):
    before = Unit.objects.count()
    response = client_for(username).post(
        reverse("orgs:unit_import"), {"file": upload(xlsx(GOOD_ROWS))}
    )
    assert response.status_code == 403
    assert Unit.objects.count() == before


def test_it_treats_a_unit_one_may_see_but_not_change_as_forbidden(units, client_for):
    """school_a_officer manages School A and is also a reporter at 东沟镇中心小学: that school
    is visible (200) but its edit and move pages are refused (403), not hidden (404)."""
    from xiaoan.accounts.models import Role, RoleAssignment, User

    RoleAssignment.objects.create(
        user=User.objects.get(username="school_a_officer"),
        role=Role.objects.get(code="reporter"),
        unit=units["东沟镇中心小学"],
        include_descendants=False,
    )
    client = client_for("school_a_officer")
    school_b = units["东沟镇中心小学"]
    assert client.get(reverse("orgs:unit_detail", args=[school_b.pk])).status_code == 200
    assert client.get(reverse("orgs:unit_change", args=[school_b.pk])).status_code == 403
    assert client.get(reverse("orgs:unit_move", args=[school_b.pk])).status_code == 403
    response = client.post(
        reverse("orgs:unit_change", args=[school_b.pk]), _edit_data(school_b, name="改名")
    )
    assert response.status_code == 403
    school_b.refresh_from_db()
    assert school_b.name == "东沟镇中心小学"


def _listed(response) -> list[str]:
    return [u.name for u in response.context["object_list"]]


def test_it_lists_every_district_school_and_not_the_university_to_the_district_officer(
    client_for,
):
    response = client_for("district_officer").get(reverse("orgs:unit_list"))
    assert response.status_code == 200
    names = _listed(response)
    for school, *_facts in SCHOOLS:
        assert school in names
    assert "鄂州职业大学" not in names
    assert "葛店校区" not in names
    assert "鄂州市教育局" not in names
    page = response.content.decode()
    assert "梁子湖区特殊教育学校" in page and "鄂州职业大学" not in page


def test_it_lists_the_twelve_district_schools_when_filtering_by_kind(client_for):
    response = client_for("district_officer").get(reverse("orgs:unit_list"), {"kind": "school"})
    names = _listed(response)
    assert sorted(names) == sorted(name for name, *_facts in SCHOOLS)
    assert len(names) == 12


def test_it_lists_only_its_own_school_and_departments_to_the_school_officer(client_for):
    response = client_for("school_a_officer").get(reverse("orgs:unit_list"))
    assert response.status_code == 200
    assert _listed(response) == ["梁子湖高级中学", "政教处", "总务处", "教务处"]
    page = response.content.decode()
    assert "东沟镇中心小学" not in page
    assert "梁子湖区教育局" not in page


def test_it_lists_only_the_own_school_to_the_reporter_and_offers_no_buttons(client_for):
    response = client_for("school_b_teacher").get(reverse("orgs:unit_list"))
    assert _listed(response) == ["东沟镇中心小学"]
    page = response.content.decode()
    assert reverse("orgs:unit_add") not in page
    assert reverse("orgs:unit_import") not in page


def test_it_ignores_a_filter_for_a_unit_outside_the_scope(units, client_for):
    response = client_for("school_a_officer").get(
        reverse("orgs:unit_list"), {"within": units["鄂州职业大学"].pk}
    )
    assert response.status_code == 200
    assert _listed(response) == []


def test_it_offers_edit_and_add_links_only_to_those_who_may_use_them(units, client_for):
    school = units["东沟镇中心小学"]
    detail = reverse("orgs:unit_detail", args=[school.pk])
    change = reverse("orgs:unit_change", args=[school.pk])
    manager_page = client_for("district_officer").get(detail).content.decode()
    assert change in manager_page
    assert f"{reverse('orgs:unit_add')}?parent={school.pk}" in manager_page
    reporter_page = client_for("school_b_teacher").get(detail).content.decode()
    assert change not in reporter_page
    assert reverse("orgs:unit_add") not in reporter_page


def test_it_downloads_an_import_template_with_the_expected_columns(client_for):
    from io import BytesIO

    from openpyxl import load_workbook

    response = client_for("district_officer").get(reverse("orgs:unit_import_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).active
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert header[:3] == ["名称", "类型", "上级单位"]
    assert "学校类型" in header and "在校学生数" in header
