"""The shell around every page: the menu offers only what the person may open, and every
link it offers works."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from xiaoan.orgs.demo import PEOPLE

EVERYONE = [p[0] for p in PEOPLE]


def _links(content: str) -> set[str]:
    return set(re.findall(r'href="(/[^"#]*)"', content)) - {"/static/"}


@pytest.mark.parametrize("who", EVERYONE)
def test_it_offers_only_links_that_open(who, client_for):
    client = client_for(who)
    home = client.get(reverse("core:home"))
    assert home.status_code == 200
    for link in _links(home.content.decode()):
        if link.startswith("/static/"):
            continue
        assert client.get(link).status_code == 200, (who, link)


@pytest.mark.parametrize(
    ("who", "people", "roles", "audit"),
    [
        ("district_officer", True, True, False),
        ("district_supervisor", True, False, False),
        ("school_b_teacher", False, False, False),
        ("expert", False, False, False),
        ("auditadmin", True, True, True),
        ("secadmin", True, True, False),
    ],
)
def test_it_shows_menu_entries_by_permission(who, people, roles, audit, client_for):
    content = client_for(who).get(reverse("core:home")).content.decode()
    assert (f'href="{reverse("accounts:user_list")}"' in content) == people
    assert (f'href="{reverse("accounts:role_list")}"' in content) == roles
    assert (f'href="{reverse("audit:auditentry_list")}"' in content) == audit


def test_it_shows_a_person_their_own_roles_on_their_account_page(client_for, persona):
    teacher = persona("school_b_teacher")
    page = client_for("school_b_teacher").get(reverse("accounts:user_detail", args=[teacher.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    assert "随手拍上报人" in content and "东沟镇中心小学" in content
    assert reverse("accounts:user_change", args=[teacher.pk]) not in content
    assert "assignment_form" not in page.context
