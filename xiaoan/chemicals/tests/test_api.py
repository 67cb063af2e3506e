"""/api/chemicals/, /api/chemical-movements/ and /api/chemical-stocktakes/: every endpoint
served to someone and refused to someone, structured errors, and the schema."""

from __future__ import annotations

from decimal import Decimal

import pytest

from xiaoan.chemicals import services
from xiaoan.chemicals.choices import MovementStatus
from xiaoan.chemicals.tests.support import SCHOOL_A

pytestmark = pytest.mark.django_db

CHEMICALS = "/api/chemicals/"
MOVEMENTS = "/api/chemical-movements/"
STOCKTAKES = "/api/chemical-stocktakes/"


def error(response) -> dict:
    return response.json()["error"]


@pytest.mark.parametrize(
    ("path", "served", "refused", "code"),
    [
        (CHEMICALS, "auditor", "school_b_teacher", 403),
        (MOVEMENTS, "district_supervisor", "expert", 403),
        (STOCKTAKES, "auditor", "school_b_teacher", 403),
    ],
)
def test_it_lists_to_readers_and_refuses_others(api_for, lab, path, served, refused, code):
    assert api_for(served).get(path).status_code == 200
    response = api_for(refused).get(path)
    assert response.status_code == code and error(response)["code"] == "permission_denied"


def test_it_answers_records_in_scope_and_404_outside(api_for, lab):
    for path in (
        f"{CHEMICALS}{lab.cyanide.pk}/",
        f"{MOVEMENTS}{lab.pending.pk}/",
        f"{STOCKTAKES}{lab.stocktake.pk}/",
    ):
        assert api_for("auditor").get(path).status_code == 200
        outside = api_for("uni_security").get(path)
        assert outside.status_code == 404 and error(outside)["code"] == "not_found"


def test_it_shows_the_catalogue_with_stock_and_filters(api_for, lab, django_assert_max_num_queries):
    client = api_for("auditor")
    with django_assert_max_num_queries(8):
        rows = client.get(CHEMICALS, {"controlled": "true"}).json()["results"]
    assert [r["name"] for r in rows] == ["氰化钾"]
    assert rows[0]["classes"] == ["剧毒"] and rows[0]["balances"][0]["quantity"] == "2.000"
    assert client.get(CHEMICALS, {"unit": "x"}).status_code == 400
    assert api_for("uni_security").get(CHEMICALS).json()["count"] == 0


def test_it_creates_edits_and_retires_a_chemical(api_for, units, lab):
    officer = api_for("school_a_officer")
    body = {
        "unit": units[SCHOOL_A].pk,
        "name": "硝酸铵",
        "spec": "500g",
        "is_explosive_precursor": True,
    }
    made = officer.post(CHEMICALS, body, format="json")
    assert made.status_code == 201 and made.json()["controlled"] is True
    pk = made.json()["id"]
    assert officer.post(CHEMICALS, body, format="json").status_code == 400  # same name and spec
    assert api_for("auditor").post(CHEMICALS, body, format="json").status_code == 403
    other = {**body, "unit": units["鄂州职业大学"].pk}  # out of scope: the layer's field error
    refused = officer.post(CHEMICALS, other, format="json")
    assert refused.status_code == 400 and "unit" in error(refused)["fields"]
    changed = officer.patch(f"{CHEMICALS}{pk}/", {"cas_number": "6484-52-2"}, format="json")
    assert changed.status_code == 200 and changed.json()["cas_number"] == "6484-52-2"
    assert (
        api_for("auditor").patch(f"{CHEMICALS}{pk}/", {"note": "x"}, format="json").status_code
        == 403
    )
    retire = f"{CHEMICALS}{pk}/retire/"
    assert api_for("auditor").post(retire, {"reason": "x"}, format="json").status_code == 403
    assert api_for("uni_security").post(retire, {"reason": "x"}, format="json").status_code == 404
    assert officer.post(retire, {}, format="json").status_code == 400
    done = officer.post(retire, {"reason": "不再采购"}, format="json")
    assert done.status_code == 200 and done.json()["retired_at"] is not None
    stocked = officer.post(
        f"{CHEMICALS}{lab.ethanol.pk}/retire/", {"reason": "停用"}, format="json"
    )
    assert stocked.status_code == 409 and error(stocked)["code"] == "conflict"


def test_it_records_movements_with_structured_refusals(api_for, lab):
    officer = api_for("school_a_officer")
    body = {
        "chemical": lab.ethanol.pk,
        "storage": lab.storage.pk,
        "kind": "issue",
        "quantity": "1.5",
        "recipient_name": "王老师",
        "purpose": "实验",
    }
    made = officer.post(MOVEMENTS, body, format="json")
    assert made.status_code == 201
    assert made.json()["status"] == "posted" and made.json()["balance_after"] == "7.500"
    short = officer.post(MOVEMENTS, {**body, "quantity": "100"}, format="json")
    assert short.status_code == 409 and "库存不足" in error(short)["message"]
    missing = officer.post(MOVEMENTS, {**body, "purpose": ""}, format="json")
    assert missing.status_code == 400 and "purpose" in error(missing)["fields"]
    places = officer.post(MOVEMENTS, {**body, "quantity": "0.0001"}, format="json")
    assert places.status_code == 400 and "quantity" in error(places)["fields"]
    assert officer.post(MOVEMENTS, {**body, "kind": "adjustment"}, format="json").status_code == 400
    assert api_for("auditor").post(MOVEMENTS, body, format="json").status_code == 403
    assert api_for("uni_security").post(MOVEMENTS, body, format="json").status_code == 404
    assert services.book_quantity(lab.ethanol, lab.storage) == Decimal("7.5")


def test_it_takes_the_second_signature_through_the_api(api_for, lab):
    confirm = f"{MOVEMENTS}{lab.pending.pk}/confirm/"
    detail = api_for("school_a_officer").get(f"{MOVEMENTS}{lab.pending.pk}/").json()
    assert detail["status"] == "pending" and detail["allowed_actions"] == ["reject"]
    own = api_for("school_a_officer").post(confirm, {}, format="json")
    assert own.status_code == 403 and "另一人" in error(own)["message"]
    assert api_for("auditor").post(confirm, {}, format="json").status_code == 403
    assert api_for("uni_security").post(confirm, {}, format="json").status_code == 404
    stale = api_for("school_a_head").post(confirm, {"version": 99}, format="json")
    assert stale.status_code == 409
    head = api_for("school_a_head")
    assert head.get(MOVEMENTS, {"awaiting_me": "true"}).json()["count"] == 1
    done = head.post(confirm, {"note": "已核对"}, format="json")
    assert done.status_code == 200
    answer = done.json()
    assert answer["status"] == "posted" and answer["second_signer_name"] == "王校长"
    assert [e["action"] for e in answer["events"]] == ["record", "confirm"]
    assert head.post(confirm, {}, format="json").status_code == 409  # not pending any more
    reject = f"{MOVEMENTS}{lab.pending.pk}/reject/"
    assert head.post(reject, {"note": "x"}, format="json").status_code == 409


def test_it_rejects_through_the_api_with_a_note(api_for, lab):
    reject = f"{MOVEMENTS}{lab.pending.pk}/reject/"
    head = api_for("school_a_head")
    assert head.post(reject, {}, format="json").status_code == 400
    assert api_for("auditor").post(reject, {"note": "x"}, format="json").status_code == 403
    done = head.post(reject, {"note": "数量有误"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == MovementStatus.REJECTED
    assert services.book_quantity(lab.cyanide, lab.storage) == Decimal("2")


def test_it_filters_movements(api_for, lab):
    client = api_for("auditor")
    pending = client.get(MOVEMENTS, {"status": "pending"}).json()
    assert [r["id"] for r in pending["results"]] == [lab.pending.pk]
    assert client.get(MOVEMENTS, {"status": "nope"}).status_code == 400
    by_take = client.get(MOVEMENTS, {"stocktake": lab.stocktake.pk}).json()["results"]
    assert [r["kind"] for r in by_take] == ["adjustment"]


def test_it_posts_a_stocktake_through_the_api(api_for, lab):
    officer = api_for("school_a_officer")
    body = {
        "storage": lab.storage.pk,
        "lines": [
            {"chemical": lab.ethanol.pk, "counted_quantity": "8", "reason": "破损"},
            {"chemical": lab.cyanide.pk, "counted_quantity": "2"},
        ],
    }
    made = officer.post(STOCKTAKES, body, format="json")
    assert made.status_code == 201
    lines = made.json()["lines"]
    assert lines[0]["difference"] == "-1.000" and lines[0]["movement_status"] == "posted"
    assert lines[1]["movement"] is None
    unexplained = {**body, "lines": [{"chemical": lab.ethanol.pk, "counted_quantity": "1"}]}
    refused = officer.post(STOCKTAKES, unexplained, format="json")
    assert refused.status_code == 400 and "lines.0.reason" in error(refused)["fields"]
    assert officer.post(STOCKTAKES, {**body, "lines": []}, format="json").status_code == 400
    assert api_for("auditor").post(STOCKTAKES, body, format="json").status_code == 403
    assert api_for("uni_security").post(STOCKTAKES, body, format="json").status_code == 404


def test_the_schema_describes_the_endpoints(api_for, lab):
    schema = api_for("auditor").get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    for path in (
        "/api/chemicals/",
        "/api/chemicals/{id}/retire/",
        "/api/chemical-movements/",
        "/api/chemical-movements/{id}/confirm/",
        "/api/chemical-movements/{id}/reject/",
        "/api/chemical-stocktakes/",
    ):
        assert path in paths, path
    assert "409" in paths["/api/chemical-movements/"]["post"]["responses"]


def test_it_keeps_the_movement_list_queries_flat(
    api_for, persona, lab, django_assert_max_num_queries
):
    from xiaoan.chemicals.tests.support import move

    officer = persona("school_a_officer")
    for _ in range(10):
        move(officer, lab.ethanol, lab.storage, "issue", "0.1")
    client = api_for("auditor")
    client.get(MOVEMENTS)
    with django_assert_max_num_queries(8):
        assert client.get(MOVEMENTS).json()["count"] >= 14
    with django_assert_max_num_queries(8):
        assert client.get(STOCKTAKES).status_code == 200


def test_it_answers_a_retried_issue_with_the_first_one(api_for, lab):
    officer = api_for("school_a_officer")
    body = {
        "chemical": lab.ethanol.pk,
        "storage": lab.storage.pk,
        "kind": "issue",
        "quantity": "1",
        "recipient_name": "王老师",
        "purpose": "实验",
    }
    first = officer.post(MOVEMENTS, body, format="json", HTTP_IDEMPOTENCY_KEY="phone-42")
    again = officer.post(MOVEMENTS, body, format="json", HTTP_IDEMPOTENCY_KEY="phone-42")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert services.book_quantity(lab.ethanol, lab.storage) == Decimal("8")
    other = officer.post(
        MOVEMENTS, {**body, "quantity": "2"}, format="json", HTTP_IDEMPOTENCY_KEY="phone-42"
    )
    assert other.status_code == 422 and error(other)["code"] == "idempotency_mismatch"
    in_body = officer.post(MOVEMENTS, {**body, "idempotency_key": "k2"}, format="json")
    assert in_body.status_code == 201
    assert services.book_quantity(lab.ethanol, lab.storage) == Decimal("7")
