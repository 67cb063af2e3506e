"""Duty pages: in scope 200, out of scope 404, without the permission anywhere 403, anonymous
to the login page; creating, the built-ins, reporting a record with its evidence."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from xiaoan.duties import builtin
from xiaoan.duties.models import Duty, DutyRecord, Obligation
from xiaoan.duties.tests.support import DISTRICT, SCHOOL_A, evidence, objects

pytestmark = pytest.mark.django_db
__all__ = ["objects"]


def url(name: str, objects, arg: str | None = None, query: str = "") -> str:
    path = reverse(f"duties:{name}", args=[objects[arg]] if arg else [])
    return f"{path}?{query.format(**objects)}" if query else path


GET_TABLE = [
    ("duty_list", None, "", "district_officer", 200),
    ("duty_list", None, "", "school_a_head", 200),
    ("duty_list", None, "", "auditor", 200),
    ("duty_list", None, "", "school_b_teacher", 403),
    ("duty_list", None, "", "expert", 403),
    ("duty_create", None, "", "district_officer", 200),
    ("duty_create", None, "", "auditor", 403),
    ("duty_create", None, "", "school_b_teacher", 403),
    ("duty_detail", "duty", "", "district_officer", 200),
    ("duty_detail", "duty", "", "school_a_head", 200),  # issued above School A: binds it
    ("duty_detail", "duty", "", "auditor", 200),
    ("duty_detail", "duty", "", "uni_security", 404),
    ("duty_detail", "uni_duty", "", "district_officer", 404),
    ("duty_detail", "duty", "", "school_b_teacher", 403),
    ("obligation_list", None, "", "district_officer", 200),
    ("obligation_list", None, "period=2026-spring&status=met", "school_a_officer", 200),
    ("obligation_list", None, "", "auditor", 200),
    ("obligation_list", None, "period=2026-13", "school_a_officer", 400),
    ("obligation_list", None, "", "school_b_teacher", 403),
    ("obligation_list", None, "", "expert", 403),
    ("obligation_detail", "ob_a", "", "school_a_officer", 200),
    ("obligation_detail", "ob_a", "", "district_officer", 200),
    ("obligation_detail", "ob_a", "", "auditor", 200),
    ("obligation_detail", "ob_b", "", "school_a_officer", 404),
    ("obligation_detail", "ob_a", "", "uni_security", 404),
    ("obligation_detail", "ob_a", "", "school_b_teacher", 403),
    ("record_file", "record", "", "school_a_head", 200),
    ("record_file", "record", "", "district_officer", 200),
    ("record_file", "record", "", "uni_security", 404),
    ("record_file", "record", "", "school_b_teacher", 403),
    ("overview", None, "", "district_officer", 200),
    ("overview", None, "period=2026&unit={district}", "district_officer", 200),
    ("overview", None, "", "school_a_head", 200),
    ("overview", None, "unit={district}", "school_a_head", 404),
    ("overview", None, "period=2026-Q9", "district_officer", 400),
    ("overview", None, "", "school_b_teacher", 403),
]


@pytest.mark.parametrize(("name", "arg", "query", "who", "expected"), GET_TABLE)
def test_it_scopes_the_pages(name, arg, query, who, expected, objects, client_for):
    response = client_for(who).get(url(name, objects, arg, query))
    assert response.status_code == expected, (name, who)


POST_TABLE = [
    ("obligation_record", "ob_a", "school_a_officer", 302),
    ("obligation_record", "ob_a", "district_officer", 302),
    ("obligation_record", "ob_a", "auditor", 403),
    ("obligation_record", "ob_a", "uni_security", 404),
    ("obligation_record", "ob_b", "school_a_officer", 404),
    ("obligation_record", "ob_a", "school_b_teacher", 403),
    ("duty_stop", "duty", "district_officer", 302),
    ("duty_stop", "duty", "school_a_head", 403),
    ("duty_stop", "duty", "uni_security", 404),
    ("duty_stop", "duty", "auditor", 403),
    ("duty_builtin", None, "auditor", 403),
    ("duty_builtin", None, "school_b_teacher", 403),
]


@pytest.mark.parametrize(("name", "arg", "who", "expected"), POST_TABLE)
def test_it_scopes_the_actions(name, arg, who, expected, objects, client_for):
    data = {"kind": "drill", "evidence": evidence()}
    if name == "duty_stop":
        data = {"note": "暂停", "version": Duty.objects.get(pk=objects[arg]).version}
    response = client_for(who).post(url(name, objects, arg), data)
    assert response.status_code == expected, (name, who)
    if name == "duty_stop":
        status = Duty.objects.get(pk=objects[arg]).status
        assert status == ("stopped" if expected == 302 else "active")
    if name == "obligation_record":
        count = DutyRecord.objects.filter(obligation_id=objects[arg]).count()
        assert count == (2 if expected == 302 else 1 if arg == "ob_a" else 0)


@pytest.mark.parametrize(
    ("name", "arg", "method"),
    [
        ("duty_list", None, "get"),
        ("duty_create", None, "get"),
        ("duty_builtin", None, "post"),
        ("duty_detail", "duty", "get"),
        ("duty_stop", "duty", "post"),
        ("obligation_list", None, "get"),
        ("obligation_detail", "ob_a", "get"),
        ("obligation_record", "ob_a", "post"),
        ("record_file", "record", "get"),
        ("overview", None, "get"),
    ],
)
def test_it_sends_anonymous_visitors_to_the_login_page(name, arg, method, objects):
    response = getattr(Client(), method)(url(name, objects, arg))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")


def test_it_creates_a_duty_and_the_builtins(units, client_for):
    client = client_for("district_officer")
    response = client.post(
        reverse("duties:duty_create"),
        {
            "name": "每季度阶段报告",
            "issuer": units[DISTRICT].pk,
            "target": "schools",
            "recurrence": "quarterly",
            "required_count": 1,
            "due_rule": "after_end",
            "due_days": 10,
            "proof": "record",
            "record_kind": "stage_report",
            "source_ref": "梁教〔2024〕12号",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    duty = Duty.objects.get(name="每季度阶段报告")
    assert (duty.created_by.username, duty.due_days, duty.issuer.name) == (
        "district_officer", 10, DISTRICT,
    )  # fmt: skip
    bad = client.post(reverse("duties:duty_create"), {"name": "x", "issuer": units[DISTRICT].pk})
    assert bad.status_code == 400
    response = client.post(reverse("duties:duty_builtin"), {"issuer": units[DISTRICT].pk})
    assert response.status_code == 302
    made = Duty.objects.filter(issuer=units[DISTRICT]).exclude(builtin_code="").count()
    assert made == len(builtin.all_builtin())
    page = client.get(reverse("duties:duty_list")).content.decode()
    assert "校长每月重大事故隐患自查" in page


def test_it_reports_a_record_and_shows_it(objects, client_for):
    client = client_for("school_a_officer")
    page = client.get(url("obligation_detail", objects, "ob_a")).content.decode()
    assert "演练记录.pdf" in page and 'enctype="multipart/form-data"' in page
    bad = client.post(url("obligation_record", objects, "ob_a"), {"kind": "drill"})
    assert bad.status_code == 400
    wrong = client.post(
        url("obligation_record", objects, "ob_a"), {"kind": "drill", "evidence": evidence("a.exe")}
    )
    assert wrong.status_code == 400 and "文件类型不支持" in wrong.content.decode()
    download = client.get(url("record_file", objects, "record"))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 drill"
    assert Obligation.objects.get(pk=objects["ob_a"]).status == "met"


def test_the_list_shows_the_obligations_of_my_units(objects, client_for):
    page = client_for("school_a_officer").get(reverse("duties:obligation_list")).content.decode()
    assert SCHOOL_A in page and "东沟镇中心小学" not in page
    nav = client_for("school_a_officer").get(reverse("core:home")).content.decode()
    assert "常态化任务" in nav
    assert (
        "常态化任务"
        not in client_for("school_b_teacher").get(reverse("core:home")).content.decode()
    )
