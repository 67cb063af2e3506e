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


def test_it_groups_the_less_daily_entries_into_menus(client_for):
    """The bar keeps to what people open every day; the rest sits in three menus."""
    nav = client_for("district_officer").get(reverse("core:home")).context["nav_items"]
    top = [item["label"] for item in nav]
    assert len(top) <= 10, top
    assert top[:6] == ["工作台", "一张图", "我的待办", "隐患台账", "检查排查", "预警处置"]
    menus = {
        str(item["label"]): [str(c["label"]) for c in item["children"]]
        for item in nav
        if "children" in item
    }
    assert menus["宣传教育"] == ["安全培训", "安全教育", "应急演练"]
    assert menus["单位人员"] == ["单位", "人员与授权"]
    assert {"常态化任务", "工作方案", "台账"} <= set(menus["常态工作"])
    # The open page's entry and its menu are marked.
    page = client_for("district_officer").get(reverse("drills:drill_list"))
    menu = next(i for i in page.context["nav_items"] if str(i["label"]) == "宣传教育")
    assert menu["active"] and [c["active"] for c in menu["children"]] == [False, False, True]
    assert 'aria-current="page"' in page.content.decode()
