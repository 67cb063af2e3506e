"""The unit switcher: a person with assignments at several units picks the one they are
working in; lists narrow to it, and nobody can switch to a unit outside their scope."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xiaoan.accounts import services
from xiaoan.accounts.models import Role
from xiaoan.core.middleware import SESSION_KEY

SWITCH = "/switch-unit/"


@pytest.fixture
def two_hats(persona, demo):
    """district_officer, also given the inspector role at 鄂州职业大学 by the security admin."""
    services.grant_role(
        persona("secadmin"),
        persona("district_officer"),
        Role.objects.get(code="inspector"),
        demo["鄂州职业大学"],
    )
    return demo


def _unit_names(client) -> list[str]:
    response = client.get(reverse("orgs:unit_list"))
    assert response.status_code == 200
    return [u.name for u in response.context["object_list"]]


def test_it_shows_the_switcher_only_to_people_with_several_units(client_for, two_hats):
    page = client_for("district_officer").get(reverse("core:home")).content.decode()
    assert 'id="unit-switcher"' in page
    assert "梁子湖区教育局" in page and "鄂州职业大学" in page
    assert 'id="unit-switcher"' not in client_for("school_a_officer").get("/").content.decode()


def test_it_narrows_lists_to_the_chosen_unit(client_for, two_hats):
    client = client_for("district_officer")
    everything = _unit_names(client)
    assert {"梁子湖区教育局", "东沟镇中心小学", "鄂州职业大学", "保卫处"} <= set(everything)

    response = client.post(SWITCH, {"unit": two_hats["鄂州职业大学"].pk, "next": "/units/"})
    assert response.status_code == 302 and response["Location"] == "/units/"
    narrowed = _unit_names(client)
    assert narrowed[0] == "鄂州职业大学" and "保卫处" in narrowed
    assert "梁子湖区教育局" not in narrowed and "东沟镇中心小学" not in narrowed
    home = client.get(reverse("core:home"))
    assert home.context["current_unit"] == two_hats["鄂州职业大学"]
    assert home.context["unit_count"] == len(narrowed)

    client.post(SWITCH, {"unit": two_hats["梁子湖区教育局"].pk})
    district = _unit_names(client)
    assert "东沟镇中心小学" in district and "鄂州职业大学" not in district

    client.post(SWITCH, {"unit": ""})  # back to the whole scope
    assert set(_unit_names(client)) == set(everything)


def test_it_narrows_the_people_list_too(client_for, two_hats):
    client = client_for("district_officer")
    client.post(SWITCH, {"unit": two_hats["梁子湖高级中学"].pk})
    people = {u.username for u in client.get(reverse("accounts:user_list")).context["object_list"]}
    assert people == {"school_a_head", "school_a_officer", "school_a_owner"}


def test_it_never_widens_what_a_person_may_see(client_for, two_hats):
    client = client_for("district_officer")
    client.post(SWITCH, {"unit": two_hats["鄂州职业大学"].pk})
    # the inspector role gives no people rights at the university: the list is empty, not wider
    people = client.get(reverse("accounts:user_list")).context["object_list"]
    assert list(people) == []


@pytest.mark.parametrize(
    ("who", "unit"),
    [
        ("district_officer", "鄂州市教育局"),  # the parent of their scope
        ("school_a_officer", "东沟镇中心小学"),
        ("school_a_officer", "鄂州职业大学"),
        ("uni_security", "梁子湖区教育局"),
        ("expert", "梁子湖区教育局"),
    ],
)
def test_it_refuses_to_switch_to_a_unit_outside_scope(who, unit, client_for, demo):
    client = client_for(who)
    response = client.post(SWITCH, {"unit": demo[unit].pk})
    assert response.status_code == 404
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize("value", ["abc", "1.5", "-1", "99999999", "１２x"])
def test_it_refuses_a_malformed_unit_with_404(value, client_for, demo):
    client = client_for("district_officer")
    assert client.post(SWITCH, {"unit": value}).status_code == 404
    assert SESSION_KEY not in client.session


def test_it_forgets_a_chosen_unit_that_left_the_persons_scope(client_for, persona, two_hats):
    client = client_for("district_officer")
    client.post(SWITCH, {"unit": two_hats["鄂州职业大学"].pk})
    assignment = persona("district_officer").assignments.get(unit=two_hats["鄂州职业大学"])
    services.revoke_role(persona("secadmin"), assignment)
    names = _unit_names(client)
    assert "鄂州职业大学" not in names and "东沟镇中心小学" in names


def test_it_only_redirects_to_this_site(client_for, two_hats):
    client = client_for("district_officer")
    response = client.post(
        SWITCH, {"unit": two_hats["鄂州职业大学"].pk, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_it_sends_anonymous_visitors_to_the_login_page(demo):
    from django.test import Client

    response = Client().post(SWITCH, {"unit": demo["鄂州职业大学"].pk})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
