"""A whole inspection on a phone: created on the page, filled in on the phone page (draft,
resume, submit), and its failed items in the hazard ledger — 重大 for a criterion item."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xiaoan.hazards.choices import HazardLevel, HazardSource
from xiaoan.hazards.models import Hazard
from xiaoan.inspections.choices import InspectionStatus
from xiaoan.inspections.models import Inspection, ItemResult, ResultPhoto
from xiaoan.inspections.tests.support import PHONE, SCHOOL_A, checklist, items_of, jpeg, make

pytestmark = pytest.mark.django_db
__all__ = ["checklist"]


def _post(client, inspection, action: str, values: dict, photos=None, key="key-1"):
    ids = items_of(inspection)
    data = {"action": action, "version": inspection.version, "idempotency_key": key}
    for code, (result, note) in values.items():
        data[f"result-{ids[code]}"] = result
        data[f"note-{ids[code]}"] = note
    for code, files in (photos or {}).items():
        data[f"photos-{ids[code]}"] = files
    return client.post(
        reverse("inspections:inspection_run", args=[inspection.pk]), data, HTTP_USER_AGENT=PHONE
    )


def test_it_runs_a_whole_inspection_on_a_phone(client_for, units, checklist):
    client = client_for("school_a_officer")
    created = client.post(
        reverse("inspections:inspection_create"),
        {
            "kind": "self_check",
            "unit": units[SCHOOL_A].pk,
            "checklist": checklist.pk,
            "scheduled_on": "2026-11-20",
        },
    )
    assert created.status_code == 302, created.content.decode()[:2000]
    inspection = Inspection.objects.get(checklist__template=checklist)
    assert created["Location"] == reverse("inspections:inspection_detail", args=[inspection.pk])
    assert inspection.period == "2026-11" and inspection.organiser == units[SCHOOL_A]

    page = client.get(
        reverse("inspections:inspection_run", args=[inspection.pk]), HTTP_USER_AGENT=PHONE
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="viewport" content="width=device-width' in html
    ids = items_of(inspection)
    for item_pk in ids.values():
        for value in ("pass", "fail", "na"):
            assert f'name="result-{item_pk}" id="r-{item_pk}-{value}" value="{value}"' in html
        assert f'name="photos-{item_pk}"' in html and 'capture="environment"' in html
    assert "<script>" not in html and "style=" not in html  # CSP: files only

    # A draft: two items and a photo, then resumed.
    saved = _post(
        client,
        inspection,
        "save",
        {"TEST-SMALL-01": ("fail", "灭火器过期"), "TEST-SMALL-02": ("", "")},
        photos={"TEST-SMALL-01": [jpeg()]},
    )
    assert saved.status_code == 302 and saved["Location"].endswith("/run/")
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.IN_PROGRESS
    resumed = client.get(reverse("inspections:inspection_run", args=[inspection.pk])).content
    resumed = resumed.decode()
    pk1 = ids["TEST-SMALL-01"]
    assert f'id="r-{pk1}-fail" value="fail" autocomplete="off" checked' in resumed
    assert "灭火器过期" in resumed
    assert ResultPhoto.objects.filter(result__inspection=inspection).count() == 1

    # Submit the rest: the failed criterion item becomes a major hazard.
    before = Hazard.objects.count()
    done = _post(
        client,
        inspection,
        "submit",
        {
            "TEST-SMALL-01": ("fail", "灭火器过期"),
            "TEST-SMALL-02": ("fail", "未签订消防责任书"),
            "TEST-SMALL-03": ("pass", ""),
        },
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("inspections:inspection_detail", args=[inspection.pk])
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.SUBMITTED
    assert Hazard.objects.count() == before + 2
    major = ItemResult.objects.get(inspection=inspection, item__code="TEST-SMALL-02").hazard
    assert major.level == HazardLevel.MAJOR and major.source == HazardSource.INSPECTION
    assert major.criterion == "FIRE-D-01" and "未签订消防责任书" in major.description

    detail = client.get(done["Location"]).content.decode()
    assert major.number in detail and "重大" in detail
    assert "变更记录" in detail and "李安办" in detail and "提交幂等键" not in detail
    # The phone page of a submitted inspection leads back to the record.
    again = client.get(reverse("inspections:inspection_run", args=[inspection.pk]))
    assert again.status_code == 302

    # A second tap on 提交 (same key) creates nothing.
    twice = _post(client, inspection, "submit", {"TEST-SMALL-03": ("fail", "")})
    assert twice.status_code == 302
    assert Hazard.objects.count() == before + 2


def test_it_keeps_what_was_typed_when_a_submission_is_refused(
    client_for, persona, units, checklist
):
    inspection = make(persona, units, checklist)
    client = client_for("school_a_officer")
    response = _post(
        client,
        inspection,
        "submit",
        {
            "TEST-SMALL-01": ("fail", "灭火器过期"),
            "TEST-SMALL-02": ("pass", ""),
            "TEST-SMALL-03": ("pass", ""),
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "须拍照留证" in html and "TEST-SMALL-01" in html
    assert "灭火器过期" in html  # what was typed is still there
    assert not ItemResult.objects.filter(inspection=inspection).exists()
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.PLANNED


def test_it_tells_a_stale_page_to_reload(client_for, persona, units, checklist):
    inspection = make(persona, units, checklist)
    client = client_for("school_a_officer")
    _post(client, inspection, "save", {"TEST-SMALL-03": ("pass", "")})
    stale = _post(client, inspection, "save", {"TEST-SMALL-03": ("fail", "")})  # old version
    assert stale.status_code == 302 and stale["Location"].endswith(f"/{inspection.pk}/")
    assert ItemResult.objects.get(inspection=inspection).result == "pass"
