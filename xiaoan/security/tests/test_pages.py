"""The 安防建设 pages: every route served to someone and refused to someone; the record page
shows the four 100% ("应配 n 人 / 现有 m 人") and the steps each person may take."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xiaoan.core.models import RegisterAttachment
from xiaoan.security.choices import PostureStatus
from xiaoan.security.models import SecurityPosture
from xiaoan.security.tests.support import SCHOOL_A, SCHOOL_B, declared, make, sheet, year

pytestmark = pytest.mark.django_db


@pytest.fixture
def mine(persona, units):
    return make(persona("school_a_officer"), units[SCHOOL_A], guards=2, escort_noon=False)


@pytest.fixture
def other(persona, units):
    return make(persona("district_officer"), units[SCHOOL_B])


def url(action, *args):
    return reverse(f"security:securityposture_{action}", args=args)


def test_it_lists_in_scope(client_for, mine, other, django_assert_max_num_queries):
    client = client_for("school_a_officer")
    client.get(url("list"))
    with django_assert_max_num_queries(25):
        page = client.get(url("list"))
    body = page.content.decode()
    assert page.status_code == 200 and SCHOOL_A in body and SCHOOL_B not in body
    district = client_for("district_officer").get(url("list"), {"status": "draft"})
    assert SCHOOL_B in district.content.decode()
    assert client_for("auditor").get(url("list")).status_code == 200
    for name in ("school_b_teacher", "expert", "sysadmin"):
        assert client_for(name).get(url("list")).status_code == 403


def test_the_record_shows_the_four_100_and_the_rule(client_for, mine, other):
    client = client_for("school_a_officer")
    page = client.get(url("detail", mine.pk))
    body = page.content.decode()
    assert page.status_code == 200
    assert "应配 3 人 / 现有 2 人" in body and "每满 1000 人增配 1 人" in body
    assert "中午 ✗" in body and "早上入校 ✓" in body and "防盗、防火" in body
    assert "提交核验" in body and "上传佐证材料" in body
    assert client.get(url("detail", other.pk)).status_code == 404
    assert client_for("expert").get(url("detail", mine.pk)).status_code == 403


def test_it_declares_and_edits_through_the_pages(client_for, units):
    client = client_for("school_a_officer")
    page = client.get(url("add"))
    assert page.status_code == 200 and "防溺水" in page.content.decode()
    form = {
        "unit": units[SCHOOL_A].pk,
        "year": year(),
        "closed_management": "on",
        "guards": 3,
        "alarm_networked": "on",
        "measures": ["fire", "drowning"],
    }
    done = client.post(url("add"), form)
    assert done.status_code == 302
    posture = SecurityPosture.objects.get()
    assert posture.measures == ["fire", "drowning"] and not posture.video_networked
    again = client.post(url("add"), form)
    assert again.status_code == 400 and "本年度已有" in again.content.decode()
    assert client.get(url("edit", posture.pk)).status_code == 200
    edited = client.post(url("edit", posture.pk), {**form, "video_networked": "on"})
    assert edited.status_code == 302
    posture.refresh_from_db()
    assert posture.video_networked
    assert client_for("auditor").get(url("add")).status_code == 403
    assert client_for("uni_head").get(url("edit", posture.pk)).status_code == 404


def test_declare_then_verify_and_return_through_the_pages(client_for, mine, units):
    school, bureau = client_for("school_a_officer"), client_for("district_officer")
    # Without evidence the submission is refused on the record page.
    refused = school.post(url("submit", mine.pk), {"version": mine.version})
    assert refused.status_code == 400 and "佐证材料" in refused.content.decode()
    scan = SimpleUploadedFile("台账.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    assert (
        school.post(url("attach", mine.pk), {"kind": "evidence", "file": scan}).status_code == 302
    )
    assert school.post(url("submit", mine.pk), {"version": mine.version}).status_code == 302
    mine.refresh_from_db()
    assert mine.status == PostureStatus.SUBMITTED
    page = bureau.get(url("detail", mine.pk)).content.decode()
    assert "核验通过" in page and "退回" in page
    own = client_for("school_a_head")
    assert "核验通过" not in own.get(url("detail", mine.pk)).content.decode()
    assert own.post(url("verify", mine.pk), {"version": mine.version}).status_code in (302, 403)
    mine.refresh_from_db()
    assert mine.status == PostureStatus.SUBMITTED  # never by the school's own people
    no_reason = bureau.post(url("send_back", mine.pk), {"version": mine.version, "note": ""})
    assert no_reason.status_code == 400
    back = bureau.post(url("send_back", mine.pk), {"version": mine.version, "note": "缺照片"})
    assert back.status_code == 302
    mine.refresh_from_db()
    assert mine.status == PostureStatus.RETURNED
    assert "缺照片" in school.get(url("detail", mine.pk)).content.decode()
    assert school.post(url("submit", mine.pk), {"version": mine.version}).status_code == 302
    mine.refresh_from_db()
    assert bureau.post(url("verify", mine.pk), {"version": mine.version}).status_code == 302
    mine.refresh_from_db()
    assert mine.status == PostureStatus.VERIFIED
    assert client_for("auditor").post(url("verify", mine.pk), {}).status_code == 403


def test_a_school_head_is_refused_verifying_on_the_page(client_for, persona, units):
    posture = declared(persona("school_a_officer"), units[SCHOOL_A])
    head = client_for("school_a_head")
    response = head.post(url("verify", posture.pk), {"version": posture.version})
    assert response.status_code in (302, 400, 403)
    posture.refresh_from_db()
    assert posture.status == PostureStatus.SUBMITTED


def test_it_retires(client_for, mine, other):
    client = client_for("school_a_officer")
    assert client.get(url("retire", mine.pk)).status_code == 200
    assert client.post(url("retire", mine.pk), {"reason": "重复申报"}).status_code == 302
    assert client.get(url("retire", other.pk)).status_code == 404
    assert client_for("auditor").get(url("retire", mine.pk)).status_code == 403


def test_it_serves_evidence_in_scope(client_for, mine, other):
    client = client_for("school_a_officer")
    scan = SimpleUploadedFile("台账.pdf", b"%PDF-1.4 scan", content_type="application/pdf")
    assert (
        client.post(url("attach", mine.pk), {"kind": "evidence", "file": scan}).status_code == 302
    )
    row = RegisterAttachment.objects.get()
    assert client.get(url("attachment", row.pk)).status_code == 200
    assert client_for("district_officer").get(url("attachment", row.pk)).status_code == 200
    assert client_for("uni_head").get(url("attachment", row.pk)).status_code in (403, 404)
    again = SimpleUploadedFile("b.pdf", b"%PDF", content_type="application/pdf")
    assert (
        client.post(url("attach", other.pk), {"kind": "evidence", "file": again}).status_code == 404
    )


def test_it_exports_imports_and_serves_the_template(client_for, mine):
    client = client_for("school_a_officer")
    export = client.get(url("export"))
    assert export.status_code == 200 and b"".join(export.streaming_content)
    assert client_for("school_b_teacher").get(url("export")).status_code == 403
    assert client.get(url("template")).status_code == 200
    assert client_for("auditor").get(url("template")).status_code == 403
    assert client.get(url("import")).status_code == 200
    good = sheet([[SCHOOL_A, year() - 1, "是", 3, "是", "是", "是", "是", "是", "防盗"]])
    done = client.post(url("import"), {"file": SimpleUploadedFile("p.xlsx", good)})
    assert done.status_code == 302
    assert SecurityPosture.objects.filter(year=year() - 1, status="draft").exists()
    assert client_for("auditor").get(url("import")).status_code == 403


def test_every_step_refuses_who_may_not(client_for, mine):
    outsider, auditor = client_for("uni_head"), client_for("auditor")
    assert outsider.post(url("submit", mine.pk), {"version": 0}).status_code == 404
    assert auditor.post(url("submit", mine.pk), {"version": 0}).status_code == 403
    assert outsider.post(url("send_back", mine.pk), {"version": 0, "note": "x"}).status_code == 404
    assert auditor.post(url("send_back", mine.pk), {"version": 0, "note": "x"}).status_code == 403
    assert auditor.post(url("attach", mine.pk), {"kind": "evidence"}).status_code == 403
