"""The audit trail for the audit administrator only: page, Excel export and /api/audit/ with
the same filters; everybody else 403, anonymous to the login page / 401-403."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from xiaoan.audit import services
from xiaoan.audit.models import AuditEntry
from xiaoan.audit.tests.support import mark, since

pytestmark = pytest.mark.django_db

PAGE = "/audit/"
EXPORT = "/audit/export.xlsx"
API = "/api/audit/"
OTHERS = ["secadmin", "sysadmin", "district_head", "auditor", "school_b_teacher", "expert"]


@pytest.fixture
def entries(persona, units):
    officer = persona("school_a_officer")
    head = persona("uni_head")
    return {
        "a": services.record(
            "export", actor=officer, detail={"kind": "甲"}, object_repr="甲乙丙导出"
        ),
        "b": services.record("login", actor=head, obj=head),
        "c": services.record(
            "change", actor=officer, unit=units["总务处"], object_repr="总务处记录"
        ),
    }


@pytest.mark.parametrize("url", [PAGE, EXPORT, API])
def test_it_shows_the_trail_to_the_audit_administrator_only(url, client_for, api_for, entries):
    client = api_for if url == API else client_for
    assert client("auditadmin").get(url).status_code == 200
    for who in OTHERS:
        assert client(who).get(url).status_code == 403, who


def test_it_sends_anonymous_visitors_to_the_login_page_and_refuses_anonymous_api_calls():
    for url in (PAGE, EXPORT):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert APIClient().get(API).status_code in (401, 403)
    assert APIClient().get(f"{API}1/").status_code in (401, 403)


def test_it_redirects_the_former_audit_page(client_for):
    response = client_for("auditadmin").get("/accounts/audit/?action=login")
    assert response.status_code == 302
    assert response["Location"] == "/audit/?action=login"


def test_it_links_the_menu_to_the_trail(client_for):
    assert f'href="{PAGE}"' in client_for("auditadmin").get("/").content.decode()
    assert f'href="{PAGE}"' not in client_for("secadmin").get("/").content.decode()


def test_it_lists_newest_first_in_local_time_to_the_minute(client_for, entries):
    page = client_for("auditadmin").get(PAGE)
    rows = list(page.context["object_list"])
    assert rows[0].pk > rows[1].pk
    content = page.content.decode()
    assert timezone.localtime(entries["c"].at).strftime("%Y-%m-%d %H:%M") in content
    assert "总务处记录" in content


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "甲乙丙"}, {"a"}),
        ({"action": "login"}, {"b"}),
        ({"actor_name": "uni_head"}, {"b"}),
        ({"object_type": "accounts.user"}, {"b"}),
    ],
)
def test_it_filters_the_page_and_the_api_alike(params, expected, client_for, api_for, entries):
    ours = {e.pk for e in entries.values()}  # the clients' own logins are entries too
    want = {entries[k].pk for k in expected}
    page = client_for("auditadmin").get(PAGE, params)
    assert {e.pk for e in page.context["object_list"]} & ours == want
    body = api_for("auditadmin").get(API, {**params, "page_size": 500}).json()
    assert {row["id"] for row in body["results"]} & ours == want


def test_it_filters_by_actor_unit_subtree_ip_object_and_dates(api_for, persona, units, entries):
    client = api_for("auditadmin")
    start = min(e.pk for e in entries.values()) - 1

    def ids(**params) -> set[int]:
        rows = client.get(API, {**params, "page_size": 500}).json()["results"]
        return {row["id"] for row in rows if row["id"] > start}

    officer = persona("school_a_officer")
    assert ids(actor=officer.pk) == {entries["a"].pk, entries["c"].pk}
    assert ids(unit=units["梁子湖高级中学"].pk) == {entries["a"].pk, entries["c"].pk}
    assert ids(unit=units["总务处"].pk) == {entries["c"].pk}
    assert ids(object_id=str(persona("uni_head").pk), object_type="accounts.user") == {
        entries["b"].pk
    }
    today = timezone.localdate()
    assert ids(date_from=today.isoformat(), date_to=today.isoformat()) == {
        e.pk for e in entries.values()
    }
    assert ids(date_to=(today - dt.timedelta(days=1)).isoformat()) == set()
    assert ids(ip="192.0.2.1") == set()


def test_it_answers_bad_filters_with_400(api_for):
    client = api_for("auditadmin")
    for params in ({"ip": "not-an-address"}, {"unit": "99999999999999999999"}, {"action": "x"}):
        response = client.get(API, params)
        assert response.status_code == 400, params
        assert set(response.json()) == {"error"}


def test_it_shows_nothing_for_bad_filters_on_the_page(client_for, entries):
    page = client_for("auditadmin").get(PAGE, {"ip": "not-an-address"})
    assert page.status_code == 200
    assert list(page.context["object_list"]) == []


def test_it_retrieves_one_entry(api_for, entries):
    body = api_for("auditadmin").get(f"{API}{entries['b'].pk}/").json()
    assert body["action"] == "login" and body["hash"] == entries["b"].hash
    assert api_for("auditor").get(f"{API}{entries['b'].pk}/").status_code == 403


def test_it_exports_the_filtered_rows_to_excel_and_records_the_export(client_for, entries):
    start = mark()
    response = client_for("auditadmin").get(EXPORT, {"action": "login"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][0] == "安全审计记录"
    header = rows[2]
    assert header[:4] == ("编号", "时间", "操作", "操作人")
    data = rows[3:]
    assert data and all(row[2] == "登录" for row in data)
    assert entries["b"].pk in {row[0] for row in data}
    assert entries["a"].pk not in {row[0] for row in data}
    export = since(start, action="export").get()
    assert export.detail["kind"] == "audit-entries"
    assert export.detail["filters"] == {"action": "login"}
    assert export.detail["rows"] == len(data)


def test_it_lists_with_a_flat_number_of_queries(client_for, api_for, persona, units):
    def count(fetch) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert fetch().status_code == 200
        return len(queries)

    page, api = client_for("auditadmin"), api_for("auditadmin")
    api.get(API)  # the first call loads the caller's grants
    few = (count(lambda: page.get(PAGE)), count(lambda: api.get(API)))
    for n in range(30):
        services.record("other", actor=persona("auditor"), unit=units["总务处"], detail={"n": n})
    assert (count(lambda: page.get(PAGE)), count(lambda: api.get(API))) == few


def test_it_shows_entries_of_every_unit_and_none(api_for, entries):
    total = AuditEntry.objects.count()
    assert api_for("auditadmin").get(API).json()["count"] == total
