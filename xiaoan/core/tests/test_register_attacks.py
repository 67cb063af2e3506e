"""Every register, attacked the same way (the demo's items, every API resource and record
page the registry declares): another school's item is 404 through the API and the pages,
reading is no right to change, a retired item is 409, ids past any integer are refused, and a
repeated retire changes nothing. New registers are attacked without writing a test."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from xiaoan.api_urls import router
from xiaoan.core import registers
from xiaoan.core.models import RegisterAttachment

pytestmark = pytest.mark.django_db

A = "梁子湖高级中学"


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("证明.pdf", b"%PDF-1.4 x", content_type="application/pdf")


def _file_of(register: registers.Register, item, by) -> RegisterAttachment:
    """A file on the item, written directly (whoever may upload to it)."""
    return RegisterAttachment.objects.create(
        content_type=register.content_type(),
        object_id=item.pk,
        kind=register.attachment_kinds[0][0],
        file=_pdf(),
        name="证明.pdf",
        size=10,
        uploaded_by=by,
    )


def _resources() -> list[tuple[str, registers.Register]]:
    return [
        (prefix, viewset.register)
        for prefix, viewset, _basename in router.registry
        if getattr(viewset, "register", None) is not None
    ]


def test_every_register_refuses_what_it_should(persona, units, client_for, api_for):
    call_command("demo", stdout=open("/dev/null", "w"))
    registers.discover()
    school_a = units[A]
    officer_api, officer_page = api_for("school_a_officer"), client_for("school_a_officer")
    teacher_api = api_for("school_b_teacher")
    district = persona("district_officer")
    auditor_api = api_for("auditor")
    resources = _resources()
    assert len(resources) >= 20, [p for p, _r in resources]
    attempts = 0
    both = 0
    for prefix, register in resources:
        items = register.model.objects.filter(retired_at__isnull=True).select_related("unit")
        outside = items.exclude(unit__path__startswith=school_a.path).first()
        inside = items.filter(unit__path__startswith=school_a.path).first()
        api = f"/api/{prefix}/"
        # Past any integer the database holds: refused (a structured 400 or 404), never a 500.
        huge = officer_api.get(f"{api}99999999999999999999/").status_code
        assert huge in (400, 404), (prefix, huge)
        attempts += 1
        if outside is not None:
            for response in (
                officer_api.get(f"{api}{outside.pk}/"),
                officer_api.patch(f"{api}{outside.pk}/", {"note": "x"}, format="json"),
                officer_api.post(f"{api}{outside.pk}/retire/", {"reason": "x"}, format="json"),
                officer_page.get(reverse(register.url_name("detail"), args=[outside.pk])),
                officer_page.get(reverse(register.url_name("edit"), args=[outside.pk])),
                officer_page.post(
                    reverse(register.url_name("retire"), args=[outside.pk]), {"reason": "x"}
                ),
            ):
                assert response.status_code == 404, (prefix, response.status_code)
                attempts += 1
            # Its files: neither listed, added nor fetched, not even through my own item.
            theirs = _file_of(register, outside, district)
            mine = f"{api}{inside.pk}" if inside is not None else f"{api}{outside.pk}"
            upload = {"kind": register.attachment_kinds[0][0], "file": _pdf()}
            for response in (
                officer_api.get(f"{api}{outside.pk}/attachments/"),
                officer_api.post(f"{api}{outside.pk}/attachments/", upload, format="multipart"),
                officer_api.get(f"{api}{outside.pk}/attachments/{theirs.pk}/"),
                officer_api.get(f"{mine}/attachments/{theirs.pk}/"),
            ):
                assert response.status_code == 404, (prefix, response.status_code)
                attempts += 1
            files = RegisterAttachment.objects.filter(
                content_type=register.content_type(), object_id=outside.pk
            )
            assert not files.exclude(pk=theirs.pk).filter(uploaded_by__username="school_a_officer")
            outside.refresh_from_db()
            assert outside.retired_at is None and outside.note != "x", prefix
        if inside is not None:
            # Another school's teacher: not found, or no right to the register anywhere.
            assert teacher_api.get(f"{api}{inside.pk}/").status_code in (403, 404), prefix
            assert auditor_api.get(f"{api}{inside.pk}/").status_code == 200, prefix
            refused = auditor_api.patch(f"{api}{inside.pk}/", {"note": "x"}, format="json")
            assert refused.status_code == 403, (prefix, refused.status_code)
            assert officer_api.get(f"{api}{inside.pk}/").status_code == 200, prefix
            attempts += 4
            # Its own files: listed, added (by those who may change it) and fetched.
            files = f"{api}{inside.pk}/attachments/"
            kind = register.attachment_kinds[0][0]
            added = officer_api.post(files, {"kind": kind, "file": _pdf()}, format="multipart")
            assert added.status_code in (201, 403), (prefix, added.status_code)
            own = _file_of(register, inside, district)
            assert officer_api.get(files).status_code == 200, prefix
            assert officer_api.get(f"{files}{own.pk}/").status_code == 200, prefix
            if outside is not None:
                both += 1
            # Retire twice: the second is a conflict and changes nothing.
            first = officer_api.post(f"{api}{inside.pk}/retire/", {"reason": "测试"}, format="json")
            if first.status_code == 200:
                inside.refresh_from_db()
                when = inside.retired_at
                again = officer_api.post(
                    f"{api}{inside.pk}/retire/", {"reason": "再次"}, format="json"
                )
                assert again.status_code == 409, (prefix, again.status_code)
                edit = officer_api.patch(f"{api}{inside.pk}/", {"note": "y"}, format="json")
                assert edit.status_code == 409, (prefix, edit.status_code)
                inside.refresh_from_db()
                assert inside.retired_at == when, prefix
                attempts += 2
    print(f"attacks: {attempts} on {len(resources)} resources, {both} with items on both sides")
    # Most registers have items on both sides in the demo: the checks above ran for them.
    assert both >= 15, both
    assert attempts >= 150, attempts
