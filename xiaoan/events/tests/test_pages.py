"""The 大型活动 pages: every route served to someone and refused to someone; the record page
offers the pre-event inspection (pre-filled) and the sign-off; the sign-off page refuses."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xiaoan.core.models import RegisterAttachment
from xiaoan.events.models import Event
from xiaoan.events.tests.support import SCHOOL_A, SCHOOL_B, days, make, pdf, ready, sheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(persona, units):
    return make(persona("school_a_officer"), units[SCHOOL_A])


@pytest.fixture
def other(persona, units):
    return make(persona("district_officer"), units[SCHOOL_B], name="东沟毕业典礼")


def url(action, *args):
    return reverse(f"events:event_{action}", args=args)


def test_it_lists_in_scope(client_for, event, other, django_assert_max_num_queries):
    client = client_for("school_a_officer")
    client.get(url("list"))
    with django_assert_max_num_queries(25):
        page = client.get(url("list"))
    body = page.content.decode()
    assert page.status_code == 200 and "秋季运动会" in body and "东沟毕业典礼" not in body
    assert client_for("auditor").get(url("list")).status_code == 200
    assert client.get(url("list"), {"signoff": "soon"}).status_code == 200
    for name in ("school_b_teacher", "expert", "sysadmin"):
        assert client_for(name).get(url("list")).status_code == 403


def test_the_record_page_offers_the_precheck_and_shows_it(client_for, persona, event, other):
    from xiaoan.inspections import services as inspection_services
    from xiaoan.inspections.models import ChecklistTemplate

    client = client_for("school_a_officer")
    page = client.get(url("detail", event.pk))
    body = page.content.decode()
    assert page.status_code == 200 and "发起活动前检查" in body
    assert "kind=campaign" in body and f"subject=events%3A{event.pk}" in body
    assert "尚未上传活动安全工作方案" in body
    # The pre-filled inspection form, as the button leads to it.
    crowd = ChecklistTemplate.objects.get(code="CROWD-EVENT")
    form = client.get(
        reverse("inspections:inspection_create"),
        {
            "unit": event.unit_id,
            "kind": "campaign",
            "subject": f"events:{event.pk}",
            "checklist": crowd.pk,
            "title": "秋季运动会 活动前安全检查",
        },
    )
    assert form.status_code == 200 and "秋季运动会 活动前安全检查" in form.content.decode()
    inspection = inspection_services.create_inspection(
        persona("school_a_officer"),
        kind="campaign",
        unit=event.unit_id,
        checklist=crowd.pk,
        title="秋季运动会 活动前安全检查",
        subject=f"events:{event.pk}",
    )
    body = client.get(url("detail", event.pk)).content.decode()
    assert inspection.title in body and "活动前安全检查（专项检查）尚未完成" in body
    assert client.get(url("detail", other.pk)).status_code == 404
    assert client_for("expert").get(url("detail", event.pk)).status_code == 403


def test_it_signs_off_through_the_page(client_for, persona, event, other, checklist):
    head = client_for("school_a_head")
    assert head.get(url("signoff", event.pk)).status_code == 200
    refused = head.post(url("signoff", event.pk), {"note": "同意"})
    assert refused.status_code == 400 and "安全工作方案" in refused.content.decode()
    ready(persona, event, checklist)
    page = head.get(url("detail", event.pk)).content.decode()
    assert "data-signoff-link" in page
    assert client_for("school_a_officer").get(url("signoff", event.pk)).status_code == 403
    assert head.get(url("signoff", other.pk)).status_code == 404
    done = head.post(url("signoff", event.pk), {"note": "同意按方案举办"})
    assert done.status_code == 302
    event.refresh_from_db()
    assert event.is_signed_off and event.signoff_note == "同意按方案举办"
    assert "王校长" in head.get(url("detail", event.pk)).content.decode()


def test_the_sign_off_page_of_a_retired_event_is_gone(client_for, persona, event):
    from xiaoan.core import registers
    from xiaoan.events.registers import EVENTS

    registers.retire(EVENTS, persona("school_a_officer"), event.pk, reason="取消")
    assert client_for("school_a_head").get(url("signoff", event.pk)).status_code == 404


def test_it_creates_edits_and_retires(client_for, units, event, other):
    client = client_for("school_a_officer")
    assert client.get(url("add")).status_code == 200
    form = {
        "unit": units[SCHOOL_A].pk,
        "kind": "exam",
        "name": "期末考试",
        "starts_on": str(days(30)),
        "destination": "教学楼",
        "participants": 2000,
        "organiser": "陈教务",
    }
    refused = client.post(url("add"), {**form, "destination": ""})
    assert refused.status_code == 400 and not Event.objects.filter(name="期末考试").exists()
    assert client.post(url("add"), form).status_code == 302
    assert client_for("auditor").get(url("add")).status_code == 403
    assert client.get(url("edit", event.pk)).status_code == 200
    edited = client.post(url("edit", event.pk), {**form, "name": "秋季运动会（改）"})
    assert edited.status_code == 302
    assert client.get(url("edit", other.pk)).status_code == 404
    assert client.get(url("retire", event.pk)).status_code == 200
    assert client.post(url("retire", event.pk), {"reason": "取消"}).status_code == 302
    assert client.get(url("retire", other.pk)).status_code == 404
    assert client_for("auditor").get(url("retire", event.pk)).status_code == 403


def test_it_attaches_the_plan_and_serves_it_in_scope(client_for, event, other):
    client = client_for("school_a_officer")
    assert client.post(url("attach", event.pk), {"kind": "plan", "file": pdf()}).status_code == 302
    row = RegisterAttachment.objects.get()
    assert client.get(url("attachment", row.pk)).status_code == 200
    assert client_for("uni_head").get(url("attachment", row.pk)).status_code in (403, 404)
    assert client.post(url("attach", other.pk), {"kind": "plan", "file": pdf()}).status_code == 404
    assert client_for("auditor").post(url("attach", event.pk), {"kind": "plan"}).status_code == 403


def test_it_exports_imports_and_serves_the_template(client_for, event):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for("school_a_officer")
    assert client.get(url("export")).status_code == 200
    assert client_for("school_b_teacher").get(url("export")).status_code == 403
    assert client.get(url("template")).status_code == 200
    assert client_for("auditor").get(url("template")).status_code == 403
    assert client.get(url("import")).status_code == 200
    good = sheet([[SCHOOL_A, "元旦汇演", "文艺演出", str(days(30)), "", "礼堂", 900, "赵团委"]])
    done = client.post(url("import"), {"file": SimpleUploadedFile("e.xlsx", good)})
    assert done.status_code == 302 and Event.objects.filter(name="元旦汇演").exists()
    assert client_for("auditor").get(url("import")).status_code == 403
