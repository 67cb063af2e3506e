from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.utils import timezone
from docx import Document

from xiaoan.reportcalls import services
from xiaoan.reportcalls.models import ReportCall
from xiaoan.reportcalls.tests.support import DISTRICT, SCHOOL_A, SCHOOL_B, filled, issue, report_of

pytestmark = pytest.mark.django_db
CALLS = "/api/report-calls/"
REPORTS = "/api/reports/"


def _body(units, **overrides):
    today = timezone.localdate()
    return {
        "unit": units[DISTRICT].pk,
        "kind": "annual",
        "title": "关于报送年度安全工作总结的通知",
        "period_start": str(today - dt.timedelta(days=300)),
        "period_end": str(today),
        "due_on": str(today + dt.timedelta(days=5)),
        "targets": "children",
        **overrides,
    }


def test_it_issues_a_call_and_lists_it_to_the_bureau_only(
    api_for, units, django_assert_max_num_queries
):
    api = api_for("district_officer")
    response = api.post(CALLS, _body(units), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["tally"]["total"] == 12 and len(data["returns"]) == 12
    with django_assert_max_num_queries(8):
        listed = api.get(CALLS)
    assert listed.status_code == 200 and listed.json()["count"] == 1
    assert api.get(f"{CALLS}{data['id']}/").json()["tally"]["drafting"] == 12
    # A school holds the right but sees no call of the bureau.
    school = api_for("school_a_head")
    assert school.get(CALLS).json()["count"] == 0
    assert school.get(f"{CALLS}{data['id']}/").status_code == 404
    assert api_for("expert").get(CALLS).status_code == 403
    assert api_for("school_b_teacher").get(f"{CALLS}{data['id']}/").status_code == 403
    assert api.get(f"{CALLS}{'9' * 30}/").status_code == 400  # no 64-bit key holds it
    assert api.get(f"{CALLS}99999999/").status_code == 404
    assert api.get(f"{CALLS}abc/").status_code == 404


@pytest.mark.parametrize(
    "change",
    [
        {"kind": "weekly"},
        {"due_on": "2000-01-01"},
        {"unit": [1, {"a": 2}]},
        {"period_end": "not a date"},
        {"kind": "special", "topic": ""},
    ],
)
def test_it_refuses_a_bad_call(api_for, units, change):
    response = api_for("district_officer").post(CALLS, _body(units, **change), format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]
    assert not ReportCall.objects.exists()


def test_it_refuses_a_call_to_those_without_the_right(api_for, units):
    assert api_for("expert").post(CALLS, _body(units), format="json").status_code == 403
    assert api_for("auditor").post(CALLS, _body(units), format="json").status_code == 403
    body = _body(units, unit=units[SCHOOL_A].pk)
    assert api_for("school_a_head").post(CALLS, body, format="json").status_code == 400
    body = _body(units, unit=units["鄂州市教育局"].pk)
    assert api_for("district_officer").post(CALLS, body, format="json").status_code == 400


def test_it_scopes_reports(api_for, persona, units, django_assert_max_num_queries):
    call = issue(persona, units)
    mine, other = report_of(call, units), report_of(call, units, SCHOOL_B)
    bureau = api_for("district_officer")
    with django_assert_max_num_queries(8):
        listed = bureau.get(REPORTS)
    assert listed.json()["count"] == 12
    school = api_for("school_a_head")
    rows = school.get(REPORTS).json()["results"]
    assert [r["id"] for r in rows] == [mine.pk]
    assert school.get(f"{REPORTS}{other.pk}/").status_code == 404
    assert school.get(f"{REPORTS}{other.pk}/docx/").status_code == 404
    assert school.get(f"{REPORTS}{'9' * 30}/").status_code == 400
    assert school.get(f"{REPORTS}99999999/").status_code == 404
    detail = school.get(f"{REPORTS}{mine.pk}/").json()
    assert detail["figures"]["tables"] and set(detail["sections"]) == {
        "work",
        "problems",
        "next_steps",
    }
    assert detail["allowed_actions"] == ["edit", "refresh", "submit"]
    assert api_for("expert").get(REPORTS).status_code == 403
    assert api_for("school_b_teacher").get(f"{REPORTS}{other.pk}/").status_code == 403
    assert api_for("auditor").get(REPORTS).json()["count"] == 12
    assert bureau.get(f"{REPORTS}?status=drafting&call={call.pk}").json()["count"] == 12
    assert bureau.get(f"{REPORTS}?overdue=1").json()["count"] == 0


def test_it_runs_the_workflow(api_for, persona, units):
    call = issue(persona, units)
    report = report_of(call, units)
    school = api_for("school_a_officer")
    url = f"{REPORTS}{report.pk}/"
    assert school.post(f"{url}submit/", {}, format="json").status_code == 400
    nested = school.patch(url, {"sections": {"work": {"a": [1]}}}, format="json")
    assert nested.status_code == 400
    bad = school.patch(url, {"sections": ["work"]}, format="json")
    assert bad.status_code == 400
    edited = school.patch(
        url,
        {
            "sections": {"work": "开展情况", "problems": "问题", "next_steps": "打算"},
            "number": "X号",
        },
        format="json",
    )
    assert edited.status_code == 200 and edited.json()["number"] == "X号"
    version = edited.json()["version"]
    assert school.post(f"{url}submit/", {"version": 0}, format="json").status_code == 409
    assert school.post(f"{url}refresh/", {"version": version}, format="json").status_code == 200
    submitted = school.post(f"{url}submit/", {}, format="json")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert school.post(f"{url}submit/", {}, format="json").status_code == 409
    assert school.patch(url, {"sections": {"work": "x"}}, format="json").status_code == 409
    assert school.post(f"{url}refresh/", {}, format="json").status_code == 409
    # The school's own head may not decide; the bureau may.
    head = api_for("school_a_head")
    assert head.post(f"{url}accept/", {}, format="json").status_code == 403
    assert api_for("auditor").post(f"{url}return/", {"note": "x"}, format="json").status_code == 403
    assert api_for("expert").post(f"{url}accept/", {}, format="json").status_code == 403
    bureau = api_for("district_officer")
    assert bureau.post(f"{url}return/", {"note": ""}, format="json").status_code == 400
    returned = bureau.post(f"{url}return/", {"note": "请补充数据"}, format="json")
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    assert bureau.post(f"{url}accept/", {}, format="json").status_code == 409
    assert school.post(f"{url}submit/", {}, format="json").status_code == 200
    accepted = bureau.post(f"{url}accept/", {"note": "采用"}, format="json")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    other = report_of(call, units, SCHOOL_B)
    assert school.post(f"{REPORTS}{other.pk}/submit/", {}, format="json").status_code == 404
    assert school.post(f"{REPORTS}99999999/submit/", {}, format="json").status_code == 404
    assert school.post(f"{REPORTS}{other.pk}/refresh/", {}, format="json").status_code == 404
    assert api_for("expert").post(f"{url}refresh/", {}, format="json").status_code == 403
    assert school.patch(f"{REPORTS}{other.pk}/", {}, format="json").status_code == 404
    assert api_for("auditor").patch(url, {}, format="json").status_code == 403
    assert bureau.post(f"{REPORTS}{other.pk}/accept/", {}, format="json").status_code == 409
    assert (
        bureau.post(f"{REPORTS}{other.pk}/return/", {"note": "x"}, format="json").status_code == 409
    )


def _text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_it_renders_the_report_to_word(api_for, persona, units):
    call = issue(persona, units)
    report = filled(persona, report_of(call, units))
    response = api_for("school_a_head").get(f"{REPORTS}{report.pk}/docx/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    text = _text(response.content)
    assert report.number in text
    assert report.title in text and report.title.startswith(SCHOOL_A)
    assert "学校安全工作半年总结" in report.title
    assert call.number in text and DISTRICT in text
    assert "工作开展情况" in text and "work 的内容：本期开展了排查整治。" in text
    assert "主要数据" in text
    today = timezone.localdate()
    assert f"{today.year}年{today.month}月{today.day}日" in text
    doc = Document(io.BytesIO(response.content))
    title = doc.paragraphs[1]
    assert title.alignment == 1  # centred
    body = doc.paragraphs[3].runs[0]
    assert doc.paragraphs[3].text.startswith("根据《")
    assert body.font.name == "仿宋_GB2312"
    assert api_for("expert").get(f"{REPORTS}{report.pk}/docx/").status_code == 403


def test_it_renders_the_report_to_pdf(api_for, persona, units):
    report = filled(persona, report_of(issue(persona, units), units))
    response = api_for("district_officer").get(f"{REPORTS}{report.pk}/pdf/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert api_for("expert").get(f"{REPORTS}{report.pk}/pdf/").status_code == 403
    assert api_for("school_a_head").get(f"{REPORTS}{report.pk + 1}/pdf/").status_code == 404


def test_it_exports_the_returns_together(api_for, persona, units):
    call = issue(persona, units)
    for name, who in ((SCHOOL_A, "school_a_head"), (SCHOOL_B, "district_officer")):
        report = filled(persona, report_of(call, units, name), who=who)
        services.submit(persona(who), report.pk)
    bureau = api_for("district_officer")
    combined = bureau.get(f"{CALLS}{call.pk}/export/")
    assert combined.status_code == 200
    text = _text(combined.content)
    assert SCHOOL_A in text and SCHOOL_B in text
    assert "太和镇中心学校" not in text, "drafts are not exported"
    packed = bureau.get(f"{CALLS}{call.pk}/export/?as=zip")
    assert packed.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(packed.content)).namelist()
    assert len(names) == 2 and all(n.endswith(".docx") for n in names)
    assert bureau.get(f"{CALLS}{call.pk}/export/?as=rar").status_code == 400
    assert api_for("school_a_head").get(f"{CALLS}{call.pk}/export/").status_code == 404
    assert api_for("expert").get(f"{CALLS}{call.pk}/export/").status_code == 403
