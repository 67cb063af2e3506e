from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from xiaoan.reportcalls import services
from xiaoan.reportcalls.models import ReportCall
from xiaoan.reportcalls.tests.support import DISTRICT, SCHOOL_B, filled, issue, report_of

pytestmark = pytest.mark.django_db


def test_it_lists_calls_and_reports(client_for, persona, units, django_assert_max_num_queries):
    call = issue(persona, units)
    bureau = client_for("district_officer")
    response = bureau.get(reverse("reportcalls:reportcall_list"))
    assert response.status_code == 200 and call.title in response.content.decode()
    with django_assert_max_num_queries(30):
        response = bureau.get(reverse("reportcalls:report_list"))
    assert response.status_code == 200 and SCHOOL_B in response.content.decode()
    school = client_for("school_a_head")
    page = school.get(reverse("reportcalls:report_list")).content.decode()
    assert SCHOOL_B not in page
    assert client_for("expert").get(reverse("reportcalls:reportcall_list")).status_code == 403
    assert client_for("expert").get(reverse("reportcalls:report_list")).status_code == 403


def test_it_issues_a_call_from_the_page(client_for, units):
    url = reverse("reportcalls:reportcall_add")
    bureau = client_for("district_officer")
    assert bureau.get(url).status_code == 200
    today = timezone.localdate()
    data = {
        "unit": units[DISTRICT].pk,
        "kind": "stage",
        "title": "关于报送一季度阶段报告的通知",
        "period_start": today - dt.timedelta(days=90),
        "period_end": today,
        "due_on": today + dt.timedelta(days=3),
        "targets": "children",
    }
    assert bureau.post(url, {**data, "due_on": "2000-01-01"}).status_code == 400
    response = bureau.post(url, data)
    call = ReportCall.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reportcalls:reportcall_detail", args=[call.pk])
    assert client_for("auditor").get(url).status_code == 403
    assert client_for("expert").post(url, data).status_code == 403


def test_it_shows_the_returns_side_by_side(client_for, persona, units):
    call = issue(persona, units)
    url = reverse("reportcalls:reportcall_detail", args=[call.pk])
    page = client_for("district_officer").get(url).content.decode()
    assert page.count("/report-calls/reports/") >= 12 and "逾期未报 0" in page
    assert client_for("school_a_head").get(url).status_code == 404
    assert client_for("expert").get(url).status_code == 403
    export = reverse("reportcalls:reportcall_export", args=[call.pk])
    assert client_for("district_officer").get(export).status_code == 200
    assert client_for("district_officer").get(f"{export}?as=x").status_code == 302
    assert client_for("school_a_head").get(export).status_code == 404
    assert client_for("expert").get(export).status_code == 403


def test_it_drafts_submits_and_decides_on_the_pages(client_for, persona, units):
    call = issue(persona, units)
    report = report_of(call, units)
    school = client_for("school_a_officer")
    detail = reverse("reportcalls:report_detail", args=[report.pk])
    page = school.get(detail).content.decode()
    assert "主要数据" in page and "修改草稿" in page
    edit = reverse("reportcalls:report_edit", args=[report.pk])
    assert school.get(edit).status_code == 200
    sections = {"work": "开展情况", "problems": "问题", "next_steps": "打算", "number": "N号"}
    assert school.post(edit, {"version": report.version, **sections}).status_code == 302
    report.refresh_from_db()
    assert report.sections["work"] == "开展情况" and report.number == "N号"
    refresh = reverse("reportcalls:report_refresh", args=[report.pk])
    assert school.post(refresh, {"version": report.version}).status_code == 302
    report.refresh_from_db()
    submit = reverse("reportcalls:report_submit", args=[report.pk])
    assert school.post(submit, {"version": report.version}).status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted"
    # Editing a submitted report goes back to its page with the reason.
    response = school.post(edit, {"version": report.version, **sections})
    assert response.status_code == 302 and response["Location"] == detail
    send_back = reverse("reportcalls:report_send_back", args=[report.pk])
    accept = reverse("reportcalls:report_accept", args=[report.pk])
    assert client_for("school_a_head").post(accept, {"version": report.version}).status_code == 403
    assert client_for("expert").post(send_back, {"version": report.version}).status_code == 403
    bureau = client_for("district_officer")
    assert bureau.post(send_back, {"version": report.version, "note": ""}).status_code == 400
    assert bureau.post(send_back, {"version": report.version, "note": "请补充"}).status_code == 302
    report.refresh_from_db()
    assert report.status == "returned" and report.return_reason == "请补充"
    assert school.post(submit, {"version": report.version}).status_code == 302
    report.refresh_from_db()
    assert bureau.post(accept, {"version": report.version}).status_code == 302
    report.refresh_from_db()
    assert report.status == "accepted"
    other = report_of(call, units, SCHOOL_B)
    for name in ("report_detail", "report_edit", "report_docx", "report_pdf"):
        assert school.get(reverse(f"reportcalls:{name}", args=[other.pk])).status_code == 404
        assert (
            client_for("expert").get(reverse(f"reportcalls:{name}", args=[other.pk])).status_code
            == 403
        )
    for name in ("report_refresh", "report_submit"):
        url = reverse(f"reportcalls:{name}", args=[other.pk])
        assert school.post(url, {"version": 0}).status_code == 404
        assert client_for("expert").post(url, {"version": 0}).status_code == 403


def test_it_serves_the_files_from_the_pages(client_for, persona, units):
    report = filled(persona, report_of(issue(persona, units), units))
    services.submit(persona("school_a_head"), report.pk)
    school = client_for("school_a_head")
    docx = school.get(reverse("reportcalls:report_docx", args=[report.pk]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    pdf = school.get(reverse("reportcalls:report_pdf", args=[report.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
