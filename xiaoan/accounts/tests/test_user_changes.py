"""Creating, editing and moving people, and resetting passwords: only inside one's scope, and a
write that would leave the scope is rolled back whole."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from xiaoan.accounts import services
from xiaoan.accounts.models import User
from xiaoan.accounts.tests.helpers import PASSWORD, error_of

NEW_PASSWORD = "Anquan#2026x"


def _snapshot(user: User) -> tuple:
    user = User.objects.get(pk=user.pk)
    return (user.unit_id, user.name, user.position, user.mobile, user.is_active, user.password)


def test_it_creates_a_person_on_the_page_who_can_then_log_in(client_for, demo):
    response = client_for("school_a_officer").post(
        reverse("accounts:user_add"),
        {
            "username": "zhou_new",
            "name": "周新",
            "mobile": "13900000001",
            "unit": demo["政教处"].pk,
            "position": "干事",
            "is_active": "on",
        },
    )
    created = User.objects.get(username="zhou_new")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    one_time = response.context["password"]
    assert one_time in response.content.decode()
    assert created.unit == demo["政教处"]
    assert created.must_change_password
    assert Client().login(username="13900000001", password=one_time)


def test_it_offers_only_units_in_scope_when_creating(client_for):
    form = client_for("school_a_officer").get(reverse("accounts:user_add")).context["form"]
    names = set(form.fields["unit"].queryset.values_list("name", flat=True))
    assert names == {"梁子湖高级中学", "政教处", "总务处", "教务处"}
    assert form.fields["unit"].required
    sysadmin_form = client_for("sysadmin").get(reverse("accounts:user_add")).context["form"]
    assert not sysadmin_form.fields["unit"].required


def test_it_refuses_to_create_a_person_outside_scope_on_the_page(client_for, demo):
    response = client_for("school_a_officer").post(
        reverse("accounts:user_add"),
        {
            "username": "outsider",
            "name": "外人",
            "unit": demo["保卫处"].pk,
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["unit"]
    assert not User.objects.filter(username="outsider").exists()


def test_it_refuses_duplicate_names_with_chinese_messages(api_for, demo):
    client = api_for("district_officer")
    taken = client.post(
        "/api/users/",
        {
            "username": "school_a_head",
            "name": "重名",
            "mobile": "13800000011",
            "unit": demo["安全股"].pk,
        },
        format="json",
    )
    assert taken.status_code == 400
    assert set(error_of(taken)["fields"]) == {"username", "mobile"}
    bad_mobile = client.post(
        "/api/users/",
        {
            "username": "m",
            "name": "号",
            "mobile": "123",
            "unit": demo["安全股"].pk,
        },
        format="json",
    )
    assert error_of(bad_mobile)["fields"]["mobile"] == ["请输入11位手机号码。"]
    assert not User.objects.filter(username__in=["weak", "m"]).exists()


def test_it_answers_a_created_person_with_a_one_time_password_once(api_for, demo):
    response = api_for("district_officer").post(
        "/api/users/",
        {"username": "new_one", "name": "新人", "unit": demo["安全股"].pk},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["must_change_password"] is True
    assert Client().login(username="new_one", password=body["one_time_password"])
    again = api_for("district_officer").get(f"/api/users/{body['id']}/").json()
    assert "one_time_password" not in again


def test_it_moves_a_person_within_scope(api_for, persona, demo):
    owner = persona("school_a_owner")
    response = api_for("school_a_officer").patch(
        f"/api/users/{owner.pk}/", {"unit": demo["政教处"].pk}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["unit_name"] == "政教处"
    assert User.objects.get(pk=owner.pk).unit == demo["政教处"]


def test_it_refuses_to_move_a_person_outside_scope_and_changes_nothing(api_for, persona, demo):
    owner = persona("school_a_owner")
    before = _snapshot(owner)
    history = owner.history.count()
    response = api_for("school_a_officer").patch(
        f"/api/users/{owner.pk}/",
        {"unit": demo["东沟镇中心小学"].pk, "position": "被调走"},
        format="json",
    )
    assert response.status_code == 400
    assert error_of(response)["fields"] == {"unit": ["所选单位不在您的管理范围内。"]}
    assert _snapshot(owner) == before
    assert owner.history.count() == history


def test_it_refuses_to_move_a_person_outside_scope_on_the_page(client_for, persona, demo):
    owner = persona("school_a_owner")
    before = _snapshot(owner)
    response = client_for("school_a_officer").post(
        reverse("accounts:user_change", args=[owner.pk]),
        {"name": "周总务", "unit": demo["保卫处"].pk, "position": "被调走", "is_active": "on"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["unit"]
    assert _snapshot(owner) == before


def test_it_refuses_to_make_a_unit_person_a_platform_person(api_for, persona):
    owner = persona("school_a_owner")
    before = _snapshot(owner)
    response = api_for("district_officer").patch(
        f"/api/users/{owner.pk}/", {"unit": None}, format="json"
    )
    assert response.status_code == 400
    assert error_of(response)["fields"] == {"unit": ["请选择所属单位。"]}
    assert _snapshot(owner) == before


def test_it_rolls_back_a_move_that_leaves_scope_when_rechecked_after_the_write(
    api_for, persona, demo, monkeypatch
):
    """Even if the up-front unit check were missed, the re-check inside the transaction after
    the write refuses the move and nothing is saved — no row, no history."""
    monkeypatch.setattr(services, "_check_unit", lambda *args, **kwargs: None)
    owner = persona("school_a_owner")
    before = _snapshot(owner)
    history = owner.history.count()
    response = api_for("school_a_officer").patch(
        f"/api/users/{owner.pk}/",
        {"unit": demo["鄂州职业大学"].pk, "position": "被调走"},
        format="json",
    )
    assert response.status_code == 403
    assert error_of(response)["message"] == "保存后的记录不在您的管理范围内，操作已撤销。"
    assert _snapshot(owner) == before
    assert owner.history.count() == history


def test_it_rolls_back_a_create_outside_scope_when_rechecked_after_the_write(
    api_for, demo, monkeypatch
):
    monkeypatch.setattr(services, "_check_unit", lambda *args, **kwargs: None)
    response = api_for("school_a_officer").post(
        "/api/users/",
        {
            "username": "slipped",
            "name": "漏网",
            "unit": demo["保卫处"].pk,
        },
        format="json",
    )
    assert response.status_code == 403
    assert not User.objects.filter(username="slipped").exists()
    assert not User.history.filter(username="slipped").exists()


def test_it_refuses_to_deactivate_ones_own_account(api_for, persona):
    officer = persona("district_officer")
    response = api_for("district_officer").patch(
        f"/api/users/{officer.pk}/", {"is_active": False}, format="json"
    )
    assert response.status_code == 403
    assert error_of(response)["message"] == "不能在这里修改自己的账号。"
    assert User.objects.get(pk=officer.pk).is_active


def test_it_deactivates_a_person_who_then_cannot_log_in(api_for, persona):
    teacher = persona("school_b_teacher")
    response = api_for("district_officer").patch(
        f"/api/users/{teacher.pk}/", {"is_active": False}, format="json"
    )
    assert response.status_code == 200
    assert not Client().login(username="school_b_teacher", password=PASSWORD)


def test_it_resets_a_password_on_the_page_to_a_one_time_password(client_for, persona):
    owner = persona("school_a_owner")
    url = reverse("accounts:user_password", args=[owner.pk])
    client = client_for("school_a_officer")
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert Client().login(username="school_a_owner", password=PASSWORD)  # GET changes nothing

    response = client.post(url)
    assert response.status_code == 200
    one_time = response.context["password"]
    assert not Client().login(username="school_a_owner", password=PASSWORD)
    fresh = Client()
    assert fresh.login(username="school_a_owner", password=one_time)
    # the person must choose their own before anything else
    home = fresh.get(reverse("core:home"))
    assert home.status_code == 302
    assert home["Location"] == reverse("accounts:my_password")
    assert "临时密码" in fresh.get(reverse("accounts:my_password")).content.decode()


def test_it_resets_a_password_through_the_api(api_for, persona):
    owner = persona("school_a_owner")
    ok = api_for("school_a_officer").post(f"/api/users/{owner.pk}/password/", format="json")
    assert ok.status_code == 200
    body = ok.json()
    assert body["must_change_password"] is True
    assert Client().login(username="school_a_owner", password=body["one_time_password"])
    assert User.objects.get(pk=owner.pk).must_change_password


def test_it_lets_anyone_change_their_own_password_and_stay_logged_in(client_for):
    client = client_for("expert")
    response = client.post(
        reverse("accounts:my_password"),
        {"old_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 200
    assert Client().login(username="expert", password=NEW_PASSWORD)


def test_it_edits_a_person_on_the_page(client_for, persona, demo):
    head = persona("school_a_head")
    response = client_for("district_head").post(
        reverse("accounts:user_change", args=[head.pk]),
        {
            "name": "王校长",
            "mobile": "13800000011",
            "unit": demo["梁子湖高级中学"].pk,
            "position": "校长、党委书记",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(pk=head.pk).position == "校长、党委书记"


def test_it_stores_names_normalised_and_refuses_look_alike_usernames(api_for, demo):
    client = api_for("district_officer")
    unit = demo["安全股"].pk
    for lookalike in ("school_а_head", "schoo1_a_head", "SCHOOL_A_HEAD", "schooI_a_head"):
        response = client.post(
            "/api/users/", {"username": lookalike, "name": "冒名", "unit": unit}, format="json"
        )
        assert response.status_code == 400, lookalike
        assert "过于相似" in error_of(response)["fields"]["username"][0]
    hidden = client.post(
        "/api/users/", {"username": "school_a_he\u200bad", "name": "冒名", "unit": unit}
    )
    assert hidden.status_code in (400, 409)  # the very same name once the invisible one goes
    response = client.post(
        "/api/users/",
        {"username": "ｗａｎｇ\u200b_new", "name": "王\u200d新 ", "unit": unit},
        format="json",
    )
    assert response.status_code == 201
    created = User.objects.get(pk=response.json()["id"])
    assert (created.username, created.name) == ("wang_new", "王新")
    # typed in full width at login, it still finds the account
    assert Client().login(username="ｗａｎｇ_new", password=response.json()["one_time_password"])
