"""Outside systems' alerts: the signed intake (signature, clock window, replays and retries,
bad payloads kept), the Alertmanager receiver, and who may manage the sources."""

from __future__ import annotations

import base64
import json
import time

import pytest
from django.utils import timezone

from xiaoan.alerts import intake
from xiaoan.alerts.choices import Severity
from xiaoan.alerts.models import Alert, AlertSource, IntakeReceipt, IntakeRejection

from .support import DISTRICT, SCHOOL_A, SCHOOL_B

pytestmark = pytest.mark.django_db
URL, AM_URL = "/api/alerts/intake/", "/api/alerts/alertmanager/"


@pytest.fixture(autouse=True)
def _fresh_job_flags():
    """The job's wake-up and lock live in the cache, which outlives a test."""
    from django.core.cache import cache

    cache.delete_many([intake.WAKE, intake.LOCK])


@pytest.fixture
def coded(units):
    for name, code in ((SCHOOL_A, "SCH-A"), (SCHOOL_B, "SCH-B"), (DISTRICT, "DIST")):
        units[name].code = code
        units[name].save(update_fields=["code"])
    return units


@pytest.fixture
def source(coded, persona):
    made, secret = intake.create_source(
        persona("school_a_officer"), unit=coded[SCHOOL_A], name="消防物联网平台"
    )
    made.plain = secret
    return made


def event(**kw):
    data = {"kind": "smoke", "severity": "critical", "title": "宿舍楼3层烟感报警",
            "place": "学生宿舍1号楼3层", "labels": {"device": "YG-1-3F-07"},
            "fingerprint": "YG-1-3F-07"}  # fmt: skip
    data.update(kw)
    return data


def post(client, src, data, *, key="k-1", stamp=None, secret=None, body=None, job=True):
    """A signed request; then the job the request woke (a test's transaction never commits,
    so `job=False` shows what the sender is told before it runs)."""
    raw = body if body is not None else json.dumps(data, ensure_ascii=False).encode()
    stamp = str(int(time.time()) if stamp is None else stamp)
    answer = client.post(
        URL,
        data=raw,
        content_type="application/json",
        HTTP_X_XIAOAN_SOURCE=src.key,
        HTTP_X_XIAOAN_TIMESTAMP=stamp,
        HTTP_IDEMPOTENCY_KEY=key,
        HTTP_X_XIAOAN_SIGNATURE=intake.sign(secret or src.plain, stamp, key, raw),
    )
    if job:
        intake.drain()
    return answer


def raised(answer):
    """The alerts the job raised for the request answered by `answer`."""
    return IntakeReceipt.objects.get(pk=answer.json()["receipt"]).alerts


def test_it_raises_a_signed_event_once_and_answers_a_retry_from_its_receipt(client, source):
    first = post(client, source, event())
    assert first.status_code == 202, first.content
    alert = Alert.objects.get(pk=raised(first)[0]["alert"])
    assert (alert.unit.name, alert.severity, alert.source_id) == (
        SCHOOL_A, Severity.CRITICAL, source.pk,
    )  # fmt: skip
    again = post(client, source, event())
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert again.json()["state"] == "done" and again.json()["alerts"] == raised(first)
    assert Alert.objects.get(pk=alert.pk).repeats == 0
    assert IntakeReceipt.objects.count() == 1
    # Another key of the same detector is a repeat of the open alert, not a new one.
    third = post(client, source, event(), key="k-2")
    assert raised(third)[0] == {"alert": alert.pk, "created": False}
    assert Alert.objects.get(pk=alert.pk).repeats == 1


def test_an_event_is_acknowledged_queued_and_raised_by_the_job_it_wakes(
    client, source, django_capture_on_commit_callbacks
):
    answer = post(client, source, event(), job=False)
    assert answer.status_code == 202
    assert answer.json() | {"receipt": 0} == {
        "receipt": 0, "duplicate": False, "state": "queued", "alerts": [],
    }  # fmt: skip
    receipt = IntakeReceipt.objects.get()
    assert receipt.state == "queued" and receipt.events[0]["unit"] == source.unit_id
    assert not Alert.objects.exists()
    # Committing wakes the job (immediate in tests): both queued receipts raised, in order.
    with django_capture_on_commit_callbacks(execute=True) as woken:
        post(client, source, event(status="resolved"), key="k-2", job=False)
    assert len(woken) == 1
    alert = Alert.objects.get()
    assert alert.cleared_at is not None  # the "resolved" came after its "firing"
    assert set(IntakeReceipt.objects.values_list("state", flat=True)) == {"done"}


def test_the_job_runs_one_at_a_time_and_a_failing_receipt_does_not_hold_the_queue(
    client, source, monkeypatch
):
    from django.core.cache import cache

    from xiaoan.alerts import services

    for n in range(3):
        post(client, source, event(fingerprint=f"D-{n}", title=f"报警{n}"), key=f"k-{n}", job=False)
    cache.add(intake.LOCK, 1, 30)  # another runner holds the queue
    assert intake.drain() == 0 and not Alert.objects.exists()
    cache.delete(intake.LOCK)
    real = services.raise_alert

    def flaky(**fields):
        if fields["title"] == "报警1":
            raise RuntimeError("database said no")
        return real(**fields)

    monkeypatch.setattr(services, "raise_alert", flaky)
    assert intake.drain() == 3
    states = dict(IntakeReceipt.objects.values_list("key", "state"))
    assert states == {"k-0": "done", "k-1": "failed", "k-2": "done"}
    assert Alert.objects.count() == 2
    kept = IntakeRejection.objects.get()
    assert "database said no" in str(kept.errors) and "报警1" in kept.body
    assert intake.drain() == 0  # a failed receipt is not taken again


def test_it_refuses_bad_signatures_old_timestamps_and_unknown_sources(client, source):
    stale = int(time.time()) - 301
    cases = [
        post(client, source, event(), secret="wrong"),
        post(client, source, event(), stamp=stale),
        post(client, source, event(), stamp="soon"),
        post(client, source, event(), key=""),
        post(client, source, event(), key="x" * 65),
    ]
    raw = json.dumps(event()).encode()
    stamp = str(int(time.time()))
    cases.append(
        client.post(
            URL,
            data=raw,
            content_type="application/json",
            HTTP_X_XIAOAN_SOURCE="src_nobody",
            HTTP_X_XIAOAN_TIMESTAMP=stamp,
            HTTP_IDEMPOTENCY_KEY="k",
            HTTP_X_XIAOAN_SIGNATURE=intake.sign(source.plain, stamp, "k", raw),
        )
    )
    for answer in cases:
        assert answer.status_code == 401, answer.content
        assert answer.json()["error"]["code"] == "not_authenticated"
    assert not Alert.objects.exists() and not IntakeRejection.objects.exists()


def test_it_refuses_a_replayed_body_under_another_key(client, source):
    """The key is signed: a captured request sent again with a new key fails its signature."""
    raw = json.dumps(event()).encode()
    stamp = str(int(time.time()))
    signature = intake.sign(source.plain, stamp, "k-1", raw)
    ok = client.post(URL, data=raw, content_type="application/json",
                     HTTP_X_XIAOAN_SOURCE=source.key, HTTP_X_XIAOAN_TIMESTAMP=stamp,
                     HTTP_IDEMPOTENCY_KEY="k-1", HTTP_X_XIAOAN_SIGNATURE=signature)  # fmt: skip
    replay = client.post(URL, data=raw, content_type="application/json",
                         HTTP_X_XIAOAN_SOURCE=source.key, HTTP_X_XIAOAN_TIMESTAMP=stamp,
                         HTTP_IDEMPOTENCY_KEY="k-9", HTTP_X_XIAOAN_SIGNATURE=signature)  # fmt: skip
    assert (ok.status_code, replay.status_code) == (202, 401)
    assert IntakeReceipt.objects.count() == 1


def test_it_refuses_a_key_reused_for_another_body(client, source):
    assert post(client, source, event()).status_code == 202
    answer = post(client, source, event(title="另一条"))
    assert answer.status_code == 409
    assert Alert.objects.count() == 1


def test_it_keeps_a_refused_payload_with_its_reasons(client, source):
    bad = event(severity="huge", unit="SCH-B", labels={"a": {"nested": [1, 2]}}, title="")
    answer = post(client, source, bad)
    assert answer.status_code == 400
    fields = answer.json()["error"]["fields"]
    assert {"severity", "unit", "labels", "title"} <= set(fields)
    kept = IntakeRejection.objects.get()
    assert kept.source == source and json.loads(kept.body)["severity"] == "huge"
    assert not Alert.objects.exists() and not IntakeReceipt.objects.exists()
    # Not JSON, and a JSON array: refused and kept too.
    assert post(client, source, None, body=b"\xff{", key="k-2").status_code == 400
    assert post(client, source, None, body=b"[1,2]", key="k-3").status_code == 400
    assert IntakeRejection.objects.count() == 3


def test_a_source_keeps_its_latest_refused_payloads_only(client, source, monkeypatch):
    monkeypatch.setattr(intake, "KEEP_REJECTIONS", 3)
    for n in range(5):
        assert post(client, source, event(severity=f"bad{n}"), key=f"k-{n}").status_code == 400
    kept = IntakeRejection.objects.filter(source=source).order_by("id")
    assert [json.loads(r.body)["severity"] for r in kept] == ["bad2", "bad3", "bad4"]


def test_it_takes_units_below_the_source_only(client, coded, persona):
    district, secret = intake.create_source(
        persona("district_officer"), unit=coded[DISTRICT], name="区智慧用电平台"
    )
    district.plain = secret
    answer = post(client, district, event(unit="SCH-B", kind="electric"))
    assert answer.status_code == 202
    assert Alert.objects.get().unit == coded[SCHOOL_B]
    school, secret = intake.create_source(
        persona("school_a_officer"), unit=coded[SCHOOL_A], name="本校"
    )
    school.plain = secret
    assert post(client, school, event(unit="SCH-B"), key="k-9").status_code == 400
    assert post(client, school, event(unit="DIST"), key="k-10").status_code == 400


def test_it_marks_a_resolved_event_cleared_and_keeps_the_alert_open(client, source):
    post(client, source, event())
    post(client, source, event(status="resolved"), key="k-2")
    alert = Alert.objects.get()
    assert alert.cleared_at is not None and alert.status == "raised"


def test_a_stopped_or_rotated_source_can_no_longer_send(client, source, persona):
    officer = persona("school_a_officer")
    intake.set_active(officer, source.pk, False)
    assert post(client, source, event()).status_code == 401
    intake.set_active(officer, source.pk, True)
    _again, secret = intake.rotate_secret(officer, source.pk)
    assert post(client, source, event()).status_code == 401  # the old secret
    assert post(client, source, event(), secret=secret).status_code == 202


def alertmanager(*alerts, status="firing"):
    return {"version": "4", "groupKey": "{}:{alertname=\"SmokeDetector\"}", "status": status,
            "receiver": "xiaoan", "groupLabels": {}, "commonLabels": {},
            "commonAnnotations": {}, "externalURL": "http://am:9093",
            "truncatedAlerts": 0, "alerts": list(alerts)}  # fmt: skip


def am_alert(fp="a1b2c3", status="firing", **labels):
    return {"status": status,
            "labels": {"alertname": "SmokeDetector", "severity": "critical",
                       "xiaoan_unit": "SCH-A", "instance": "gw-1:9100", **labels},
            "annotations": {"summary": "烟感报警", "description": "3层东侧"},
            "startsAt": "2026-12-06T10:00:00+08:00", "endsAt": "0001-01-01T00:00:00Z",
            "generatorURL": "http://prom/graph", "fingerprint": fp}  # fmt: skip


def basic(src, secret=None):
    token = base64.b64encode(f"{src.key}:{secret or src.plain}".encode()).decode()
    return f"Basic {token}"


def test_it_receives_alertmanagers_webhook(client, source):
    body = alertmanager(am_alert(), am_alert("ffee01", xiaoan_unit="SCH-B"))
    answer = client.post(AM_URL, body, content_type="application/json",
                         HTTP_AUTHORIZATION=basic(source))  # fmt: skip
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert data["state"] == "queued" and len(data["rejected"]) == 1  # SCH-B: not the source's
    intake.drain()
    assert len(raised(answer)) == 1
    alert = Alert.objects.get()
    assert (alert.kind, alert.severity, alert.title, alert.place) == (
        "SmokeDetector", Severity.CRITICAL, "烟感报警", "gw-1:9100",
    )  # fmt: skip
    assert IntakeRejection.objects.get().endpoint == "alertmanager"
    # Alertmanager retrying the same webhook changes nothing; a resolved one clears.
    again = client.post(AM_URL, body, content_type="application/json",
                        HTTP_AUTHORIZATION=basic(source))  # fmt: skip
    assert again.json()["duplicate"] is True and Alert.objects.get().repeats == 0
    resolved = alertmanager(am_alert(status="resolved"), status="resolved")
    client.post(AM_URL, resolved, content_type="application/json",
                HTTP_AUTHORIZATION=basic(source))  # fmt: skip
    intake.drain()
    assert Alert.objects.get().cleared_at is not None


def test_it_refuses_alertmanager_without_the_sources_credentials(client, source):
    body = alertmanager(am_alert())
    for auth in ("", "Bearer x", basic(source, "wrong"), "Basic !!!"):
        answer = client.post(AM_URL, body, content_type="application/json",
                             HTTP_AUTHORIZATION=auth)  # fmt: skip
        assert answer.status_code == 401
    answer = client.post(AM_URL, {"nothing": 1}, content_type="application/json",
                         HTTP_AUTHORIZATION=basic(source))  # fmt: skip
    assert answer.status_code == 400 and not Alert.objects.exists()


# ---------------------------------------------------------------- managing the sources


def test_the_secret_is_shown_once_and_sources_are_scoped(api_for, coded, source):
    officer = api_for("school_a_officer")
    made = officer.post("/api/alert-sources/", {"unit": coded[SCHOOL_A].pk, "name": "视频分析"},
                        format="json")  # fmt: skip
    assert made.status_code == 201 and len(made.json()["secret"]) >= 40
    pk = made.json()["id"]
    shown = officer.get(f"/api/alert-sources/{pk}/").json()
    assert "secret" not in shown
    assert all("secret" not in row for row in officer.get("/api/alert-sources/").json()["results"])
    rotated = officer.post(f"/api/alert-sources/{pk}/rotate/")
    assert rotated.status_code == 200 and rotated.json()["secret"] != made.json()["secret"]
    # Another school's officer: not found; no right to sources anywhere: forbidden; an outside
    # unit: refused; a reader may not change.
    other = api_for("uni_security")
    assert other.get(f"/api/alert-sources/{pk}/").status_code == 404
    assert other.post(f"/api/alert-sources/{pk}/rotate/").status_code == 404
    teacher = api_for("school_b_teacher")
    assert teacher.get(f"/api/alert-sources/{pk}/").status_code == 403
    refused = officer.post("/api/alert-sources/", {"unit": coded[SCHOOL_B].pk, "name": "x"},
                           format="json")  # fmt: skip
    assert refused.status_code == 400
    assert officer.post("/api/alert-sources/", {"unit": 2**70, "name": "x"},
                        format="json").status_code == 400  # fmt: skip
    auditor = api_for("auditor")
    assert auditor.post(f"/api/alert-sources/{pk}/deactivate/").status_code in (403, 404)
    district = api_for("district_officer")
    assert district.get(f"/api/alert-sources/{pk}/").status_code == 200
    assert officer.post(f"/api/alert-sources/{pk}/deactivate/").json()["is_active"] is False
    assert auditor.post(f"/api/alert-sources/{pk}/activate/").status_code == 403
    assert other.post(f"/api/alert-sources/{pk}/activate/").status_code == 404
    assert officer.post(f"/api/alert-sources/{pk}/activate/").json()["is_active"] is True


def test_the_source_pages_show_the_secret_once_and_keep_to_their_scope(client_for, coded, source):
    officer = client_for("school_a_officer")
    assert officer.get("/alerts/sources/").status_code == 200
    made = officer.post("/alerts/sources/new/", {"unit": coded[SCHOOL_A].pk, "name": "明厨亮灶AI",
                                                 "default_kind": "kitchen"})  # fmt: skip
    assert made.status_code == 200 and made["Cache-Control"] == "no-store"
    new = AlertSource.objects.get(name="明厨亮灶AI")
    assert new.secret in made.content.decode()
    page = officer.get(f"/alerts/sources/{new.pk}/").content.decode()
    assert new.key in page and new.secret not in page
    rotated = officer.post(f"/alerts/sources/{new.pk}/rotate/")
    new.refresh_from_db()
    assert rotated.status_code == 200 and new.secret in rotated.content.decode()
    assert officer.post(f"/alerts/sources/{new.pk}/deactivate/").status_code == 302
    new.refresh_from_db()
    assert not new.is_active
    assert officer.post(f"/alerts/sources/{new.pk}/activate/").status_code == 302
    # Out of scope: 404; no right: 403; a reader may not change; a bad unit is refused.
    other = client_for("uni_security")
    for url in (f"/alerts/sources/{new.pk}/", f"/alerts/sources/{new.pk}/rotate/",
                f"/alerts/sources/{new.pk}/deactivate/"):  # fmt: skip
        answer = other.get(url) if url.endswith(f"{new.pk}/") else other.post(url)
        assert answer.status_code == 404, url
    teacher = client_for("school_b_teacher")
    assert teacher.get("/alerts/sources/").status_code == 403
    assert teacher.get("/alerts/sources/new/").status_code == 403
    auditor = client_for("auditor")
    assert auditor.get(f"/alerts/sources/{new.pk}/").status_code == 200
    assert auditor.post(f"/alerts/sources/{new.pk}/rotate/").status_code == 403
    refused = officer.post("/alerts/sources/new/", {"unit": coded[SCHOOL_B].pk, "name": "x"})
    assert refused.status_code == 400 and not AlertSource.objects.filter(name="x").exists()
    assert officer.get("/alerts/sources/99999999999999999999/").status_code == 404


def test_an_outside_event_is_traced_by_its_event_row_not_the_audit_chain(client, source, units):
    from xiaoan.alerts.tests.support import smoke
    from xiaoan.audit.models import AuditEntry

    before = AuditEntry.objects.filter(object_type="alerts.alert").count()
    answer = post(client, source, event())
    alert = Alert.objects.get(pk=raised(answer)[0]["alert"])
    assert alert.events.filter(action="raise").count() == 1
    assert AuditEntry.objects.filter(object_type="alerts.alert").count() == before
    # Our own raises (rules, people, the tests' helper) still go to the chain.
    smoke(units, title="人工录入的报警")
    assert AuditEntry.objects.filter(object_type="alerts.alert").count() == before + 1


def test_the_job_reads_a_units_silences_people_and_channels_once_per_batch(client, source, persona):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from xiaoan.channels.models import Channel

    Channel.objects.create(unit=source.unit, kind="wecom", name="值班群",
                           target="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
                           min_severity="info", categories=["alerts"])  # fmt: skip
    for n in range(6):
        post(client, source, event(fingerprint=f"B-{n}", title=f"报警{n}"), key=f"b-{n}", job=False)
    with CaptureQueriesContext(connection) as seen:
        assert intake.drain() == 6
    reads = [q["sql"] for q in seen.captured_queries if q["sql"].lstrip().startswith("SELECT")]
    assert sum('"alerts_silence"' in sql for sql in reads) == 1
    assert sum('"accounts_roleassignment"' in sql for sql in reads) == 1
    assert sum('"channels_channel"' in sql and "channels_delivery" not in sql for sql in reads) == 1
    assert Alert.objects.count() == 6
    # Outside a batch (a page, the API) every call reads afresh.
    from xiaoan.alerts.services import matching_silence

    with CaptureQueriesContext(connection) as again:
        for _n in range(2):
            matching_silence(source.unit, kind="smoke", place="", labels={}, now=timezone.now())
    assert len(again.captured_queries) == 2


def test_a_gateway_sends_a_batch_under_one_signature_and_key(client, coded, persona):
    district, secret = intake.create_source(
        persona("district_officer"), unit=coded[DISTRICT], name="区消防物联网网关"
    )
    district.plain = secret
    batch = {"events": [event(unit="SCH-A", fingerprint="A-1"),
                        event(unit="NOPE", fingerprint="X-1", severity="huge"),
                        event(unit="SCH-B", fingerprint="B-1")]}  # fmt: skip
    answer = post(client, district, batch, key="gw-1")
    assert answer.status_code == 202, answer.content
    data = answer.json()
    assert [r["index"] for r in data["rejected"]] == [1]
    assert set(data["rejected"][0]["errors"]) == {"unit", "severity"}
    assert sorted(Alert.objects.values_list("unit__code", flat=True)) == ["SCH-A", "SCH-B"]
    assert len(raised(answer)) == 2
    kept = IntakeRejection.objects.get()
    assert kept.endpoint == "intake" and kept.errors["events"][0]["index"] == 1
    again = post(client, district, batch, key="gw-1")
    assert again.status_code == 200 and again.json()["rejected"] == []
    assert Alert.objects.count() == 2 and IntakeRejection.objects.count() == 1


def test_a_batch_with_nothing_to_take_or_too_many_events_is_refused(client, source):
    bad = {"events": [event(title=""), event(severity="x")]}
    answer = post(client, source, bad, key="gw-2")
    assert answer.status_code == 400
    assert set(answer.json()["error"]["fields"]) == {"events[0].title", "events[1].severity"}
    big = {"events": [event(fingerprint=f"F-{n}") for n in range(101)]}
    assert post(client, source, big, key="gw-3").status_code == 400
    for empty in ({"events": []}, {"events": "all"}):
        assert post(client, source, empty, key="gw-4").status_code == 400
    assert not IntakeReceipt.objects.exists() and not Alert.objects.exists()
    assert IntakeRejection.objects.count() == 4


def test_a_batch_reads_the_units_it_names_in_one_query(client, source):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def unit_reads(n):
        items = [event(unit="SCH-A", fingerprint=f"U{n}-{i}") for i in range(n)]
        with CaptureQueriesContext(connection) as seen:
            post(client, source, {"events": items}, key=f"u-{n}", job=False)
        return sum('"orgs_unit"' in q["sql"] for q in seen.captured_queries)

    assert unit_reads(2) == unit_reads(40)


def test_the_api_views_answer_the_same_without_the_intake_middleware(client, source, settings):
    """The middleware only serves the intake earlier; left out, the API views serve it."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "IntakeMiddleware" not in m]
    answer = post(client, source, event())
    assert answer.status_code == 202 and answer.json()["state"] == "queued"
    assert post(client, source, event()).json()["duplicate"] is True
    bad = post(client, source, event(severity="huge"), key="k-2")
    assert bad.status_code == 400 and "severity" in bad.json()["error"]["fields"]
    assert post(client, source, event(), secret="wrong", key="k-3").status_code == 401
    body = alertmanager(am_alert())
    am = client.post(AM_URL, body, content_type="application/json",
                     HTTP_AUTHORIZATION=basic(source))  # fmt: skip
    assert am.status_code == 200 and am.json()["rejected"] == []


def test_a_database_away_answers_503_and_a_job_queue_away_loses_nothing(
    client, source, monkeypatch
):
    from django.db import OperationalError

    from xiaoan.alerts import tasks

    def away(*args, **kwargs):
        raise OperationalError("the database system is starting up")

    with monkeypatch.context() as patch:
        patch.setattr(intake, "_active_source", away)
        answer = post(client, source, event(), job=False)
    assert answer.status_code == 503 and answer["Retry-After"] == "1"
    assert answer.json()["error"]["code"] == "unavailable"

    def queue_away(*args, **kwargs):
        raise ConnectionError("redis is away")

    monkeypatch.setattr(tasks, "intake_pass", queue_away)
    intake.wake()  # logged, not raised: the receipt waits for the minute's sweep
    answer = post(client, source, event(), job=False)
    assert answer.status_code == 202
    assert intake.drain() == 1 and Alert.objects.count() == 1


def test_the_database_failing_under_the_job_leaves_the_batch_queued(client, source, monkeypatch):
    from django.db import OperationalError

    from xiaoan.alerts import services

    post(client, source, event(), job=False)

    def away(**fields):
        raise OperationalError("canceling statement due to conflict with recovery")

    monkeypatch.setattr(services, "raise_alert", away)
    with pytest.raises(OperationalError):
        intake.drain()
    assert IntakeReceipt.objects.get().state == "queued"
    assert not IntakeRejection.objects.exists()
    monkeypatch.undo()
    assert intake.drain() == 1 and Alert.objects.count() == 1


def test_old_receipts_are_forgotten_but_a_queued_one_stays(client, source):
    import datetime as dt

    for n in range(3):
        post(client, source, event(fingerprint=f"O-{n}"), key=f"o-{n}", job=n < 2)
    long_ago = timezone.now() - intake.KEEP_RECEIPTS - dt.timedelta(days=1)
    IntakeReceipt.objects.filter(key__in=["o-0", "o-2"]).update(received_at=long_ago)
    assert intake.forget_old_receipts(chunk=1) == 1
    assert sorted(IntakeReceipt.objects.values_list("key", flat=True)) == ["o-1", "o-2"]
    assert Alert.objects.count() == 2  # the alerts stay


def test_hostile_bodies_get_a_structured_400_and_nul_bytes_are_dropped(client, source):
    """Found by attacking the intake: each of these answered 500 or a misleading error."""
    deep = b"[" * 100_000 + b"]" * 100_000
    nested_labels = '{"title":"x","labels":' + '{"a":' * 30_000 + "1" + "}" * 30_000 + "}"
    cases = [
        (deep, "嵌套层级过深"),
        (nested_labels.encode(), "嵌套层级过深"),
        (json.dumps(event(occurred_at="2026-99-99T99:99:99+08:00")).encode(), "预警内容有误"),
        ('{"title": "x"}'.encode("utf-16"), "不是有效的 JSON"),
    ]
    for n, (raw, says) in enumerate(cases):
        answer = post(client, source, None, body=raw, key=f"h-{n}")
        assert answer.status_code == 400, (n, answer.content[:200])
        assert says in answer.json()["error"]["message"], n
    assert IntakeRejection.objects.count() == len(cases)  # kept, NUL bytes and all
    nul = event(title="烟感\x00报警", labels={"d\x00": "1\x002"})
    answer = post(client, source, nul, key="h-9")
    assert answer.status_code == 202
    assert Alert.objects.get().title == "烟感报警" and Alert.objects.get().labels == {"d": "12"}
