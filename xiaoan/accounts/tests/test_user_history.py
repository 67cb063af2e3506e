"""A person's change history: who changed what, on the person's page and through the API,
visible only to those who may see the person."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from xiaoan.accounts.tests.helpers import PASSWORD, error_of


def test_it_shows_who_changed_what_on_the_persons_page(client_for, persona, demo):
    owner = persona("school_a_owner")
    response = client_for("school_a_officer").post(
        reverse("accounts:user_change", args=[owner.pk]),
        {
            "name": "周总务",
            "mobile": "13800000013",
            "unit": demo["政教处"].pk,
            "position": "副主任",
            "is_active": "on",
        },
    )
    assert response.status_code == 302

    page = client_for("district_officer").get(reverse("accounts:user_detail", args=[owner.pk]))
    newest = page.context["history"][0]
    assert newest.who == "李安办"
    assert newest.action == "修改"
    changes = {c.field: (c.old, c.new) for c in newest.changes}
    assert changes == {"所属单位": ("总务处", "政教处"), "职务": ("—", "副主任")}
    content = page.content.decode()
    assert "变更记录" in content and "李安办" in content and "副主任" in content
    assert page.context["history"][-1].action == "创建"


def test_it_records_the_api_caller_as_the_author(persona):
    token = (
        Client()
        .post("/api/auth/token/", {"username": "district_officer", "password": PASSWORD})
        .json()["token"]
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    teacher = persona("school_b_teacher")
    assert (
        client.patch(f"/api/users/{teacher.pk}/", {"position": "安全员"}, format="json").status_code
        == 200
    )

    entries = client.get(f"/api/users/{teacher.pk}/history/").json()
    assert entries[0]["who"] == "刘安全"
    assert entries[0]["action"] == "修改"
    assert entries[0]["changes"] == [{"field": "职务", "old": "—", "new": "安全员"}]
    assert entries[-1]["action"] == "创建"


def test_it_never_shows_passwords_in_the_history(api_for, client_for, persona):
    owner = persona("school_a_owner")
    api_for("school_a_officer").post(
        f"/api/users/{owner.pk}/password/", {"password": "Anquan#2026x"}, format="json"
    )
    entries = api_for("school_a_officer").get(f"/api/users/{owner.pk}/history/").json()
    text = str(entries)
    assert "密码" not in text and "md5$" not in text and "Anquan" not in text
    page = client_for("school_a_officer").get(reverse("accounts:user_detail", args=[owner.pk]))
    assert "md5$" not in page.content.decode()


def test_it_hides_the_history_of_people_outside_scope(api_for, client_for, persona):
    uni = persona("uni_security")
    response = api_for("school_a_officer").get(f"/api/users/{uni.pk}/history/")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
    page = client_for("school_a_officer").get(reverse("accounts:user_detail", args=[uni.pk]))
    assert page.status_code == 404
    assert "孙保卫" not in page.content.decode()


def test_it_records_role_grants_with_the_granter(api_for, persona, demo):
    from xiaoan.accounts.models import Role, RoleAssignment

    owner = persona("school_a_owner")
    response = api_for("school_a_officer").post(
        "/api/role-assignments/",
        {
            "user": owner.pk,
            "role": Role.objects.get(code="inspector").pk,
            "unit": demo["总务处"].pk,
        },
        format="json",
    )
    assert response.status_code == 201
    record = RoleAssignment.history.get(id=response.json()["id"])
    assert record.history_type == "+"
    assert record.history_user == persona("school_a_officer")
