"""An expired asset or a failed check becomes one hazard, through the hazard service, linked
to the asset — not again while it is open; the monthly check's refusals and idempotency."""

from __future__ import annotations

import pytest

from xiaoan.core import registers
from xiaoan.core.errors import Forbidden, Invalid
from xiaoan.core.idempotency import IdempotencyMismatch
from xiaoan.fireassets.models import FireAsset, FireAssetCheck, FireCheckBatch
from xiaoan.fireassets.registers import FIRE_ASSETS
from xiaoan.fireassets.rules import expired_pass
from xiaoan.fireassets.tests.support import SCHOOL_A, SCHOOL_B, check, days, make
from xiaoan.hazards.choices import HazardLevel, HazardStatus
from xiaoan.hazards.models import Hazard

pytestmark = pytest.mark.django_db


def test_an_expired_asset_raises_one_general_fire_hazard(persona, units, monkeypatch):
    from xiaoan.hazards import services as hazard_services

    calls = []
    real = hazard_services.record_register_finding
    monkeypatch.setattr(
        hazard_services,
        "record_register_finding",
        lambda *a, **k: calls.append(k) or real(*a, **k),
    )
    officer = persona("school_a_officer")
    asset = make(officer, units[SCHOOL_A], produced_on=days(-3000), expires_on=days(-2))
    hazard = Hazard.objects.get()
    assert len(calls) == 1  # through the hazard service
    assert hazard.subject == asset and hazard.level == HazardLevel.GENERAL
    assert hazard.status == HazardStatus.CONFIRMED and hazard.domain == "fire"
    assert "已超过有效期" in hazard.description
    asset.refresh_from_db()
    assert asset.open_hazard == hazard and asset.expiry_raised_for == days(-2)
    registers.update(FIRE_ASSETS, officer, asset.pk, {"capacity": "5kg"})
    assert expired_pass() == 0
    assert Hazard.objects.count() == 1


def test_a_valid_asset_raises_nothing(persona, units):
    make(persona("school_a_officer"), units[SCHOOL_A], expires_on=days(1))
    assert not Hazard.objects.exists()


def test_the_daily_pass_raises_an_asset_that_expired_since(persona, units):
    officer = persona("school_a_officer")
    asset = make(officer, units[SCHOOL_A], expires_on=days(5))
    FireAsset.objects.filter(pk=asset.pk).update(expires_on=days(-1))
    assert expired_pass() == 1
    hazard = Hazard.objects.get()
    assert hazard.subject == asset and hazard.finder == officer
    assert expired_pass() == 0 and Hazard.objects.count() == 1


def test_a_failed_check_raises_once_while_its_hazard_is_open(persona, units):
    officer = persona("school_a_officer")
    asset = make(officer, units[SCHOOL_A])
    check(officer, (asset, "failed", "压力表指针在红区"))
    first = Hazard.objects.get()
    assert first.subject == asset and "压力表指针在红区" in first.description
    check(officer, (asset, "failed", "仍在红区"))
    assert Hazard.objects.count() == 1
    assert list(FireAssetCheck.objects.values_list("hazard_id", flat=True)) == [first.pk] * 2
    # Closed through its loop: the next failure is a new hazard.
    Hazard.objects.filter(pk=first.pk).update(status=HazardStatus.CLOSED)
    check(officer, (asset, "failed", "铅封脱落"))
    assert Hazard.objects.count() == 2


def test_an_expired_asset_failing_its_check_links_the_open_hazard(persona, units):
    officer = persona("school_a_officer")
    asset = make(officer, units[SCHOOL_A], produced_on=days(-3000), expires_on=days(-2))
    check(officer, (asset, "failed", "已过期"))
    assert Hazard.objects.count() == 1


def test_a_check_records_who_when_and_updates_the_asset(persona, units):
    officer = persona("school_a_officer")
    one = make(officer, units[SCHOOL_A])
    two = make(officer, units[SCHOOL_A], code="MHQ-02")
    batch = check(officer, (one, "ok"), (two, "failed", "被杂物遮挡"))
    assert batch.checks.count() == 2 and batch.checker == officer and not batch.replayed
    one.refresh_from_db()
    two.refresh_from_db()
    assert one.last_check_result == "ok" and one.checked_this_month
    assert two.last_check_result == "failed"
    assert Hazard.objects.count() == 1


@pytest.mark.parametrize(
    "case, field",
    [
        ("empty", "checks"),
        ("no_reason", "asset"),
        ("bad_result", "asset"),
        ("twice", "asset"),
        ("other_school", "asset"),
        ("retired", "asset"),
    ],
)
def test_it_refuses_a_wrong_check_and_writes_nothing(persona, units, case, field):
    officer = persona("school_a_officer")
    asset = make(officer, units[SCHOOL_A])
    rows = {
        "empty": [],
        "no_reason": [(asset, "failed", " ")],
        "bad_result": [(asset, "maybe")],
        "twice": [(asset, "ok"), (asset, "ok")],
        "other_school": [(make(persona("district_officer"), units[SCHOOL_B]), "ok")],
        "retired": [(registers.retire(FIRE_ASSETS, officer, asset.pk, reason="报废"), "ok")],
    }[case]
    with pytest.raises(Invalid) as caught:
        check(officer, *rows)
    assert any(k.startswith(field) for k in caught.value.fields)
    assert not FireCheckBatch.objects.exists() and not FireAssetCheck.objects.exists()
    assert not Hazard.objects.exists()


def test_it_refuses_people_who_do_not_keep_the_register(persona, units):
    asset = make(persona("school_a_officer"), units[SCHOOL_A])
    for name in ("auditor", "school_b_teacher"):
        with pytest.raises(Forbidden):
            check(persona(name), (asset, "ok"))


def test_a_retry_with_the_same_key_records_once(persona, units):
    officer = persona("school_a_officer")
    asset = make(officer, units[SCHOOL_A])
    first = check(officer, (asset, "failed", "破损"), key="k1", fingerprint="f1")
    again = check(officer, (asset, "failed", "破损"), key="k1", fingerprint="f1")
    assert again.pk == first.pk and again.replayed
    assert FireAssetCheck.objects.count() == 1 and Hazard.objects.count() == 1
    with pytest.raises(IdempotencyMismatch):
        check(officer, (asset, "ok"), key="k1", fingerprint="f2")


def test_a_hazard_or_inspection_may_name_the_asset(persona, units):
    from xiaoan.hazards import services as hazard_services

    officer = persona("school_a_officer")
    asset = make(officer, units[SCHOOL_A])
    hazard = hazard_services.report(
        officer, units[SCHOOL_A], description="灭火器被杂物遮挡", subject=f"fireassets:{asset.pk}"
    )
    assert hazard.subject == asset
    other = make(persona("district_officer"), units[SCHOOL_B], code="DG-1")
    with pytest.raises(Invalid):
        hazard_services.report(
            officer, units[SCHOOL_A], description="别校器材", subject=f"fireassets:{other.pk}"
        )
