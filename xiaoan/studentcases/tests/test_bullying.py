"""Bullying cases through 认定 → 复查 → 复核 with their time limits (days left and late),
wrong states 409, pages and API, and who may."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xiaoan.audit.models import AuditEntry
from xiaoan.core.errors import Conflict, Invalid
from xiaoan.studentcases import deadlines, services
from xiaoan.studentcases.models import BullyingCase
from xiaoan.studentcases.tests.conftest import PERSONAS, SCHOOL_A, days_ago

API = "/api/bullying-cases/"
COUNTY, CITY = "district_bullying_reviewer", "city_bullying_reexaminer"


def test_it_shows_days_left_and_days_late_of_the_determination(bullying):
    fresh = bullying(reported=1)
    clock = deadlines.clock(fresh)
    assert clock.days_left == deadlines.DETERMINE_DAYS - 1 and not clock.late
    old = bullying(reported=12)
    clock = deadlines.clock(old)
    assert clock.days_left == -2 and clock.late and "超期 2 天" in clock.text


def test_it_records_a_late_determination_and_refuses_a_late_review_request(persona, bullying):
    head = persona("school_a_head")
    obj = bullying(reported=13)
    services.determine(head, obj.pk, is_bullying=True, determination="构成欺凌", on=days_ago(7))
    event = obj.events.get(action="determine")
    assert event.data["days_late"] == 0  # 认定 on the 6th day: in time
    obj = bullying(reported=15)
    services.determine(head, obj.pk, is_bullying=True, determination="构成欺凌", on=days_ago(1))
    assert obj.events.get(action="determine").data["days_late"] == 15 - 1 - 10
    # 复查 may be asked for within 5 days of the determination: day 6 is too late.
    obj = bullying(reported=8)
    services.determine(head, obj.pk, is_bullying=True, determination="构成欺凌", on=days_ago(6))
    with pytest.raises(Invalid):
        services.request_review(head, obj.pk)
    services.request_review(head, obj.pk, on=days_ago(1))
    obj.refresh_from_db()
    assert obj.status == "review_requested"
    assert deadlines.clock(obj).days_left == deadlines.REVIEW_DECIDE_DAYS - 1


def test_it_answers_409_for_a_wrong_state_or_a_stale_version(persona, bullying, api_for):
    head = persona("school_a_head")
    obj = bullying()
    with pytest.raises(Conflict):
        services.request_review(head, obj.pk)
    with pytest.raises(Conflict):
        services.close_bullying(head, obj.pk)
    api = api_for("school_a_head")
    body = {"version": 99, "is_bullying": True, "determination": "x"}
    stale = api.post(f"{API}{obj.pk}/determine/", body, format="json")
    assert stale.status_code == 409
    ok = api.post(f"{API}{obj.pk}/determine/", {"is_bullying": False, "determination": "不构成"},
                  format="json")  # fmt: skip
    assert ok.status_code == 200 and ok.json()["status"] == "determined"
    again = api.post(f"{API}{obj.pk}/determine/", {"is_bullying": True, "determination": "x"},
                     format="json")  # fmt: skip
    assert again.status_code == 409


def test_it_runs_the_whole_path_through_the_api(api_for, persona, units):
    api = api_for("school_a_head")
    by = {"review": api_for(COUNTY), "reexamine": api_for(CITY)}
    created = api.post(
        API,
        {
            "unit": units[SCHOOL_A].pk,
            "reported_on": str(days_ago(2)),
            "victim_name": "王小川",
            "accused_names": "赵某某",
            "description": "推搡",
            "responsible": persona("school_a_officer").pk,
        },
        format="json",
    )
    assert created.status_code == 201
    body = created.json()
    pk = body["id"]
    assert body["days_left"] == deadlines.DETERMINE_DAYS - 2
    assert "determine" in body["allowed_actions"]
    steps = [
        ("determine", {"is_bullying": True, "determination": "构成欺凌"}, "determined"),
        ("request-review", {}, "review_requested"),
        ("review", {"result": "维持认定"}, "reviewed"),
        ("request-reexam", {}, "reexam_requested"),
        ("reexamine", {"result": "维持"}, "closed"),
    ]
    for step, data, status in steps:
        response = by.get(step, api).post(f"{API}{pk}/{step}/", data, format="json")
        assert response.status_code == 200, (step, response.content)
        assert response.json()["status"] == status
    assert api.post(f"{API}{pk}/close/", {}, format="json").status_code == 409
    steps = AuditEntry.objects.filter(object_type="studentcases.bullyingcase", object_id=str(pk))
    assert steps.filter(action="transition").count() == 5


@pytest.mark.parametrize("who", PERSONAS)
def test_it_shows_a_bullying_case_only_to_the_role_and_the_named(
    client_for, api_for, bullying, who
):
    obj = bullying()
    sees = who in ("school_a_head", "school_a_officer")  # the role; the 包保
    api = api_for(who)
    detail = api.get(f"{API}{obj.pk}/")
    page = client_for(who).get(reverse("studentcases:bullyingcase_detail", args=[obj.pk]))
    listed = api.get(API)
    if sees:
        assert detail.status_code == 200 and detail.json()["victim_name"] == "王小川"
        assert page.status_code == 200 and "王小川" in page.content.decode()
        assert [r["id"] for r in listed.json()["results"]] == [obj.pk]
    else:
        # No record of theirs anywhere: the API refuses (403), the page does not exist (404).
        assert detail.status_code == 403 and page.status_code == 404
        assert "王小川" not in detail.content.decode() + page.content.decode()
        assert listed.status_code == 403
    # Only the role takes the steps (the 包保 sees, does not decide).
    step = api.post(f"{API}{obj.pk}/determine/", {"is_bullying": True, "determination": "x"},
                    format="json")  # fmt: skip
    assert step.status_code == (200 if who == "school_a_head" else 403)


def test_it_takes_every_step_on_the_pages(client_for, bullying, persona, units):
    head = client_for("school_a_head")
    officer = client_for("school_a_officer")
    add = reverse("studentcases:bullyingcase_add")
    assert officer.get(add).status_code == 403
    assert head.get(add).status_code == 200
    response = head.post(
        add,
        {
            "unit": units[SCHOOL_A].pk,
            "reported_on": str(days_ago(0)),
            "victim_name": "周小可",
            "accused_names": "孙某某",
            "description": "起绰号",
            "responsible": persona("school_a_head").pk,
        },
    )
    assert response.status_code == 302
    obj = BullyingCase.objects.get(unit=units[SCHOOL_A])
    assert head.get(reverse("studentcases:bullyingcase_list")).status_code == 200
    assert (
        client_for("district_officer").get(reverse("studentcases:bullyingcase_list")).status_code
        == 403
    )
    steps = [
        ("determine", {"determination": "构成", "is_bullying": "1"}, head),
        ("request_review", {}, head),
        ("review", {"result": "维持"}, client_for(COUNTY)),
        ("request_reexam", {}, head),
        ("reexamine", {"result": "维持"}, client_for(CITY)),
    ]
    for name, data, actor in steps:
        url = reverse(f"studentcases:bullyingcase_{name}", args=[obj.pk])
        assert officer.post(url, {**data, "version": obj.version}).status_code == 403
        response = actor.post(url, {**data, "version": obj.version})
        assert response.status_code == 302, (name, response.content.decode()[:500])
        obj.refresh_from_db()
    assert obj.status == "closed"
    # 结案 without a request: a second case, determined, then closed.
    other = bullying()
    services.determine(persona("school_a_head"), other.pk, is_bullying=False, determination="否")
    other.refresh_from_db()
    url = reverse("studentcases:bullyingcase_close", args=[other.pk])
    assert officer.post(url, {"version": other.version}).status_code == 403
    assert head.post(url, {"version": other.version}).status_code == 302
    other.refresh_from_db()
    assert other.status == "closed"


@pytest.mark.parametrize("who", ["school_a_officer", "district_officer", "auditor", "expert"])
def test_it_refuses_every_step_and_the_report_to_who_lacks_the_role(api_for, bullying, who, units):
    obj = bullying()
    api = api_for(who)
    for step in ("determine", "request-review", "review", "request-reexam", "reexamine", "close"):
        response = api.post(f"{API}{obj.pk}/{step}/", {"result": "x"}, format="json")
        assert response.status_code == 403, step
    body = {"unit": units[SCHOOL_A].pk, "reported_on": str(days_ago(0)), "victim_name": "甲",
            "accused_names": "乙", "description": "x", "responsible": 1}  # fmt: skip
    assert api.post(API, body, format="json").status_code == 403


def test_it_closes_a_determined_case_through_the_api(api_for, persona, bullying):
    obj = bullying()
    services.determine(persona("school_a_head"), obj.pk, is_bullying=False, determination="否")
    response = api_for("school_a_head").post(f"{API}{obj.pk}/close/", {}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "closed"
    assert response.json()["days_left"] is None
