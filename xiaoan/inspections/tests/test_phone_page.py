"""A whole inspection on a phone: created on the page, filled in on the phone page (draft,
resume, submit), and its failed items in the hazard ledger — 重大 for a criterion item."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
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
    # The item is named by its number and text, never by its code.
    assert "须拍照留证" in html and "第 1 项「灭火器配置齐全、在有效期内」" in html
    assert "TEST-SMALL-01" not in html
    assert "灭火器过期" in html  # what was typed is still there
    # ... and kept as the draft: nothing is lost if the person leaves now.
    assert "已保存为草稿" in html
    kept = dict(ItemResult.objects.filter(inspection=inspection).values_list("item__code", "note"))
    assert kept["TEST-SMALL-01"] == "灭火器过期"
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.IN_PROGRESS
    assert f'name="version" value="{inspection.version}"' in html
    assert not Hazard.objects.filter(unit=inspection.unit, source=HazardSource.INSPECTION).exists()


def test_it_keeps_every_photo_of_a_refused_submission(client_for, persona, units, checklist):
    """An expert attached photos to some items and missed the one required: every photo is
    kept with the draft and shown again; the next submission needs only the missing one."""
    inspection = make(persona, units, checklist)
    client = client_for("school_a_officer")
    values = {
        "TEST-SMALL-01": ("pass", ""),
        "TEST-SMALL-02": ("fail", "责任书未签"),
        "TEST-SMALL-03": ("pass", ""),
    }
    photos = {"TEST-SMALL-02": [jpeg("a.jpg"), jpeg("b.jpg", "blue")], "TEST-SMALL-03": [jpeg()]}
    refused = _post(client, inspection, "submit", values, photos=photos)
    assert refused.status_code == 400
    stored = ResultPhoto.objects.filter(result__inspection=inspection)
    assert stored.count() == 3
    html = refused.content.decode()
    for photo in stored:
        assert reverse("inspections:result_photo", args=[photo.pk]) in html
    # The required photo added: the submission goes through with the kept photos.
    inspection.refresh_from_db()
    done = _post(client, inspection, "submit", values, photos={"TEST-SMALL-01": [jpeg()]})
    assert done.status_code == 302, done.content.decode()[:3000]
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.SUBMITTED
    assert ResultPhoto.objects.filter(result__inspection=inspection).count() == 4


def test_it_keeps_the_good_photos_when_one_is_not_a_photo(client_for, persona, units, checklist):
    inspection = make(persona, units, checklist)
    client = client_for("school_a_officer")
    bad = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    response = _post(
        client,
        inspection,
        "save",
        {"TEST-SMALL-03": ("pass", "")},
        photos={"TEST-SMALL-03": [jpeg(), bad]},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "第 3 项「每日防火巡查并记录」的照片" in html
    assert ResultPhoto.objects.filter(result__inspection=inspection).count() == 1


def test_it_marks_a_required_photo_missing_as_the_person_goes(
    client_for, persona, units, checklist
):
    inspection = make(persona, units, checklist)
    client = client_for("school_a_officer")
    saved = _post(client, inspection, "save", {"TEST-SMALL-01": ("pass", "")})
    assert saved.status_code == 302
    page = client.get(saved["Location"])
    html = page.content.decode()
    assert "以下检查项还须拍照：第 1 项「灭火器配置齐全、在有效期内」" in html
    pk1 = items_of(inspection)["TEST-SMALL-01"]
    card = html[html.index(f'id="item-{pk1}"') :]
    card = card[: card.index("</div>\n  </div>")]
    assert 'class="small text-danger mt-1 js-photo-hint">' in card  # shown, not hidden


def test_it_marks_every_open_item_as_passed_in_one_tap(client_for, persona, units, checklist):
    inspection = make(persona, units, checklist)
    client = client_for("school_a_officer")
    page = client.get(reverse("inspections:inspection_run", args=[inspection.pk])).content
    assert 'value="all_pass"' in page.decode()
    response = _post(
        client,
        inspection,
        "all_pass",
        {"TEST-SMALL-02": ("fail", "责任书未签")},
        photos={"TEST-SMALL-01": [jpeg()]},
    )
    assert response.status_code == 302 and response["Location"].endswith("/run/")
    answers = dict(
        ItemResult.objects.filter(inspection=inspection).values_list("item__code", "result")
    )
    assert answers == {"TEST-SMALL-01": "pass", "TEST-SMALL-02": "fail", "TEST-SMALL-03": "pass"}
    again = client.get(response["Location"]).content.decode()
    assert "未填写的检查项已全部标为符合" in again
    assert 'value="all_pass"' not in again  # nothing left to answer


def test_it_tells_a_stale_page_to_reload(client_for, persona, units, checklist):
    inspection = make(persona, units, checklist)
    client = client_for("school_a_officer")
    _post(client, inspection, "save", {"TEST-SMALL-03": ("pass", "")})
    stale = _post(client, inspection, "save", {"TEST-SMALL-03": ("fail", "")})  # old version
    assert stale.status_code == 302 and stale["Location"].endswith(f"/{inspection.pk}/")
    assert ItemResult.objects.get(inspection=inspection).result == "pass"
