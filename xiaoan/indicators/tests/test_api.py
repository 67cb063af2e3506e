"""/api/indicators/ and /api/indicator-values/: values per unit against the records, the
review, and the scoping matrix (other units' ids 404, wrong level 403, wrong state 409,
malformed and huge ids)."""

from __future__ import annotations

import pytest

from xiaoan.indicators.models import IndicatorValue
from xiaoan.indicators.tests.support import REPORTED, REPORTED_MEAN, YEAR, ind, pdf, put

pytestmark = pytest.mark.django_db

DISTRICT, A, B = "梁子湖区教育局", "梁子湖高级中学", "东沟镇中心小学"
VALUES = "/api/indicator-values/"


def _report(api_for, demo, code="safety-spending", value="66", **extra):
    body = {
        "indicator": ind(code).pk,
        "unit": demo[A].pk,
        "year": YEAR,
        "value": value,
        "note": "预算批复",
        **extra,
    }
    return api_for("school_a_officer").post(VALUES, body, format="multipart")


def test_it_lists_indicators_with_targets_and_the_units_values(api_for, demo):
    # A school-reported indicator (the bus ones are read from the 校车 register).
    put(REPORTED_MEAN, demo[A], 100)
    put(REPORTED_MEAN, demo[B], 40)
    answer = api_for("district_officer").get(f"/api/indicators/?unit={demo[DISTRICT].pk}&year=2026")
    assert answer.status_code == 200
    rows = {r["indicator"]["code"]: r for r in answer.json()}
    bus = rows[REPORTED_MEAN]["current"]
    assert (bus["value"], bus["target"], bus["standing"]) == ("70.00", "100.00", "behind")
    assert rows["safety-spending"]["current"]["standing"] == "missing"
    detail = (
        api_for("district_officer")
        .get(f"/api/indicators/{ind(REPORTED_MEAN).pk}/?unit={demo[DISTRICT].pk}")
        .json()
    )
    per_unit = {u["unit"]["name"]: u for u in detail["units"]}
    assert per_unit[A]["value"] == "100.00" and per_unit[A]["standing"] == "met"
    assert per_unit[B]["standing"] == "behind"
    assert "安全股" not in per_unit  # the bureau's own sections are not ranked
    # 2024's target of an indicator with yearly targets.
    old = api_for("district_officer").get(f"/api/indicators/?unit={demo[A].pk}&year=2024")
    assert {r["indicator"]["code"]: r["current"]["target"] for r in old.json()}[
        "bus-face-recognition"
    ] == "30.00"


def test_it_reports_reviews_and_reports_again(api_for, demo):
    answer = _report(api_for, demo, evidence=pdf())
    assert answer.status_code == 201, answer.json()
    row = answer.json()
    assert row["status"] == "pending" and row["evidence_url"]
    assert _report(api_for, demo).status_code == 409  # waiting already
    district = api_for("district_officer")
    assert district.get(f"{VALUES}{row['id']}/").json()["allowed_actions"] == ["accept", "return"]
    refused = district.post(f"{VALUES}{row['id']}/return/", {"note": ""}, format="json")
    assert refused.status_code == 400 and refused.json()["error"]["fields"]["note"]
    back = district.post(f"{VALUES}{row['id']}/return/", {"note": "缺少批复"}, format="json")
    assert back.json()["status"] == "returned"
    stale = district.post(f"{VALUES}{row['id']}/accept/", {}, format="json")
    assert stale.status_code == 409  # returned: nothing to accept
    again = api_for("school_a_officer").post(
        f"{VALUES}{row['id']}/resubmit/", {"value": "70", "note": "已补充"}, format="multipart"
    )
    assert again.status_code == 200 and again.json()["status"] == "pending"
    ok = district.post(
        f"{VALUES}{row['id']}/accept/", {"version": again.json()["version"]}, format="json"
    )
    assert ok.json()["status"] == "accepted"
    figures = district.get(f"/api/indicators/?unit={demo[A].pk}").json()
    spending = {r["indicator"]["code"]: r for r in figures}["safety-spending"]["current"]
    assert spending["value"] == "70.00" and spending["standing"] == "met"


def test_it_refuses_a_school_accepting_its_own_value(api_for, demo):
    row = _report(api_for, demo).json()
    head = api_for("school_a_head")  # holds the review right, but at the school itself
    assert head.get(f"{VALUES}{row['id']}/").json()["allowed_actions"] == []
    assert head.post(f"{VALUES}{row['id']}/accept/", {}, format="json").status_code == 403
    # The district cannot report for the school (it reviews what the school reports).
    body = {
        "indicator": ind("smoke-alarms").pk,
        "unit": demo[A].pk,
        "year": YEAR,
        "value": "100",
        "note": "x",
    }
    assert api_for("district_officer").post(VALUES, body, format="json").status_code == 403


@pytest.mark.parametrize(
    "who, url, status",
    [
        ("school_a_officer", "/api/indicators/?unit={b}", 404),
        ("school_a_officer", "/api/indicators/?unit=abc", 404),
        ("school_a_officer", "/api/indicators/?unit=99999999999999999999", 404),
        ("school_a_officer", "/api/indicators/?year=abc", 400),
        ("school_a_officer", "/api/indicators/99999999999999999999/", 400),  # out of range
        ("school_a_officer", "/api/indicator-values/{other}/", 404),
        ("school_a_officer", "/api/indicator-values/abc/", 404),
        ("school_b_teacher", "/api/indicators/", 403),
        ("school_b_teacher", "/api/indicator-values/", 403),
        ("expert", "/api/indicators/", 403),
        ("auditor", "/api/indicators/?unit={b}", 200),
        ("auditor", "/api/indicator-values/{other}/", 200),
    ],
)
def test_it_scopes_reads(api_for, demo, who, url, status):
    other = put(REPORTED, demo[B], 100)
    answer = api_for(who).get(url.format(b=demo[B].pk, other=other.pk))
    assert answer.status_code == status
    if status >= 400:
        assert answer.json()["error"]["message"]


def test_it_scopes_the_value_list(api_for, demo):
    put(REPORTED, demo[B], 100)
    mine = put(REPORTED, demo[A], 100)
    listed = api_for("school_a_officer").get(VALUES).json()
    assert [r["id"] for r in listed["results"]] == [mine.pk]
    assert len(api_for("district_officer").get(VALUES).json()["results"]) == 2


@pytest.mark.parametrize(
    "who, body, status",
    [
        ("school_b_teacher", {}, 403),
        ("auditor", {}, 403),
        ("school_a_officer", {"unit": "{b}"}, 404),
        ("school_a_officer", {"value": "120"}, 400),
        ("school_a_officer", {"value": "abc"}, 400),
        ("school_a_officer", {"year": 1900}, 400),
        ("school_a_officer", {"note": ""}, 400),
        ("school_a_officer", {"indicator": 2**62}, 404),
    ],
)
def test_it_refuses_bad_reports(api_for, demo, who, body, status):
    data = {
        "indicator": ind(REPORTED).pk,
        "unit": demo[A].pk,
        "year": YEAR,
        "value": "100",
        "note": "x",
    }
    data.update({k: (v.format(b=demo[B].pk) if isinstance(v, str) else v) for k, v in body.items()})
    answer = api_for(who).post(VALUES, data, format="json")
    assert answer.status_code == status, answer.json()
    assert not IndicatorValue.objects.filter(unit=demo[A]).exists()


def test_it_lets_an_authority_add_an_indicator_and_set_targets(api_for, demo):
    district = api_for("district_officer")
    made = district.post(
        "/api/indicators/",
        {
            "code": "drowning-signs",
            "name": "重点水域警示标志设置率",
            "measure": "%",
            "rollup": "share",
        },
        format="json",
    )
    assert made.status_code == 201 and made.json()["owner"]["name"] == DISTRICT
    pk = made.json()["id"]
    target = district.post(
        f"/api/indicators/{pk}/targets/", {"year": YEAR, "value": "100"}, format="json"
    )
    assert target.status_code == 200 and target.json()["current"]["target"] == "100.00"
    codes = [
        r["indicator"]["code"] for r in district.get(f"/api/indicators/?unit={demo[A].pk}").json()
    ]
    assert "drowning-signs" in codes
    uni = api_for("uni_security").get("/api/indicators/").json()
    assert "drowning-signs" not in [r["indicator"]["code"] for r in uni]
    assert api_for("uni_security").get(f"/api/indicators/{pk}/").status_code == 404
    # A school is not an authority; the wrong level is a 403.
    head = api_for("school_a_head")
    assert (
        head.post(
            "/api/indicators/", {"code": "x", "name": "x", "measure": "%"}, format="json"
        ).status_code
        == 403
    )
    assert (
        head.post(
            f"/api/indicators/{pk}/targets/", {"year": YEAR, "value": "1"}, format="json"
        ).status_code
        == 403
    )
    assert (
        district.post(
            "/api/indicators/",
            {"code": "drowning-signs", "name": "x", "measure": "%"},
            format="json",
        ).status_code
        == 400
    )


def test_it_describes_the_endpoints_in_the_schema(api_for):
    schema = api_for("district_officer").get("/api/schema/?format=json").json()
    for path in (
        "/api/indicators/",
        "/api/indicator-values/{id}/accept/",
        "/api/indicator-values/{id}/return/",
        "/api/indicators/{id}/targets/",
    ):
        assert path in schema["paths"]


def test_it_answers_a_district_in_the_same_number_of_queries_however_many_schools(api_for, demo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from xiaoan.orgs.models import Unit

    url = f"/api/indicators/{ind(REPORTED).pk}/?unit={demo[DISTRICT].pk}"

    def count():
        client = api_for("district_officer")
        with CaptureQueriesContext(connection) as ctx:
            units = client.get(url).json()["units"]
        return len(ctx.captured_queries), len(units)

    before, shown = count()
    for i in range(5):
        Unit.objects.add_child(
            Unit.objects.get(pk=demo[DISTRICT].pk), {"name": f"新学校{i}", "kind": "school"}
        )
    assert count() == (before, shown + 5)


def test_it_refuses_review_and_resubmission_to_the_wrong_people(api_for, client_for, demo):
    from django.urls import reverse

    from xiaoan.notifications.models import Notification

    row = _report(api_for, demo).json()
    # The district's reviewers were told; the school learns of the return.
    assert Notification.objects.filter(recipient__username="district_officer").exists()
    head = api_for("school_a_head")
    assert (
        head.post(f"{VALUES}{row['id']}/return/", {"note": "x"}, format="json").status_code == 403
    )
    back = reverse("indicators:indicatorvalue_send_back", args=[row["id"]])
    assert client_for("school_a_head").post(back, {"version": 0, "note": "x"}).status_code == 403
    assert (
        api_for("uni_security").post(f"{VALUES}{row['id']}/accept/", {}, format="json").status_code
        == 404
    )
    api_for("district_officer").post(
        f"{VALUES}{row['id']}/return/", {"note": "补材料"}, format="json"
    )
    assert Notification.objects.filter(recipient__username="school_a_officer").exists()
    again = {"value": "60", "note": "x"}
    assert (
        api_for("district_officer")
        .post(f"{VALUES}{row['id']}/resubmit/", again, format="json")
        .status_code
        == 403
    )
    assert (
        api_for("school_b_teacher")
        .post(f"{VALUES}{row['id']}/resubmit/", again, format="json")
        .status_code
        == 403
    )
