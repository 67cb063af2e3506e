"""Idempotency keys: the same key with the same request answers as the first time; with a
different request, 422 idempotency_mismatch; concurrent retries all get the one record."""

from __future__ import annotations

import io
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from PIL import Image

from xiaoan.hazards.models import Hazard
from xiaoan.inspections import services
from xiaoan.inspections.models import Inspection
from xiaoan.inspections.tests.support import checklist, make, photos_for, results

__all__ = ["checklist"]

SCHOOL_A = "梁子湖高级中学"


def jpeg(colour: str = "orange") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, "JPEG")
    return SimpleUploadedFile("p.jpg", buffer.getvalue(), content_type="image/jpeg")


def body(units, **changes) -> dict:
    return {"unit": units[SCHOOL_A].pk, "description": "楼道堆放杂物，阻塞疏散通道", **changes}


def assert_mismatch(response) -> None:
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == "idempotency_mismatch"
    assert "幂等键" in error["message"]


@pytest.mark.django_db
def test_it_answers_a_retry_with_the_first_hazard(api_for, units):
    client = api_for("school_a_officer")
    first = client.post("/api/hazards/", body(units), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post("/api/hazards/", body(units), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]


@pytest.mark.django_db
def test_it_refuses_the_key_with_a_different_json_body(api_for, units):
    client = api_for("school_a_officer")
    client.post("/api/hazards/", body(units), format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    count = Hazard.objects.count()
    other = body(units, description="配电箱门未上锁")
    assert_mismatch(client.post("/api/hazards/", other, format="json", HTTP_IDEMPOTENCY_KEY="k-2"))
    # The key in the body rather than the header is the same key.
    assert_mismatch(
        client.post("/api/hazards/", {**other, "idempotency_key": "k-2"}, format="json")
    )
    assert Hazard.objects.count() == count


@pytest.mark.django_db
def test_it_takes_the_same_json_in_another_key_order_as_the_same_request(api_for, units):
    client = api_for("school_a_officer")
    raw = body(units)
    first = client.post("/api/hazards/", raw, format="json", HTTP_IDEMPOTENCY_KEY="k-3")
    reordered = dict(reversed(list(raw.items())))
    again = client.post("/api/hazards/", reordered, format="json", HTTP_IDEMPOTENCY_KEY="k-3")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]


@pytest.mark.django_db
def test_it_compares_uploaded_photos_by_their_content(api_for, units):
    client = api_for("school_a_officer")

    def post(colour: str):
        return client.post(
            "/api/hazards/",
            body(units, photos=[jpeg(colour)]),
            format="multipart",
            HTTP_IDEMPOTENCY_KEY="k-4",
        )

    first = post("orange")
    assert first.status_code == 201
    assert post("orange").status_code == 200
    assert_mismatch(post("blue"))


@pytest.mark.django_db
def test_it_keeps_keys_apart_per_person(api_for, units):
    first = api_for("school_a_officer").post(
        "/api/hazards/", body(units), format="json", HTTP_IDEMPOTENCY_KEY="k-5"
    )
    other = api_for("school_a_head").post(
        "/api/hazards/",
        body(units, description="另一件事"),
        format="json",
        HTTP_IDEMPOTENCY_KEY="k-5",
    )
    assert (first.status_code, other.status_code) == (201, 201)


@pytest.mark.django_db
def test_it_refuses_a_page_resubmitted_with_the_key_and_other_content(client_for, units):
    client = client_for("school_a_officer")
    form = {"unit": units[SCHOOL_A].pk, "description": "楼道堆放杂物", "idempotency_key": "p-1"}
    assert client.post("/hazards/report/", {**form, "photos": [jpeg()]}).status_code == 302
    count = Hazard.objects.count()
    response = client.post("/hazards/report/", {**form, "description": "改了", "photos": [jpeg()]})
    assert response.status_code == 400
    assert "幂等键" in response.content.decode()
    assert Hazard.objects.count() == count


@pytest.mark.django_db
def test_it_refuses_an_inspection_resubmitted_with_the_key_and_other_content(
    api_for, persona, units, checklist
):
    inspection = make(persona, units, checklist)
    client = api_for("school_a_officer")
    url = f"/api/inspections/{inspection.pk}/submit/"
    answers = results(inspection, s01="pass", s02="pass", s03="pass")
    services.save_draft(
        persona("school_a_officer"), inspection.pk, results=answers, photos=photos_for(inspection)
    )
    payload = {"results": answers, "summary": "检查完毕"}
    first = client.post(url, payload, format="json", HTTP_IDEMPOTENCY_KEY="s-1")
    assert first.status_code == 200, first.content
    again = client.post(url, payload, format="json", HTTP_IDEMPOTENCY_KEY="s-1")
    assert again.status_code == 200 and again.json() == first.json()
    changed = {**payload, "summary": "另写的小结"}
    assert_mismatch(client.post(url, changed, format="json", HTTP_IDEMPOTENCY_KEY="s-1"))
    assert Inspection.objects.get(pk=inspection.pk).summary == "检查完毕"


# ---------------------------------------------------------------- concurrency


@pytest.fixture
def demo_after_flush(django_db_blocker):
    """A transactional test empties the database when it ends; put the demo back for the
    tests after it (they run in rolled-back transactions on top of it)."""
    yield
    from xiaoan.orgs.demo import load_demo

    with django_db_blocker.unblock():
        load_demo()


def _race(users_and_bodies, key: str) -> list:
    from rest_framework.test import APIClient

    barrier = threading.Barrier(len(users_and_bodies))
    answers: list = [None] * len(users_and_bodies)

    def run(index: int, user, payload: dict) -> None:
        client = APIClient()
        client.force_authenticate(user)
        try:
            barrier.wait(timeout=10)
            answers[index] = client.post(
                "/api/hazards/", payload, format="json", HTTP_IDEMPOTENCY_KEY=key
            )
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(i, user, payload))
        for i, (user, payload) in enumerate(users_and_bodies)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises all writers")
def test_it_answers_concurrent_retries_with_one_hazard(demo_after_flush, transactional_db):
    from xiaoan.accounts.models import User
    from xiaoan.orgs.models import Unit

    officer = User.objects.get(username="school_a_officer")
    payload = {"unit": Unit.objects.get(name=SCHOOL_A).pk, "description": "并发重试的隐患"}
    answers = _race([(officer, payload)] * 6, "race-1")
    assert sorted(a.status_code for a in answers) == [200] * 5 + [201], [
        (a.status_code, a.content[:200]) for a in answers
    ]
    assert len({a.json()["id"] for a in answers}) == 1
    assert Hazard.objects.filter(idempotency_key="race-1").count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises all writers")
def test_it_refuses_concurrent_other_requests_with_the_key(demo_after_flush, transactional_db):
    from xiaoan.accounts.models import User
    from xiaoan.orgs.models import Unit

    officer = User.objects.get(username="school_a_officer")
    unit = Unit.objects.get(name=SCHOOL_A).pk
    bodies = [{"unit": unit, "description": f"第 {i} 种说法"} for i in range(4)]
    answers = _race([(officer, b) for b in bodies], "race-2")
    codes = sorted(a.status_code for a in answers)
    assert codes == [201, 422, 422, 422], [(a.status_code, a.content[:200]) for a in answers]
    assert Hazard.objects.filter(idempotency_key="race-2").count() == 1
