"""The 技防 pages: every route of both registers and the coverage page served to someone
and refused to someone (out of scope 404, without the right 403), the naming rule on the
form."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xiaoan.cameras.models import AlarmPoint, Camera
from xiaoan.cameras.tests.support import CAMERA_HEADER, SCHOOL_A, SCHOOL_B, alarm, camera, sheet
from xiaoan.core.models import RegisterAttachment

pytestmark = pytest.mark.django_db


@pytest.fixture
def mine(persona, units):
    return camera(persona("school_a_officer"), units[SCHOOL_A])


@pytest.fixture
def other(persona, units):
    return camera(persona("district_officer"), units[SCHOOL_B], location="北门", direction="north")


def url(action, *args, model="camera"):
    return reverse(f"cameras:{model}_{action}", args=args)


def test_it_lists_in_scope(client_for, mine, other):
    client = client_for("school_a_officer")
    page = client.get(url("list"))
    body = page.content.decode()
    assert page.status_code == 200 and mine.name in body and other.name not in body
    assert "重点部位覆盖" in body
    assert other.name in client_for("district_officer").get(url("list")).content.decode()
    assert client_for("auditor").get(url("list")).status_code == 200
    for name in ("school_b_teacher", "expert", "sysadmin"):
        assert client_for(name).get(url("list")).status_code == 403


def test_it_shows_the_record_with_its_due_check(client_for, persona, units, other):
    from xiaoan.cameras.tests.support import days

    item = camera(
        persona("school_a_officer"), units[SCHOOL_A], last_checked_on=days(-3),
        last_check_result="passed",
    )  # fmt: skip
    client = client_for("school_a_officer")
    page = client.get(url("detail", item.pk))
    assert page.status_code == 200 and "监控点位巡检" in page.content.decode()
    assert client.get(url("detail", other.pk)).status_code == 404
    assert client_for("expert").get(url("detail", item.pk)).status_code == 403


def test_it_creates_with_the_standard_name_and_refuses_a_wrong_one(client_for, units):
    client = client_for("school_a_officer")
    assert client.get(url("add"), {"unit": units[SCHOOL_A].pk}).status_code == 200
    form = {
        "unit": units[SCHOOL_A].pk,
        "location": "西侧围墙",
        "direction": "west",
        "key_area": "perimeter",
        "status": "working",
        "platform_connected": "on",
    }
    refused = client.post(url("add"), {**form, "name": "围墙1号"})
    assert refused.status_code == 400 and "学校名称-安装位置-朝向" in refused.content.decode()
    assert not Camera.objects.exists()
    assert client.post(url("add"), form).status_code == 302
    assert Camera.objects.get().name == f"{SCHOOL_A}-西侧围墙-朝西"
    assert client_for("auditor").get(url("add")).status_code == 403


def test_it_edits_and_retires_in_scope(client_for, mine, other):
    client = client_for("school_a_officer")
    assert client.get(url("edit", mine.pk)).status_code == 200
    form = {
        "unit": mine.unit_id,
        "location": mine.location,
        "direction": mine.direction,
        "name": mine.name,
        "key_area": "gate",
        "status": "faulty",
    }
    assert client.post(url("edit", mine.pk), form).status_code == 302
    mine.refresh_from_db()
    assert mine.status == "faulty" and not mine.platform_connected
    assert client.get(url("edit", other.pk)).status_code == 404
    assert client_for("auditor").get(url("edit", mine.pk)).status_code == 403
    assert client.get(url("retire", mine.pk)).status_code == 200
    assert client.post(url("retire", mine.pk), {"reason": "拆除"}).status_code == 302
    assert client.get(url("retire", other.pk)).status_code == 404
    assert client.get(url("edit", mine.pk)).status_code == 404  # retired
    assert client_for("auditor").get(url("retire", other.pk)).status_code in (403, 404)


def test_it_attaches_a_photo_and_serves_it_in_scope(client_for, mine, other):
    client = client_for("school_a_officer")
    photo = SimpleUploadedFile("点位.jpg", b"\xff\xd8\xff photo", content_type="image/jpeg")
    assert client.post(url("attach", mine.pk), {"kind": "photo", "file": photo}).status_code == 302
    row = RegisterAttachment.objects.get()
    assert client.get(url("attachment", row.pk)).status_code == 200
    assert client_for("school_b_teacher").get(url("attachment", row.pk)).status_code in (403, 404)
    again = SimpleUploadedFile("b.jpg", b"\xff\xd8", content_type="image/jpeg")
    assert client.post(url("attach", other.pk), {"kind": "photo", "file": again}).status_code == 404
    assert client_for("auditor").post(url("attach", mine.pk), {"kind": "photo"}).status_code == 403


def test_it_exports_imports_and_serves_the_template(client_for, mine):
    client = client_for("school_a_officer")
    export = client.get(url("export"))
    assert export.status_code == 200 and b"".join(export.streaming_content)
    assert client_for("school_b_teacher").get(url("export")).status_code == 403
    assert client.get(url("template")).status_code == 200
    assert client_for("auditor").get(url("template")).status_code == 403
    assert client.get(url("import")).status_code == 200
    good = sheet([[SCHOOL_A, "食堂后门", "朝北", "", "食堂", "是", "正常"]], CAMERA_HEADER)
    done = client.post(url("import"), {"file": SimpleUploadedFile("c.xlsx", good)})
    assert done.status_code == 302
    assert Camera.objects.filter(name=f"{SCHOOL_A}-食堂后门-朝北").exists()
    assert client_for("auditor").get(url("import")).status_code == 403


def test_the_alarm_point_pages(client_for, persona, units):
    officer = persona("school_a_officer")
    point = alarm(officer, units[SCHOOL_A])
    far = alarm(persona("district_officer"), units[SCHOOL_B], location="传达室")
    client = client_for("school_a_officer")
    a = "alarmpoint"
    body = client.get(url("list", model=a)).content.decode()
    assert "门卫室" in body and "传达室" not in body
    assert client_for("school_b_teacher").get(url("list", model=a)).status_code == 403
    assert client.get(url("detail", point.pk, model=a)).status_code == 200
    assert client.get(url("detail", far.pk, model=a)).status_code == 404
    assert client.get(url("add", model=a)).status_code == 200
    made = client.post(url("add", model=a), {"unit": units[SCHOOL_A].pk, "location": "宿舍值班室"})
    assert made.status_code == 302 and AlarmPoint.objects.filter(name="宿舍值班室").exists()
    assert client_for("auditor").get(url("add", model=a)).status_code == 403
    edit = {"unit": point.unit_id, "location": "门卫室", "police_linked": ""}
    assert client.get(url("edit", point.pk, model=a)).status_code == 200
    assert client.post(url("edit", point.pk, model=a), edit).status_code == 302
    assert client.get(url("edit", far.pk, model=a)).status_code == 404
    photo = SimpleUploadedFile("a.jpg", b"\xff\xd8\xff", content_type="image/jpeg")
    attach = client.post(url("attach", point.pk, model=a), {"kind": "photo", "file": photo})
    assert attach.status_code == 302
    row = RegisterAttachment.objects.get()
    assert client.get(url("attachment", row.pk, model=a)).status_code == 200
    assert client_for("uni_head").get(url("attachment", row.pk, model=a)).status_code in (403, 404)
    assert client.post(url("attach", far.pk, model=a), {"kind": "photo"}).status_code == 404
    assert client.get(url("export", model=a)).status_code == 200
    assert client_for("expert").get(url("export", model=a)).status_code == 403
    assert client.get(url("template", model=a)).status_code == 200
    assert client_for("auditor").get(url("template", model=a)).status_code == 403
    assert client.get(url("import", model=a)).status_code == 200
    assert client_for("auditor").get(url("import", model=a)).status_code == 403
    assert client.get(url("retire", point.pk, model=a)).status_code == 200
    assert client.post(url("retire", point.pk, model=a), {"reason": "拆除"}).status_code == 302
    assert client.get(url("retire", far.pk, model=a)).status_code == 404


def test_the_coverage_page(client_for, persona, units):
    officer = persona("school_a_officer")
    camera(officer, units[SCHOOL_A])
    page = client_for("school_a_officer").get(reverse("cameras:coverage"))
    body = page.content.decode()
    assert page.status_code == 200 and SCHOOL_A in body and SCHOOL_B not in body
    assert "宿舍、食堂、实验室、周界" in body
    district = client_for("district_officer").get(reverse("cameras:coverage")).content.decode()
    assert SCHOOL_B in district and "食堂、实验室、周界" in district
    assert client_for("school_b_teacher").get(reverse("cameras:coverage")).status_code == 403
