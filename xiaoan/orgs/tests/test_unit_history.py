"""Every change to a unit is traceable: who changed what, when, from which value to which,
shown on the unit page and by the API to those who may see the unit, and to nobody else."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from xiaoan.core.history import entries_for
from xiaoan.orgs.models import Unit
from xiaoan.orgs.tests.test_unit_api import assert_error_shape


def edit_school_a_on_the_page(client_for, units) -> Unit:
    school = units["梁子湖高级中学"]
    response = client_for("school_a_officer").post(
        reverse("orgs:unit_change", args=[school.pk]),
        {
            "name": school.name,
            "kind": "school",
            "school_type": "senior",
            "code": "",
            "aliases": "梁高",
            "enrolment": "1900",
            "boarding": "on",
            "boarding_students": "1500",
            "staff_count": "168",
            "address": "",
            "phone": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("orgs:unit_detail", args=[school.pk])
    return school


def test_it_records_who_changed_what_and_when_on_an_edit_from_the_page(units, client_for):
    started = timezone.now()
    school = edit_school_a_on_the_page(client_for, units)
    school.refresh_from_db()
    assert (school.enrolment, school.aliases) == (1900, "梁高")
    latest = entries_for(school)[0]
    assert latest.who == "李安办"
    assert latest.action == "修改"
    assert started - timedelta(seconds=5) <= latest.when <= timezone.now()
    changes = {c.field: (c.old, c.new) for c in latest.changes}
    assert changes == {"别名": ("—", "梁高"), "在校学生数": ("1860", "1900")}
    assert school.history.first().history_user.username == "school_a_officer"


def test_it_keeps_the_creation_as_the_oldest_entry(units, client_for):
    school = edit_school_a_on_the_page(client_for, units)
    entries = entries_for(school)
    assert [e.action for e in entries] == ["修改", "创建"]
    created = {c.field: c.new for c in entries[-1].changes}
    assert created["名称"] == "梁子湖高级中学" and created["学校类型"] == "高中"


@pytest.mark.parametrize("username", ["school_a_officer", "district_officer", "auditor"])
def test_it_shows_the_change_on_the_unit_page_to_those_who_may_see_the_unit(
    units, client_for, username
):
    school = edit_school_a_on_the_page(client_for, units)
    response = client_for(username).get(reverse("orgs:unit_detail", args=[school.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "变更记录" in page
    assert "李安办 · 修改" in page
    assert '<span class="fw-semibold">在校学生数</span>：<del>1860</del> → 1900' in page
    assert timezone.localtime(entries_for(school)[0].when).strftime("%Y-%m-%d %H:%M") in page


@pytest.mark.parametrize(
    ("username", "expected"),
    [("school_b_teacher", 404), ("uni_head", 404), ("school_a_owner", 404), ("expert", 403)],
)
def test_it_hides_the_unit_page_and_its_history_from_others(units, client_for, username, expected):
    school = edit_school_a_on_the_page(client_for, units)
    response = client_for(username).get(reverse("orgs:unit_detail", args=[school.pk]))
    assert response.status_code == expected
    assert "1900" not in response.content.decode()


def test_it_returns_the_change_from_the_history_api(units, client_for, api_for):
    school = edit_school_a_on_the_page(client_for, units)
    response = api_for("district_officer").get(f"/api/units/{school.pk}/history/")
    assert response.status_code == 200
    latest, created = response.json()
    assert latest["who"] == "李安办"
    assert latest["action"] == "修改"
    assert latest["when"]
    assert {"field": "在校学生数", "old": "1860", "new": "1900"} in latest["changes"]
    assert {"field": "别名", "old": "—", "new": "梁高"} in latest["changes"]
    assert created["action"] == "创建"


def test_it_records_an_api_change_with_its_author(units, api_for):
    school = units["东沟镇中心小学"]
    response = api_for("district_officer").patch(
        f"/api/units/{school.pk}/", {"staff_count": 64}, format="json"
    )
    assert response.status_code == 200
    latest = api_for("school_b_teacher").get(f"/api/units/{school.pk}/history/").json()[0]
    assert latest["who"] == "刘安全"
    assert latest["changes"] == [{"field": "教职工数", "old": "62", "new": "64"}]


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("school_b_teacher", 404),
        ("uni_head", 404),
        ("uni_security", 404),
        ("school_a_owner", 404),
        ("expert", 403),
    ],
)
def test_it_refuses_the_history_api_outside_the_scope(
    units, client_for, api_for, username, expected
):
    school = edit_school_a_on_the_page(client_for, units)
    response = api_for(username).get(f"/api/units/{school.pk}/history/")
    assert response.status_code == expected
    assert_error_shape(response.json())
    assert "1900" not in response.content.decode()


def test_it_records_units_created_by_an_import_with_the_importer(client_for):
    from xiaoan.orgs.tests.sheets import upload, xlsx

    response = client_for("district_officer").post(
        reverse("orgs:unit_import"),
        {"file": upload(xlsx([["后勤处", "部门", "梁子湖高级中学", "", "", "", "", ""]]))},
    )
    assert response.status_code == 302
    unit = Unit.objects.get(name="后勤处")
    entry = entries_for(unit)[0]
    assert (entry.who, entry.action) == ("刘安全", "创建")


def test_it_records_a_move_in_the_units_history(persona, units):
    from xiaoan.core.history import entries_for
    from xiaoan.orgs.services import move_unit

    officer = persona("district_officer")
    dept = units["政教处"]
    move_unit(officer, dept, units["太和镇中心学校"])
    latest = entries_for(dept)[0]
    assert latest.who == "刘安全"
    assert "梁子湖高级中学 → 太和镇中心学校" in latest.reason
