"""Shared helpers for the hazard page tests: small JPEGs, a private media folder, hazards
walked to a given state through the services, and reading a page's forms."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from xiaoan.hazards import services
from xiaoan.hazards.choices import HazardLevel

PHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)


def jpeg(name: str = "photo.jpg", colour: str = "orange") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Photos written by a test go to its own folder, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


def today() -> dt.date:
    return timezone.localdate()


def reported(persona, unit, text="二号教学楼楼道堆放杂物", who="school_a_officer", **kwargs):
    return services.report(persona(who), unit, description=text, photos=[jpeg()], **kwargs)


def assigned(persona, units, text="二号教学楼楼道堆放杂物", level=HazardLevel.GENERAL):
    school, officer = units["梁子湖高级中学"], persona("school_a_officer")
    hazard = reported(persona, school, text)
    services.confirm(officer, hazard.pk, level=level)
    services.assign(
        officer,
        hazard.pk,
        owner_unit=units["总务处"],
        owner=persona("school_a_owner"),
        measures="清理杂物",
        deadline=today() + dt.timedelta(days=5),
    )
    hazard.refresh_from_db()
    return hazard


def submitted(persona, units, text="二号教学楼楼道堆放杂物"):
    hazard = assigned(persona, units, text)
    owner = persona("school_a_owner")
    services.start(owner, hazard.pk)
    services.submit(owner, hazard.pk, note="已清理", photos=[jpeg()])
    hazard.refresh_from_db()
    return hazard


def form_actions(content: str) -> set[str]:
    """The action URLs the page offers as forms."""
    return set(re.findall(r'<form method="post" action="/hazards/\d+/([a-z-]+)/"', content))


def hidden_value(content: str, name: str, form_action: str | None = None) -> str:
    if form_action:
        start = content.index(f'action="{form_action}"')
        content = content[start:]
    match = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', content)
    assert match, name
    return match.group(1)
