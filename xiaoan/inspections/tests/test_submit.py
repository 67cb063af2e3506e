"""Submitting an inspection: failed items become hazards (重大 for a direct criterion),
submitting twice creates nothing twice, and bad submissions are refused whole."""

from __future__ import annotations

import pytest

from xiaoan.core.errors import Conflict, Invalid
from xiaoan.hazards import tally
from xiaoan.hazards.choices import HazardLevel, HazardSource, HazardStatus
from xiaoan.hazards.models import Hazard
from xiaoan.inspections import services
from xiaoan.inspections.choices import InspectionStatus
from xiaoan.inspections.models import ItemResult, ResultPhoto
from xiaoan.inspections.tests.support import (
    checklist,
    done,
    items_of,
    jpeg,
    make,
    photos_for,
    results,
)

pytestmark = pytest.mark.django_db
__all__ = ["checklist"]


def test_it_turns_every_failed_item_into_a_hazard(persona, units, checklist):
    inspection = make(persona, units, checklist)
    before = Hazard.objects.count()
    inspection = done(persona, inspection, s01="fail", s02="fail", s03="pass")
    assert inspection.status == InspectionStatus.SUBMITTED
    assert Hazard.objects.count() == before + 2
    rows = {r.item.code: r for r in ItemResult.objects.filter(inspection=inspection)}
    plain, major = rows["TEST-SMALL-01"].hazard, rows["TEST-SMALL-02"].hazard
    assert rows["TEST-SMALL-03"].hazard is None
    assert plain.source == HazardSource.INSPECTION and plain.unit == units["梁子湖高级中学"]
    assert plain.status == HazardStatus.REPORTED and plain.level == ""
    assert plain.photos.count() == 1  # the item's photo comes along
    assert "TEST-SMALL-01" in plain.description
    assert major.level == HazardLevel.MAJOR and major.criterion == "FIRE-D-01"
    assert major.confirmed_at is not None
    assert major.finder == persona("school_a_officer")
    assert tally.reconcile() == 0  # the ledger's counts agree with its rows


def test_it_submits_only_once(persona, units, checklist):
    inspection = make(persona, units, checklist)
    officer = persona("school_a_officer")
    args = {"results": results(inspection, s01="fail", s02="pass", s03="pass")}
    first = services.submit(
        officer, inspection.pk, photos=photos_for(inspection), idempotency_key="k1", **args
    )
    count = Hazard.objects.count()
    again = services.submit(officer, inspection.pk, idempotency_key="k1", **args)
    without_key = services.submit(officer, inspection.pk)
    assert again.pk == first.pk == without_key.pk
    assert again.submitted_at == first.submitted_at
    assert Hazard.objects.count() == count
    assert ItemResult.objects.filter(inspection=inspection, hazard__isnull=False).count() == 1
    with pytest.raises(Conflict):
        services.submit(officer, inspection.pk, idempotency_key="another")


def test_it_refuses_a_missing_mandatory_photo_and_writes_nothing(persona, units, checklist):
    inspection = make(persona, units, checklist)
    officer = persona("school_a_officer")
    hazards = Hazard.objects.count()
    with pytest.raises(Invalid) as error:
        services.submit(
            officer, inspection.pk, results=results(inspection, s01="fail", s02="fail", s03="pass")
        )
    # Named by its number and text, never its code.
    message = str(error.value.message)
    assert "第 1 项「灭火器配置齐全、在有效期内」" in message and "拍照" in message
    assert "TEST-SMALL" not in message
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.PLANNED
    assert not ItemResult.objects.filter(inspection=inspection).exists()
    assert Hazard.objects.count() == hazards


def test_it_needs_no_photo_for_a_not_applicable_item(persona, units, checklist):
    inspection = make(persona, units, checklist)
    services.submit(
        persona("school_a_officer"),
        inspection.pk,
        results=results(inspection, s01="na", s02="pass", s03="pass"),
    )
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.SUBMITTED


def test_it_refuses_an_item_of_another_checklist(persona, units, checklist):
    inspection = make(persona, units, checklist)
    officer = persona("school_a_officer")
    services.save_draft(officer, inspection.pk, results=results(inspection, s03="pass"))
    foreign = (
        ItemResult._meta.get_field("item")
        .related_model.objects.exclude(version=inspection.checklist)
        .first()
    )
    bad = [*results(inspection, s01="pass", s02="pass"), {"item": foreign.pk, "result": "fail"}]
    with pytest.raises(Invalid) as error:
        services.submit(officer, inspection.pk, results=bad, photos=photos_for(inspection))
    assert "不在本检查的检查表中" in str(error.value.message)
    assert ItemResult.objects.filter(inspection=inspection).count() == 1  # the draft only
    assert not ResultPhoto.objects.filter(result__inspection=inspection).exists()
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.IN_PROGRESS


def test_it_refuses_an_incomplete_inspection(persona, units, checklist):
    inspection = make(persona, units, checklist)
    with pytest.raises(Invalid) as error:
        services.submit(
            persona("school_a_officer"),
            inspection.pk,
            results=results(inspection, s01="pass"),
            photos=photos_for(inspection),
        )
    assert "未填写结果" in str(error.value.message)


def test_it_refuses_anything_after_closing(persona, units, checklist):
    inspection = make(persona, units, checklist)
    officer = persona("school_a_officer")
    done(persona, inspection)
    services.close(officer, inspection.pk, note="检查完毕")
    with pytest.raises(Conflict) as error:
        services.submit(officer, inspection.pk)
    assert "已结束" in str(error.value.message)
    with pytest.raises(Conflict):
        services.save_draft(officer, inspection.pk, results=results(inspection, s01="fail"))
    with pytest.raises(Conflict):
        services.close(officer, inspection.pk)


def test_it_keeps_drafts_to_resume(persona, units, checklist):
    inspection = make(persona, units, checklist)
    officer = persona("school_a_officer")
    ids = items_of(inspection)
    services.save_draft(
        officer,
        inspection.pk,
        results=[{"item": ids["TEST-SMALL-03"], "result": "fail", "note": "无巡查记录"}],
        photos={ids["TEST-SMALL-01"]: [jpeg(), jpeg(colour="red")]},
    )
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.IN_PROGRESS
    row = ItemResult.objects.get(inspection=inspection, item_id=ids["TEST-SMALL-03"])
    assert (row.result, row.note, row.hazard) == ("fail", "无巡查记录", None)
    assert ResultPhoto.objects.filter(result__inspection=inspection).count() == 2
    with pytest.raises(Conflict):
        services.save_draft(officer, inspection.pk, results=[], version=inspection.version - 1)
    services.submit(officer, inspection.pk, results=results(inspection, s01="pass", s02="pass"))
    row.refresh_from_db()
    assert row.hazard is not None and row.hazard.description.startswith("无巡查记录")


def test_it_writes_no_photo_file_for_a_refused_submission(persona, units, checklist, settings):
    inspection = make(persona, units, checklist)
    with pytest.raises(Invalid):
        services.submit(
            persona("school_a_officer"),
            inspection.pk,
            results=results(inspection, s01="pass"),  # two items left open
            photos=photos_for(inspection),
        )
    stored = settings.MEDIA_ROOT / "inspections"
    assert not stored.exists() or not any(p.is_file() for p in stored.rglob("*"))


def test_it_removes_a_photo_file_once_committed(
    persona, units, checklist, settings, django_capture_on_commit_callbacks
):
    inspection = make(persona, units, checklist)
    officer = persona("school_a_officer")
    services.save_draft(officer, inspection.pk, photos=photos_for(inspection))
    photo = ResultPhoto.objects.get(result__inspection=inspection)
    path = settings.MEDIA_ROOT / photo.image.name
    assert path.is_file()
    with django_capture_on_commit_callbacks(execute=True):
        services.save_draft(officer, inspection.pk, remove_photos=[photo.pk])
    assert not ResultPhoto.objects.filter(pk=photo.pk).exists()
    assert not path.exists()
