"""The fire asset pages: every route served to someone and refused to someone (route
coverage), out-of-scope ids 404, forms and the phone check keep what was typed."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xiaoan.core.models import RegisterAttachment
from xiaoan.fireassets.models import FireAsset, FireAssetCheck, FireCheckBatch
from xiaoan.fireassets.tests.support import SCHOOL_A, SCHOOL_B, make, place, sheet
from xiaoan.hazards.models import Hazard

pytestmark = pytest.mark.django_db


@pytest.fixture
def floor(units):
    return place(units[SCHOOL_A], "一层", "floor", place(units[SCHOOL_A]))


@pytest.fixture
def asset(persona, units, floor):
    return make(persona("school_a_officer"), units[SCHOOL_A], place=floor)


@pytest.fixture
def other(persona, units):
    return make(
        persona("district_officer"), units[SCHOOL_B], code="DG-1", place=place(units[SCHOOL_B])
    )


def jpeg() -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "#c0392b").save(buffer, "JPEG")
    return SimpleUploadedFile("p.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_it_lists_in_scope_with_filters(client_for, persona, asset, other, units):
    url = reverse("fireassets:fireasset_list")
    page = client_for("school_a_officer").get(url).content.decode()
    assert "灭火器 MHQ-01" in page and "DG-1" not in page
    assert 'href="/fire-assets/check/"' in page
    assert 'href="/fire-assets/check/"' not in client_for("auditor").get(url).content.decode()
    district = client_for("district_officer").get(url).content.decode()
    assert "DG-1" in district
    make(
        persona("school_a_officer"), units[SCHOOL_A], code="OLD", produced_on=None, expires_on=None
    )
    expired = client_for("school_a_officer").get(url, {"unchecked": "true", "kind": "extinguisher"})
    assert expired.status_code == 200 and "OLD" in expired.content.decode()
    assert client_for("auditor").get(url).status_code == 200
    for name in ("school_b_teacher", "expert"):
        assert client_for(name).get(url).status_code == 403


def test_it_lists_without_a_query_per_row(
    client_for, persona, units, django_assert_max_num_queries
):
    officer = persona("district_officer")
    building = place(units[SCHOOL_A])
    for n in range(12):
        room = place(
            units[SCHOOL_A], f"{n}室", "room", place(units[SCHOOL_A], f"{n}层", "floor", building)
        )
        make(officer, units[SCHOOL_A], code=f"C{n}", place=room)
    client = client_for("district_officer")
    url = reverse("fireassets:fireasset_list")
    client.get(url)
    with django_assert_max_num_queries(20):
        page = client.get(url)
    assert page.status_code == 200 and "教学楼 / 11层 / 11室" in page.content.decode()


def test_it_creates_edits_and_retires_through_the_pages(client_for, asset, other, units):
    client = client_for("school_a_officer")
    add = reverse("fireassets:fireasset_add")
    assert client.get(add).status_code == 200
    form = {"unit": units[SCHOOL_A].pk, "kind": "extinguisher", "code": "MHQ-9", "position": "三楼"}
    refused = client.post(add, form)  # no agent type
    assert refused.status_code == 400 and "三楼" in refused.content.decode()
    assert client.post(add, {**form, "asset_type": "co2"}).status_code == 302
    assert FireAsset.objects.get(code="MHQ-9").name == "灭火器 MHQ-9"
    assert client_for("auditor").get(add).status_code == 403

    edit = reverse("fireassets:fireasset_edit", args=[asset.pk])
    assert client.get(edit).status_code == 200
    assert client.post(edit, {**form, "code": "MHQ-01", "asset_type": "foam"}).status_code == 302
    assert client.get(reverse("fireassets:fireasset_edit", args=[other.pk])).status_code == 404

    retire = reverse("fireassets:fireasset_retire", args=[asset.pk])
    assert client_for("auditor").post(retire, {"reason": "报废"}).status_code == 403
    assert client.get(retire).status_code == 200
    assert client.post(retire, {"reason": "已报废"}).status_code == 302


def test_the_record_shows_checks_hazards_and_history(client_for, persona, asset, other):
    from xiaoan.fireassets.tests.support import check

    check(persona("school_a_officer"), (asset, "failed", "喷管老化"))
    client = client_for("school_a_officer")
    page = client.get(reverse("fireassets:fireasset_detail", args=[asset.pk])).content.decode()
    assert "月检记录" in page and "喷管老化" in page and "变更记录" in page
    assert Hazard.objects.get().number in page
    assert f"check/?place={asset.place_id}" in page
    assert client.get(reverse("fireassets:fireasset_detail", args=[other.pk])).status_code == 404
    auditor = client_for("auditor").get(reverse("fireassets:fireasset_detail", args=[asset.pk]))
    assert auditor.status_code == 200 and "喷管老化" in auditor.content.decode()
    assert ">月检</a>" not in auditor.content.decode()


def test_files_export_template_and_import(client_for, asset, units):
    client = client_for("school_a_officer")
    upload = SimpleUploadedFile("检测报告.pdf", b"%PDF-1.4", content_type="application/pdf")
    assert (
        client.post(
            reverse("fireassets:fireasset_attach", args=[asset.pk]),
            {"kind": "report", "file": upload},
        ).status_code
        == 302
    )
    assert (
        client_for("auditor")
        .post(
            reverse("fireassets:fireasset_attach", args=[asset.pk]),
            {"kind": "report", "file": upload},
        )
        .status_code
        == 403
    )
    row = RegisterAttachment.objects.get()
    file_url = reverse("fireassets:fireasset_attachment", args=[row.pk])
    assert client.get(file_url).status_code == 200
    assert client_for("expert").get(file_url).status_code == 403
    export = reverse("fireassets:fireasset_export")
    assert client.get(export, {"kind": "extinguisher"}).status_code == 200
    assert client_for("expert").get(export).status_code == 403
    template = reverse("fireassets:fireasset_template")
    assert client.get(template).status_code == 200
    assert client_for("auditor").get(template).status_code == 403
    url = reverse("fireassets:fireasset_import")
    assert client.get(url).status_code == 200
    good = SimpleUploadedFile(
        "f.xlsx", sheet([[SCHOOL_A, "灭火器", "MHQ-77", "干粉", "4kg", "二楼", "2030-01-01"]])
    )
    assert client.post(url, {"file": good}).status_code == 302
    assert FireAsset.objects.filter(code="MHQ-77").exists()
    assert client_for("auditor").get(url).status_code == 403


def test_the_check_page_lists_places_then_the_row(client_for, asset, other, floor):
    client = client_for("school_a_officer")
    url = reverse("fireassets:check")
    places = client.get(url).content.decode()
    assert "教学楼 / 一层" in places and "本月未检 1" in places
    page = client.get(url, {"place": floor.pk}).content.decode()
    assert "灭火器 MHQ-01" in page and "其余全部正常" in page and "idempotency_key" in page
    # The whole building shows the assets of its floors too.
    assert "灭火器 MHQ-01" in client.get(url, {"place": floor.parent_id}).content.decode()
    assert client.get(url, {"place": other.place_id}).status_code == 404
    for name in ("auditor", "school_b_teacher"):
        assert client_for(name).get(url).status_code == 403


def test_a_refused_check_keeps_everything_typed(client_for, persona, units, asset, floor):
    second = make(persona("school_a_officer"), units[SCHOOL_A], code="MHQ-02", place=floor)
    client = client_for("school_a_officer")
    url = reverse("fireassets:check")
    form = {
        "place": floor.pk,
        "idempotency_key": "key-1",
        "asset": [asset.pk, second.pk],
        f"result-{asset.pk}": "ok",
        f"result-{second.pk}": "failed",
        f"note-{second.pk}": "",
    }
    refused = client.post(url, form)
    body = refused.content.decode()
    assert refused.status_code == 400 and "须写明原因" in body
    assert f'id="r-result-{asset.pk}-ok" value="ok" autocomplete="off" checked' in body
    assert f'id="r-result-{second.pk}-failed" value="failed" autocomplete="off" checked' in body
    assert 'value="key-1"' in body
    assert not FireCheckBatch.objects.exists()
    form[f"note-{second.pk}"] = "压力不足"
    form[f"photo-{second.pk}"] = jpeg()
    done = client.post(url, form)
    batch = FireCheckBatch.objects.get()
    assert done.status_code == 302 and done["Location"].endswith(f"/checks/{batch.pk}/")
    # The same submission again (a retry after a lost answer): recorded once.
    form[f"photo-{second.pk}"] = jpeg()
    again = client.post(url, form)
    assert again.status_code == 302 and FireCheckBatch.objects.count() == 1
    assert FireAssetCheck.objects.count() == 2 and Hazard.objects.count() == 1


def test_a_refused_check_keeps_its_photo_for_the_next_try(
    client_for, persona, units, asset, floor, django_capture_on_commit_callbacks
):
    """异常 without a reason, photo attached: refused, the photo comes back kept (a preview
    and a token), and the corrected submission records it without choosing it again."""
    import re

    from xiaoan.core import pending

    client = client_for("school_a_officer")
    url = reverse("fireassets:check")
    form = {
        "place": floor.pk,
        "idempotency_key": "key-photo",
        "asset": [asset.pk],
        f"result-{asset.pk}": "failed",
        f"note-{asset.pk}": "",
        f"photo-{asset.pk}": jpeg(),
    }
    refused = client.post(url, form)
    body = refused.content.decode()
    assert refused.status_code == 400 and "照片都保留" in body
    token = re.search(rf'name="kept-photo-{asset.pk}" value="([^"]+)"', body).group(1)
    assert 'src="data:image/jpeg;base64,' in body
    # Nobody else can take it.
    other = persona("school_b_teacher")
    assert pending.valid(other, [token]) == []
    del form[f"photo-{asset.pk}"]
    form[f"note-{asset.pk}"] = "压力表指针在红区"
    form[f"kept-photo-{asset.pk}"] = token
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, form)
    assert done.status_code == 302
    check = FireAssetCheck.objects.get(asset=asset)
    assert check.photo and check.photo.size > 0
    # Once on the record, the kept copy goes (after the commit).
    assert pending.valid(persona("school_a_officer"), [token]) == []


def test_the_batch_page_and_photo_are_served_in_scope_only(client_for, persona, asset, floor):
    from xiaoan.fireassets.services import CheckRow, record_checks

    batch = record_checks(
        persona("school_a_officer"),
        [CheckRow(asset=asset.pk, result="failed", note="箱门损坏", photo=jpeg())],
        place=floor,
    )
    check = batch.checks.get()
    url = reverse("fireassets:check_batch", args=[batch.pk])
    page = client_for("school_a_officer").get(url)
    assert page.status_code == 200 and "箱门损坏" in page.content.decode()
    assert client_for("auditor").get(url).status_code == 200
    assert client_for("expert").get(url).status_code == 403
    photo = reverse("fireassets:check_photo", args=[check.pk])
    assert client_for("district_officer").get(photo).status_code == 200
    assert client_for("expert").get(photo).status_code == 403
    school_b = persona("school_b_teacher")
    assert client_for(school_b.username).get(photo).status_code == 403
    # Someone who sees checks, but of another school: 404.
    from xiaoan.accounts.models import Role, RoleAssignment

    RoleAssignment.objects.create(
        user=school_b,
        role=Role.objects.get(code="safety_officer"),
        unit=asset.unit.__class__.objects.get(name=SCHOOL_B),
    )
    from xiaoan.core.scoping import forget_grants

    forget_grants(school_b)
    assert client_for(school_b.username).get(url).status_code == 404
    assert client_for(school_b.username).get(photo).status_code == 404
