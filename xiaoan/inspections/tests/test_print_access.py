"""Who may print and export: exactly who may view the inspection. In scope 200 (the school's
own people, the district, the invited expert), out of scope 404 (another school's record, or
an inspection the expert is not invited to), no inspection right anywhere 403, anonymous to
the login page (pages) or refused (API)."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from xiaoan.inspections.tests.print_support import other, record
from xiaoan.inspections.tests.support import checklist

pytestmark = pytest.mark.django_db
__all__ = ["checklist", "other", "record"]

PAGES = ["/inspections/{pk}/print.pdf", "/inspections/{pk}/results.xlsx"]
APIS = ["/api/inspections/{pk}/pdf/", "/api/inspections/{pk}/xlsx/"]
CASES = [
    # who, which inspection, expected status
    ("school_a_officer", "record", 200),
    ("district_officer", "record", 200),
    ("auditor", "record", 200),
    ("expert", "record", 200),  # invited
    ("uni_head", "record", 404),  # views inspections, not School A's
    ("school_a_officer", "other", 404),  # School B
    ("expert", "other", 404),  # not invited to this one
    ("school_b_teacher", "record", 403),  # no inspection right anywhere
]


def _target(request, which: str):
    return request.getfixturevalue(which)


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize(("who", "which", "status"), CASES)
def test_it_scopes_the_pages(request, client_for, record, other, url, who, which, status):
    inspection = _target(request, which)
    response = client_for(who).get(url.format(pk=inspection.pk))
    assert response.status_code == status


@pytest.mark.parametrize("url", APIS)
@pytest.mark.parametrize(("who", "which", "status"), CASES)
def test_it_scopes_the_api(request, api_for, record, other, url, who, which, status):
    inspection = _target(request, which)
    response = api_for(who).get(url.format(pk=inspection.pk))
    assert response.status_code == status
    if status != 200:
        assert response.json()["error"]["code"] in ("not_found", "permission_denied")


def test_it_refuses_an_uninvited_outsider(client_for, api_for, persona, record):
    # The expert loses the invitation: nothing left to print or export.
    record.invites.all().delete()
    assert client_for("expert").get(f"/inspections/{record.pk}/print.pdf").status_code == 403
    assert api_for("expert").get(f"/api/inspections/{record.pk}/xlsx/").status_code == 403
    assert client_for("expert").get("/inspections/export.xlsx").status_code == 403
    assert api_for("expert").get("/api/inspections/export/").status_code == 403


@pytest.mark.parametrize(
    ("who", "status"),
    [("district_officer", 200), ("expert", 200), ("uni_head", 200), ("school_b_teacher", 403)],
)
def test_it_scopes_the_list_exports(client_for, api_for, record, other, who, status):
    assert client_for(who).get("/inspections/export.xlsx").status_code == status
    assert api_for(who).get("/api/inspections/export/").status_code == status


@pytest.mark.parametrize("url", [*PAGES, "/inspections/export.xlsx"])
def test_it_sends_anonymous_visitors_to_the_login_page(record, url):
    response = Client().get(url.format(pk=record.pk))
    assert response.status_code == 302 and "/login" in response["Location"]


@pytest.mark.parametrize("url", [*APIS, "/api/inspections/export/"])
def test_it_refuses_anonymous_api_calls(record, url):
    response = APIClient().get(url.format(pk=record.pk))
    assert response.status_code in (401, 403)


def test_it_reads_no_id_from_the_export_path(api_for, record):
    # /api/inspections/export/ is the list export, never an inspection called "export".
    assert api_for("district_officer").get("/api/inspections/export/").status_code == 200
    assert api_for("district_officer").get("/api/inspections/abc/pdf/").status_code == 404


def test_it_answers_clients_that_accept_only_the_file_type(api_for, record):
    api = api_for("school_a_officer")
    pdf = api.get(f"/api/inspections/{record.pk}/pdf/", HTTP_ACCEPT="application/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    for url in (f"/api/inspections/{record.pk}/xlsx/", "/api/inspections/export/"):
        response = api.get(url, HTTP_ACCEPT=xlsx)
        assert response.status_code == 200 and response["Content-Type"] == xlsx
    missing = api.get("/api/inspections/999999999/pdf/", HTTP_ACCEPT="application/pdf")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
