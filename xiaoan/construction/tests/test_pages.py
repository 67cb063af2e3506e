"""The 校园施工项目 pages: every route served to someone and refused to someone; the record
page shows the status and the inspections naming the project."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xiaoan.construction.models import ConstructionProject
from xiaoan.construction.tests.support import SCHOOL_A, SCHOOL_B, days, inspect, make, sheet
from xiaoan.core.models import RegisterAttachment
from xiaoan.inspections.tests.support import done

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(persona, units):
    return make(persona("school_a_officer"), units[SCHOOL_A])


@pytest.fixture
def other(persona, units):
    return make(persona("district_officer"), units[SCHOOL_B], name="东沟厕所改造")


def url(action, *args):
    return reverse(f"construction_projects:constructionproject_{action}", args=args)


def test_it_lists_in_scope(client_for, project, other, django_assert_max_num_queries):
    client = client_for("school_a_officer")
    client.get(url("list"))
    with django_assert_max_num_queries(25):
        page = client.get(url("list"))
    body = page.content.decode()
    assert page.status_code == 200 and "食堂改扩建" in body and "东沟厕所改造" not in body
    assert client.get(url("list"), {"status": "in_progress", "unsafe": "true"}).status_code == 200
    assert client_for("auditor").get(url("list")).status_code == 200
    for name in ("school_b_teacher", "expert", "sysadmin"):
        assert client_for(name).get(url("list")).status_code == 403


def test_an_inspection_on_the_project_shows_on_its_page(
    client_for, persona, project, other, checklist
):
    client = client_for("school_a_officer")
    body = client.get(url("detail", project.pk)).content.decode()
    assert "施工中" in body and "data-overdue-inspection" in body
    assert "发起施工安全检查" in body and "checklist=" in body
    inspection = inspect(persona("school_a_officer"), project, checklist, title="食堂工地检查")
    done(persona, inspection)
    page = client.get(url("detail", project.pk))
    body = page.content.decode()
    assert page.status_code == 200 and "食堂工地检查" in body
    assert "data-overdue-inspection" not in body
    assert client.get(url("detail", other.pk)).status_code == 404
    assert client_for("expert").get(url("detail", project.pk)).status_code == 403


def test_it_creates_edits_and_retires(client_for, units, project, other):
    client = client_for("school_a_officer")
    assert client.get(url("add")).status_code == 200
    form = {
        "unit": units[SCHOOL_A].pk,
        "name": "外墙维修",
        "location": "1号教学楼",
        "contractor": "华鑫装饰",
        "site_manager": "吴工",
        "site_manager_phone": "13807110002",
        "starts_on": str(days(-1)),
        "ends_on": str(days(30)),
        "segregated": "on",
    }
    refused = client.post(url("add"), {**form, "ends_on": str(days(-5))})
    assert refused.status_code == 400
    assert not ConstructionProject.objects.filter(name="外墙维修").exists()
    assert client.post(url("add"), form).status_code == 302
    assert client_for("auditor").get(url("add")).status_code == 403
    assert client.get(url("edit", project.pk)).status_code == 200
    assert client.post(url("edit", project.pk), {**form, "name": "食堂（改）"}).status_code == 302
    assert client.get(url("edit", other.pk)).status_code == 404
    assert client.get(url("retire", project.pk)).status_code == 200
    assert client.post(url("retire", project.pk), {"reason": "已竣工"}).status_code == 302
    assert client.get(url("retire", other.pk)).status_code == 404
    assert client_for("auditor").get(url("retire", project.pk)).status_code == 403


def test_it_attaches_the_agreement_and_serves_it_in_scope(client_for, project, other):
    client = client_for("school_a_officer")

    def pdf():
        return SimpleUploadedFile("协议.pdf", b"%PDF-1.4", content_type="application/pdf")

    posted = client.post(url("attach", project.pk), {"kind": "agreement", "file": pdf()})
    assert posted.status_code == 302
    row = RegisterAttachment.objects.get()
    assert client.get(url("attachment", row.pk)).status_code == 200
    assert client_for("uni_head").get(url("attachment", row.pk)).status_code in (403, 404)
    elsewhere = client.post(url("attach", other.pk), {"kind": "agreement", "file": pdf()})
    assert elsewhere.status_code == 404
    auditor = client_for("auditor").post(url("attach", project.pk), {"kind": "agreement"})
    assert auditor.status_code == 403


def test_it_exports_imports_and_serves_the_template(client_for, project):
    client = client_for("school_a_officer")
    assert client.get(url("export")).status_code == 200
    assert client_for("school_b_teacher").get(url("export")).status_code == 403
    assert client.get(url("template")).status_code == 200
    assert client_for("auditor").get(url("template")).status_code == 403
    assert client.get(url("import")).status_code == 200
    row = [SCHOOL_A, "围墙", "东墙", "太和建筑队", "孙工", "138", "2030-01-01", "2030-02-01"]
    posted = client.post(url("import"), {"file": SimpleUploadedFile("p.xlsx", sheet([row]))})
    assert posted.status_code == 302 and ConstructionProject.objects.filter(name="围墙").exists()
    assert client_for("auditor").get(url("import")).status_code == 403
