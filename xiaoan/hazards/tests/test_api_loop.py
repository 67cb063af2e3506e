"""The closed loop driven through /api/hazards/: report to closure, supervision, extensions,
idempotent reporting, stale versions and refused input (nothing written, Chinese message)."""

from __future__ import annotations

import datetime as dt

import pytest

from xiaoan.hazards.models import Hazard, HazardEvent, HazardPhoto
from xiaoan.hazards.tests.api_support import (
    SCHOOL_A,
    error_of,
    has_chinese,
    hazard_in,
    jpeg,
    renamed_pdf,
    today,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _post(client, hazard_id, action, body=None, multipart=False):
    response = client.post(
        f"/api/hazards/{hazard_id}/{action}/",
        body or {},
        format="multipart" if multipart else "json",
    )
    assert response.status_code in (200, 201), (action, response.content[:500])
    return response.json()


def test_it_walks_a_general_hazard_to_closure_through_the_api(api_for, persona, units):
    officer, owner, head = (
        api_for("school_a_officer"),
        api_for("school_a_owner"),
        api_for("school_a_head"),
    )
    created = officer.post(
        "/api/hazards/",
        {
            "unit": units[SCHOOL_A].pk,
            "description": "二号宿舍楼楼道堆放杂物，阻塞疏散通道",
            "source": "self_check",
            "domain": "fire",
            "category": "疏散通道",
            "place_text": "二号宿舍楼三楼",
            "photos": [jpeg(), jpeg(color="red")],
        },
        format="multipart",
    )
    assert created.status_code == 201, created.content
    record = created.json()
    pk = record["id"]
    assert record["status"] == "reported" and record["status_display"] == "待确认"
    assert record["number"].startswith("YH") and record["unit_name"] == SCHOOL_A
    assert len(record["photos"]) == 2 and record["photos"][0]["kind"] == "before"
    assert {"confirm", "dismiss", "fix_on_spot"} <= set(record["allowed_actions"])
    assert "assign" not in record["allowed_actions"]  # confirm the level first
    assert record["events"][0]["action"] == "report"
    assert record["events"][0]["photos"] == [p["id"] for p in record["photos"]]

    record = _post(officer, pk, "confirm", {"level": "general", "version": record["version"]})
    assert "assign" in record["allowed_actions"]
    record = _post(
        officer,
        pk,
        "assign",
        {
            "owner_unit": units["总务处"].pk,
            "owner": persona("school_a_owner").pk,
            "measures": "清理杂物，保持通道畅通",
            "deadline": (today() + dt.timedelta(days=3)).isoformat(),
            "budget": "800.00",
            "version": record["version"],
        },
    )
    assert record["status"] == "assigned" and record["owner_name"] == "周总务"
    assert record["owner_unit_name"] == "总务处" and record["budget"] == "800.00"

    record = _post(owner, pk, "start", {"version": record["version"]})
    assert record["status"] == "rectifying"
    record = _post(owner, pk, "progress", {"note": "已清理一半", "photos": [jpeg()]}, True)
    record = _post(owner, pk, "control", {"measures": "设置警示标识"})
    assert "设置警示标识" in record["interim_controls"]
    record = _post(owner, pk, "submit", {"note": "已全部清理", "photos": [jpeg()]}, True)
    assert record["status"] == "submitted" and record["submitted_by_name"] == "周总务"

    # The owner may not verify his own work; the principal sends it back once.
    refused = owner.post(f"/api/hazards/{pk}/verify/", {"passed": True, "note": "好"}, "json")
    assert refused.status_code == 403
    assert head.get(f"/api/hazards/{pk}/").json()["allowed_actions"] == ["close", "reject"]
    record = _post(head, pk, "verify", {"passed": False, "note": "仍有纸箱未清走"})
    assert record["status"] == "rectifying" and record["rework_count"] == 1
    record = _post(owner, pk, "submit", {"note": "纸箱已清走", "photos": [jpeg()]}, True)
    record = _post(head, pk, "verify", {"passed": "true", "note": "验收合格"}, True)

    assert record["status"] == "closed" and record["closed_by_name"] == "王校长"
    assert record["closed_at"] and record["allowed_actions"] == []
    assert [e["action"] for e in record["events"]] == [
        "report",
        "confirm",
        "assign",
        "start",
        "progress",
        "control",
        "submit",
        "reject",
        "submit",
        "close",
    ]
    assert record["events"][-1]["actor_name"] == "王校长"
    assert len(record["photos"]) == 5
    image = officer.get(record["photos"][-1]["url"])
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"


def test_it_closes_a_major_hazard_only_when_the_bureau_accepts(api_for, persona, units):
    officer, owner, head, bureau = (
        api_for("school_a_officer"),
        api_for("school_a_owner"),
        api_for("school_a_head"),
        api_for("district_officer"),
    )
    hazard = hazard_in("reported", persona, units, description="实验室内违规存放大量酒精")
    record = _post(officer, hazard.pk, "confirm", {"level": "major", "domain": "labs"})
    assert record["is_supervised"] and record["level_display"] == "重大隐患"
    [supervision] = record["supervisions"]
    assert supervision["supervising_unit_name"] == "梁子湖区教育局" and supervision["automatic"]
    record = _post(
        officer,
        hazard.pk,
        "assign",
        {
            "owner_unit": units["总务处"].pk,
            "owner": persona("school_a_owner").pk,
            "measures": "清运酒精，设危化品专柜",
            "deadline": (today() + dt.timedelta(days=5)).isoformat(),
        },
    )

    # An extension goes to the bureau.
    record = _post(
        owner,
        hazard.pk,
        "extension-request",
        {"new_deadline": (today() + dt.timedelta(days=15)).isoformat(), "reason": "专柜需采购"},
    )
    [extension] = record["extensions"]
    assert extension["status"] == "pending" and extension["can_decide"] is False
    seen_by_bureau = bureau.get(f"/api/hazards/{hazard.pk}/").json()
    assert seen_by_bureau["extensions"][0]["can_decide"] is True
    decided = bureau.post(
        f"/api/hazard-extensions/{extension['id']}/decide/",
        {"approve": True, "note": "同意延期"},
        format="json",
    )
    assert decided.status_code == 200, decided.content
    assert decided.json()["status"] == "approved" and decided.json()["decided_by_name"] == "刘安全"
    again = bureau.post(
        f"/api/hazard-extensions/{extension['id']}/decide/",
        {"approve": False, "note": "不同意"},
        format="json",
    )
    assert again.status_code == 409 and error_of(again)["message"] == "该延期申请已审批。"
    assert Hazard.objects.get(pk=hazard.pk).deadline == today() + dt.timedelta(days=15)

    # A major hazard needs interim controls before it can be submitted.
    missing = owner.post(
        f"/api/hazards/{hazard.pk}/submit/",
        {"note": "完成", "photos": [jpeg()]},
        format="multipart",
    )
    assert missing.status_code == 400
    assert "interim_controls" in error_of(missing)["fields"]
    _post(owner, hazard.pk, "control", {"measures": "设置警示标识，专人看管"})
    _post(owner, hazard.pk, "submit", {"note": "已清运", "photos": [jpeg()]}, True)
    record = _post(head, hazard.pk, "verify", {"passed": True, "note": "合格"})
    assert record["status"] == "submitted" and record["closed_by_name"] == "王校长"
    assert (
        "supervision_accept" in bureau.get(f"/api/hazards/{hazard.pk}/").json()["allowed_actions"]
    )
    refused = officer.post(
        f"/api/hazards/{hazard.pk}/accept-supervision/", {"note": "认可"}, format="json"
    )
    assert refused.status_code == 403  # the school cannot accept its own supervision
    record = _post(bureau, hazard.pk, "accept-supervision", {"note": "认可销号"})
    assert record["status"] == "closed"
    assert record["supervisions"][0]["accepted_by_name"] == "刘安全"


def test_it_fixes_on_the_spot_dismisses_and_supervises(api_for, persona, units):
    officer, head, bureau = (
        api_for("school_a_officer"),
        api_for("school_a_head"),
        api_for("district_officer"),
    )
    fixed = hazard_in("reported", persona, units, description="灭火器压力不足")
    record = _post(officer, fixed.pk, "fix-on-spot", {"note": "已更换", "photos": [jpeg()]}, True)
    assert record["status"] == "submitted" and record["fixed_on_spot"]
    assert record["photos"][-1]["kind"] == "after"
    record = _post(head, fixed.pk, "verify", {"passed": True, "note": "合格"})
    assert record["status"] == "closed"

    dismissed = hazard_in("reported", persona, units, description="疑似电线裸露")
    empty = officer.post(f"/api/hazards/{dismissed.pk}/dismiss/", {"note": " "}, format="json")
    assert empty.status_code == 400
    assert error_of(empty)["message"] == "请填写不构成隐患的理由。"
    record = _post(officer, dismissed.pk, "dismiss", {"note": "为已断电的废弃线路，已拆除"})
    assert record["status"] == "dismissed"

    listed = hazard_in("assigned", persona, units, description="食堂燃气软管老化")
    record = _post(bureau, listed.pk, "supervise", {"reason": "涉及燃气安全，区局督办"})
    assert record["is_supervised"]
    assert record["supervisions"][0]["listed_by_name"] == "刘安全"
    twice = bureau.post(
        f"/api/hazards/{listed.pk}/supervise/", {"reason": "再次督办"}, format="json"
    )
    assert twice.status_code == 409


def test_it_makes_no_duplicate_when_a_report_is_retried(api_for, units):
    officer = api_for("school_a_officer")
    body = {"unit": units[SCHOOL_A].pk, "description": "围墙局部开裂"}
    before = Hazard.objects.count()
    first = officer.post("/api/hazards/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-42")
    again = officer.post("/api/hazards/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-42")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Hazard.objects.count() == before + 1

    # The key as a form field works the same; a retry with photos adds none.
    body = {
        "unit": units[SCHOOL_A].pk,
        "description": "配电箱门损坏",
        "idempotency_key": "form-7",
        "photos": [jpeg()],
    }
    first = officer.post("/api/hazards/", body, format="multipart")
    body["photos"] = [jpeg()]
    again = officer.post("/api/hazards/", body, format="multipart")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert HazardPhoto.objects.filter(hazard_id=first.json()["id"]).count() == 1
    assert HazardEvent.objects.filter(hazard_id=first.json()["id"]).count() == 1


def test_it_accepts_photos_sent_as_a_bracketed_list(api_for, units):
    response = api_for("school_a_officer").post(
        "/api/hazards/",
        {"unit": units[SCHOOL_A].pk, "description": "楼梯扶手松动", "photos[]": [jpeg(), jpeg()]},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    assert len(response.json()["photos"]) == 2


def test_it_refuses_the_slower_of_two_racing_verifications(api_for, persona, units):
    hazard = hazard_in("submitted", persona, units)
    seen = api_for("school_a_head").get(f"/api/hazards/{hazard.pk}/").json()["version"]
    first = api_for("school_a_head").post(
        f"/api/hazards/{hazard.pk}/verify/",
        {"passed": True, "note": "验收合格", "version": seen},
        format="json",
    )
    assert first.status_code == 200
    second = api_for("district_officer").post(
        f"/api/hazards/{hazard.pk}/verify/",
        {"passed": False, "note": "不合格", "version": seen},
        format="json",
    )
    assert second.status_code == 409
    error = error_of(second)
    assert error["code"] == "conflict"
    assert error["message"] == "该隐患已被他人处理，请刷新后查看最新状态。"
    hazard.refresh_from_db()
    assert hazard.status == "closed" and hazard.rework_count == 0
    assert hazard.events.filter(action__in=["close", "reject"]).count() == 1


def test_it_refuses_a_renamed_pdf_and_creates_nothing(api_for, persona, units):
    officer = api_for("school_a_officer")
    counts = (Hazard.objects.count(), HazardEvent.objects.count(), HazardPhoto.objects.count())
    response = officer.post(
        "/api/hazards/",
        {"unit": units[SCHOOL_A].pk, "description": "配电箱门损坏", "photos": [renamed_pdf()]},
        format="multipart",
    )
    assert response.status_code == 400
    error = error_of(response)
    assert error["message"] == "文件不是可识别的照片（支持 JPG、PNG、WebP）。"
    assert error["fields"] == {"photos": ["不是照片。"]}
    after = (Hazard.objects.count(), HazardEvent.objects.count(), HazardPhoto.objects.count())
    assert after == counts

    # The same on a transition: the hazard stays where it was.
    hazard = hazard_in("rectifying", persona, units)
    response = api_for("school_a_owner").post(
        f"/api/hazards/{hazard.pk}/submit/",
        {"note": "完成", "photos": [jpeg(), renamed_pdf()]},
        format="multipart",
    )
    assert response.status_code == 400 and has_chinese(error_of(response)["message"])
    fresh = Hazard.objects.get(pk=hazard.pk)
    assert (fresh.status, fresh.version) == ("rectifying", hazard.version)
    assert fresh.photos.count() == hazard.photos.count()


def test_it_refuses_a_deadline_in_the_past(api_for, persona, units):
    hazard = hazard_in("confirmed", persona, units)
    response = api_for("school_a_officer").post(
        f"/api/hazards/{hazard.pk}/assign/",
        {
            "owner_unit": units["总务处"].pk,
            "owner": persona("school_a_owner").pk,
            "measures": "清理",
            "deadline": (today() - dt.timedelta(days=1)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 400
    assert error_of(response)["fields"] == {"deadline": ["整改期限不能早于今天。"]}
    fresh = Hazard.objects.get(pk=hazard.pk)
    assert fresh.status == "confirmed" and fresh.deadline is None


def test_it_reports_malformed_input_per_field_in_chinese(api_for, persona, units):
    hazard = hazard_in("confirmed", persona, units)
    response = api_for("school_a_officer").post(
        f"/api/hazards/{hazard.pk}/assign/",
        {"owner_unit": "总务处", "deadline": "明天", "version": "new"},
        format="json",
    )
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid" and error["message"] == "提交的内容有误，请检查后重试。"
    assert {"owner_unit", "deadline", "measures", "version"} <= set(error["fields"])
    for messages in error["fields"].values():
        assert all(has_chinese(m) for m in messages)
    wrong_state = api_for("school_a_head").post(
        f"/api/hazards/{hazard.pk}/verify/", {"passed": True, "note": "好"}, format="json"
    )
    assert wrong_state.status_code == 409
    assert error_of(wrong_state)["message"] == "隐患当前为“待交办”，不能执行“验收通过，销号”。"
